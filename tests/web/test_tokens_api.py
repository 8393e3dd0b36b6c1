"""API tokens: scopes intersected with roles, revocation, expiry, last use, audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import csrf_from, post_payload
from tocsin.accounts.models import ApiToken, User
from tocsin.privacy.models import AuditLog
from tocsin.types import utcnow


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_scope_limits_what_a_token_can_do(
    client: TestClient, make_user: Callable[..., User], make_token: Callable[..., str]
) -> None:
    manager = make_user("manager")
    reader = _bearer(make_token(manager, ["posts:read"]))
    assert client.get("/api/v1/posts", headers=reader).status_code == 200
    refused = client.post("/api/v1/posts", json=[post_payload(1)], headers=reader)
    assert refused.status_code == 403
    assert "posts:write" in refused.json()["detail"]


def test_role_limits_a_token_even_with_the_scope(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    user = make_user("manager")
    writer = _bearer(make_token(user, ["posts:write"]))
    with session_factory() as s:
        s.get(User, user.id).role_name = "agent"  # demoted: agents cannot write posts
        s.commit()
    assert client.post("/api/v1/posts", json=[], headers=writer).status_code == 403


def test_revoked_expired_and_inactive_tokens_are_refused(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    user = make_user("viewer")
    secret = make_token(user, ["posts:read"])
    assert client.get("/api/v1/posts", headers=_bearer(secret)).status_code == 200
    with session_factory() as s:
        token = s.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
        assert token.last_used_at is not None
        assert secret.split("_", 2)[2] not in token.token_hash  # only the hash is stored
        token.expires_at = utcnow() - timedelta(minutes=1)
        s.commit()
    assert client.get("/api/v1/posts", headers=_bearer(secret)).status_code == 401
    other = make_token(user, ["posts:read"])
    with session_factory() as s:
        s.get(User, user.id).is_active = False
        s.commit()
    assert client.get("/api/v1/posts", headers=_bearer(other)).status_code == 401


def test_a_tampered_secret_is_refused(
    client: TestClient, make_user: Callable[..., User], make_token: Callable[..., str]
) -> None:
    secret = make_token(make_user("viewer"), ["posts:read"])
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert client.get("/api/v1/posts", headers=_bearer(tampered)).status_code == 401


def test_token_lifecycle_through_the_api(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    user = make_user("agent")
    admin_token = _bearer(make_token(user, ["tokens:manage", "posts:read"]))
    created = client.post(
        "/api/v1/tokens",
        json={"name": "nightly", "scopes": ["posts:read"], "expires_in_days": 30},
        headers=admin_token,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["token"].startswith(f"tcs_{body['prefix']}_")
    new = _bearer(body["token"])
    assert client.get("/api/v1/posts", headers=new).status_code == 200
    listed = client.get("/api/v1/tokens", headers=admin_token).json()
    assert {t["name"] for t in listed} == {"test", "nightly"}
    assert all("token" not in t for t in listed)
    assert client.delete(f"/api/v1/tokens/{body['id']}", headers=admin_token).status_code == 204
    assert client.get("/api/v1/posts", headers=new).status_code == 401
    with session_factory() as s:
        actions = list(s.scalars(select(AuditLog.action)))
    assert actions.count("token.created") == 1
    assert actions.count("token.revoked") == 1


def test_token_creation_refuses_bad_or_wider_scopes(
    client: TestClient, make_user: Callable[..., User], make_token: Callable[..., str]
) -> None:
    agent = make_user("agent")
    headers = _bearer(make_token(agent, ["tokens:manage"]))
    for scopes in (["posts:read"], ["everything"], []):
        response = client.post(
            "/api/v1/tokens", json={"name": "x", "scopes": scopes}, headers=headers
        )
        assert response.status_code in (403, 422), scopes
    viewer = make_user("viewer")
    assert (
        client.get(
            "/api/v1/tokens", headers=_bearer(make_token(viewer, ["posts:read"]))
        ).status_code
        == 403
    )


def test_cannot_revoke_someone_elses_token(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    alice, bob = make_user("agent"), make_user("agent")
    make_token(bob, ["posts:read"])
    with session_factory() as s:
        bob_token = s.scalar(select(ApiToken).where(ApiToken.user_id == bob.id))
    headers = _bearer(make_token(alice, ["tokens:manage"]))
    assert client.delete(f"/api/v1/tokens/{bob_token.id}", headers=headers).status_code == 404


def test_token_page_shows_the_secret_once_and_revokes(
    client: TestClient, signed_in: Callable[..., User]
) -> None:
    signed_in("agent")
    page = client.get("/settings")
    created = client.post(
        "/settings/tokens",
        data={
            "csrf_token": csrf_from(page.text),
            "name": "import <b>",
            "scopes": ["posts:read"],
            "expires_in_days": "90",
        },
    )
    assert created.status_code == 200
    assert 'id="new-token">tcs_' in created.text
    assert "import &lt;b&gt;" in created.text
    again = client.get("/settings").text
    assert 'id="new-token"' not in again
    token_id = again.split("/settings/tokens/")[1].split("/")[0]
    revoked = client.post(
        f"/settings/tokens/{token_id}/revoke", data={"csrf_token": csrf_from(again)}
    )
    assert revoked.status_code == 303
    assert "Revoked" in client.get("/settings").text
