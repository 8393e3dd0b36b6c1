"""Incidents: the war room around a crisis, with an append-only timeline.

An incident opens from an alert (automatically when the alert reaches the brand policy's
``auto_incident`` severity, critical by default) or by hand.  Every change is also a timeline
entry: the alert, key posts, decisions, messages sent, status changes.

Example::

    incident = open_incident(session=s, brand_id=1, title="Outage", opened_by_id=me.id)
    add_event(session=s, incident_id=incident.id, kind="decision", text="Pause the campaign",
              actor_id=me.id)
    set_status(session=s, incident=incident, status="resolved", actor_id=me.id, now=utcnow())
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.crisis.events import IncidentOpened
from tocsin.crisis.incident_models import (
    Incident,
    IncidentEvent,
    IncidentLink,
    PlaybookItem,
    PlaybookTemplate,
)
from tocsin.crisis.models import Alert, RadarPolicy
from tocsin.crisis.policies import severity_rank
from tocsin.events.outbox import emit
from tocsin.ingestion.models import Post
from tocsin.types import utcnow

STATUSES = ("open", "monitoring", "resolved", "closed")
EVENT_KINDS = (
    "alert",
    "post",
    "case",
    "decision",
    "message",
    "status",
    "statement",
    "playbook",
    "communique",
    "note",
)
DEFAULT_PLAYBOOK = (
    "Name an owner and a spokesperson",
    "Confirm the facts with the teams concerned",
    "Draft and approve a holding statement",
    "Pause scheduled marketing posts",
    "Send the internal communiqué to staff",
    "Answer the most-shared posts",
    "Post an update at least every two hours",
    "Write the post-incident report",
)


class IncidentError(ValueError):
    """The incident cannot make that change; the message says why."""


def add_event(
    *,
    session: Session,
    incident_id: int,
    kind: str,
    text: str,
    actor_id: int | None = None,
    actor_label: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> IncidentEvent:
    """Append one timeline entry (entries are never updated or deleted)."""
    if kind not in EVENT_KINDS:
        raise IncidentError(f"unknown timeline kind {kind!r}: use one of {', '.join(EVENT_KINDS)}")
    event = IncidentEvent(
        incident_id=incident_id,
        kind=kind,
        text=text.strip()[:4000],
        actor_id=actor_id,
        actor_label=actor_label or ("Tocsin" if actor_id is None else ""),
        data=data or {},
        at=at or utcnow(),
    )
    session.add(event)
    session.flush()
    return event


def _playbook(session: Session, incident: Incident) -> None:
    templates = {
        t.brand_id: t
        for t in session.scalars(
            select(PlaybookTemplate).where(
                (PlaybookTemplate.brand_id == incident.brand_id)
                | PlaybookTemplate.brand_id.is_(None)
            )
        )
    }
    chosen = templates.get(incident.brand_id) or templates.get(None)
    items = list(chosen.items) if chosen is not None else list(DEFAULT_PLAYBOOK)
    for position, text in enumerate(items):
        session.add(PlaybookItem(incident_id=incident.id, position=position, text=str(text)[:500]))


def open_incident(
    *,
    session: Session,
    brand_id: int,
    title: str,
    severity: str = "warning",
    owner_id: int | None = None,
    opened_by_id: int | None = None,
    alert: Alert | None = None,
    summary: str = "",
) -> Incident:
    """Open an incident (from ``alert`` if given), with its playbook and first timeline entry."""
    if not title.strip():
        raise IncidentError("an incident needs a title")
    if severity_rank(severity) > 2:
        raise IncidentError("severity must be info, warning or critical")
    incident = Incident(
        brand_id=brand_id,
        title=title.strip()[:300],
        severity=severity,
        status="open",
        owner_id=owner_id,
        opened_by_id=opened_by_id,
        automatic=alert is not None and opened_by_id is None,
        summary=summary,
        opened_at=utcnow(),
    )
    session.add(incident)
    session.flush()
    _playbook(session, incident)
    add_event(
        session=session,
        incident_id=incident.id,
        kind="status",
        text="Incident opened"
        + (" automatically from a critical alert" if incident.automatic else ""),
        actor_id=opened_by_id,
        data={"status": "open"},
    )
    if alert is not None:
        attach_alert(session=session, incident=incident, alert=alert, actor_id=opened_by_id)
    emit(
        session,
        IncidentOpened(incident_id=incident.id, brand_id=brand_id, automatic=incident.automatic),
    )
    return incident


def attach_alert(
    *, session: Session, incident: Incident, alert: Alert, actor_id: int | None = None
) -> None:
    """Put ``alert`` (and its most-shared posts) on the incident's timeline."""
    alert.incident_id = incident.id
    add_event(
        session=session,
        incident_id=incident.id,
        kind="alert",
        text=f"{alert.title} — {alert.summary}",
        actor_id=actor_id,
        data={"alert_id": alert.id, "severity": alert.severity},
    )
    for shared in alert.explanation.get("most_shared", [])[:3]:
        link_post(
            session=session,
            incident=incident,
            post_id=int(shared["post_id"]),
            actor_id=actor_id,
            note="most shared in the spike",
        )


