"""Outbound replies: each platform's documented call, and one post per idempotency key."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.connectors.base import OutboundReply, PublishError
from tocsin.connectors.fake import FakePublisher
from tocsin.connectors.ledger import LedgerPublisher
from tocsin.connectors.registry import publisher_for
from tocsin.connectors.service import create_source


class FakeMastodonServer:
    """A MockTransport handler that posts statuses (it does NOT dedupe by itself)."""

    def __init__(self) -> None:
        self.posted: list[dict[str, Any]] = []
        self.keys: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/v1/statuses" and request.method == "POST"
        assert request.headers["authorization"] == "Bearer user-token"
        self.keys.append(request.headers["idempotency-key"])
        body = json.loads(request.content)
        self.posted.append(body)
        status_id = str(111_000 + len(self.posted))
        return httpx.Response(
            200,
            json={
                "id": status_id,
                "url": f"https://fake.social/@acme/{status_id}",
                "created_at": "2026-03-01T09:00:00.000Z",
                "content": body["status"],
            },
        )


def _reply(key: str = "reply:42", **kw: Any) -> OutboundReply:
    values: dict[str, Any] = {
        "idempotency_key": key,
        "platform": "mastodon",
        "in_reply_to": "fake.social/1100",
        "text": "@ana we're on it",
    }
    values.update(kw)
    return OutboundReply(**values)


@pytest.fixture
def mastodon_source(session: Session, settings: Settings) -> int:
    source = create_source(
        session=session,
        settings=settings,
        name="fedi",
        platform="mastodon",
        options={"instance": "https://fake.social"},
        credentials={"access_token": "user-token"},
    )
    session.commit()
    return source.id


def test_same_idempotency_key_posts_once(
    session_factory: sessionmaker[Session], settings: Settings, mastodon_source: int
) -> None:
    server = FakeMastodonServer()
    transport = httpx.MockTransport(server)
    with session_factory() as s:
        publisher = publisher_for(s, "mastodon", settings=settings, transport=transport)
        assert isinstance(publisher, LedgerPublisher)
        first = publisher.publish(_reply())
        again = publisher.publish(_reply())
        s.commit()
    with session_factory() as s:  # a retry from another worker, after a restart
        later = publisher_for(s, "mastodon", settings=settings, transport=transport).publish(
            _reply()
        )
        other = publisher_for(s, "mastodon", settings=settings, transport=transport).publish(
            _reply("reply:43")
        )
    assert len(server.posted) == 2
    assert server.posted[0] == {
        "status": "@ana we're on it",
        "visibility": "public",
        "in_reply_to_id": "1100",
    }
    assert server.keys == ["reply:42", "reply:43"]
    assert not first.already_published and again.already_published and later.already_published
    assert first.external_id == again.external_id == later.external_id == "fake.social/111001"
    assert other.external_id == "fake.social/111002"


def test_no_configured_source_falls_back_to_the_fake(
    session: Session, caplog: pytest.LogCaptureFixture, settings: Settings
) -> None:
    publisher = publisher_for(session, "x", brand_id=3, settings=settings)
    assert isinstance(publisher, FakePublisher) and publisher.platform == "x"
    assert "fake publisher" in caplog.text


def _ctx(**settings: Any):
    from tocsin.connectors.spec import ConnectorContext

    creds = settings.pop("credentials", {})
    return lambda handler: ConnectorContext(
        settings=settings,
        credentials=creds,
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
    )


def test_x_bluesky_reddit_and_meta_replies() -> None:
    from tocsin.connectors.bluesky.publisher import BlueskyPublisher
    from tocsin.connectors.meta.publisher import MetaPublisher
    from tocsin.connectors.reddit.publisher import RedditPublisher
    from tocsin.connectors.x.publisher import XPublisher

    seen: list[tuple[str, str, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, request.content))
        path = request.url.path
        if path == "/2/tweets":
            return httpx.Response(201, json={"data": {"id": "1790000000000000009", "text": "x"}})
        if path.endswith("createSession"):
            return httpx.Response(
                200,
                json={
                    "accessJwt": "j",
                    "refreshJwt": "r",
                    "did": "did:plc:acme",
                    "handle": "acme.test",
                },
            )
        if path.endswith("getPosts"):
            return httpx.Response(
                200,
                json={
                    "posts": [
                        {
                            "uri": "at://did:plc:a/app.bsky.feed.post/1",
                            "cid": "c1",
                            "record": {"text": "t"},
                        }
                    ]
                },
            )
        if path.endswith("createRecord"):
            return httpx.Response(
                200, json={"uri": "at://did:plc:acme/app.bsky.feed.post/9", "cid": "c9"}
            )
        if path == "/api/v1/access_token":
            assert b"grant_type=password" in request.content
            return httpx.Response(200, json={"access_token": "tok"})
        if path == "/api/comment":
            return httpx.Response(
                200,
                json={
                    "json": {
                        "errors": [],
                        "data": {
                            "things": [
                                {
                                    "kind": "t1",
                                    "data": {"name": "t1_new", "permalink": "/r/a/comments/x/y/"},
                                }
                            ]
                        },
                    }
                },
            )
        if path.endswith(("/replies", "/comments", "/mentions")):
            return httpx.Response(200, json={"id": "17900000000000099"})
        return httpx.Response(404)

    x = XPublisher(_ctx(credentials={"user_access_token": "u"})(handler)).publish(
        OutboundReply("k1", "x", "1790000000000000001", "Sorry Ana")
    )
    assert x.external_id == "1790000000000000009"
    assert json.loads(seen[-1][2]) == {
        "text": "Sorry Ana",
        "reply": {"in_reply_to_tweet_id": "1790000000000000001"},
    }
    bsky = BlueskyPublisher(
        _ctx(credentials={"handle": "acme.test", "app_password": "p"})(handler)
    ).publish(OutboundReply("k2", "bluesky", "at://did:plc:a/app.bsky.feed.post/1", "Hello"))
    record = json.loads(seen[-1][2])["record"]
    assert record["reply"]["parent"] == {"uri": "at://did:plc:a/app.bsky.feed.post/1", "cid": "c1"}
    assert bsky.url == "https://bsky.app/profile/acme.test/post/9"
    creds = {"client_id": "i", "client_secret": "s", "username": "acme", "password": "pw"}
    reddit = RedditPublisher(_ctx(credentials=creds)(handler)).publish(
        OutboundReply("k3", "reddit", "t3_abc", "Hi")
    )
    assert reddit.external_id == "t1_new"
    meta = MetaPublisher(_ctx(credentials={"page_access_token": "pat"})(handler), "instagram")
    assert (
        meta.publish(OutboundReply("k4", "instagram", "179001", "Thanks")).external_id
        == "17900000000000099"
    )
    assert seen[-1][1].endswith("/179001/replies")
    # an @mention in someone else's comment or caption is answered through the mentions edge
    mention_raw = {
        "object": "instagram",
        "entry_id": "17841405309211844",
        "field": "mentions",
        "value": {"media_id": "17920112008063024", "comment_id": "17894227972186120"},
    }
    meta.publish(
        OutboundReply(
            "k6", "instagram", "17894227972186120", "Hi!", extra={"target_raw": mention_raw}
        )
    )
    assert seen[-1][1].endswith("/17841405309211844/mentions")
    assert dict(parse_qsl(seen[-1][2].decode())) == {
        "message": "Hi!",
        "media_id": "17920112008063024",
        "comment_id": "17894227972186120",
    }
    caption_raw = {**mention_raw, "value": {"media_id": "17920112008063024"}}
    meta.publish(
        OutboundReply(
            "k7", "instagram", "17920112008063024", "Hi", extra={"target_raw": caption_raw}
        )
    )
    assert seen[-1][1].endswith("/17841405309211844/mentions")
    assert dict(parse_qsl(seen[-1][2].decode())) == {
        "message": "Hi",
        "media_id": "17920112008063024",
    }
    with pytest.raises(PublishError) as refused:
        XPublisher(
            _ctx(credentials={"user_access_token": "u"})(
                lambda r: httpx.Response(403, json={"title": "Forbidden"})
            )
        ).publish(OutboundReply("k5", "x", "1", "no"))
    assert refused.value.permanent
