"""Browser sessions and login throttling, both stored as rows so every worker agrees.

A session id is 32 random bytes; the cookie carries it (signed by the web layer) and the
``web_sessions`` row stores only its SHA-256, so a copy of the database cannot be replayed as
cookies. Failed logins are :class:`LoginAttempt` rows keyed by ``email:<address>`` and
``ip:<address>``; past ``max_attempts`` in the window, logins are refused until the oldest
failure leaves the window.

Example::

    opened = open_session(session=s, user=ana, max_age_seconds=3600, ip="203.0.113.9")
    cookie_value = opened.session_id          # sign it before sending
    find_session(session=s, session_id=cookie_value)   # -> WebSession | None
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tocsin.accounts.models import LoginAttempt, User, WebSession
from tocsin.types import as_utc, utcnow


@dataclass(frozen=True)
class OpenedSession:
    row: WebSession
    #: The raw id for the cookie; only its hash is stored.
    session_id: str


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(
    *, session: Session, user: User, max_age_seconds: int, ip: str = ""
) -> OpenedSession:
    """Create a session row for ``user`` with a fresh CSRF token."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    row = WebSession(
        id=_digest(session_id),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(seconds=max_age_seconds),
        ip=ip[:64],
    )
    session.add(row)
    session.flush()
    return OpenedSession(row=row, session_id=session_id)


def find_session(*, session: Session, session_id: str) -> WebSession | None:
    """The live session for the raw id from the cookie (not expired, user active)."""
    row = session.get(WebSession, _digest(session_id))
    if row is None or row.expires_at <= utcnow() or not row.user.is_active:
        return None
    return row


def close_session(*, session: Session, row: WebSession) -> None:
    session.delete(row)
    session.flush()


def purge_expired_sessions(*, session: Session) -> int:
    """Delete expired session rows; return how many went."""
    result = session.execute(delete(WebSession).where(WebSession.expires_at <= utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def login_keys(*, email: str, ip: str) -> list[str]:
    keys = [f"email:{email.strip().lower()[:254]}"]
    if ip:
        keys.append(f"ip:{ip[:64]}")
    return keys


def retry_after_seconds(
    *, session: Session, keys: list[str], max_attempts: int, window_seconds: int
) -> int:
    """Seconds to wait before another login attempt is allowed for ``keys``; 0 if allowed."""
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    wait = 0
    for key in keys:
        stmt = select(func.count(), func.min(LoginAttempt.at)).where(
            LoginAttempt.key == key, LoginAttempt.at > since
        )
        count, oldest = session.execute(stmt).one()
        if count >= max_attempts and oldest is not None:
            free_at = as_utc(oldest) + timedelta(seconds=window_seconds)
            wait = max(wait, int((free_at - now).total_seconds()) + 1)
    return wait


def record_failed_login(*, session: Session, keys: list[str], window_seconds: int) -> None:
    """Store one failure per key and drop failures older than the window."""
    now = utcnow()
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.at <= now - timedelta(seconds=window_seconds))
    )
    session.add_all(LoginAttempt(key=key, at=now) for key in keys)
    session.flush()


def clear_failed_logins(*, session: Session, email: str) -> None:
    """Forget an account's failures after a successful login (the address keeps its count)."""
    key = login_keys(email=email, ip="")[0]
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == key))
