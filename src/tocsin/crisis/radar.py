"""The radar pass: feed closed buckets to the detectors in time order, peek at the open ones.

A bucket is *closed* once the event-time watermark (the newest mention stored, never beyond
the wall clock) is :data:`LATENESS` past its end: its final value is fed to the brand's
detector for that metric, whose state is saved as a row after the pass.  The *open* buckets
(the current five minutes) are scored on a copy of the detector, so the post that tips a series
over the threshold raises the alert at once instead of at the end of its bucket; the copy is
thrown away.  One pass at a time holds the ``radar_progress`` row, so two workers never feed a
detector the same bucket twice.

Example::

    report = run_radar(session=s, now=utcnow())          # every brand with a series
    report = run_radar(session=s, now=utcnow(), brand_ids={3})
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.crisis.models import DetectorState, MetricBucket, RadarProgress
from tocsin.crisis.series import BUCKET, CORE_METRICS, VOLUME_METRIC, bucket_of
from tocsin.listening.models import PostBrand
from tocsin.types import as_utc

#: How long after a bucket's end posts may still arrive before it is closed.
LATENESS = timedelta(minutes=2)
#: A series silent for longer restarts this far back (bounded work after a long pause).
MAX_GAP = timedelta(days=7)
#: Only these metrics alert on their own (narrative volumes alert through "volume" too).
ALERTING_PREFIXES = ("volume", "negative_volume", "negative_share", "unique_authors", "reshares")


@dataclass(frozen=True)
class Signal:
    """A detector said "alert" for one bucket of one series."""

    brand_id: int
    metric: str
    bucket_start: datetime
    value: float
    expected: float
    score: float
    explanation: str
    volume: float
    closed: bool


@dataclass
class RadarReport:
    buckets_fed: int = 0
    signals: list[Signal] = field(default_factory=list)
    alerts: list[int] = field(default_factory=list)


def lock_progress(session: Session) -> RadarProgress:
    """Take the radar's lock (a row update) for the rest of the transaction."""
    result = session.execute(
        update(RadarProgress).where(RadarProgress.id == 1).values(passes=RadarProgress.passes + 1)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        session.add(RadarProgress(id=1, passes=1))
        session.flush()
    progress = session.get(RadarProgress, 1, populate_existing=True)
    assert progress is not None
    return progress


def watermark(*, session: Session, now: datetime, progress: RadarProgress) -> datetime | None:
    """The newest mention's time (never in the future), kept on the progress row.

    Callers that saw new posts raise it with :func:`advance_watermark`; the first pass on a
    store that was never scanned reads it from ``post_brands`` once.
    """
    if progress.watermark is None:
        value = session.scalar(
            select(func.max(PostBrand.post_created_at)).where(
                PostBrand.post_created_at <= now + timedelta(minutes=5)
            )
        )
        progress.watermark = as_utc(value) if value is not None else None
    return as_utc(progress.watermark) if progress.watermark is not None else None


def advance_watermark(progress: RadarProgress, seen: Iterable[datetime], now: datetime) -> None:
    """Move the watermark to the newest of ``seen`` (ignoring times in the future)."""
    limit = now + timedelta(minutes=5)
    newest = max((as_utc(at) for at in seen if as_utc(at) <= limit), default=None)
    if newest is not None and (progress.watermark is None or newest > as_utc(progress.watermark)):
        progress.watermark = newest


def _states(session: Session, brand_ids: Sequence[int]) -> dict[tuple[int, str], DetectorState]:
    rows = session.scalars(select(DetectorState).where(DetectorState.brand_id.in_(brand_ids)))
    return {(row.brand_id, row.metric): row for row in rows}


def _first_buckets(session: Session, brand_id: int, metrics: Sequence[str]) -> dict[str, datetime]:
    """The first stored bucket of each metric (an index seek per metric)."""
    firsts: dict[str, datetime] = {}
    for metric in metrics:
        at = session.scalar(
            select(MetricBucket.bucket_start)
            .where(MetricBucket.brand_id == brand_id, MetricBucket.metric == metric)
            .order_by(MetricBucket.bucket_start)
            .limit(1)
        )
        if at is not None:
            firsts[metric] = as_utc(at)
    return firsts


def _values(
    session: Session, brand_id: int, start: datetime, end: datetime
) -> dict[str, dict[datetime, float]]:
    rows = session.execute(
        select(MetricBucket.metric, MetricBucket.bucket_start, MetricBucket.value).where(
            MetricBucket.brand_id == brand_id,
            MetricBucket.bucket_start >= start,
            MetricBucket.bucket_start < end,
        )
    )
    values: dict[str, dict[datetime, float]] = {}
    for metric, at, value in rows:
        values.setdefault(metric, {})[as_utc(at)] = float(value)
    return values


class Detector(Protocol):
    """What the radar needs from a streaming detector (see :mod:`tocsin.crisis.detectors`)."""

    def update(self, timestamp: datetime, value: float) -> Any: ...

    def to_state(self) -> dict[str, Any]: ...


class DetectorFactory(Protocol):
    def __call__(self, metric: str, state: dict[str, Any] | None) -> Detector: ...


def default_detector(metric: str, state: dict[str, Any] | None) -> Detector:
    """The product's detector with its fixed configuration for ``metric``, fresh or resumed."""
    from tocsin.crisis.detectors import SpikeDetector, config_for_metric

    if state:
        return cast(Detector, SpikeDetector.from_state(state))
    return cast(Detector, SpikeDetector(config_for_metric(metric)))


#: Swapped only by tests that need a detector with a known, simple behaviour.
detector_factory: DetectorFactory = default_detector


def _signal(
    brand_id: int, metric: str, at: datetime, value: float, out: Any, volume: float, closed: bool
) -> Signal | None:
    if not out.alert or value <= float(out.expected):
        return None
    return Signal(
        brand_id=brand_id,
        metric=metric,
        bucket_start=at,
        value=value,
        expected=float(out.expected),
        score=float(out.score),
        explanation=str(out.explanation),
        volume=volume,
        closed=closed,
    )


def scan_brand(
    *,
    session: Session,
    brand_id: int,
    cutoff: datetime,
    last_open: datetime,
    min_volume: int,
    states: dict[tuple[int, str], DetectorState],
) -> tuple[int, list[Signal]]:
    """Feed the brand's closed buckets (before ``cutoff``), then peek up to ``last_open``."""
    known = {metric: row for (b, metric), row in states.items() if b == brand_id}
    missing = [m for m in CORE_METRICS if m not in known or known[m].last_bucket is None]
    missing += [m for m, row in known.items() if row.last_bucket is None and m not in CORE_METRICS]
    firsts = _first_buckets(session, brand_id, missing) if missing else {}
    starts: dict[str, datetime] = {}
    for metric in {*known, *firsts}:
        row = known.get(metric)
        begin = (
            row.last_bucket + BUCKET if row is not None and row.last_bucket else firsts.get(metric)
        )
        if begin is not None:
            starts[metric] = max(as_utc(begin), cutoff - MAX_GAP)
    if not starts:
        return 0, []
    earliest = min(min(starts.values()), cutoff - BUCKET)
    values = _values(session, brand_id, earliest, last_open + BUCKET)
    for metric in values:  # a narrative seen for the first time
        if metric not in starts:
            starts[metric] = max(min(values[metric]), cutoff - MAX_GAP)
    volumes = values.get(VOLUME_METRIC, {})
    fed = 0
    signals: list[Signal] = []
    for metric in sorted(starts):
        row = known.get(metric)
        if row is None:
            row = DetectorState(brand_id=brand_id, metric=metric, state={})
            session.add(row)
            states[(brand_id, metric)] = row
        series = values.get(metric, {})
        alerting = metric.split(":", 1)[0] in ALERTING_PREFIXES
        at = starts[metric]
        if at < cutoff:
            detector = detector_factory(metric, row.state or None)
            while at < cutoff:
                out = detector.update(at, series.get(at, 0.0))
                volume = volumes.get(at, 0.0)
                if alerting and volume >= min_volume:
                    found = _signal(brand_id, metric, at, series.get(at, 0.0), out, volume, True)
                    if found is not None:
                        signals.append(found)
                row.last_bucket = at
                at += BUCKET
                fed += 1
            row.state = detector.to_state()
        if row.last_bucket is None:
            row.last_bucket = at - BUCKET  # where to start next time, nothing fed yet
        if not alerting or all(volumes.get(t, 0.0) < min_volume for t in _range(at, last_open)):
            continue
        peek = detector_factory(metric, row.state or None)
        while at <= last_open:
            out = peek.update(at, series.get(at, 0.0))
            volume = volumes.get(at, 0.0)
            if volume >= min_volume:
                found = _signal(brand_id, metric, at, series.get(at, 0.0), out, volume, False)
                if found is not None:
                    signals.append(found)
            at += BUCKET
    return fed, signals


def _range(start: datetime, last: datetime) -> list[datetime]:
    found = []
    while start <= last:
        found.append(start)
        start += BUCKET
    return found


def run_radar(
    *, session: Session, now: datetime, brand_ids: Iterable[int] | None = None, base_url: str = ""
) -> RadarReport:
    """One pass over ``brand_ids`` (all brands with a series when None); raises alerts."""
    from tocsin.crisis.alerts import record_signals
    from tocsin.crisis.policies import radar_policies

    progress = lock_progress(session)
    report = RadarReport()
    mark = watermark(session=session, now=now, progress=progress)
    if mark is None:
        return report
    cutoff = bucket_of(mark - LATENESS)
    last_open = bucket_of(mark)
    if brand_ids is None:
        brand_ids = set(session.scalars(select(Brand.id)))
    chosen = sorted(set(brand_ids))
    states = _states(session, chosen)
    policies = radar_policies(session=session, brand_ids=chosen)
    for brand_id in chosen:
        fed, signals = scan_brand(
            session=session,
            brand_id=brand_id,
            cutoff=cutoff,
            last_open=last_open,
            min_volume=policies[brand_id].min_volume,
            states=states,
        )
        report.buckets_fed += fed
        report.signals.extend(signals)
        if signals:
            alert = record_signals(
                session=session, brand_id=brand_id, signals=signals, now=now, base_url=base_url
            )
            if alert is not None:
                report.alerts.append(alert.id)
    session.flush()
    return report
