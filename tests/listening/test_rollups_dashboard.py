"""Rollups are counted once, late enrichment is caught up, and the dashboard reads them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.listening.factories import NOW, brands, hours, post
from tocsin.enrichment.models import PostEnrichment
from tocsin.listening.dashboard import DashboardFilters, build_dashboard
from tocsin.listening.rollups import catch_up, rollup_posts
from tocsin.listening.rollups_bulk import rebuild_rollups
from tocsin.listening.rollups_models import DailyRollup, HourlyRollup


def _filters(brand_id: int, **kw: object) -> DashboardFilters:
    return DashboardFilters(
        brand_id=brand_id,
        since=NOW - timedelta(days=2),
        until=NOW + hours(1),
        **kw,  # type: ignore[arg-type]
    )


def test_counts_once_and_dashboard_shows_them(session: Session) -> None:
    ours, _rival = brands(session)
    a = post(
        session,
        "Lumio parcel late again #fail",
        sentiment="negative",
        complaint=True,
        followers=1000,
    )
    b = post(
        session,
        "Lumio support was quick, thanks",
        sentiment="positive",
        lang="fr",
        at=NOW - hours(30),
    )
    c = post(session, "Nordel delivery broken", sentiment="negative")
    ids = [a.id, b.id, c.id]
    assert rollup_posts(session=session, post_ids=ids, now=NOW)[0] == 3
    assert rollup_posts(session=session, post_ids=ids, now=NOW)[0] == 0  # idempotent
    assert session.scalar(select(func.sum(HourlyRollup.posts))) == 3
    assert session.scalar(select(func.sum(DailyRollup.posts))) == 3

    board = build_dashboard(session=session, filters=_filters(ours.id))
    assert board.total == 2
    assert board.sentiment["negative"] == 1 and board.sentiment["positive"] == 1
    assert board.complaints == 1 and board.reach >= 1000
    assert board.languages == {"en": 1, "fr": 1}
    assert sum(p.posts for p in board.series) == 2
    shares = {s.name: s for s in board.share_of_voice}
    assert shares["Lumio"].posts == 2 and shares["Nordel"].posts == 1
    assert abs(shares["Lumio"].share - 2 / 3) < 1e-9
    assert shares["Nordel"].net_sentiment == -1.0
    assert "#fail" in [h.value for h in board.top_hashtags]
    assert "lumio" not in [t.value for t in board.top_terms]  # the brand's own name is excluded
    assert "parcel" in [t.value for t in board.top_terms]

    french = build_dashboard(session=session, filters=_filters(ours.id, langs=("fr",)))
    assert french.total == 1 and french.items_filtered
    assert [t.value for t in french.top_terms] == ["support", "quick", "thanks"]


def test_late_enrichment_is_caught_up_and_unknown_after_grace(session: Session) -> None:
    ours, _ = brands(session)
    late = post(session, "Lumio app update", sentiment=None)
    never = post(session, "Lumio bulb", sentiment=None)
    counted, waiting = rollup_posts(session=session, post_ids=[late.id, never.id], now=NOW)
    assert counted == 0 and len(waiting) == 2
    session.add(PostEnrichment(post_id=late.id, lang="en", sentiment="positive"))
    session.flush()
    from tocsin.types import utcnow

    assert catch_up(session=session, now=utcnow()) == 1
    assert catch_up(session=session, now=utcnow() + timedelta(hours=1)) == 1  # past the grace
    board = build_dashboard(session=session, filters=_filters(ours.id))
    assert board.sentiment["positive"] == 1 and board.sentiment["unknown"] == 1


def test_bulk_rebuild_equals_incremental(session: Session) -> None:
    ours, _ = brands(session)
    ids = [
        post(session, f"Lumio post {i} about refunds", sentiment=s, at=NOW - hours(i * 7)).id
        for i, s in enumerate(["negative", "positive", "neutral", "negative"])
    ]
    rollup_posts(session=session, post_ids=ids, now=NOW)
    before = build_dashboard(session=session, filters=_filters(ours.id))
    assert rebuild_rollups(session=session) == 4
    after = build_dashboard(session=session, filters=_filters(ours.id))
    assert after.total == before.total == 4
    assert after.sentiment == before.sentiment
    assert [p.posts for p in after.series] == [p.posts for p in before.series]