def maybe_open_incident(*, session: Session, alert: Alert, policy: RadarPolicy) -> Incident | None:
    """Open an incident for ``alert`` when its severity reaches the policy's threshold."""
    if alert.incident_id is not None or policy.auto_incident == "never":
        return None
    if severity_rank(alert.severity) < severity_rank(policy.auto_incident):
        return None
    return open_incident(
        session=session,
        brand_id=alert.brand_id,
        title=alert.title,
        severity=alert.severity,
        alert=alert,
        summary=alert.summary,
    )


def link_post(
    *,
    session: Session,
    incident: Incident,
    post_id: int,
    actor_id: int | None = None,
    note: str = "",
) -> IncidentLink | None:
    """Link a key post (once); it appears on the timeline."""
    post = session.get(Post, post_id)
    if post is None:
        raise IncidentError(f"there is no post #{post_id}")
    return _link(
        session,
        incident,
        "post",
        post_id,
        actor_id,
        note,
        f"Key post on {post.platform}: {post.text[:200]}",
    )


def link_case(
    *,
    session: Session,
    incident: Incident,
    case_id: int,
    actor_id: int | None = None,
    note: str = "",
) -> IncidentLink | None:
    """Link an inbox case by id (checked when the inbox is installed)."""
    try:
        from tocsin.inbox.models import Case
    except ImportError:  # pragma: no cover - the inbox ships with Tocsin
        Case = None  # type: ignore[assignment,misc]  # noqa: N806
    if Case is not None and session.get(Case, case_id) is None:
        raise IncidentError(f"there is no case #{case_id}")
    return _link(session, incident, "case", case_id, actor_id, note, f"Case #{case_id} linked")


def _link(
    session: Session,
    incident: Incident,
    kind: str,
    target_id: int,
    actor_id: int | None,
    note: str,
    text: str,
) -> IncidentLink | None:
    exists = session.scalar(
        select(IncidentLink).where(
            IncidentLink.incident_id == incident.id,
            IncidentLink.kind == kind,
            IncidentLink.target_id == target_id,
        )
    )
    if exists is not None:
        return None
    link = IncidentLink(
        incident_id=incident.id,
        kind=kind,
        target_id=target_id,
        note=note[:500],
        linked_by_id=actor_id,
    )
    session.add(link)
    add_event(
        session=session,
        incident_id=incident.id,
        kind=kind,
        text=text,
        actor_id=actor_id,
        data={"target_id": target_id, "note": note},
    )
    return link


def set_status(
    *, session: Session, incident: Incident, status: str, actor_id: int | None, now: datetime
) -> Incident:
    """Move the incident to ``status``; resolving it also resolves its open alerts."""
    if status not in STATUSES:
        raise IncidentError(f"status must be one of {', '.join(STATUSES)}")
    if status == incident.status:
        return incident
    previous = incident.status
    incident.status = status
    if status in ("resolved", "closed") and incident.resolved_at is None:
        incident.resolved_at = now
        from tocsin.crisis.alerts import resolve_alert

        for alert in session.scalars(
            select(Alert).where(Alert.incident_id == incident.id, Alert.status != "resolved")
        ):
            resolve_alert(
                session=session,
                alert=alert,
                user_id=actor_id,
                now=now,
                resolution=f"incident #{incident.id} {status}",
            )
    add_event(
        session=session,
        incident_id=incident.id,
        kind="status",
        text=f"Status: {previous} → {status}",
        actor_id=actor_id,
        data={"from": previous, "to": status},
    )
    return incident


