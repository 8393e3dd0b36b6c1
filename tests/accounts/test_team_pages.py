"""Settings → Team and the editable profile: permissions, CSRF, escaping, one-time passwords."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.conftest import PASSWORD, csrf_from, login
from tocsin.accounts.models import Team, User, WebSession
from tocsin.accounts.passwords import verify_password
from tocsin.privacy.models import AuditLog

HOSTILE = '<script>alert("pwn")</script><img src=x onerror=alert(1)>'
_OTP = re.compile(r'<code id="one-time-password">([^<]+)</code>')


def test_only_user_managers_see_the_page_and_its_card(client: TestClient, signed_in: Any) -> None:
    signed_in("manager")
    assert "/settings/team" not in client.get("/settings").text
    assert client.get("/settings/team").status_code == 403
    csrf = csrf_from(client.get("/settings").text)
    response = client.post(
        "/settings/team/users", data={"csrf_token": csrf, "email": "x@example.com"}
    )
    assert response.status_code == 403


def test_add_an_agent_shows_the_one_time_password_once(
    client: TestClient, signed_in: Any, session: Session
) -> None:
    signed_in("admin")
    page = client.get("/settings")
    assert 'href="/settings/team"' in page.text
    csrf = csrf_from(client.get("/settings/team").text)
    form = {
        "csrf_token": csrf,
        "email": "pierre@example.com",
        "name": "Pierre",
        "role": "agent",
        "locale": "fr",
        "capacity": "4",
        "languages": ["fr", "nl"],
        "platforms": ["x", "bluesky"],
        "topics": "Billing, delivery",
    }
    added = client.post("/settings/team/users", data=form)
    assert added.status_code == 200, added.text
    otp = _OTP.search(added.text).group(1)
    assert 'data-copy="#one-time-password"' in added.text
    assert otp not in client.get("/settings/team").text  # shown once
    pierre = session.scalars(select(User).where(User.email == "pierre@example.com")).one()
    assert pierre.skills == {
        "languages": ["fr", "nl"],
        "platforms": ["x", "bluesky"],
        "topics": ["billing", "delivery"],
    }
    assert (
        pierre.capacity == 4
        and pierre.locale == "fr"
        and verify_password(pierre.password_hash, otp)
    )
    bad = client.post(
        "/settings/team/users", data={**form, "email": "p2@example.com", "languages": ["zz"]}
    )
    assert bad.status_code == 422 and "zz" in bad.text and 'role="alert"' in bad.text
    assert 'value="p2@example.com"' in bad.text  # the form keeps what was typed


def test_forms_need_the_csrf_token(client: TestClient, signed_in: Any) -> None:
    signed_in("admin")
    for url in (
        "/settings/team/users",
        "/settings/team/teams",
        "/settings/profile",
        "/settings/password",
    ):
        response = client.post(url, data={"email": "c@example.com", "name": "C"})
        assert response.status_code == 403, url


def test_a_hostile_name_is_escaped_everywhere(
    client: TestClient, signed_in: Any, make_user: Any
) -> None:
    signed_in("admin")
    make_user("agent", name=HOSTILE)
    csrf = csrf_from(client.get("/settings/team").text)
    client.post("/settings/team/teams", data={"csrf_token": csrf, "name": HOSTILE})
    html = client.get("/settings/team").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


def test_edit_deactivate_reactivate_and_reset(
    client: TestClient, signed_in: Any, make_user: Any, session: Session
) -> None:
    me = signed_in("admin")
    agent = make_user("agent")
    csrf = csrf_from(client.get("/settings/team").text)
    edit = {
        "csrf_token": csrf,
        "name": "Agent Smith",
        "role": "manager",
        "locale": "nl",
        "capacity": "12",
        "platforms": ["reddit"],
    }
    assert client.post(f"/settings/team/users/{agent.id}", data=edit).status_code == 303
    session.expire_all()
    row = session.get(User, agent.id)
    assert (row.name, row.role_name, row.locale, row.capacity) == (
        "Agent Smith",
        "manager",
        "nl",
        12,
    )
    assert row.skills == {"languages": [], "platforms": ["reddit"], "topics": []}
    assert (
        client.post(
            f"/settings/team/users/{agent.id}/deactivate", data={"csrf_token": csrf}
        ).status_code
        == 303
    )
    session.expire_all()
    assert session.get(User, agent.id).is_active is False
    assert (
        client.post(
            f"/settings/team/users/{agent.id}/reactivate", data={"csrf_token": csrf}
        ).status_code
        == 303
    )
    reset = client.post(
        f"/settings/team/users/{agent.id}/reset-password", data={"csrf_token": csrf}
    )
    otp = _OTP.search(reset.text).group(1)
    session.expire_all()
    assert verify_password(session.get(User, agent.id).password_hash, otp)
    own = client.post(f"/settings/team/users/{me.id}/deactivate", data={"csrf_token": csrf})
    assert own.status_code == 409 and "yourself" in own.text
    actions = {
        a.action
        for a in session.scalars(select(AuditLog).where(AuditLog.target_id == str(agent.id)))
    }
    assert {"user.updated", "user.password_reset"} <= actions


def test_teams_section(
    client: TestClient, signed_in: Any, make_user: Any, session: Session
) -> None:
    signed_in("admin")
    agent = make_user("agent", name="Nina")
    csrf = csrf_from(client.get("/settings/team").text)
    assert (
        client.post(
            "/settings/team/teams", data={"csrf_token": csrf, "name": "Weekend"}
        ).status_code
        == 303
    )
    team_id = session.scalars(select(Team.id).where(Team.name == "Weekend")).one()
    dup = client.post("/settings/team/teams", data={"csrf_token": csrf, "name": "weekend"})
    assert dup.status_code == 409
    base = f"/settings/team/teams/{team_id}"
    client.post(f"{base}/members", data={"csrf_token": csrf, "user_id": str(agent.id)})
    client.post(f"{base}/members/{agent.id}/lead", data={"csrf_token": csrf, "is_lead": "1"})
    client.post(f"{base}/rename", data={"csrf_token": csrf, "name": "Weekend care"})
    session.expire_all()
    team = session.get(Team, team_id)
    assert team.name == "Weekend care" and [(m.user_id, m.is_lead) for m in team.members] == [
        (agent.id, True)
    ]
    client.post(f"{base}/members/{agent.id}/remove", data={"csrf_token": csrf})
    client.post(f"{base}/delete", data={"csrf_token": csrf})
    session.expire_all()
    assert session.get(Team, team_id) is None


def test_profile_name_and_locale(client: TestClient, signed_in: Any, session: Session) -> None:
    me = signed_in("viewer")
    csrf = csrf_from(client.get("/settings").text)
    saved = client.post(
        "/settings/profile", data={"csrf_token": csrf, "name": "  Véro  Nique ", "locale": "es"}
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=profile"
    session.expire_all()
    row = session.get(User, me.id)
    assert (row.name, row.locale) == ("Véro Nique", "es")
    page = client.get("/settings?saved=profile").text
    assert "Perfil guardado." in page and 'lang="es"' in page
    bad = client.post("/settings/profile", data={"csrf_token": csrf, "name": "", "locale": "es"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    assert (
        client.post(
            "/settings/profile", data={"csrf_token": csrf, "name": "V", "locale": "xx"}
        ).status_code
        == 422
    )


def test_password_change_needs_the_current_one_and_is_throttled(
    client: TestClient, signed_in: Any, app: Any, session: Session
) -> None:
    me = signed_in("agent")
    with TestClient(app, follow_redirects=False) as other_browser:
        assert login(other_browser, me.email).status_code == 303
        csrf = csrf_from(client.get("/settings").text)
        form = {
            "csrf_token": csrf,
            "current_password": PASSWORD,
            "new_password": "a brand new secret",
            "confirm_password": "a brand new secret",
        }
        assert (
            client.post(
                "/settings/password", data={**form, "confirm_password": "different!!"}
            ).status_code
            == 422
        )
        assert (
            client.post(
                "/settings/password",
                data={**form, "new_password": "short", "confirm_password": "short"},
            ).status_code
            == 422
        )
        assert client.post("/settings/password", data=form).status_code == 303
        assert other_browser.get("/settings").status_code == 303  # the other session was ended
    assert client.get("/settings").status_code == 200  # this one stays
    assert len(session.scalars(select(WebSession).where(WebSession.user_id == me.id)).all()) == 1
    wrong = {
        **form,
        "current_password": "not my password",
        "new_password": "x" * 12,
        "confirm_password": "x" * 12,
    }
    codes = [client.post("/settings/password", data=wrong).status_code for _ in range(6)]
    assert codes[:5] == [403] * 5 and codes[5] == 429  # settings.login_max_attempts == 5
    audit = session.scalars(select(AuditLog).where(AuditLog.action.like("user.password%"))).all()
    assert all("brand new" not in str(a.detail) for a in audit)
