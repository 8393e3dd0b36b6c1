"""Who hears about an alert, how, and who next when nobody acknowledges it.

An :class:`~tocsin.crisis.models.EscalationPolicy` is a list of steps; step 0 goes out when the
alert opens, step *n* ``delay_minutes`` after step *n-1* while the alert is still ``open``.
Without a policy, step 0 goes to every enabled channel and to everyone in the app, and there is
no step 1.  Every message goes through :mod:`tocsin.notifications` with the key
``alert:{id}:step:{n}``, so a retried pass never notifies twice.

Example::

    policy = create_policy(session=s, name="on-call", steps=[
        {"delay_minutes": 0, "channel_ids": [slack.id], "user_ids": []},
        {"delay_minutes": 15, "channel_ids": [pager_email.id], "user_ids": [boss.id]},
    ])
    advance_escalations(session=s, now=utcnow())   # the periodic job
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.crisis.models import Alert, EscalationPolicy
from tocsin.notifications.message import Notification, Severity
from tocsin.notifications.models import NotificationChannel
from tocsin.notifications.service import queue_notification


class PolicyError(ValueError):
    """An escalation policy is malformed; the message says which step and why."""


def create_policy(*, session: Session, name: str, steps: list[dict[str, Any]]) -> EscalationPolicy:
    """Validate and store a policy (every referenced channel must exist)."""
    if not steps:
        raise PolicyError("a policy needs at least one step")
    clean: list[dict[str, Any]] = []
    for index, step in enumerate(steps):
        delay = int(step.get("delay_minutes", 0))
        channel_ids = [int(c) for c in step.get("channel_ids", [])]
        user_ids = [int(u) for u in step.get("user_ids", [])]
        if delay < 0 or (index > 0 and delay == 0):
            raise PolicyError(f"step {index}: delay_minutes must be positive after the first step")
        if not channel_ids and not user_ids:
            raise PolicyError(f"step {index}: name at least one channel or user")
        known = set(
            session.scalars(
                select(NotificationChannel.id).where(NotificationChannel.id.in_(channel_ids))
            )
        )
        if missing := set(channel_ids) - known:
            raise PolicyError(f"step {index}: unknown channel ids {sorted(missing)}")
        clean.append({"delay_minutes": delay, "channel_ids": channel_ids, "user_ids": user_ids})
    policy = EscalationPolicy(name=name, steps=clean)
    session.add(policy)
    session.flush()
    return policy


def _steps(session: Session, alert: Alert) -> list[dict[str, Any]]:
    policy = (
        session.get(EscalationPolicy, alert.escalation_policy_id)
        if alert.escalation_policy_id
        else None
    )
    if policy is not None and policy.steps:
        return list(policy.steps)
    channel_ids = list(
        session.scalars(select(NotificationChannel.id).where(NotificationChannel.enabled.is_(True)))
    )
    return [{"delay_minutes": 0, "channel_ids": channel_ids, "user_ids": [], "everyone": True}]


def alert_notification(alert: Alert, *, key: str, base_url: str) -> Notification:
    """The channel-neutral message for ``alert`` (subject, ten-second summary, key facts)."""
    facts = alert.explanation
    severity = cast(
        Severity, alert.severity if alert.severity in ("info", "warning", "critical") else "warning"
    )
    shown = {
        "Brand": alert.brand.name,
        "Severity": alert.severity,
        "Negative": f"{facts.get('negative_share', 0):.0%} "
        f"(usually {facts.get('usual_negative_share', 0):.0%})",
        "New authors": f"{facts.get('new_author_share', 0):.0%}",
    }
    terms = [*facts.get("hashtags", [])[:3], *facts.get("top_terms", [])[:4]]
    if terms:
        shown["Terms"] = ", ".join(dict.fromkeys(terms))
    return Notification(
        key=key,
        subject=alert.title,
        text=alert.summary,
        severity=severity,
        url=f"{base_url.rstrip('/')}/crisis/alerts/{alert.id}" if base_url else None,
        facts=shown,
        data={
            "alert_id": alert.id,
            "brand_id": alert.brand_id,
            "severity": alert.severity,
            "metrics": alert.metrics,
            "trigger_post_id": alert.trigger_post_id,
            "window_start": alert.window_start.isoformat(),
            "window_end": alert.window_end.isoformat(),
        },
    )


def _send(session: Session, alert: Alert, step: dict[str, Any], key: str, base_url: str) -> int:
    channels = list(
        session.scalars(
            select(NotificationChannel).where(
                NotificationChannel.id.in_(step.get("channel_ids", []))
            )
        )
    )
    user_ids: list[int | None] = [int(u) for u in step.get("user_ids", [])]
    if step.get("everyone"):
        user_ids = [None]
    note = alert_notification(alert, key=key, base_url=base_url)
    queue_notification(session=session, channels=channels, note=note, user_ids=user_ids)
    if alert.incident_id is not None:
        from tocsin.crisis.incidents import add_event

        add_event(
            session=session,
            incident_id=alert.incident_id,
            kind="message",
            text=f"Alert #{alert.id} sent ({key}) to {len(channels)} channel(s)",
            data={"key": key, "channel_ids": [c.id for c in channels]},
        )
    return len(channels)


def notify_step(
    *, session: Session, alert: Alert, step: int, now: datetime, base_url: str = ""
) -> None:
    """Send step ``step`` of the alert's escalation and schedule the next one."""
    steps = _steps(session, alert)
    if step >= len(steps):
        alert.next_escalation_at = None
        return
    _send(session, alert, steps[step], f"alert:{alert.id}:step:{step}", base_url)
    alert.escalation_step = step
    following = steps[step + 1] if step + 1 < len(steps) else None
    alert.next_escalation_at = (
        now + timedelta(minutes=int(following["delay_minutes"])) if following else None
    )


def notify_update(*, session: Session, alert: Alert, base_url: str = "") -> None:
    """Tell everyone already told that the alert got worse (once per severity level)."""
    for index, step in enumerate(_steps(session, alert)[: alert.escalation_step + 1]):
        _send(session, alert, step, f"alert:{alert.id}:{alert.severity}:step:{index}", base_url)


def advance_escalations(*, session: Session, now: datetime, base_url: str = "") -> int:
    """Move every unacknowledged alert whose next step is due; return how many moved."""
    due = list(
        session.scalars(
            select(Alert)
            .where(Alert.status == "open", Alert.next_escalation_at <= now)
            .order_by(Alert.next_escalation_at)
        )
    )
    for alert in due:
        notify_step(
            session=session, alert=alert, step=alert.escalation_step + 1, now=now, base_url=base_url
        )
    return len(due)
