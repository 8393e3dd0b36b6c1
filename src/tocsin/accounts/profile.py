"""The signed-in user's own profile: name, interface language and password (on ``/settings``).

Changing the password needs the current one; wrong guesses count as failed logins for the
account and the address, so the login throttle also stops guessing from an open session.
A successful change ends the user's *other* browser sessions (a stolen cookie dies with it).

Example: ``POST /settings/password`` with ``current_password``, ``new_password``,
``confirm_password`` and ``csrf_token`` → 303 to ``/settings?saved=password``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from tocsin.accounts.admin_service import end_sessions
from tocsin.accounts.passwords import (
    MIN_PASSWORD_LENGTH,
    WeakPasswordError,
    hash_password,
    verify_password,
)
from tocsin.accounts.sessions import (
    clear_failed_logins,
    login_keys,
    record_failed_login,
    retry_after_seconds,
)
from tocsin.privacy.audit import record
from tocsin.web.deps import AppSettings, CurrentPrincipal, DbSession, Principal
from tocsin.web.i18n import Translator, supported
from tocsin.web.pages.settings import _settings_page
from tocsin.web.security import LOCALE_COOKIE, client_ip
from tocsin.web.templating import request_locale

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=1024)]


def _refuse(
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
        return _refuse(request, session, who, t("team.error_name"))
    if code is None or code != locale.strip().lower():
        return _refuse(request, session, who, t("team.error_locale"))
    user = who.user
    changes = {
        key: {"from": getattr(user, key), "to": value}
        for key, value in (("name", name), ("locale", code))
        if getattr(user, key) != value
    }
    if changes:
        user.name, user.locale = name, code
        record(
            session,
            action="user.profile_updated",
            actor_user_id=user.id,
            actor_label=user.email,
            target_type="user",
            target_id=user.id,
            detail=changes,
            ip=client_ip(request),
        )
        session.commit()
    response = RedirectResponse("/settings?saved=profile", status_code=303)
    response.set_cookie(
        LOCALE_COOKIE,
        code,
        max_age=365 * 86400,
        samesite="lax",
        secure=settings.secure_cookies,
        httponly=True,
    )
    return response


@router.post("/settings/password")
def change_password(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: CurrentPrincipal,
    current_password: Text = "",
    new_password: Text = "",
    confirm_password: Text = "",
) -> Response:
    t = Translator.for_locale(request_locale(request))
    if who.web_session is None:
        return _refuse(request, session, who, t("team.error_browser_only"), status_code=403)
    user, ip = who.user, client_ip(request)
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
        return _refuse(
            request, session, who, message, status_code=429, headers={"Retry-After": str(wait)}
        )
    if not verify_password(user.password_hash, current_password):
        record_failed_login(
            session=session, keys=keys, window_seconds=settings.login_window_seconds
        )
        record(
            session,
            action="user.password_change_failed",
            actor_user_id=user.id,
            actor_label=user.email,
            target_type="user",
            target_id=user.id,
            ip=ip,
        )
        session.commit()
        return _refuse(request, session, who, t("team.error_current_password"), status_code=403)
    if new_password != confirm_password:
        return _refuse(request, session, who, t("team.error_confirm"))
    try:
        user.password_hash = hash_password(new_password)
    except WeakPasswordError:
        return _refuse(request, session, who, t("team.error_weak", count=MIN_PASSWORD_LENGTH))
    clear_failed_logins(session=session, email=user.email)
    ended = end_sessions(session=session, user_id=user.id, keep=who.web_session.id)
    record(
        session,
        action="user.password_changed",
        actor_user_id=user.id,
        actor_label=user.email,
        target_type="user",
        target_id=user.id,
        detail={"other_sessions_ended": ended},
        ip=ip,
    )
    session.commit()
    return RedirectResponse("/settings?saved=password", status_code=303)
