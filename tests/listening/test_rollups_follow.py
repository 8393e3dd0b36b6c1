"""The dashboard follows edits and deletions, replays change nothing, a rebuild agrees."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.listening.factories import NOW, brands
from tests.listening.rollup_helpers import (
    dispatch_all,
    fake_enrichment,
    replay_everything,
    snapshot,
)
from tocsin.config import Settings
from tocsin.enrichment import tasks as enrichment_tasks
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.outbox import Subscribers
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.listening import tasks as listening_tasks
from tocsin.listening.dashboard import Dashboard, DashboardFilters, build_dashboard
from tocsin.listening.rollups import retract_posts
from tocsin.listening.rollups_bulk import rebuild_rollups


def _post(external_id: str, text: str, **extra: Any) -> CanonicalPost:
    return CanonicalPost.model_validate(
        {
            "platform": "x",
            "external_id": external_id,
            "text": text,
            "created_at": (NOW - timedelta(hours=2)).isoformat(),
            "author": {"handle": f"{external_id}.author", "followers": 250},
            "lang": "en",
            **extra,
        }
    )


def _ingest(factory: sessionmaker[Session], *posts: CanonicalPost) -> list[int]:
    with factory() as s:
        report = ingest_posts(session=s, posts=list(posts))
        s.commit()
    return [o.post_id for o in report.outcomes if o.post_id is not None]


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


def _board(factory: sessionmaker[Session], brand_id: int) -> Dashboard:
    with factory() as s:
        filters = DashboardFilters(brand_id=brand_id, since=NOW - timedelta(days=1), until=NOW)
        return build_dashboard(session=s, filters=filters)


def test_real_enrichment_edit_flips_the_counts_and_deletion_drops_them(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    with session_factory() as s:
        ours, _ = brands(s)
        s.commit()
    subscribers = Subscribers()
    enrichment_tasks.subscribe(subscribers, settings)  # the real pipeline, before listening
    listening_tasks.subscribe(subscribers, settings)
    angry = "Lumio support is terrible, my parcel arrived broken and nobody answers. Awful!"
    happy = "Update: Lumio replaced it the next day, thank you, great service, I love it!"
    first, _ = _ingest(
        session_factory,
        _post("f-1", angry),
        _post("f-2", "Lumio delivery today, everything is fine and on time"),
    )
    dispatch_all(session_factory, subscribers)
    with session_factory() as s:
        assert s.scalar(select(PostEnrichment.sentiment).filter_by(post_id=first)) == "negative"
    before = _board(session_factory, ours.id)
    assert before.total == 2 and before.sentiment["negative"] >= 1
    assert "parcel" in [t.value for t in before.top_terms]

    [edited] = _ingest(session_factory, _post("f-1", happy))
    dispatch_all(session_factory, subscribers)
    assert edited == first
    with session_factory() as s:
        assert s.scalar(select(PostEnrichment.sentiment).filter_by(post_id=first)) == "positive"
    after_edit = _board(session_factory, ours.id)
    assert after_edit.total == 2
    assert after_edit.sentiment.get("negative", 0) == before.sentiment["negative"] - 1
    assert after_edit.sentiment.get("positive", 0) == before.sentiment.get("positive", 0) + 1
    terms = [t.value for t in after_edit.top_terms]
    assert "parcel" not in terms and "replaced" in terms

    _ingest(session_factory, _post("f-1", "", deleted=True))
    dispatch_all(session_factory, subscribers)
    after_delete = _board(session_factory, ours.id)
    assert after_delete.total == 1
    assert after_delete.sentiment["positive"] == after_edit.sentiment["positive"] - 1
    assert "replaced" not in [t.value for t in after_delete.top_terms]


def test_edit_delete_replay_and_rebuild_with_the_event_path(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    with session_factory() as s:
        ours, rival = brands(s)
        s.commit()
    subscribers = Subscribers()
    fake_enrichment(subscribers)
    listening_tasks.subscribe(subscribers, settings)
    a, b, c = _ingest(
        session_factory,
        _post("e-1", "Lumio kettle arrived broken #fail"),
        _post("e-2", "Lumio lamp is fine"),
        _post("e-3", "Nordel and Lumio both sell lamps"),
    )
    dispatch_all(session_factory, subscribers)
    board = _board(session_factory, ours.id)
    assert board.total == 3 and _nonzero(board.sentiment) == {"negative": 1, "neutral": 2}
    assert board.complaints == 1 and board.reach == 750
    assert "#fail" in [h.value for h in board.top_hashtags]

    _ingest(session_factory, _post("e-1", "Lumio kettle replaced, I love it"))
    _ingest(session_factory, _post("e-3", "Nordel sells lamps"))  # no longer about Lumio
    dispatch_all(session_factory, subscribers)
    board = _board(session_factory, ours.id)
    assert board.total == 2 and _nonzero(board.sentiment) == {"positive": 1, "neutral": 1}
    assert board.complaints == 0 and board.reach == 500
    assert "#fail" not in [h.value for h in board.top_hashtags]
    assert _board(session_factory, rival.id).total == 1

    _ingest(session_factory, _post("e-2", "", deleted=True))
    dispatch_all(session_factory, subscribers)
    board = _board(session_factory, ours.id)
    assert board.total == 1 and _nonzero(board.sentiment) == {"positive": 1}
    assert "lamp" not in [t.value for t in board.top_terms]

    with session_factory() as s:
        settled = snapshot(s)
    assert replay_everything(session_factory, subscribers) > 0
    with session_factory() as s:
        assert snapshot(s) == settled  # nothing counted or taken back twice
        rebuild_rollups(session=s)
        assert snapshot(s) == settled
        assert retract_posts(session=s, post_ids=[a, b, c]) == 2
        assert snapshot(s)["hourly"] == {} and snapshot(s)["items"] == {}
