"""Helpers for the crisis tests: brands, hand-written mentions, and a simple detector.

``ThresholdDetector`` alerts when a value exceeds ``factor`` × the running mean (after a warm-up):
a behaviour simple enough to reason about, so these tests check the radar's plumbing (series,
state, dedupe, cooldown, delivery) rather than the tuned product detector, which has its own
tests in ``tests/crisis/test_detectors*.py``.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.crisis import narratives, radar
from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.listening.matching import match_posts

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
_ids = itertools.count(1)


@dataclass
class Output:
    score: float
    alert: bool
    expected: float
    explanation: str


class ThresholdDetector:
    def __init__(self, state: dict[str, Any] | None = None, factor: float = 4.0) -> None:
        self.n = int((state or {}).get("n", 0))
        self.mean = float((state or {}).get("mean", 0.0))
        self.factor = factor

    def update(self, timestamp: datetime, value: float) -> Output:
        expected = self.mean
        alert = self.n >= 6 and value > self.factor * max(expected, 1.0)
        score = min(1.0, value / (self.factor * max(expected, 1.0)) / 2) if self.n else 0.0
        self.n += 1
        self.mean += (value - self.mean) / min(self.n, 50)
        return Output(score, alert, expected, f"{value:.0f} vs mean {expected:.1f}")

    def to_state(self) -> dict[str, Any]:
        return {"n": self.n, "mean": self.mean}


class WordEmbedder:
    """Hashed bag of words, normalised: similar wording, similar vectors (no model to load)."""

    dim = 64

    def embed(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.casefold().split():
                vectors[row, zlib.crc32(word.encode()) % self.dim] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


@pytest.fixture(autouse=True)
def simple_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(radar, "detector_factory", lambda metric, state: ThresholdDetector(state))
    monkeypatch.setattr(narratives, "embedder_factory", WordEmbedder)


def make_brand(session: Session, name: str = "Lumio", **fields: Any) -> Brand:
    brand = Brand(slug=name.lower() + str(next(_ids)), name=name, **fields)
    session.add(brand)
    session.flush()
    return brand


def mentions(
    session: Session,
    *,
    brand: str,
    at: datetime,
    count: int,
    spread: timedelta = timedelta(minutes=4),
    negative: bool = False,
    text: str = "",
    lang: str = "en",
    reposts: int = 0,
    followers: int = 10,
    handle: str | None = None,
) -> list[int]:
    """Ingest ``count`` posts naming ``brand`` between ``at`` and ``at + spread``; return ids."""
    posts: list[CanonicalPost] = []
    for index in range(count):
        n = next(_ids)
        body = text or ("everything is broken again" if negative else "quite like it today")
        posts.append(
            CanonicalPost.model_validate(
                {
                    "platform": "x" if n % 3 else "mastodon",
                    "external_id": f"c{n}",
                    "text": f"{brand} {body} #{brand}Down" if negative else f"{brand} {body}",
                    "created_at": at + spread * (index / max(1, count)),
                    "author": {"handle": handle or f"user{n}", "followers": followers},
                    "engagement": {"reposts": reposts},
                    "lang": lang,
                }
            )
        )
    result = ingest_posts(session=session, posts=posts)
    ids = [o.post_id for o in result.outcomes if o.post_id is not None]
    match_posts(session=session, post_ids=ids)
    for post_id in ids:
        session.merge(
            PostEnrichment(
                post_id=post_id,
                lang=lang,
                sentiment="negative" if negative else "positive",
                sentiment_score=-0.8 if negative else 0.6,
            )
        )
    session.flush()
    return ids


def quiet_history(
    session: Session, *, brand: str, start: datetime, buckets: int, per_bucket: int = 2
) -> list[int]:
    ids: list[int] = []
    for index in range(buckets):
        ids += mentions(
            session, brand=brand, at=start + timedelta(minutes=5 * index), count=per_bucket
        )
    return ids


def all_ids(groups: Sequence[list[int]]) -> Iterator[int]:
    for group in groups:
        yield from group


from tests.web.conftest import (  # noqa: E402,F401 - web fixtures for the crisis pages
    app,
    client,
    csrf_from,
    fast_password_hashing,
    login,
    make_token,
    make_user,
    signed_in,
)

NEGATIVE_WORDS = ("lost", "refund", "scandal", "down", "broken", "outage", "never")


def subscribe_keyword_enrichment(subscribers: Any) -> None:
    """A stand-in for the enrichment stage: negative when a post uses a complaint word."""
    from tocsin.events.types import PostIngested
    from tocsin.ingestion.models import Post

    def enrich(session: Session, events: Sequence[Any]) -> None:
        ids = [e.post_id for e in events if isinstance(e, PostIngested)]
        for post in session.query(Post).filter(Post.id.in_(ids)):
            negative = any(word in post.text.casefold() for word in NEGATIVE_WORDS)
            session.merge(
                PostEnrichment(
                    post_id=post.id,
                    lang=post.lang,
                    sentiment="negative" if negative else "neutral",
                )
            )
        session.flush()

    subscribers.subscribe_batch(PostIngested.name, enrich)
