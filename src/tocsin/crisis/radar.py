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

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tocsin.crisis.models import DetectorState, MetricBucket, RadarProgress
from tocsin.crisis.series import BUCKET, VOLUME_METRIC, bucket_of, load_values, series_metrics
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


def watermark(*, session: Session, now: datetime) -> datetime | None:
    """The newest mention's time, ignoring posts dated in the future."""
    value = session.scalar(
        select(func.max(PostBrand.post_created_at)).where(
            PostBrand.post_created_at <= now + timedelta(minutes=5)
        )
    )
    return as_utc(value) if value is not None else None


def _state_row(session: Session, brand_id: int, metric: str) -> DetectorState:
    row = session.scalar(
        select(DetectorState).where(
            DetectorState.brand_id == brand_id, DetectorState.metric == metric
        )
    )
    if row is None:
        row = DetectorState(brand_id=brand_id, metric=metric, state={})
        session.add(row)
    return row


def _first_bucket(session: Session, brand_id: int, metric: str) -> datetime | None:
    value = session.scalar(
        select(func.min(MetricBucket.bucket_start)).where(
            MetricBucket.brand_id == brand_id, MetricBucket.metric == metric
        )
    )
    return as_utc(value) if value is not None else None


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
    *, session: Session, brand_id: int, cutoff: datetime, last_open: datetime, min_volume: int
) -> tuple[int, list[Signal]]:
    """Feed the brand's closed buckets (before ``cutoff``), then peek up to ``last_open``."""
    fed = 0
    signals: list[Signal] = []
    volumes: dict[datetime, float] | None = None
    for metric in series_metrics(session=session, brand_id=brand_id):
        row = _state_row(session, brand_id, metric)
        start = (
            row.last_bucket + BUCKET
            if row.last_bucket
            else _first_bucket(session, brand_id, metric)
        )
        if start is None:
            continue
        start = max(as_utc(start), cutoff - MAX_GAP)
        if volumes is None:
            volumes = load_values(
                session=session,
                brand_id=brand_id,
                metric=VOLUME_METRIC,
                start=min(start, cutoff - BUCKET),
                end=last_open + BUCKET,
            )
        values = load_values(
            session=session, brand_id=brand_id, metric=metric, start=start, end=last_open + BUCKET
        )
        alerting = metric.split(":", 1)[0] in ALERTING_PREFIXES
        detector = detector_factory(metric, row.state or None)
        at = start
        while at < cutoff:
            value = values.get(at, 0.0)
            out = detector.update(at, value)
            volume = volumes.get(at, 0.0)
            if alerting and volume >= min_volume:
                found = _signal(brand_id, metric, at, value, out, volume, closed=True)
                if found is not None:
                    signals.append(found)
            row.last_bucket = at
            at += BUCKET
            fed += 1
        row.state = detector.to_state()
        if not alerting:
            continue
        peek = detector_factory(metric, row.state)
        while at <= last_open:
            value = values.get(at, 0.0)
            volume = volumes.get(at, 0.0)
            out = peek.update(at, value)
            if volume >= min_volume:
                found = _signal(brand_id, metric, at, value, out, volume, closed=False)
                if found is not None:
                    signals.append(found)
            at += BUCKET
    return fed, signals


def run_radar(
    *, session: Session, now: datetime, brand_ids: Iterable[int] | None = None, base_url: str = ""
) -> RadarReport:
    """One pass over ``brand_ids`` (all brands with a series when None); raises alerts."""
    from tocsin.crisis.alerts import record_signals
    from tocsin.crisis.policies import radar_policy

    lock_progress(session)
    report = RadarReport()
    mark = watermark(session=session, now=now)
    if mark is None:
        return report
    cutoff = bucket_of(mark - LATENESS)
    last_open = bucket_of(mark)
    if brand_ids is None:
        brand_ids = set(session.scalars(select(MetricBucket.brand_id).distinct()))
    for brand_id in sorted(set(brand_ids)):
        policy = radar_policy(session=session, brand_id=brand_id)
        fed, signals = scan_brand(
            session=session,
            brand_id=brand_id,
            cutoff=cutoff,
            last_open=last_open,
            min_volume=policy.min_volume,
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
