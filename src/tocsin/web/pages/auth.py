"""Sign-in, sign-out and the language switch.

The login form is protected by a signed double-submit cookie (no session exists yet); failed
attempts are throttled per e-mail and per address; every outcome is audited. A successful
login always opens a *new* server-side session (no fixation) and redirects to a local path.

Example: ``POST /login`` with ``email``, ``password``, ``csrf_token`` -> 303 to ``/posts``.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tocsin.accounts.service import authenticate
from tocsin.accounts.sessions import (
    clear_failed_logins,
    close_session,
    login_keys,
    open_session,
    record_failed_login,
    retry_after_seconds,
)
from tocsin.config import Settings
from tocsin.privacy.audit import record
from tocsin.web.deps import AppSettings, DbSession, OptionalPrincipal, SignedInPrincipal
from tocsin.web.i18n import Translator, supported
from tocsin.web.security import (
    PRE_SESSION_COOKIE,
    SESSION_COOKIE,
    CookieSigner,
    client_ip,
    new_csrf_token,
    remember_locale,
    tokens_match,
)
from tocsin.web.templating import render, request_locale

router = APIRouter(include_in_schema=False)
_PRE_SESSION_MAX_AGE = 2 * 3600
HOME = "/posts"


def safe_next(target: str | None) -> str:
    """Only local absolute paths are followed after login (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return HOME
    return target


def _pre_session_signer(request: Request) -> CookieSigner:
    return CookieSigner(request.app.state.settings.secret_key, salt="tocsin.pre-session-csrf")


def pre_session_token(request: Request) -> str | None:
    """The CSRF token bound to this browser before login, if its cookie is valid."""
    cookie = request.cookies.get(PRE_SESSION_COOKIE)
    if not cookie:
        return None
    return _pre_session_signer(request).unsign(cookie, max_age=_PRE_SESSION_MAX_AGE)


def _set_pre_session(request: Request, response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        PRE_SESSION_COOKIE,
        _pre_session_signer(request).sign(token),
        max_age=_PRE_SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def _login_page(
    request: Request,
    settings: Settings,
    *,
    next_url: str,
    email: str = "",
    error: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    token = pre_session_token(request) or new_csrf_token()
    request.state.pre_session_csrf = token
    response = render(
        request,
        "auth/login.html",
        {"next_url": next_url, "email": email, "error": error},
        status_code=status_code,
        headers=headers,
    )
    _set_pre_session(request, response, token, settings)
    return response


@router.get("/login")
def login_form(
    request: Request, settings: AppSettings, principal: OptionalPrincipal, next: str = HOME
) -> Response:
    if principal is not None and principal.web_session is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, settings, next_url=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = HOME,
) -> Response:
    t = Translator.for_locale(request_locale(request))
    next_url = safe_next(next)
    ip = client_ip(request)
    if not tokens_match(pre_session_token(request) or "", csrf_token):
        return _login_page(
            request,
            settings,
            next_url=next_url,
            email=email,
            error=t("login.error_expired"),
            status_code=403,
        )
    keys = login_keys(email=email, ip=ip)
    wait = retry_after_seconds(
        session=session,
        keys=keys,
        max_attempts=settings.login_max_attempts,
        window_seconds=settings.login_window_seconds,
    )
    if wait:
        record(session, action="auth.login_throttled", actor_label=email[:200], ip=ip)
        session.commit()
        minutes = max(1, (wait + 59) // 60)
        return _login_page(
            request,
            settings,
            next_url=next_url,
            email=email,
            error=t("login.error_throttled", minutes=minutes),
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    user = authenticate(session=session, email=email, password=password)
    if user is None:
        record_failed_login(
            session=session, keys=keys, window_seconds=settings.login_window_seconds
        )
        record(session, action="auth.login_failed", actor_label=email[:200], ip=ip)
        session.commit()
        return _login_page(
            request,
            settings,
            next_url=next_url,
            email=email,
            error=t("login.error_invalid"),
            status_code=401,
        )
    clear_failed_logins(session=session, email=email)
    opened = open_session(
        session=session, user=user, max_age_seconds=settings.session_max_age_seconds, ip=ip
    )
    record(session, action="auth.login", actor_user_id=user.id, actor_label=user.email, ip=ip)
    session.commit()
    response = RedirectResponse(next_url, status_code=303)
    signer: CookieSigner = request.app.state.cookie_signer
    response.set_cookie(
        SESSION_COOKIE,
        signer.sign(opened.session_id),
        max_age=settings.session_max_age_seconds,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    response.delete_cookie(PRE_SESSION_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession, principal: SignedInPrincipal) -> Response:
    if principal.web_session is not None:
        close_session(session=session, row=principal.web_session)
    record(
        session,
        action="auth.logout",
        actor_user_id=principal.user.id,
        actor_label=principal.user.email,
        ip=client_ip(request),
    )
    session.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/locale")
def switch_locale(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    principal: OptionalPrincipal,
    locale: Annotated[str, Form(max_length=8)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = HOME,
) -> Response:
    """Remember the chosen language (in the profile when signed in, in a cookie always)."""
    code = supported(locale)
    signed_in = principal is not None and principal.web_session is not None
    expected = (
        principal.web_session.csrf_token
        if principal is not None and principal.web_session is not None
        else pre_session_token(request) or ""
    )
    if code is None or not tokens_match(expected, csrf_token):
        target = safe_next(next) if signed_in else "/login?next=" + quote(safe_next(next))
        return RedirectResponse(target, status_code=303)
    if principal is not None and signed_in:
        principal.user.locale = code
        session.commit()
    return remember_locale(
        RedirectResponse(safe_next(next), status_code=303), code, secure=settings.secure_cookies
    )
