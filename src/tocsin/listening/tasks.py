"""Worker wiring: brand matching, then everything listening derives from matched posts.

* ``PostIngested`` (batch): match the posts against the brands' queries, count the matched and
  already enriched ones into the rollups, watch for competitors courting our complainers, and
  place the posts in narratives.  Enrichment is another subscriber; posts it had not reached
  yet are counted by the ``listening.rollups`` catch-up job.
* ``PostEdited``: re-match the post and re-count it (enrichment, an earlier subscriber, has
  re-read it); ``PostDeleted``: take its counts back; ``PostsEnriched``: move late-enriched
  posts to their sentiment.  ``PostEdited``/``PostDeleted`` after a resolved case: record an
  amicable resolution.
* Jobs: rollup catch-up and pruning, narrative assignment catch-up, scheduled digests.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.enrichment.events import PostsEnriched
from tocsin.events.outbox import Subscribers
from tocsin.events.types import Event, PostDeleted, PostEdited, PostIngested
from tocsin.listening.competitors import detect_poaching
from tocsin.listening.ereputation import record_resolutions, track_right_of_reply
from tocsin.listening.matching import match_posts
from tocsin.listening.rollups import CURSOR, catch_up, prune_items, rollup_posts
from tocsin.listening.rollups_models import ListeningCursor
from tocsin.types import utcnow
from tocsin.workers.registry import Job


def subscribe(subscribers: Subscribers, settings: Settings) -> None:
    def on_ingested(session: Session, events: Sequence[Event]) -> None:
        ids = [e.post_id for e in events if isinstance(e, PostIngested)]
        match_posts(session=session, post_ids=ids)
        rollup_posts(session=session, post_ids=ids)
        detect_poaching(session=session, post_ids=ids, settings=settings)
        track_right_of_reply(session=session, post_ids=ids)

    def on_edited(session: Session, events: Sequence[Event]) -> None:
        ids = [e.post_id for e in events if isinstance(e, PostEdited)]
        match_posts(session=session, post_ids=ids, rematch=True)
        rollup_posts(session=session, post_ids=ids)
        record_resolutions(session=session, post_ids=ids, kind="edited")

    def on_deleted(session: Session, events: Sequence[Event]) -> None:
        deleted = [e for e in events if isinstance(e, PostDeleted)]
        rollup_posts(session=session, post_ids=[e.post_id for e in deleted])
        # an erased account (deleted, taken down) is no sign that the customer was satisfied
        by_author = [e.post_id for e in deleted if e.by_author]
        record_resolutions(session=session, post_ids=by_author, kind="deleted")

    def on_enriched(session: Session, events: Sequence[Event]) -> None:
        ids = [i for e in events if isinstance(e, PostsEnriched) for i in e.post_ids]
        rollup_posts(session=session, post_ids=ids)

    subscribers.subscribe_batch(PostIngested.name, on_ingested)
    subscribers.subscribe_batch(PostEdited.name, on_edited)
    subscribers.subscribe_batch(PostDeleted.name, on_deleted)
    subscribers.subscribe_batch(PostsEnriched.name, on_enriched)


def run_rollups(factory: sessionmaker[Session], _settings: Settings) -> str:
    """Count matched posts whose enrichment came late; prune closed days' top items."""
    now = utcnow()
    total = 0
    with factory() as session:
        while True:  # one bounded transaction per window of links, until the cursor stops
            before = session.get(ListeningCursor, CURSOR)
            start = before.value if before is not None else None
            total += catch_up(session=session, now=now)
            session.commit()
            after = session.get(ListeningCursor, CURSOR)
            if after is None or after.value == start:
                break
        pruned = prune_items(session=session, before=now - timedelta(days=1))
        session.commit()
    return f"{total} posts counted, {pruned} items pruned"


def jobs(settings: Settings) -> list[Job]:
    from tocsin.listening.narratives_tasks import run_narratives
    from tocsin.listening.reports import run_digests

    return [
        Job("listening.rollups", 60, run_rollups),
        Job("listening.narratives", 120, run_narratives),
        Job("listening.digests", 900, run_digests),
    ]
