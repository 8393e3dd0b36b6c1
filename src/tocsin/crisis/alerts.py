"""Alerts: one per spike episode of a brand, explained, de-duplicated and cooled down.

A signal (a detector said "alert" for a bucket) either updates the brand's open alert when it
falls within ``episode_gap_minutes`` of that alert's last signal, or opens a new alert unless the
brand's last alert ended less than ``cooldown_minutes`` before (event time): ten spiking buckets
or five spiking metrics of one outage make *one* alert, which grows stronger as it goes.

Example::

    alert = record_signals(session=s, brand_id=1, signals=report.signals, now=utcnow())
    acknowledge_alert(session=s, alert=alert, user_id=me.id)
    resolve_alert(session=s, alert=alert, user_id=me.id, resolution="status page fixed")
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tocsin.crisis.events import AlertAcknowledged, SpikeDetected
from tocsin.crisis.explain import explain_window, summary_line
from tocsin.crisis.models import Alert
from tocsin.crisis.policies import radar_policy, severity_rank
from tocsin.crisis.radar import Signal
from tocsin.crisis.series import BUCKET
from tocsin.events.outbox import emit
from tocsin.listening.models import PostBrand
from tocsin.types import as_utc

METRIC_LABELS = {
    "volume": "mentions",
    "negative_volume": "negative mentions",
    "negative_share": "negative share",
    "unique_authors": "authors",
    "reshares": "reshares",
}
NEGATIVE_METRICS = ("negative_volume", "negative_share")
#: Re-read the posts for the explanation when the window grew by this much.
REEXPLAIN_AFTER = timedelta(minutes=15)
CONTEXT_BEFORE = timedelta(minutes=10)


class AlertStateError(ValueError):
    """The alert cannot make that move (e.g. acknowledging a resolved alert)."""


def severity_for(metrics: dict[str, Any], explanation: dict[str, Any]) -> str:
    """Severity from the detectors' scores, which metrics fired and how far the posts reach.

    One point each for: a score of 0.95 or more; a negative metric firing; five times the usual
    volume; a reach over 100,000 followers.  Three points are critical, one is a warning.
    """
    points = 0
    if max((float(m.get("score", 0)) for m in metrics.values()), default=0.0) >= 0.95:
        points += 1
    if any(name in metrics for name in NEGATIVE_METRICS):
        points += 1
    volume = metrics.get("volume")
    usual = float(explanation.get("usual_per_bucket") or 0)
    if volume is not None and float(volume["value"]) >= 5 * max(
        float(volume["expected"]), usual, 1.0
    ):
        points += 1
    if int(explanation.get("reach") or 0) >= 100_000:
        points += 1
    return "critical" if points >= 3 else "warning" if points >= 1 else "info"


def _title(brand_name: str, metrics: dict[str, Any]) -> str:
    name, best = max(metrics.items(), key=lambda item: float(item[1]["score"]))
    label = METRIC_LABELS.get(name, name.replace(":", " "))
    if name == "negative_share":
        return (
            f"{brand_name}: negative share at {best['value']:.0%} (usually {best['expected']:.0%})"
        )
    return f"{brand_name}: {best['value']:.0f} {label} in 5 min ({best['expected']:.0f} expected)"


def _merge(alert: Alert, signal: Signal) -> None:
    metrics = dict(alert.metrics)
    current = metrics.get(signal.metric)
    if (
        current is None
        or signal.score > float(current["score"])
        or signal.value > float(current["value"])
    ):
        metrics[signal.metric] = {
            "value": signal.value,
            "expected": round(signal.expected, 3),
            "score": round(signal.score, 4),
            "bucket_start": signal.bucket_start.isoformat(),
            "detector": signal.explanation[:300],
        }
    alert.metrics = metrics
    alert.score = max(alert.score, signal.score)


def _trigger_post(
    session: Session, brand_id: int, bucket: datetime
) -> tuple[int | None, datetime | None]:
    """The newest post counted in ``bucket``: the one that tipped the series over."""
    row = session.execute(
        select(func.max(PostBrand.post_id), func.max(PostBrand.post_created_at)).where(
            PostBrand.brand_id == brand_id,
            PostBrand.post_created_at >= bucket,
            PostBrand.post_created_at < bucket + BUCKET,
        )
    ).one()
    return row[0], as_utc(row[1]) if row[1] is not None else None


def explain(session: Session, alert: Alert) -> None:
    """(Re)compute the alert's explanation, summary, title and severity from its posts."""
    facts = explain_window(
        session=session,
        brand_id=alert.brand_id,
        start=as_utc(alert.window_start),
        end=as_utc(alert.window_end),
    )
    if alert.explanation.get("narrative"):
        facts["narrative"] = alert.explanation["narrative"]
    alert.explanation = facts
    alert.summary = summary_line(facts)
    alert.title = _title(alert.brand.name, alert.metrics)
    alert.severity = severity_for(alert.metrics, facts)


