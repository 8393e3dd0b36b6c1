"""Login, sessions, CSRF, throttling and the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import PASSWORD, csrf_from, login
from tocsin.accounts.models import User, WebSession
from tocsin.config import Settings
from tocsin.privacy.models import AuditLog
from tocsin.types import utcnow
from tocsin.web.app import create_app
from tocsin.web.security import SESSION_COOKIE


def _actions(session_factory: sessionmaker[Session]) -> list[str]:
    with session_factory() as s:
        return list(s.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_login_sets_a_hardened_session_cookie_and_audits(
    client: TestClient, make_user: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    user = make_user("agent")
    response = login(client, user.email, next="/settings")
    assert response.status_code == 303
    assert response.headers["location"] == "/settings"
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie
    assert "Max-Age=43200" in cookie
    with session_factory() as s:
        row = s.scalar(select(WebSession).where(WebSession.user_id == user.id))
        assert row is not None
        assert client.cookies[SESSION_COOKIE].split(".")[0] not in row.id  # only a hash is kept
    assert client.get("/settings").status_code == 200
    assert "auth.login" in _actions(session_factory)


def test_secure_flag_when_served_over_https(
    settings: Settings, session_factory: sessionmaker[Session], make_user: Callable[..., User]
) -> None:
    secure = settings.model_copy(update={"base_url": "https://tocsin.example"})
    user = make_user("viewer")
    with TestClient(
        create_app(secure, session_factory=session_factory),
        base_url="https://testserver",
        follow_redirects=False,
    ) as c:
        response = login(c, user.email)
        assert "Secure" in response.headers["set-cookie"]
        assert "strict-transport-security" in response.headers


def test_wrong_password_is_refused_and_audited(
    client: TestClient, make_user: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    user = make_user()
    response = login(client, user.email, password="wrong password!")
    assert response.status_code == 401
    assert "Wrong e-mail or password" in response.text
    assert SESSION_COOKIE not in client.cookies
    assert "auth.login_failed" in _actions(session_factory)


def test_login_form_needs_its_csrf_token(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    client.get("/login")
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_failed_logins_are_throttled_per_email(
    client: TestClient, make_user: Callable[..., User], settings: Settings
) -> None:
    user = make_user()
    for _ in range(settings.login_max_attempts):
        assert login(client, user.email, password="nope nope nope").status_code == 401
    blocked = login(client, user.email)  # even the right password waits
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= settings.login_window_seconds + 1
    assert "Too many failed attempts" in blocked.text


def test_failed_logins_are_throttled_per_address(
    client: TestClient, make_user: Callable[..., User], settings: Settings
) -> None:
    victim = make_user()
    for n in range(settings.login_max_attempts):
        login(client, f"nobody{n}@example.com", password="guess guess guess")
    assert login(client, victim.email).status_code == 429


def test_success_clears_the_account_counter(
    client: TestClient, make_user: Callable[..., User], settings: Settings
) -> None:
    user = make_user()
    for _ in range(settings.login_max_attempts - 1):
        login(client, user.email, password="nope nope nope")
    assert login(client, user.email).status_code == 303


def test_logout_ends_the_server_session(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    signed_in("agent")
    stolen = client.cookies[SESSION_COOKIE]
    page = client.get("/settings")
    assert client.post("/logout", data={"csrf_token": csrf_from(page.text)}).status_code == 303
    client.cookies.set(SESSION_COOKIE, stolen)  # replaying the old cookie gets nowhere
    assert client.get("/settings").headers["location"].startswith("/login")
    assert "auth.logout" in _actions(session_factory)


def test_unsafe_requests_need_the_session_csrf_token(
    client: TestClient, signed_in: Callable[..., User]
) -> None:
    signed_in("agent")
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf_token": "wrong"}).status_code == 403
    token = csrf_from(client.get("/settings").text)
    created = client.post(
        "/api/v1/tokens",
        json={"name": "x", "scopes": ["posts:read"]},
        headers={"X-CSRF-Token": token},
    )
    assert created.status_code == 201
    refused = client.post("/api/v1/tokens", json={"name": "x", "scopes": ["posts:read"]})
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/csrf")


def test_expired_or_forged_sessions_are_ignored(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    user = signed_in("agent")
    with session_factory() as s:
        for row in s.scalars(select(WebSession).where(WebSession.user_id == user.id)):
            row.expires_at = utcnow() - timedelta(seconds=1)
        s.commit()
    assert client.get("/settings").status_code == 303
    client.cookies.set(SESSION_COOKIE, "forged.value.here")
    assert client.get("/settings").status_code == 303


def test_next_never_leaves_the_site(client: TestClient, make_user: Callable[..., User]) -> None:
    user = make_user()
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        client.cookies.clear()
        response = login(client, user.email, next=target)
        assert response.headers["location"] == "/posts"


def test_anonymous_page_redirects_to_login_with_next(client: TestClient) -> None:
    response = client.get("/posts?q=refund")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/posts%3Fq%3Drefund"
    htmx = client.get("/posts", headers={"HX-Request": "true"})
    assert htmx.headers["hx-redirect"].startswith("/login")
