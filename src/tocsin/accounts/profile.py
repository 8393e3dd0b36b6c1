"""The signed-in user's own profile: name, interface language and password (on ``/settings``).

Changing the password needs the current one; wrong guesses count as failed logins for the
account and the address, so the login throttle also stops guessing from an open session.
A successful change ends the user's *other* browser sessions (a stolen cookie dies with it).

``GET /settings/password`` shows the same password form on its own page: where a user whose
password someone else set is sent until they choose their own
(:mod:`tocsin.accounts.password_change`). That choice must differ from the password they were
given; afterwards they go on to ``next`` (a local path) or the home page.

Example: ``POST /settings/password`` with ``current_password``, ``new_password``,
``confirm_password`` and ``csrf_token`` → 303 to ``/settings?saved=password`` (or to ``next``
when the form came from the password page).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from tocsin.accounts.admin_service import end_sessions
from tocsin.accounts.passwords import MIN_PASSWORD_LENGTH, WeakPasswordError, verify_password
from tocsin.accounts.service import set_password
from tocsin.accounts.sessions import (
    clear_failed_logins,
    login_keys,
    record_failed_login,
    retry_after_seconds,
)
from tocsin.web.audit import record_change
from tocsin.web.deps import (
    AppSettings,
    CurrentPrincipal,
    DbSession,
    Principal,
    SignedInPrincipal,
)
from tocsin.web.i18n import Translator, supported
from tocsin.web.pages.auth import safe_next
from tocsin.web.pages.settings import _settings_page
from tocsin.web.security import client_ip, remember_locale
from tocsin.web.templating import render, request_locale

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=1024)]
#: Where the password page sends the user afterwards (a local path); absent on ``/settings``.
Next = Annotated[str | None, Form(max_length=2000)]
HOME = "/"


def _after_change(next_url: str | None) -> str:
    """``next_url`` if it is a safe local path, else the home page (it picks the user's area)."""
    return next_url if next_url and safe_next(next_url) == next_url else HOME


def _password_page(
    request: Request,
    who: Principal,
    *,
    next_url: str | None,
    error: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    context = {
        "next_url": _after_change(next_url),
        "required": who.user.password_change_required,
        "error": error,
    }
    return render(
        request, "auth/change_password.html", context, status_code=status_code, headers=headers
    )


def _refuse_on_settings(
    request: Request,
    session: Session,
    who: Principal,
    error: str,
    *,
    status_code: int = 422,
    headers: dict[str, str] | None = None,
) -> Response:
    response = _settings_page(
        request, session, who, status_code=status_code, extra={"profile_error": error}
    )
    response.headers.update(headers or {})
    return response


@router.post("/settings/profile")
def save_profile(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: CurrentPrincipal,
    name: Text = "",
    locale: Text = "",
) -> Response:
    t = Translator.for_locale(request_locale(request))
    name = " ".join(name.split())
    code = supported(locale)
    if not name or len(name) > 200:
        return _refuse_on_settings(request, session, who, t("team.error_name"))
    if code is None or code != locale.strip().lower():
        return _refuse_on_settings(request, session, who, t("team.error_locale"))
    user = who.user
    changes = {
        key: {"from": getattr(user, key), "to": value}
        for key, value in (("name", name), ("locale", code))
        if getattr(user, key) != value
    }
    if changes:
        user.name, user.locale = name, code
        record_change(
            request,
            session,
            who,
            action="user.profile_updated",
            target_type="user",
            target_id=user.id,
            detail=changes,
        )
        session.commit()
    return remember_locale(
        RedirectResponse("/settings?saved=profile", status_code=303),
        code,
        secure=settings.secure_cookies,
    )


@router.get("/settings/password")
def password_page(request: Request, who: SignedInPrincipal, next: str | None = None) -> Response:
    """The password form alone; a user who must replace their password is sent here."""
    return _password_page(request, who, next_url=next)


@router.post("/settings/password")
def change_password(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: SignedInPrincipal,
    current_password: Text = "",
    new_password: Text = "",
    confirm_password: Text = "",
    next: Next = None,
) -> Response:
    t = Translator.for_locale(request_locale(request))
    user, ip = who.user, client_ip(request)
    required = user.password_change_required
    on_own_page = next is not None or required

    def refuse(
        error: str, *, status_code: int = 422, headers: dict[str, str] | None = None
    ) -> Response:
        if on_own_page:
            return _password_page(
                request, who, next_url=next, error=error, status_code=status_code, headers=headers
            )
        return _refuse_on_settings(
            request, session, who, error, status_code=status_code, headers=headers
        )

    if who.web_session is None:
        return refuse(t("team.error_browser_only"), status_code=403)
    keys = login_keys(email=user.email, ip=ip)
    wait = retry_after_seconds(
        session=session,
        keys=keys,
        max_attempts=settings.login_max_attempts,
        window_seconds=settings.login_window_seconds,
    )
    if wait:
        minutes = max(1, (wait + 59) // 60)
        message = t("login.error_throttled", minutes=minutes)
        return refuse(message, status_code=429, headers={"Retry-After": str(wait)})
    if not verify_password(user.password_hash, current_password):
        record_failed_login(
            session=session, keys=keys, window_seconds=settings.login_window_seconds
        )
        record_change(
            request,
            session,
            who,
            action="user.password_change_failed",
            target_type="user",
            target_id=user.id,
        )
        session.commit()
        return refuse(t("team.error_current_password"), status_code=403)
    if new_password != confirm_password:
        return refuse(t("team.error_confirm"))
    if required and new_password == current_password:
        return refuse(t("team.error_same_password"))
    try:
        set_password(user=user, password=new_password, chosen_by_owner=True)
    except WeakPasswordError:
        return refuse(t("team.error_weak", count=MIN_PASSWORD_LENGTH))
    clear_failed_logins(session=session, email=user.email)
    ended = end_sessions(session=session, user_id=user.id, keep=who.web_session.id)
    record_change(
        request,
        session,
        who,
        action="user.password_changed",
        target_type="user",
        target_id=user.id,
        detail={"other_sessions_ended": ended, "change_required": required},
    )
    session.commit()
    if on_own_page:
        return RedirectResponse(_after_change(next), status_code=303)
    return RedirectResponse("/settings?saved=password", status_code=303)