def _open_alert(session: Session, brand_id: int) -> Alert | None:
    return session.scalar(
        select(Alert)
        .where(Alert.brand_id == brand_id, Alert.status.in_(("open", "acknowledged")))
        .order_by(Alert.window_end.desc())
        .limit(1)
    )


def _last_alert(session: Session, brand_id: int) -> Alert | None:
    return session.scalar(
        select(Alert).where(Alert.brand_id == brand_id).order_by(Alert.window_end.desc()).limit(1)
    )


def record_signals(
    *, session: Session, brand_id: int, signals: Sequence[Signal], now: datetime, base_url: str = ""
) -> Alert | None:
    """Fold ``signals`` (one brand) into its alerts; return the last alert touched."""
    from tocsin.crisis.escalation import notify_step, notify_update
    from tocsin.crisis.incidents import maybe_open_incident

    policy = radar_policy(session=session, brand_id=brand_id)
    gap = timedelta(minutes=policy.episode_gap_minutes)
    cooldown = timedelta(minutes=policy.cooldown_minutes)
    touched: Alert | None = None
    for signal in sorted(signals, key=lambda s: (s.bucket_start, -s.score)):
        end = signal.bucket_start + BUCKET
        alert = _open_alert(session, brand_id)
        if alert is not None and signal.bucket_start <= as_utc(alert.window_end) + gap:
            before = alert.severity
            explained_until = as_utc(alert.window_end)
            _merge(alert, signal)
            alert.signals += 1
            alert.window_end = max(explained_until, end)
            alert.updated_at = now
            explained = alert.explanation.get("window_end")
            explained_until = (
                as_utc(datetime.fromisoformat(explained)) if explained else explained_until
            )
            if as_utc(alert.window_end) - explained_until >= REEXPLAIN_AFTER:
                explain(session, alert)
            else:
                alert.severity = severity_for(alert.metrics, alert.explanation)
            if severity_rank(alert.severity) < severity_rank(before):
                alert.severity = before  # an episode never calms down by itself
            if severity_rank(alert.severity) > severity_rank(before):
                session.flush()
                maybe_open_incident(session=session, alert=alert, policy=policy)
                notify_update(session=session, alert=alert, base_url=base_url)
                emit(session, SpikeDetected(alert.id, brand_id, alert.severity, new=False))
            touched = alert
            continue
        last = _last_alert(session, brand_id)
        if last is not None and signal.bucket_start < as_utc(last.window_end) + cooldown:
            continue  # the same storm, after someone resolved it: stay quiet
        trigger_id, trigger_at = _trigger_post(session, brand_id, signal.bucket_start)
        alert = Alert(
            brand_id=brand_id,
            status="open",
            window_start=signal.bucket_start - CONTEXT_BEFORE,
            window_end=end,
            trigger_post_id=trigger_id,
            trigger_at=trigger_at,
            metrics={},
            explanation={},
            signals=1,
            score=0.0,
            escalation_step=0,
            created_at=now,
            updated_at=now,
            escalation_policy_id=policy.escalation_policy_id,
        )
        session.add(alert)
        _merge(alert, signal)
        session.flush()
        session.refresh(alert, ["brand"])
        explain(session, alert)
        session.flush()
        maybe_open_incident(session=session, alert=alert, policy=policy)
        notify_step(session=session, alert=alert, step=0, now=now, base_url=base_url)
        emit(session, SpikeDetected(alert.id, brand_id, alert.severity, new=True))
        touched = alert
    return touched


def acknowledge_alert(
    *, session: Session, alert: Alert, user_id: int | None, now: datetime
) -> Alert:
    """Stop the escalation: someone is on it."""
    if alert.status == "resolved":
        raise AlertStateError("this alert is resolved already")
    if alert.status == "open":
        alert.status = "acknowledged"
        alert.acknowledged_at = now
        alert.acknowledged_by_id = user_id
        alert.next_escalation_at = None
        alert.updated_at = now
        emit(session, AlertAcknowledged(alert_id=alert.id, user_id=user_id))
    return alert


def resolve_alert(
    *, session: Session, alert: Alert, user_id: int | None, now: datetime, resolution: str = ""
) -> Alert:
    """Close the episode; the cooldown keeps the same storm from re-opening it at once."""
    if alert.status != "resolved":
        alert.status = "resolved"
        alert.resolved_at = now
        alert.resolved_by_id = user_id
        alert.resolution = resolution.strip()[:2000]
        alert.next_escalation_at = None
        alert.updated_at = now
    return alert


def list_alerts(*, session: Session, open_only: bool = False, limit: int = 50) -> list[Alert]:
    stmt = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)
    if open_only:
        stmt = stmt.where(Alert.status.in_(("open", "acknowledged")))
    return list(session.scalars(stmt))
