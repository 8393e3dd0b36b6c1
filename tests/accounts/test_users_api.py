"""``/api/v1/users`` and ``/api/v1/teams``: permissions, validation, last admin, deactivation."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.accounts.helpers import assigned_case, bearer
from tests.web.conftest import login
from tocsin.accounts.models import User, WebSession
from tocsin.privacy.models import AuditLog


def _admin(make_user: Any, make_token: Any, **kw: Any) -> tuple[User, dict[str, str]]:
    admin = make_user("admin", **kw)
    return admin, bearer(make_token(admin, ["users:manage", "posts:read"]))


def test_agents_and_narrow_tokens_are_refused(
    client: TestClient, make_user: Any, make_token: Any
) -> None:
    agent = make_user("agent")
    admin = make_user("admin")
    narrow = bearer(make_token(admin, ["posts:read"]))
    for headers in (bearer(make_token(agent, ["posts:read"])), narrow):
        for method, url in (
            ("GET", "/api/v1/users"),
            ("POST", "/api/v1/teams"),
            ("PATCH", "/api/v1/users/1"),
        ):
            response = client.request(method, url, headers=headers, json={"name": "x"})
            assert response.status_code == 403, (method, url, response.text)
            assert response.headers["content-type"] == "application/problem+json"


def test_create_with_a_one_time_password_then_sign_in_with_it(
    client: TestClient, make_user: Any, make_token: Any, session: Session
) -> None:
    _, headers = _admin(make_user, make_token)
    body = {
        "email": "Lea@Example.com",
        "name": "Léa",
        "locale": "fr",
        "skills": {
            "languages": ["fr", "nl"],
            "platforms": ["x", "facebook"],
            "topics": ["Billing"],
        },
        "capacity": 6,
    }
    created = client.post("/api/v1/users", json=body, headers=headers)
    assert created.status_code == 201, created.text
    data = created.json()
    otp = data.pop("one_time_password")
    assert data["email"] == "lea@example.com" and data["role"] == "agent"
    assert data["skills"] == {
        "languages": ["fr", "nl"],
        "platforms": ["x", "facebook"],
        "topics": ["billing"],
    }
    assert client.get(f"/api/v1/users/{data['id']}", headers=headers).json() == data
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "user.created")).all()[-1]
    assert otp not in str(audit.detail) and audit.target_id == str(data["id"])
    assert login(client, "lea@example.com", otp).status_code == 303


def test_validation_errors_point_at_the_fields(
    client: TestClient, make_user: Any, make_token: Any
) -> None:
    _, headers = _admin(make_user, make_token)
    bad = {
        "email": "z@example.com",
        "password": "Pw&9zq",
        "locale": "de",
        "capacity": 0,
        "skills": {"languages": ["en", "klingon"], "platforms": ["myspace"], "topics": ["t" * 41]},
    }
    response = client.post("/api/v1/users", json=bad, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert {
        "/password",
        "/locale",
        "/capacity",
        "/skills/languages",
        "/skills/platforms",
        "/skills/topics",
    } <= fields
    assert "Pw&9zq" not in response.text  # the password is never echoed
    role = client.post(
        "/api/v1/users", json={"email": "r@example.com", "role": "boss"}, headers=headers
    )
    assert role.status_code == 422 and role.json()["errors"][0]["field"] == "/role"
    again = client.post("/api/v1/users", json={"email": "dup@example.com"}, headers=headers)
    assert again.status_code == 201
    dup = client.post("/api/v1/users", json={"email": "DUP@example.com"}, headers=headers)
    assert dup.status_code == 409 and dup.json()["errors"][0]["field"] == "/email"
    patch = client.patch(
        f"/api/v1/users/{again.json()['id']}", json={"password": "x" * 12}, headers=headers
    )
    assert patch.status_code == 422  # passwords change through reset-password, not PATCH
    assert client.get("/api/v1/users/999999", headers=headers).status_code == 404


def test_last_admin_is_protected(
    client: TestClient, make_user: Any, make_token: Any, session: Session
) -> None:
    admin, headers = _admin(make_user, make_token)
    for other in session.scalars(
        select(User).where(User.role_name == "admin", User.id != admin.id)
    ):
        other.is_active = False
    session.commit()
    demote = client.patch(f"/api/v1/users/{admin.id}", json={"role": "agent"}, headers=headers)
    assert demote.status_code == 409, demote.text
    assert demote.json()["type"].endswith("/conflict")
    second = client.post(
        "/api/v1/users", json={"email": "boss2@example.com", "role": "admin"}, headers=headers
    )
    sid = second.json()["id"]
    assert (
        client.patch(
            f"/api/v1/users/{admin.id}", json={"role": "manager"}, headers=headers
        ).status_code
        == 200
    )
    # the admin's token now lacks users:manage through the role: 403, not a silent success
    assert (
        client.patch(f"/api/v1/users/{sid}", json={"is_active": False}, headers=headers).status_code
        == 403
    )


def test_deactivation_ends_sessions_revokes_tokens_and_requeues_cases(
    client: TestClient,
    app: Any,
    make_user: Any,
    make_token: Any,
    make_post: Any,
    session: Session,
) -> None:
    _, headers = _admin(make_user, make_token)
    agent = make_user("agent", email="leaving@example.com")
    agent_token = bearer(make_token(agent, ["posts:read"]))
    with TestClient(app, follow_redirects=False) as browser:
        assert login(browser, agent.email).status_code == 303
        assert browser.get("/settings").status_code == 200
        agent_row = session.get(User, agent.id)
        case = assigned_case(session, make_post, agent_row, handle="dora")
        session.commit()
        assert client.get("/api/v1/posts", headers=agent_token).status_code == 200

        response = client.patch(
            f"/api/v1/users/{agent.id}", json={"is_active": False}, headers=headers
        )
        assert response.status_code == 200 and response.json()["is_active"] is False

        assert browser.get("/settings").status_code == 303  # signed out
    assert client.get("/api/v1/posts", headers=agent_token).status_code == 401
    session.expire_all()
    assert session.scalars(select(WebSession).where(WebSession.user_id == agent.id)).all() == []
    assert session.get(type(case), case.id).assignee_id is None
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "user.updated")).all()[-1]
    assert audit.detail["cases_handed_on"] == 1 and audit.detail["tokens_revoked"] == 1
    assert login(client, agent.email).status_code == 401


def test_reset_password_returns_a_one_time_password(
    client: TestClient, make_user: Any, make_token: Any
) -> None:
    _, headers = _admin(make_user, make_token)
    agent = make_user("agent")
    reset = client.post(f"/api/v1/users/{agent.id}/reset-password", headers=headers)
    assert reset.status_code == 200
    otp = reset.json()["one_time_password"]
    assert login(client, agent.email).status_code == 401  # the old password is gone
    assert login(client, agent.email, otp).status_code == 303


def test_list_filters(client: TestClient, make_user: Any, make_token: Any) -> None:
    _, headers = _admin(make_user, make_token)
    viewer = make_user("viewer", email="vera@example.com")
    team = client.post("/api/v1/teams", json={"name": "Vera's team"}, headers=headers).json()
    client.put(f"/api/v1/teams/{team['id']}/members/{viewer.id}", headers=headers)
    by_role = client.get("/api/v1/users", params={"role": "viewer"}, headers=headers).json()
    assert {u["email"] for u in by_role} >= {"vera@example.com"}
    assert all(u["role"] == "viewer" for u in by_role)
    by_team = client.get("/api/v1/users", params={"team": team["id"]}, headers=headers).json()
    assert [u["email"] for u in by_team] == ["vera@example.com"]
    client.patch(f"/api/v1/users/{viewer.id}", json={"is_active": False}, headers=headers)
    inactive = client.get("/api/v1/users", params={"active": "false"}, headers=headers).json()
    assert "vera@example.com" in {u["email"] for u in inactive}
    active = client.get("/api/v1/users", params={"active": "true"}, headers=headers).json()
    assert "vera@example.com" not in {u["email"] for u in active}


def test_teams_crud_and_members(client: TestClient, make_user: Any, make_token: Any) -> None:
    _, headers = _admin(make_user, make_token)
    lead, agent = make_user("manager"), make_user("agent")
    created = client.post("/api/v1/teams", json={"name": "Care NL"}, headers=headers)
    assert created.status_code == 201
    tid = created.json()["id"]
    assert (
        client.post("/api/v1/teams", json={"name": "care nl"}, headers=headers).status_code == 409
    )
    assert client.post("/api/v1/teams", json={"name": ""}, headers=headers).status_code == 422
    team = client.put(
        f"/api/v1/teams/{tid}/members/{lead.id}", json={"is_lead": True}, headers=headers
    ).json()
    team = client.put(f"/api/v1/teams/{tid}/members/{agent.id}", headers=headers).json()
    assert [(m["user_id"], m["is_lead"]) for m in team["members"]] == [
        (lead.id, True),
        (agent.id, False),
    ]
    renamed = client.patch(f"/api/v1/teams/{tid}", json={"name": "Care Benelux"}, headers=headers)
    assert renamed.json()["name"] == "Care Benelux"
    assert (
        client.delete(f"/api/v1/teams/{tid}/members/{agent.id}", headers=headers).status_code == 204
    )
    assert (
        client.delete(f"/api/v1/teams/{tid}/members/{agent.id}", headers=headers).status_code == 404
    )
    assert [
        m["user_id"] for m in client.get(f"/api/v1/teams/{tid}", headers=headers).json()["members"]
    ] == [lead.id]
    assert client.delete(f"/api/v1/teams/{tid}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/teams/{tid}", headers=headers).status_code == 404
