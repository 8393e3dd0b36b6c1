"""Property-style: after any seeded mix of events the incremental rollups equal a rebuild.

Each seed plays a random story through the real ingestion and the listening subscribers: new
posts (about our brand, the competitor, both or neither; some by the brand's own account),
edits that flip the sentiment or drop the brand, deletions, identical re-deliveries, late
enrichment and replays of already delivered events.  At checkpoints (every post enriched) the
rollups built by the events must equal what :func:`rebuild_rollups` writes from scratch.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from tests.listening.factories import NOW, brands
from tests.listening.rollup_helpers import dispatch_all, enrich_now, fake_enrichment, snapshot
from tocsin.config import Settings
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.listening import tasks as listening_tasks
from tocsin.listening.rollups_bulk import rebuild_rollups
from tocsin.listening.rollups_models import HourlyRollup

WORDS = ["parcel", "kettle", "refund", "store", "lamp", "battery", "driver", "screen", "app"]
MOODS = ["I love it", "arrived broken", "ok I guess", "", "love the colour", "broken again"]
BRANDS = ["Lumio", "Nordel", "Lumio and Nordel", "a shop"]


class Story:
    """A random but reproducible stream of deliveries for one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.live: dict[str, dict[str, object]] = {}
        self.gone: set[str] = set()
        self.count = 0

    def text(self) -> str:
        r = self.rng
        words = " ".join(r.sample(WORDS, r.randint(1, 4)))
        tag = r.choice(["", " #fail", " #win", " #lumio"])
        return f"{r.choice(BRANDS)} {words} {r.choice(MOODS)}{tag}"

    def new(self) -> dict[str, object]:
        r = self.rng
        self.count += 1
        official = r.random() < 0.08
        handle = "lumio" if official else f"user{r.randint(1, 12)}"
        post: dict[str, object] = {
            "platform": "x" if official else r.choice(["x", "bluesky"]),
            "external_id": f"p{self.count}",
            "text": self.text(),
            "lang": r.choice(["en", "fr"]),
            "created_at": (NOW - timedelta(hours=r.randint(0, 70), minutes=r.randint(0, 59))),
            "author": {"handle": handle, "followers": 10 * len(handle) ** 2},
            "engagement": {"likes": r.randint(0, 9)},
        }
        self.live[str(post["external_id"])] = post
        return post

    def pick(self) -> dict[str, object] | None:
        keys = sorted(self.live)
        return self.live[self.rng.choice(keys)] if keys else None


def _deliver(factory: sessionmaker[Session], post: dict[str, object]) -> int | None:
    with factory() as s:
        report = ingest_posts(session=s, posts=[CanonicalPost.model_validate(post)])
        s.commit()
    return report.outcomes[0].post_id


def _checkpoint(factory: sessionmaker[Session], subscribers: Subscribers, held: set[int]) -> int:
    with factory() as s:
        enrich_now(s, sorted(held))
        s.commit()
    held.clear()
    dispatch_all(factory, subscribers)
    with factory() as s:
        incremental = snapshot(s)
        with s.begin_nested() as rebuilt:
            rebuild_rollups(session=s)
            assert snapshot(s) == incremental
            rebuilt.rollback()
        return int(s.scalar(select(func.coalesce(func.sum(HourlyRollup.posts), 0))) or 0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_rollups_equal_a_rebuild(
    seed: int, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    with session_factory() as s:
        brands(s)
        s.commit()
    held: set[int] = set()
    subscribers = Subscribers()
    fake_enrichment(subscribers, hold=held)
    listening_tasks.subscribe(subscribers, settings)
    story = Story(seed)
    counted = []
    for step in range(1, 91):
        roll = story.rng.random()
        post = story.pick()
        if roll < 0.4 or post is None:
            post_id = _deliver(session_factory, story.new())
            if post_id is not None and story.rng.random() < 0.2:
                held.add(post_id)  # its enrichment comes late
        elif roll < 0.65:
            post["text"] = story.text()  # an edit: new text, maybe another mood or brand
            _deliver(session_factory, post)
        elif roll < 0.75:
            _deliver(session_factory, {**post, "text": "", "deleted": True})
            story.gone.add(str(story.live.pop(str(post["external_id"]))["external_id"]))
        elif roll < 0.9:
            _deliver(session_factory, post)  # the same again: a duplicate
        else:
            with session_factory() as s:  # at-least-once: some events come back
                ids = list(s.scalars(select(OutboxEvent.id)))
                again = story.rng.sample(ids, min(len(ids), 8))
                s.execute(
                    update(OutboxEvent)
                    .where(OutboxEvent.id.in_(again))
                    .values(dispatched_at=None, attempts=0)
                )
                s.commit()
        if story.rng.random() < 0.7:
            dispatch_all(session_factory, subscribers)
        if step % 30 == 0:
            counted.append(_checkpoint(session_factory, subscribers, held))
    assert story.gone and all(counted)  # the story did delete posts and count some
