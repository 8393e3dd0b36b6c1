# ruff: noqa: F811 - the web fixtures are imported, and tests take them as arguments
"""Listening and fact-sheet routes through the app: permissions, filters, problems, PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.listening.factories import NOW, brands, post
from tests.web.conftest import (  # noqa: F401 - fixtures
    app,
    client,
    csrf_from,
    fast_password_hashing,
    make_user,
    signed_in,
)
from tocsin.accounts.models import User
from tocsin.claims.service import create_claim, match_posts_to_claims
from tocsin.listening.rollups import rollup_posts


def _seed(factory: sessionmaker[Session]) -> dict[str, int]:
    with factory() as s:
        ours, _ = brands(s)
        ids = [
            post(
                s, "Lumio parcel late #fail", sentiment="negative", at=NOW - timedelta(hours=2)
            ).id,
            post(s, "Lumio vend vos données aux annonceurs", lang="fr", sentiment="negative").id,
            post(s, "Nordel is fine", sentiment="positive").id,
        ]
        rollup_posts(session=s, post_ids=ids, now=NOW)
        claim = create_claim(
            session=s,
            brand_id=ours.id,
            statement="Lumio sells your personal data to advertisers",
            verdict="false",
            corrections={"fr": "Lumio ne vend pas vos données."},
            source_url="https://lumio.example/privacy",
            keywords=["données", "vend"],
        )
        match_posts_to_claims(session=s, post_ids=ids)
        s.commit()
        return {"brand": ours.id, "claim": claim.id, "post": ids[1]}


def test_dashboard_api_and_page(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    seeded = _seed(session_factory)
    signed_in("viewer")
    query = f"brand={seeded['brand']}&since=2026-03-09&until=2026-03-10"
    data = client.get(f"/api/v1/listening/dashboard?{query}").json()
    assert data["total"] == 2 and data["sentiment"]["negative"] == 2
    assert [s["name"] for s in data["share_of_voice"]] == ["Lumio", "Nordel"]
    bad = client.get("/api/v1/listening/dashboard?since=yesterday")
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert client.get("/api/v1/listening/dashboard?brand=999").status_code == 404
    page = client.get(f"/listening?{query}")
    assert page.status_code == 200 and 'id="dashboard-data"' in page.text
    pdf = client.get(f"/listening/report.pdf?{query}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    badge = client.get(f"/api/v1/posts/{seeded['post']}/claims").json()
    assert badge["misinformed"] and badge["claims"][0]["keywords"]
    assert client.get(f"/claims/{seeded['claim']}").status_code == 200
    denied = client.post("/api/v1/claims", json={})
    assert denied.status_code in (403, 422)


def test_manager_approves_a_correction_through_the_api(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    _seed(session_factory)
    signed_in("manager")
    csrf = csrf_from(client.get("/settings").text)
    pending = client.get("/api/v1/claims/corrections").json()
    assert len(pending) == 1 and pending[0]["lang"] == "fr"
    assert "Source: https://lumio.example/privacy" in pending[0]["text"]
    url = f"/api/v1/claims/corrections/{pending[0]['id']}/decision"
    done = client.post(url, json={"approve": True}, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    again = client.post(url, json={"approve": False}, headers={"X-CSRF-Token": csrf})
    assert again.status_code == 409
