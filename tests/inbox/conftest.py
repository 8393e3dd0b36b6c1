"""Factories for inbox tests: posts with a hand-written enrichment, agents, a fake publisher."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.web.conftest import (  # noqa: F401  (the web fixtures, for the page tests)
    app,
    client,
    fast_password_hashing,
    make_token,
    make_user,
    signed_in,
)
from tocsin.accounts.models import User
from tocsin.accounts.service import create_user
from tocsin.connectors.fake import FakePublisher
from tocsin.enrichment.models import PostEnrichment
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.privacy.pii import PiiDetector

PostFactory = Callable[..., Post]


@pytest.fixture
def make_post(session: Session) -> PostFactory:
    counter = iter(range(1, 1_000_000))

    def make(
        *,
        created_at: datetime,
        platform: str = "x",
        text: str = "Where is my parcel?",
        handle: str = "ana",
        lang: str | None = "en",
        needs_reply: bool | None = True,
        priority: int = 20,
        sentiment: str = "negative",
        intents: list[dict[str, Any]] | None = None,
        followers: int = 10,
        is_automated: bool = False,
        parent: str | None = None,
        thread: str | None = None,
        direction: str = "inbound",
        external_id: str | None = None,
    ) -> Post:
        ext = external_id or f"{platform}-{next(counter)}"
        author = {"handle": handle, "followers": followers, "is_automated": is_automated}
        report = ingest_posts(
            session=session,
            posts=[
                CanonicalPost.model_validate(
                    {
                        "platform": platform,
                        "external_id": ext,
                        "text": text,
                        "created_at": created_at,
                        "author": author,
                        "lang": lang,
                        "parent_external_id": parent,
                        "thread_external_id": thread,
                        "direction": direction,
                    }
                )
            ],
        )
        post = session.get(Post, report.outcomes[0].post_id)
        assert post is not None
        if needs_reply is not None:
            session.add(
                PostEnrichment(
                    post_id=post.id,
                    lang=lang,
                    sentiment=sentiment,
                    needs_reply=needs_reply,
                    priority=priority,
                    intents=intents or [],
                    complaint=needs_reply,
                )
            )
        session.flush()
        return post

    return make


@pytest.fixture
def make_agent(session: Session) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(*, role: str = "agent", name: str = "", **fields: Any) -> User:
        n = next(counter)
        user = create_user(
            session=session,
            email=f"agent{n}@example.com",
            password="a long enough password",
            role=role,
            name=name or f"Agent {n}",
        )
        for key, value in fields.items():
            setattr(user, key, value)
        session.flush()
        return user

    return make


@pytest.fixture
def registry() -> PublisherRegistry:
    registry = PublisherRegistry(use_connectors=False)
    for platform in ("x", "bluesky", "mastodon", "reddit", "facebook", "instagram", "review"):
        registry.register(FakePublisher(platform))
    return registry


@pytest.fixture(scope="session")
def fast_pii() -> PiiDetector:
    return PiiDetector(mode="fast")
