from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from tocsin.accounts.models import LoginAttempt
from tocsin.accounts.service import create_user
from tocsin.accounts.sessions import (
    clear_failed_logins,
    close_session,
    find_session,
    login_keys,
    open_session,
    purge_expired_sessions,
    record_failed_login,
    retry_after_seconds,
)
from tocsin.types import utcnow


def test_sessions_open_find_expire_close(session: Session) -> None:
    user = create_user(session=session, email="s1@example.com", password="x" * 12)
    opened = open_session(session=session, user=user, max_age_seconds=60, ip="198.51.100.7")
    assert opened.row.id != opened.session_id  # the id is hashed at rest
    assert find_session(session=session, session_id=opened.session_id) is opened.row
    assert find_session(session=session, session_id="unknown") is None
    opened.row.expires_at = utcnow() - timedelta(seconds=1)
    assert find_session(session=session, session_id=opened.session_id) is None
    assert purge_expired_sessions(session=session) == 1
    other = open_session(session=session, user=user, max_age_seconds=60)
    close_session(session=session, row=other.row)
    assert find_session(session=session, session_id=other.session_id) is None


def test_throttle_counts_failures_inside_the_window(session: Session) -> None:
    keys = login_keys(email="Who@Example.com", ip="203.0.113.1")
    assert keys == ["email:who@example.com", "ip:203.0.113.1"]
    for _ in range(3):
        record_failed_login(session=session, keys=keys, window_seconds=60)
    assert retry_after_seconds(session=session, keys=keys, max_attempts=4, window_seconds=60) == 0
    record_failed_login(session=session, keys=keys, window_seconds=60)
    wait = retry_after_seconds(session=session, keys=keys, max_attempts=4, window_seconds=60)
    assert 55 <= wait <= 61
    for row in session.query(LoginAttempt).all():
        row.at = utcnow() - timedelta(seconds=120)  # the window has passed
    session.flush()
    assert retry_after_seconds(session=session, keys=keys, max_attempts=4, window_seconds=60) == 0
    record_failed_login(session=session, keys=keys, window_seconds=60)  # purges the old rows
    assert session.query(LoginAttempt).count() == 2
    clear_failed_logins(session=session, email="who@example.com")
    assert [r.key for r in session.query(LoginAttempt)] == ["ip:203.0.113.1"]
