"""Hand-written posts and brands for the listening tests (no data set is copied here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Author, Post
from tocsin.listening.matching import match_posts

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def brands(session: Session) -> tuple[Brand, Brand]:
    ours = Brand(slug="lumio", name="Lumio", handles=[{"platform": "x", "handle": "lumio"}])
    rival = Brand(
        slug="nordel",
        name="Nordel",
        handles=[{"platform": "x", "handle": "nordel"}],
        competitor_of=ours,
    )
    session.add_all([ours, rival])
    session.flush()
    return ours, rival


_counter = iter(range(1, 1_000_000))


def post(
    session: Session,
    text: str,
    *,
    at: datetime = NOW,
    platform: str = "x",
    lang: str = "en",
    handle: str | None = None,
    followers: int = 100,
    sentiment: str | None = "neutral",
    complaint: bool = False,
    parent: Post | None = None,
    intents: list[dict[str, Any]] | None = None,
    title: str | None = None,
) -> Post:
    n = next(_counter)
    author_handle = handle or f"person{n}"
    author = session.query(Author).filter_by(platform=platform, handle=author_handle).one_or_none()
    if author is None:
        author = Author(platform=platform, handle=author_handle, followers=followers)
        session.add(author)
        session.flush()
    row = Post(
        platform=platform,
        external_id=f"t-{n}",
        author_id=author.id,
        text=text,
        title=title,
        lang=lang,
        created_at=at,
        parent_external_id=parent.external_id if parent else None,
        url=f"https://example.test/{n}",
    )
    session.add(row)
    session.flush()
    if sentiment is not None:
        session.add(
            PostEnrichment(
                post_id=row.id,
                lang=lang,
                sentiment=sentiment,
                complaint=complaint,
                intents=intents or [],
            )
        )
    session.flush()
    match_posts(session=session, post_ids=[row.id])
    return row


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