def _who(session: Session, user_id: int | None) -> str:
    from tocsin.accounts.models import User

    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        return "nobody" if user_id is None else f"user #{user_id}"
    return user.name or user.email


def set_owner(
    *, session: Session, incident: Incident, owner_id: int | None, actor_id: int | None
) -> Incident:
    """Hand the incident to ``owner_id`` (None: nobody); the timeline says who did it.

    Example: ``set_owner(session=s, incident=i, owner_id=bob.id, actor_id=me.id)`` appends
    "Owner changed from Alice to Bob by Carol".
    """
    if owner_id == incident.owner_id:
        return incident
    previous = incident.owner_id
    text = f"Owner changed from {_who(session, previous)} to {_who(session, owner_id)}"
    incident.owner_id = owner_id
    add_event(
        session=session,
        incident_id=incident.id,
        kind="decision",
        text=f"{text} by {_who(session, actor_id)}" if actor_id is not None else text,
        actor_id=actor_id,
        data={"field": "owner_id", "from": previous, "to": owner_id},
    )
    return incident


def set_severity(
    *, session: Session, incident: Incident, severity: str, actor_id: int | None
) -> Incident:
    """Raise or lower the incident's severity (info, warning, critical), on the timeline."""
    if severity_rank(severity) > 2:
        raise IncidentError("severity must be info, warning or critical")
    if severity == incident.severity:
        return incident
    previous = incident.severity
    incident.severity = severity
    text = f"Severity changed from {previous} to {severity}"
    add_event(
        session=session,
        incident_id=incident.id,
        kind="decision",
        text=f"{text} by {_who(session, actor_id)}" if actor_id is not None else text,
        actor_id=actor_id,
        data={"field": "severity", "from": previous, "to": severity},
    )
    return incident


def set_title(
    *, session: Session, incident: Incident, title: str, actor_id: int | None
) -> Incident:
    """Rename the incident; the old title stays on the timeline."""
    title = title.strip()[:300]
    if not title:
        raise IncidentError("an incident needs a title")
    if title == incident.title:
        return incident
    previous = incident.title
    incident.title = title
    add_event(
        session=session,
        incident_id=incident.id,
        kind="note",
        text=f"Renamed from “{previous}” to “{title}”",
        actor_id=actor_id,
        data={"field": "title", "from": previous, "to": title},
    )
    return incident


def check_item(
    *,
    session: Session,
    incident: Incident,
    item_id: int,
    actor_id: int | None,
    done: bool,
    now: datetime,
) -> PlaybookItem:
    """Tick (or untick) a playbook item; who and when are kept, and put on the timeline."""
    item = session.get(PlaybookItem, item_id)
    if item is None or item.incident_id != incident.id:
        raise IncidentError("this playbook item belongs to another incident")
    item.done_at = now if done else None
    item.done_by_id = actor_id if done else None
    add_event(
        session=session,
        incident_id=incident.id,
        kind="playbook",
        text=("Done: " if done else "Reopened: ") + item.text,
        actor_id=actor_id,
        data={"item_id": item.id, "done": done},
    )
    return item


def timeline(*, session: Session, incident_id: int) -> list[IncidentEvent]:
    return list(
        session.scalars(
            select(IncidentEvent)
            .where(IncidentEvent.incident_id == incident_id)
            .order_by(IncidentEvent.at, IncidentEvent.id)
        )
    )


def playbook(*, session: Session, incident_id: int) -> list[PlaybookItem]:
    return list(
        session.scalars(
            select(PlaybookItem)
            .where(PlaybookItem.incident_id == incident_id)
            .order_by(PlaybookItem.position)
        )
    )


def list_incidents(*, session: Session, limit: int = 50) -> list[Incident]:
    return list(session.scalars(select(Incident).order_by(Incident.opened_at.desc()).limit(limit)))
