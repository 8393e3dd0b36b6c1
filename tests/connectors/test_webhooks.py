"""Done-when: the Meta webhook stores a valid delivery once and refuses forged and replayed ones."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.connectors.meta.webhook import sign_body
from tocsin.ingestion.models import Post, RawPayload
from tocsin.notifications.senders import sign
from tocsin.privacy.models import AuditLog

APP_SECRET = "meta-app-secret-for-tests-0001"
VERIFY = "verify-me-please"


def page_comment(comment_id: str, message: str, *, at: int | None = None) -> dict[str, Any]:
    """A Page ``feed`` change for a new comment, shaped as Meta documents it."""
    now = at or int(time.time())
    return {
        "object": "page",
        "entry": [
            {
                "id": "1000001",
                "time": now,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "from": {"id": "2000002", "name": "Ana Example"},
                            "post": {"status_type": "added_photos", "is_published": True},
                            "message": message,
                            "post_id": "1000001_3000003",
                            "comment_id": comment_id,
                            "parent_id": "1000001_3000003",
                            "created_time": now,
                            "item": "comment",
                            "verb": "add",
                        },
                    }
                ],
            }
        ],
    }


@pytest.fixture
def meta_source(session_factory: sessionmaker[Session], make_source) -> int:
    return make_source(
        session_factory, "meta", credentials={"app_secret": APP_SECRET, "verify_token": VERIFY}
    )


def _post(web: TestClient, payload: dict[str, Any], secret: str = APP_SECRET, **kw: Any):
    body = kw.pop("body", None) or json.dumps(payload).encode()
    signature = kw.pop("signature", None) or sign_body(secret, body)
    return web.post(
        "/webhooks/meta",
        content=body,
        headers={"X-Hub-Signature-256": signature, "Content-Type": "application/json"},
    )


def test_subscription_challenge(web: TestClient, meta_source: int) -> None:
    ok = web.get(
        "/webhooks/meta",
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "8731"},
    )
    assert ok.status_code == 200 and ok.text == "8731"
    bad = web.get(
        "/webhooks/meta",
        params={"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "8731"},
    )
    assert bad.status_code == 401


def test_valid_forged_altered_and_replayed_deliveries(
    web: TestClient,
    meta_source: int,
    session_factory: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    payload = page_comment("3000003_4000004", "Acme, my refund is three weeks late")
    body = json.dumps(payload).encode()
    caplog.set_level(logging.WARNING, logger="tocsin.connectors.webhook_views")

    assert _post(web, payload).status_code == 200

    forged = _post(web, payload, secret="not-the-app-secret")
    altered_body = body.replace(b"three weeks", b"two days")
    altered = _post(web, payload, body=altered_body, signature=sign_body(APP_SECRET, body))
    replayed = _post(web, payload)
    unsigned = web.post("/webhooks/meta", content=body)
    for response in (forged, altered, replayed, unsigned):
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
    assert "replayed delivery" in replayed.json()["detail"]
    assert "bad signature" in forged.json()["detail"]

    with session_factory() as s:
        posts = s.scalars(select(Post).where(Post.platform == "facebook")).all()
        raws = s.scalars(select(RawPayload).where(RawPayload.platform == "meta")).all()
        refusals = s.scalars(select(AuditLog).where(AuditLog.action == "webhook.refused")).all()
    assert [(p.external_id, p.text, p.kind) for p in posts] == [
        ("3000003_4000004", "Acme, my refund is three weeks late", "comment")
    ]
    assert posts[0].parent_external_id == "1000001_3000003"
    assert len(raws) == 1 and raws[0].source_id == meta_source
    assert len(refusals) == 4
    logged = [r.getMessage() for r in caplog.records]
    assert sum("meta webhook refused" in m for m in logged) == 4


def test_stale_delivery_is_refused(web: TestClient, meta_source: int) -> None:
    old = page_comment("3000003_5", "old news", at=int(time.time()) - 3 * 86400)
    response = _post(web, old)
    assert response.status_code == 401
    assert "stale" in response.json()["detail"]


def test_instagram_comment_and_mention(
    web: TestClient, meta_source: int, session_factory: sessionmaker[Session]
) -> None:
    now = int(time.time())
    payload = {
        "object": "instagram",
        "entry": [
            {
                "id": "17841400000000001",
                "time": now,
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "from": {"id": "9001", "username": "ana.example"},
                            "media": {"id": "17900000000000002", "media_product_type": "FEED"},
                            "id": "17900000000000003",
                            "text": "@acme is this back in stock?",
                        },
                    },
                    {
                        "field": "mentions",
                        "value": {
                            "media_id": "17900000000000004",
                            "comment_id": "17900000000000005",
                        },
                    },
                ],
            }
        ],
    }
    assert _post(web, payload).status_code == 200
    with session_factory() as s:
        posts = {
            p.external_id: p for p in s.scalars(select(Post).where(Post.platform == "instagram"))
        }
    assert posts["17900000000000003"].text == "@acme is this back in stock?"
    assert posts["17900000000000003"].thread_external_id == "17900000000000002"
    assert "17900000000000005" in posts


def test_generic_inbound_webhook(
    web: TestClient, session_factory: sessionmaker[Session], make_source
) -> None:
    secret = "inbound-secret-0123456789"
    source_id = make_source(session_factory, "webhook", credentials={"secret": secret})
    post = {
        "platform": "review",
        "external_id": "shop-review-1",
        "text": "Acme kettle stopped working after a week",
        "created_at": "2026-03-01T09:00:00Z",
        "author": {"handle": "reviewer-1"},
    }
    body = json.dumps({"posts": [post]}).encode()
    url = f"/webhooks/inbound/{source_id}"
    headers = {"X-Tocsin-Signature": sign(secret, body)}
    assert web.post(url, content=body, headers=headers).status_code == 202
    assert web.post(url, content=body, headers=headers).status_code == 401  # replay
    stale = {"X-Tocsin-Signature": sign(secret, body, timestamp=int(time.time()) - 3600)}
    assert web.post(url, content=body, headers=stale).status_code == 401
    wrong = {"X-Tocsin-Signature": sign("other", body)}
    assert web.post(url, content=body, headers=wrong).status_code == 401
    assert web.post("/webhooks/inbound/999999", content=body, headers=headers).status_code == 401
    bad = json.dumps({"posts": [{**post, "created_at": "yesterday"}]}).encode()
    response = web.post(url, content=bad, headers={"X-Tocsin-Signature": sign(secret, bad)})
    assert response.status_code == 422
    with session_factory() as s:
        stored = s.scalars(select(Post).where(Post.platform == "review")).all()
    assert [p.external_id for p in stored] == ["shop-review-1"]
    assert stored[0].source_id == source_id
