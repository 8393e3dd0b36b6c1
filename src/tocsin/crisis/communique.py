"""The internal communiqué: what happened, what to say, where to point customers.

Sent to staff by e-mail (through the notification channels) and published at an unguessable
URL that needs no login (read-only, ``noindex``) so that any employee can relay the company's
answer.  A new version gets a new token; the old link then shows the newest version.

Example::

    note = write_communique(session=s, incident=incident, created_by_id=me.id,
                            what_happened="…", what_to_say="…", where_to_point="…")
    send_communique(session=s, communique=note, channels=[staff_email], base_url=settings.base_url)
    shared_url(note, base_url)      # https://…/shared/communiques/<token>
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.crisis.incident_models import Communique, Incident
from tocsin.crisis.incidents import add_event
from tocsin.notifications.message import Notification
from tocsin.notifications.models import NotificationChannel
from tocsin.notifications.service import queue_notification


class CommuniqueError(ValueError):
    """A communiqué is missing a part; the message names it."""


def write_communique(
    *,
    session: Session,
    incident: Incident,
    created_by_id: int | None,
    what_happened: str,
    what_to_say: str,
    where_to_point: str,
) -> Communique:
    """A new version of the incident's communiqué, published at a fresh token URL."""
    parts = {
        "what happened": what_happened,
        "what to say": what_to_say,
        "where to point customers": where_to_point,
    }
    for name, value in parts.items():
        if not value.strip():
            raise CommuniqueError(f"the communiqué needs '{name}'")
    previous = latest_communique(session=session, incident_id=incident.id)
    note = Communique(
        incident_id=incident.id,
        token=secrets.token_urlsafe(24),
        what_happened=what_happened.strip(),
        what_to_say=what_to_say.strip(),
        where_to_point=where_to_point.strip(),
        version=(previous.version + 1) if previous else 1,
        created_by_id=created_by_id,
    )
    session.add(note)
    session.flush()
    add_event(
        session=session,
        incident_id=incident.id,
        kind="communique",
        text=f"Internal communiqué v{note.version} published",
        actor_id=created_by_id,
        data={"communique_id": note.id},
    )
    return note


def latest_communique(*, session: Session, incident_id: int) -> Communique | None:
    return session.scalar(
        select(Communique)
        .where(Communique.incident_id == incident_id)
        .order_by(Communique.version.desc())
        .limit(1)
    )


def by_token(*, session: Session, token: str) -> Communique | None:
    """The newest published version of the communiqué behind ``token`` (any version's token)."""
    if not 20 <= len(token) <= 64:
        return None
    note = session.scalar(select(Communique).where(Communique.token == token))
    if note is None or not note.published:
        return None
    return latest_communique(session=session, incident_id=note.incident_id) or note


def shared_url(note: Communique, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/shared/communiques/{note.token}"


def send_communique(
    *,
    session: Session,
    communique: Communique,
    channels: Sequence[NotificationChannel],
    base_url: str,
    now: datetime,
    actor_id: int | None = None,
) -> int:
    """E-mail the communiqué to staff (once per channel and version); return channels used."""
    incident = session.get(Incident, communique.incident_id)
    assert incident is not None
    text = (
        f"What happened: {communique.what_happened}\n\n"
        f"What to say: {communique.what_to_say}\n\n"
        f"Where to point customers: {communique.where_to_point}"
    )
    note = Notification(
        key=f"communique:{communique.id}:v{communique.version}",
        subject=f"Internal communiqué — {incident.title}",
        text=text,
        severity="warning",
        url=shared_url(communique, base_url),
        facts={"Brand": incident.brand.name, "Version": str(communique.version)},
    )
    emails = [c for c in channels if c.kind == "email"]
    queue_notification(session=session, channels=emails, note=note)
    communique.sent_at = now
    add_event(
        session=session,
        incident_id=incident.id,
        kind="message",
        text=f"Communiqué v{communique.version} e-mailed to staff ({len(emails)} list(s))",
        actor_id=actor_id,
        data={"communique_id": communique.id},
    )
    return len(emails)
