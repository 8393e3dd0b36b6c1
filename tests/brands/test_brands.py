"""Managing brands through the service, the API, the settings page and the CLI."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tocsin.accounts.service import create_user
from tocsin.accounts.tokens import create_token
from tocsin.brands.models import Brand
from tocsin.brands.schemas import BrandCreate
from tocsin.brands.service import BrandError, create_brand
from tocsin.privacy.models import AuditLog
from tocsin.web.app import create_app


def test_a_competitor_must_point_at_one_of_our_brands(session):
    create_brand(session=session, data=BrandCreate(slug="lumio", name="Lumio"))
    create_brand(
        session=session, data=BrandCreate(slug="veltra", name="Veltra", competitor_of="lumio")
    )
    with pytest.raises(BrandError, match="one of our brands"):
        create_brand(
            session=session, data=BrandCreate(slug="x2", name="X2", competitor_of="veltra")
        )
    with pytest.raises(BrandError, match="already exists"):
        create_brand(session=session, data=BrandCreate(slug="lumio", name="Lumio again"))


def test_a_broken_query_is_refused_with_its_position(session):
    with pytest.raises(BrandError) as caught:
        create_brand(
            session=session, data=BrandCreate(slug="acme", name="Acme", query="acme AND (x")
        )
    assert caught.value.field == "/query"


def test_bad_time_zone_and_language_are_refused():
    with pytest.raises(ValueError, match="Europe/Paris"):
        BrandCreate(slug="a", name="A", time_zone="Paris")
    with pytest.raises(ValueError, match="language code"):
        BrandCreate(slug="a", name="A", languages=["French"])


@pytest.fixture
def manager_client(session, session_factory, settings):
    user = create_user(
        session=session, email="m@example.com", password="a-long-password-1", role="manager"
    )
    issued = create_token(
        session=session, user=user, name="t", scopes=["brands:manage", "listening:read"]
    )
    session.commit()
    client = TestClient(create_app(settings, session_factory=session_factory))
    client.headers["Authorization"] = f"Bearer {issued.secret}"
    return client


def test_api_create_read_update_delete_with_audit(manager_client, session):
    created = manager_client.post(
        "/api/v1/brands",
        json={
            "slug": "lumio",
            "name": "Lumio",
            "handles": [{"platform": "x", "handle": "@LumioCare"}],
            "languages": ["fr", "nl"],
            "time_zone": "Europe/Paris",
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["handles"] == [{"platform": "x", "handle": "LumioCare"}]
    assert "@LumioCare" in created.json()["effective_query"]

    changed = manager_client.patch("/api/v1/brands/lumio", json={"query": 'lumio OR "lumio box"'})
    assert changed.json()["effective_query"] == 'lumio OR "lumio box"'
    bad = manager_client.patch("/api/v1/brands/lumio", json={"query": "lumio AND ("})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "/query"
    assert manager_client.get("/api/v1/brands/lumio").json()["query"] == 'lumio OR "lumio box"'

    assert (
        manager_client.post("/api/v1/brands", json={"slug": "Bad Slug", "name": "x"}).status_code
        == 422
    )
    assert manager_client.delete("/api/v1/brands/lumio").status_code == 204
    assert manager_client.get("/api/v1/brands/lumio").status_code == 404
    actions = set(session.scalars(select(AuditLog.action)))
    assert {"brand.create", "brand.update", "brand.delete"} <= actions


def test_agents_cannot_manage_brands(session, session_factory, settings):
    user = create_user(
        session=session, email="a@example.com", password="a-long-password-1", role="agent"
    )
    issued = create_token(session=session, user=user, name="t", scopes=["listening:read"])
    session.commit()
    client = TestClient(create_app(settings, session_factory=session_factory))
    response = client.post(
        "/api/v1/brands",
        json={"slug": "x", "name": "X"},
        headers={"Authorization": f"Bearer {issued.secret}"},
    )
    assert response.status_code == 403
    assert session.scalar(select(Brand)) is None
