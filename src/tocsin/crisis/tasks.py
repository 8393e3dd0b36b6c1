"""Worker wiring: series and detectors on new posts, narratives on new alerts, periodic sweeps.

* ``PostIngested`` (batch): add the new posts to their buckets, then run the radar for those
  brands at once, so the post that tips a series raises the alert within a pass.
  (The brand links come from the listening subscriber: crisis must be dispatched after it.)
* ``SpikeDetected``: label the spike's emerging narrative with the sentence embedder.
* ``crisis.radar`` (every 5 s): the catch-up sweep over links and enrichments added since the
  last sweep (late sentiment, posts matched after this subscriber ran), then every brand.
* ``crisis.escalation`` (every 30 s): the next escalation step of unacknowledged alerts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.crisis.escalation import advance_escalations
from tocsin.crisis.events import SpikeDetected
from tocsin.crisis.narratives import label_narrative
from tocsin.crisis.radar import advance_watermark, lock_progress, run_radar
from tocsin.crisis.series import Key, bucket_of, refresh_buckets
from tocsin.crisis.series_live import add_posts
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers
from tocsin.events.types import Event, PostIngested
from tocsin.listening.models import PostBrand
from tocsin.types import as_utc, utcnow
from tocsin.workers.registry import Job

SWEEP_LIMIT = 20_000
#: Enrichments committed slightly out of order are caught by re-reading this much.
ENRICHMENT_OVERLAP = timedelta(seconds=60)


def on_posts(*, session: Session, post_ids: Sequence[int], base_url: str = "") -> list[int]:
    """Add the posts to their buckets and run the radar for their brands; return alert ids."""
    now = utcnow()
    progress = lock_progress(session)  # before writing buckets: passes never interleave
    links = add_posts(session=session, post_ids=post_ids)
    if not links:
        return []
    advance_watermark(progress, (at for _brand, at in links), now)
    brands = {brand_id for brand_id, _at in links}
    report = run_radar(session=session, now=now, brand_ids=brands, base_url=base_url)
    return report.alerts


def sweep(*, session: Session, base_url: str = "") -> str:
    """Catch up on links and enrichments since the last sweep, then scan every brand."""
    progress = lock_progress(session)
    dirty: set[Key] = set()
    links = session.execute(
        select(PostBrand.id, PostBrand.brand_id, PostBrand.post_created_at)
        .where(PostBrand.id > progress.last_link_id)
        .order_by(PostBrand.id)
        .limit(SWEEP_LIMIT)
    ).all()
    for link_id, brand_id, at in links:
        dirty.add((brand_id, bucket_of(at)))
        progress.last_link_id = max(progress.last_link_id, link_id)
    advance_watermark(progress, (at for _id, _brand, at in links), utcnow())
    since = progress.last_enriched_at
    enriched = select(PostBrand.brand_id, PostBrand.post_created_at).join(
        PostEnrichment, PostEnrichment.post_id == PostBrand.post_id
    )
    if since is not None:
        enriched = enriched.where(PostEnrichment.enriched_at > as_utc(since) - ENRICHMENT_OVERLAP)
        dirty.update(
            (brand_id, bucket_of(at))
            for brand_id, at in session.execute(enriched.limit(SWEEP_LIMIT))
        )
    newest = session.scalar(select(func.max(PostEnrichment.enriched_at)))
    if newest is not None:
        progress.last_enriched_at = as_utc(newest)
    refresh_buckets(session=session, dirty=dirty)
    report = run_radar(session=session, now=utcnow(), base_url=base_url)
    return f"{len(dirty)} buckets, {report.buckets_fed} fed, {len(report.alerts)} alerts"


def subscribe(subscribers: Subscribers, settings: Settings) -> None:
    def on_ingested(session: Session, events: Sequence[Event]) -> None:
        ids = [
            e.post_id for e in events if isinstance(e, PostIngested) and e.direction == "inbound"
        ]
        on_posts(session=session, post_ids=ids, base_url=settings.base_url)

    def on_spike(session: Session, event: Event, _row: OutboxEvent) -> None:
        assert isinstance(event, SpikeDetected)
        label_narrative(session=session, alert_id=event.alert_id)

    subscribers.subscribe_batch(PostIngested.name, on_ingested)
    subscribers.subscribe(SpikeDetected.name, on_spike)


def _sweep(factory: sessionmaker[Session], settings: Settings) -> str:
    with factory() as session:
        summary = sweep(session=session, base_url=settings.base_url)
        session.commit()
    return summary


def _escalate(factory: sessionmaker[Session], settings: Settings) -> str:
    with factory() as session:
        moved = advance_escalations(session=session, now=utcnow(), base_url=settings.base_url)
        session.commit()
    return f"{moved} escalated"


def jobs(settings: Settings) -> list[Job]:
    return [
        Job(name="crisis.radar", interval_seconds=5, run=_sweep),
        Job(name="crisis.escalation", interval_seconds=30, run=_escalate),
    ]
