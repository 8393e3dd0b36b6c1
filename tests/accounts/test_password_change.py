"""A password someone else set must be replaced at the first sign-in.

Who gets ``password_change_required`` (API, Settings → Team, ``tocsin user add``, ``tocsin init``
with a generated password) and who does not (a typed ``tocsin init`` password, the demo, a user
changing their own); what a flagged browser may reach (the change page, sign-out, static files,
``GET /api/v1/me``); the change itself (current password, the new one twice, throttle, audit,
safe return); and migration 0003 both ways on this run's database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from alembic import command
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from tests.accounts.helpers import bearer
from tests.conftest import drop_database, new_database_url
from tests.web.conftest import PASSWORD, csrf_from, login
from tocsin.accounts.commands import register
from tocsin.accounts.models import User
from tocsin.accounts.passwords import verify_password
from tocsin.db import Base, make_engine
from tocsin.migrate import alembic_config, upgrade_database
from tocsin.privacy.models import AuditLog
from tocsin.web.app import is_public

PROBLEM = "https://tocsin.dev/problems/password-change-required"
_OTP = re.compile(r'<code id="one-time-password">([^<]+)</code>')
NEW = "my very own secret"


def _flag(session: Session, user_id: int) -> bool:
    session.expire_all()
    user = session.get(User, user_id)
    assert user is not None
    return user.password_change_required


def _by_email(session: Session, email: str) -> User:
    session.expire_all()
    return session.scalars(select(User).where(User.email == email)).one()


def _change_form(client: TestClient, next_url: str = "/inbox", **fields: str) -> dict[str, str]:
    page = client.get(f"/settings/password?next={next_url}")
    assert page.status_code == 200, page.text
    return {
        "csrf_token": csrf_from(page.text),
        "current_password": PASSWORD,
        "new_password": NEW,
        "confirm_password": NEW,
        "next": next_url,
        **fields,
    }


# ---------------------------------------------------------------- who is flagged


def test_api_add_and_reset_flag_the_user(
    client: TestClient, make_user: Any, make_token: Any, session: Session
) -> None:
    admin = make_user("admin")
    headers = bearer(make_token(admin, ["users:manage"]))
    generated = client.post("/api/v1/users", json={"email": "gen@example.com"}, headers=headers)
    assert generated.status_code == 201 and generated.json()["password_change_required"] is True
    typed = client.post(
        "/api/v1/users",
        json={"email": "typed@example.com", "password": "chosen by the admin"},
        headers=headers,
    )
    assert typed.status_code == 201 and typed.json()["one_time_password"] is None
    assert _by_email(session, "typed@example.com").password_change_required  # not their choice

    agent = make_user("agent")
    assert not _flag(session, agent.id)
    reset = client.post(f"/api/v1/users/{agent.id}/reset-password", headers=headers)
    assert reset.status_code == 200 and _flag(session, agent.id)
    listed = client.get(f"/api/v1/users/{agent.id}", headers=headers).json()
    assert listed["password_change_required"] is True
    assert not _flag(session, admin.id)  # the admin acting is not flagged


def test_team_page_add_and_reset_flag_the_user(
    client: TestClient, signed_in: Any, make_user: Any, session: Session
) -> None:
    admin = signed_in("admin")
    csrf = csrf_from(client.get("/settings/team").text)
    added = client.post("/settings/team/users", data={"csrf_token": csrf, "email": "p@example.com"})
    assert added.status_code == 200 and _OTP.search(added.text)
    typed = client.post(
        "/settings/team/users",
        data={"csrf_token": csrf, "email": "q@example.com", "password": "typed by the admin"},
    )
    assert typed.status_code == 303
    assert _by_email(session, "p@example.com").password_change_required
    assert _by_email(session, "q@example.com").password_change_required
    agent = make_user("agent")
    reset = client.post(
        f"/settings/team/users/{agent.id}/reset-password", data={"csrf_token": csrf}
    )
    assert reset.status_code == 200 and _flag(session, agent.id)
    assert not _flag(session, admin.id)


@pytest.fixture
def cli_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty database (no schema: ``tocsin init`` migrates it) for the shell commands."""
    url = new_database_url(tmp_path)
    monkeypatch.setenv("TOCSIN_DATABASE_URL", url)
    monkeypatch.delenv("TOCSIN_ADMIN_PASSWORD", raising=False)
    yield url
    drop_database(url)


