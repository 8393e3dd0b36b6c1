"""Helpers for the rollup tests: a whole-state snapshot of the rollups and a fake enricher."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from tocsin.enrichment.events import PostsEnriched
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers, dispatch_pending, emit
from tocsin.events.types import Event, PostEdited, PostIngested
from tocsin.ingestion.models import Post
from tocsin.listening.rollups_models import DailyRollup, DailyTopItem, HourlyRollup, PostRollup

Snapshot = dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]


def snapshot(session: Session) -> Snapshot:
    """Every rollup row and receipt, keyed by its natural key (ids and times left out)."""
    counters = ("posts", "reach", "engagement", "complaints")
    slice_ = ("brand_id", "bucket", "platform", "lang", "sentiment")
    state: Snapshot = {}
    for name, model in (("hourly", HourlyRollup), ("daily", DailyRollup)):
        state[name] = {
            tuple(getattr(r, k) for k in slice_): tuple(getattr(r, c) for c in counters)
            for r in session.scalars(select(model))
        }
    state["items"] = {
        (r.brand_id, r.day, r.kind, r.value): (r.count, r.reach)
        for r in session.scalars(select(DailyTopItem))
    }
    state["receipts"] = {
        (r.post_id, r.brand_id): (r.bucket, r.platform, r.lang, r.sentiment, r.complaint,
                                  r.reach, r.engagement, r.handle, tuple(r.items))
        for r in session.scalars(select(PostRollup))
    }  # fmt: skip
    return state


def word_sentiment(text: str) -> str:
    """The fake enricher's rule: ``love`` is positive, ``broken`` negative, else neutral."""
    lowered = text.casefold()
    if "broken" in lowered:
        return "negative"
    if "love" in lowered:
        return "positive"
    return "neutral"


def fake_enrichment(subscribers: Subscribers, *, hold: set[int] | None = None) -> None:
    """Subscribe a tiny enricher (before listening, like the real one); ``hold`` delays posts."""

    def enrich(session: Session, events: Sequence[Event]) -> None:
        ids = sorted({e.post_id for e in events if isinstance(e, PostIngested | PostEdited)})
        done = [i for i in ids if hold is None or i not in hold]
        enrich_now(session, done)

    subscribers.subscribe_batch(PostIngested.name, enrich)
    subscribers.subscribe_batch(PostEdited.name, enrich)


def enrich_now(session: Session, post_ids: Sequence[int]) -> None:
    """Write (or rewrite) the fake enrichment of ``post_ids`` and announce it."""
    if not post_ids:
        return
    for post in session.scalars(select(Post).where(Post.id.in_(post_ids))):
        row = session.get(PostEnrichment, post.id) or PostEnrichment(post_id=post.id)
        row.sentiment = word_sentiment(post.text)
        row.lang = post.lang or "en"
        row.complaint = row.sentiment == "negative"
        session.add(row)
    session.flush()
    emit(session, PostsEnriched(post_ids=list(post_ids)))


def dispatch_all(factory: sessionmaker[Session], subscribers: Subscribers) -> int:
    """Dispatch until the outbox is empty; return how many events were delivered."""
    total = 0
    while batch := dispatch_pending(factory, subscribers):
        total += batch
    return total


def replay_everything(factory: sessionmaker[Session], subscribers: Subscribers) -> int:
    """Deliver every event ever stored once more (at-least-once delivery, worst case)."""
    with factory() as s:
        s.execute(update(OutboxEvent).values(dispatched_at=None, attempts=0))
        s.commit()
    return dispatch_all(factory, subscribers)
