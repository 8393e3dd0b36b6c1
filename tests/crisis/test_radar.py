"""Series, detector state and alerts: one alert per episode, explained, resumable."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.crisis.conftest import T0, make_brand, mentions, quiet_history
from tocsin.crisis.models import Alert, DetectorState, MetricBucket
from tocsin.crisis.radar import run_radar
from tocsin.crisis.series import bucket_of
from tocsin.crisis.tasks import on_posts, sweep


def _bucket(session: Session, brand_id: int, metric: str, at) -> float:  # type: ignore[no-untyped-def]
    return session.scalar(
        select(MetricBucket.value).where(
            MetricBucket.brand_id == brand_id,
            MetricBucket.metric == metric,
            MetricBucket.bucket_start == bucket_of(at),
        )
    )


def test_buckets_hold_every_metric_live_and_recomputed_alike(session: Session) -> None:
    from tocsin.crisis.series import refresh_buckets

    brand = make_brand(session)
    first = mentions(session, brand="Lumio", at=T0, count=4, negative=True, reposts=3)
    first += mentions(session, brand="Lumio", at=T0, count=1, handle="sam")
    on_posts(session=session, post_ids=first)
    second = mentions(session, brand="Lumio", at=T0, count=2)
    second += mentions(session, brand="Lumio", at=T0, count=1, handle="sam", text="again")
    on_posts(session=session, post_ids=second)
    expected = {
        "volume": 8,
        "negative_volume": 4,
        "negative_share": 0.5,
        "unique_authors": 7,  # sam twice
        "reshares": 12,
    }
    assert {m: _bucket(session, brand.id, m, T0) for m in expected} == expected
    refresh_buckets(session=session, dirty={(brand.id, T0)})  # what the sweep writes
    refresh_buckets(session=session, dirty={(brand.id, T0)})  # idempotent
    assert {m: _bucket(session, brand.id, m, T0) for m in expected} == expected


def test_a_burst_raises_one_explained_alert_not_ten(session: Session) -> None:
    brand = make_brand(session)
    ids = quiet_history(session, brand="Lumio", start=T0, buckets=24)
    on_posts(session=session, post_ids=ids)
    burst_start = T0 + timedelta(hours=2)
    for minute in range(0, 40, 5):
        ids = mentions(
            session,
            brand="Lumio",
            at=burst_start + timedelta(minutes=minute),
            count=30,
            negative=True,
            text="app down, cannot log in, outage everywhere",
            lang="fr",
        )
        on_posts(session=session, post_ids=ids)
    alerts = list(session.scalars(select(Alert).where(Alert.brand_id == brand.id)))
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.signals > 1
    assert "negative_volume" in alert.metrics and "volume" in alert.metrics
    facts = alert.explanation
    assert facts["negative_share"] > 0.9 and facts["usual_negative_share"] == 0.0
    assert {"outage", "down"} <= set(facts["top_terms"])
    assert facts["hashtags"] == ["#lumiodown"]
    assert facts["languages"][0]["name"] == "fr"
    assert facts["new_author_share"] == 1.0
    assert alert.trigger_at is not None and alert.trigger_at - burst_start < timedelta(minutes=5)
    assert "negative" in alert.summary and "new authors" in alert.summary


def test_detector_state_is_a_row_and_resumes(session: Session) -> None:
    brand = make_brand(session)
    ids = quiet_history(session, brand="Lumio", start=T0, buckets=12)
    on_posts(session=session, post_ids=ids)
    row = session.scalar(
        select(DetectorState).where(
            DetectorState.brand_id == brand.id, DetectorState.metric == "volume"
        )
    )
    assert row is not None and row.state["n"] >= 10
    fed_before = row.state["n"]
    last = row.last_bucket
    report = run_radar(session=session, now=T0 + timedelta(days=1))  # nothing new: nothing fed
    assert report.buckets_fed == 0
    session.refresh(row)
    assert row.state["n"] == fed_before and row.last_bucket == last


def test_cooldown_after_resolution_and_a_new_episode_later(session: Session) -> None:
    from tocsin.crisis.alerts import resolve_alert
    from tocsin.types import utcnow

    make_brand(session)
    on_posts(session=session, post_ids=quiet_history(session, brand="Lumio", start=T0, buckets=24))
    first = T0 + timedelta(hours=2)
    on_posts(
        session=session,
        post_ids=mentions(session, brand="Lumio", at=first, count=40, negative=True),
    )
    alert = session.scalar(select(Alert))
    assert alert is not None
    resolve_alert(session=session, alert=alert, user_id=None, now=utcnow())
    on_posts(
        session=session,
        post_ids=mentions(
            session, brand="Lumio", at=first + timedelta(minutes=20), count=40, negative=True
        ),
    )
    assert session.scalar(select(func.count()).select_from(Alert)) == 1
    on_posts(
        session=session,
        post_ids=quiet_history(
            session, brand="Lumio", start=first + timedelta(minutes=25), buckets=36
        ),
    )
    later = first + timedelta(hours=5)
    on_posts(
        session=session,
        post_ids=mentions(session, brand="Lumio", at=later, count=60, negative=True),
    )
    assert session.scalar(select(func.count()).select_from(Alert)) == 2


def test_the_sweep_catches_links_the_subscriber_missed(session: Session) -> None:
    brand = make_brand(session)
    quiet_history(session, brand="Lumio", start=T0, buckets=3)
    summary = sweep(session=session)
    assert "buckets" in summary
    assert _bucket(session, brand.id, "volume", T0) == 2


def test_the_emerging_narrative_is_labelled_by_its_own_words(session: Session) -> None:
    from tocsin.crisis.narratives import label_narrative

    make_brand(session)
    on_posts(session=session, post_ids=quiet_history(session, brand="Lumio", start=T0, buckets=24))
    burst = T0 + timedelta(hours=2)
    ids = mentions(
        session,
        brand="Lumio",
        at=burst,
        count=30,
        negative=True,
        text="fibre outage whole district no internet",
    )
    ids += mentions(
        session, brand="Lumio", at=burst, count=8, negative=True, text="billing doubled this month"
    )
    on_posts(session=session, post_ids=ids)
    alert = session.scalar(select(Alert))
    assert alert is not None
    label_narrative(session=session, alert_id=alert.id)
    narrative = alert.explanation["narrative"]
    assert {"fibre", "outage"} <= set(narrative["label"].split(", "))
    assert 0.7 < narrative["share"] < 0.85
    assert "narrative: " in alert.summary