def _read(url: str, email: str) -> User:
    engine = make_engine(url)
    try:
        with sessionmaker(bind=engine, expire_on_commit=False)() as s:
            return s.scalars(select(User).where(User.email == email)).one()
    finally:
        engine.dispose()


def test_cli_user_add_flags_and_operator_tokens_still_work(
    cli_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(cli_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app)
    runner = CliRunner()
    generated = runner.invoke(app, ["user", "add", "gen@example.com", "--generate-password"])
    assert generated.exit_code == 0, generated.output
    monkeypatch.setenv("TOCSIN_USER_PASSWORD", "typed by the operator")
    typed = runner.invoke(app, ["user", "add", "typed@example.com"])
    assert typed.exit_code == 0, typed.output
    assert _read(cli_url, "gen@example.com").password_change_required
    assert _read(cli_url, "typed@example.com").password_change_required
    # `tocsin user add` then `tocsin token create` (docs/api.md) keeps working: the operator
    # issues it, not the flagged user
    token = runner.invoke(
        app,
        ["token", "create", "--user", "typed@example.com", "--name", "ci", "--scope", "posts:read"],
    )
    assert token.exit_code == 0, token.output


@pytest.mark.parametrize("typed", [False, True], ids=["generated", "typed"])
def test_tocsin_init_flags_only_a_generated_admin_password(
    cli_url: str, monkeypatch: pytest.MonkeyPatch, typed: bool
) -> None:
    from tocsin.cli import app

    if typed:
        monkeypatch.setenv("TOCSIN_ADMIN_PASSWORD", "the operator's own choice")
    result = CliRunner().invoke(app, ["init", "--admin-email", "root@example.com"])
    assert result.exit_code == 0, result.output
    assert ("shown once" in result.output) is not typed
    assert _read(cli_url, "root@example.com").password_change_required is not typed


def test_the_demo_users_are_not_flagged(client: TestClient, session: Session) -> None:
    from tocsin.demo import commands as demo

    assert demo._ensure_demo_admin(session, demo.DEMO_PASSWORD)
    for email in (demo.DEMO_EMAIL, *(agent[0] for agent in demo.DEMO_AGENTS)):
        assert not _by_email(session, email).password_change_required, email
    assert login(client, demo.DEMO_EMAIL, demo.DEMO_PASSWORD).status_code == 303
    assert client.get("/posts").status_code == 200  # the documented password just works


# ---------------------------------------------------------------- what a flagged user reaches


def test_a_flagged_browser_is_sent_to_the_change_page_and_back(
    client: TestClient, make_user: Any, session: Session
) -> None:
    user = make_user("agent", password_change_required=True)
    assert login(client, user.email, next="/inbox").headers["location"] == "/inbox"
    sent = client.get("/inbox?tab=mine")
    assert sent.status_code == 303
    assert sent.headers["location"] == "/settings/password?next=/inbox%3Ftab%3Dmine"
    for url in ("/", "/settings", "/posts", "/settings/team"):
        assert client.get(url).headers.get("location", "").startswith("/settings/password"), url
    htmx = client.get("/inbox", headers={"HX-Request": "true", "HX-Current-URL": "http://t/inbox"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].endswith("next=/inbox")
    assert client.get("/static/css/app.css").status_code == 200

    page = client.get("/settings/password?next=/inbox")
    assert page.status_code == 200 and 'id="password-change-required"' in page.text
    assert 'name="next" value="/inbox"' in page.text and 'action="/logout"' in page.text
    blocked = client.post(  # a form elsewhere: redirected, not applied
        "/settings/profile", data={"csrf_token": csrf_from(page.text), "name": "X", "locale": "en"}
    )
    assert blocked.headers["location"] == "/settings/password"
    assert _by_email(session, user.email).name != "X"

    done = client.post("/settings/password", data=_change_form(client, "/inbox"))
    assert done.status_code == 303 and done.headers["location"] == "/inbox"
    assert client.get("/inbox").status_code == 200
    row = _by_email(session, user.email)
    assert not row.password_change_required and verify_password(row.password_hash, NEW)
    changed = session.scalars(
        select(AuditLog).where(AuditLog.action == "user.password_changed")
    ).all()
    assert [a.detail["change_required"] for a in changed] == [True]
    assert changed[0].actor_user_id == user.id and NEW not in str(changed[0].detail)


def test_a_flagged_browser_gets_a_problem_from_the_api(
    client: TestClient, make_user: Any, make_token: Any, session: Session
) -> None:
    user = make_user("agent", password_change_required=True)
    own_token = bearer(make_token(user, ["posts:read", "tokens:manage"], issued_by_operator=True))
    other_token = bearer(make_token(make_user("agent"), ["posts:read"]))
    assert login(client, user.email).status_code == 303
    refused = client.get("/api/v1/posts")
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"] == PROBLEM and "/settings/password" in problem["detail"]
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == user.email
    assert me.json()["password_change_required"] is True
    csrf = csrf_from(client.get("/settings/password").text)
    token_body = {"name": "mine", "scopes": ["posts:read"]}
    by_session = client.post("/api/v1/tokens", json=token_body, headers={"X-CSRF-Token": csrf})
    assert by_session.status_code == 403 and by_session.json()["type"] == PROBLEM

    # tokens already issued keep working, but cannot mint new ones until the change
    assert client.get("/api/v1/posts", headers=own_token).status_code == 200
    assert client.get("/api/v1/posts", headers=other_token).status_code == 200
    minted = client.post("/api/v1/tokens", json=token_body, headers=own_token)
    assert minted.status_code == 403 and minted.json()["type"] == PROBLEM
    assert "API token" in minted.json()["detail"]

    assert client.post("/settings/password", data=_change_form(client)).status_code == 303
    assert client.get("/api/v1/posts").status_code == 200
    assert client.post("/api/v1/tokens", json=token_body, headers=own_token).status_code == 201


#: What a flagged browser session may still reach (besides public paths and static files).
REACHABLE = {
    ("GET", "/settings/password"),
    ("POST", "/settings/password"),
    ("POST", "/logout"),
    ("GET", "/api/v1/me"),
}


def test_every_other_route_is_closed_to_a_flagged_browser(
    app: FastAPI, client: TestClient, make_user: Any
) -> None:
    user = make_user("admin", password_change_required=True)  # every permission
    assert login(client, user.email).status_code == 303
    csrf = {"X-CSRF-Token": csrf_from(client.get("/settings/password").text)}
    seen = set()
    for route in iter_route_contexts(app.routes):
        for method in sorted(route.methods or {"GET"}):
            key = (method, route.path)
            if method == "HEAD" or is_public(route.path) or route.path == "/static":
                continue
            seen.add(key)
            if key in REACHABLE:
                continue
            url = re.sub(r"\{[^}]+\}", "1", route.path)
            response = client.request(method, url, headers=csrf)
            if route.path.startswith("/api/"):
                assert response.status_code == 403, key
                assert response.json()["type"] == PROBLEM, key
            else:
                assert response.status_code == 303, key
                assert response.headers["location"].startswith("/settings/password"), key
    assert seen >= REACHABLE and len(seen) > 50


def test_sign_out_still_works_while_flagged(client: TestClient, make_user: Any) -> None:
    user = make_user("agent", password_change_required=True)
    assert login(client, user.email).status_code == 303
    csrf = csrf_from(client.get("/settings/password").text)
    out = client.post("/logout", data={"csrf_token": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/settings/password").headers["location"].startswith("/login")


# ---------------------------------------------------------------- the change itself


def test_refused_changes_keep_the_flag(
    client: TestClient, make_user: Any, session: Session
) -> None:
    user = make_user("agent", password_change_required=True)
    assert login(client, user.email).status_code == 303
    form = _change_form(client)
    cases = {
        "wrong current": ({"current_password": "not the one I got"}, 403),
        "mismatch": ({"confirm_password": "something else entirely"}, 422),
        "kept as is": ({"new_password": PASSWORD, "confirm_password": PASSWORD}, 422),
        "too short": ({"new_password": "short", "confirm_password": "short"}, 422),
    }
    for name, (fields, status) in cases.items():
        response = client.post("/settings/password", data={**form, **fields})
        assert response.status_code == status, name
        assert 'role="alert"' in response.text and 'id="password-form"' in response.text, name
        assert 'name="next" value="/inbox"' in response.text, name
        assert _flag(session, user.id), name
    assert client.get("/inbox").status_code == 303
    failed = session.scalars(
        select(AuditLog).where(AuditLog.action == "user.password_change_failed")
    ).all()
    assert len(failed) == 1


def test_the_change_page_is_throttled_like_the_login(client: TestClient, make_user: Any) -> None:
    user = make_user("agent", password_change_required=True)
    assert login(client, user.email).status_code == 303
    wrong = {**_change_form(client), "current_password": "guess guess guess"}
    codes = [client.post("/settings/password", data=wrong).status_code for _ in range(6)]
    assert codes == [403] * 5 + [429]  # settings.login_max_attempts == 5
    last = client.post("/settings/password", data=_change_form(client))
    assert last.status_code == 429 and "Retry-After" in last.headers


@pytest.mark.parametrize(
    "next_url", ["//evil.example/x", "https://evil.example/", "/\\evil.example", ""]
)
def test_only_a_local_path_is_followed_after_the_change(
    client: TestClient, make_user: Any, next_url: str
) -> None:
    user = make_user("agent", password_change_required=True)
    assert login(client, user.email).status_code == 303
    form = {**_change_form(client), "next": next_url}
    done = client.post("/settings/password", data=form)
    assert done.status_code == 303 and done.headers["location"] == "/"


def test_a_user_changing_their_own_password_is_not_flagged(
    client: TestClient, signed_in: Any, session: Session
) -> None:
    me = signed_in("agent")
    csrf = csrf_from(client.get("/settings").text)
    form = {
        "csrf_token": csrf,
        "current_password": PASSWORD,
        "new_password": NEW,
        "confirm_password": NEW,
    }
    done = client.post("/settings/password", data=form)
    assert done.status_code == 303 and done.headers["location"] == "/settings?saved=password"
    assert not _flag(session, me.id)
    assert client.get("/inbox").status_code == 200


def test_the_change_page_speaks_every_language(client: TestClient, make_user: Any) -> None:
    titles = {
        "en": "Choose your own password",
        "fr": "Choisissez votre propre mot de passe",
        "es": "Elija su propia contraseña",
        "nl": "Kies uw eigen wachtwoord",
    }
    for locale, title in titles.items():
        user = make_user("agent", locale=locale, password_change_required=True)
        assert login(client, user.email).status_code == 303
        assert title in client.get("/settings/password").text, locale
        client.cookies.clear()


# ---------------------------------------------------------------- migration 0003


def test_migration_0003_upgrades_and_downgrades(tmp_path: Path) -> None:
    """Existing users are not flagged; going down and up again keeps them and what refers to
    them (on SQLite, copying ``users`` would drop it with foreign keys on)."""
    url = new_database_url(tmp_path)
    engine = make_engine(url)
    rows = [
        "INSERT INTO roles (name, description, permissions) VALUES ('agent', '', '[]')",
        "INSERT INTO users (id, email, name, password_hash, role_name, locale, is_active, skills,"
        " capacity, created_at) VALUES (1, 'old@example.com', 'Old', 'x', 'agent', 'en', :yes,"
        " '{}', 10, :at)",
        "INSERT INTO teams (id, name, created_at) VALUES (1, 'Care', :at)",
        "INSERT INTO team_members (team_id, user_id, is_lead) VALUES (1, 1, :yes)",
    ]
    flag = text("SELECT password_change_required FROM users WHERE email = 'old@example.com'")
    members = text("SELECT count(*) FROM team_members")
    try:
        upgrade_database(url, "0002")
        with engine.begin() as conn:
            for sql in rows:
                conn.execute(text(sql), {"yes": True, "at": "2026-01-01 00:00:00+00:00"})
        upgrade_database(url, "0003")
        with engine.connect() as conn:
            assert conn.scalar(flag) in (False, 0)  # nobody is locked out by the upgrade
        engine.dispose()
        command.downgrade(alembic_config(url), "0002")
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("users")}
            assert "password_change_required" not in columns
            assert conn.scalar(members) == 1
        engine.dispose()
        upgrade_database(url, "0003")
        with engine.connect() as conn:
            assert conn.scalar(flag) in (False, 0) and conn.scalar(members) == 1
    finally:
        engine.dispose()
        drop_database(url)
