"""Writing events to the outbox and dispatching them after commit.

``emit`` adds a row in the caller's transaction, so an event exists if and only if the change
that caused it was committed.  ``dispatch_pending`` delivers stored events to subscribers, marks
them done, and isolates each subscriber's failure.

Example::

    emit(session, PostIngested(post_id=post.id, platform="x"))
    session.commit()
    dispatch_pending(session_factory, registry)
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.events.models import OutboxEvent
from tocsin.events.types import EVENT_TYPES, Event
from tocsin.types import utcnow

log = logging.getLogger(__name__)

Handler = Callable[[Session, Event, OutboxEvent], None]


def emit(session: Session, event: Event, *, caused_by_automation: bool = False) -> OutboxEvent:
    """Store ``event`` in the outbox as part of the session's transaction."""
    row = OutboxEvent(
        name=event.name,
        payload=event.to_payload(),
        caused_by_automation=caused_by_automation,
        created_at=utcnow(),
    )
    session.add(row)
    return row


@dataclass
class Subscribers:
    """Handlers per event name. Each handler runs in its own transaction."""

    handlers: dict[str, list[Handler]] = field(default_factory=lambda: defaultdict(list))

    def subscribe(self, name: str, handler: Handler) -> None:
        if name not in EVENT_TYPES:
            raise KeyError(f"unknown event {name!r}")
        self.handlers[name].append(handler)

    def for_name(self, name: str) -> list[Handler]:
        return list(self.handlers.get(name, []))


def dispatch_pending(
    session_factory: sessionmaker[Session],
    subscribers: Subscribers,
    *,
    limit: int = 500,
    max_attempts: int = 5,
) -> int:
    """Deliver up to ``limit`` stored events; return how many were handled.

    On PostgreSQL rows are claimed with ``FOR UPDATE SKIP LOCKED`` so several workers can run
    this loop at once without delivering an event twice.
    """
    handled = 0
    with session_factory() as session:
        stmt = (
            select(OutboxEvent)
            .where(OutboxEvent.dispatched_at.is_(None), OutboxEvent.attempts < max_attempts)
            .order_by(OutboxEvent.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        rows = list(session.scalars(stmt))
        for row in rows:
            failed = deliver(session, subscribers, row)
            if not failed or row.attempts >= max_attempts:
                row.dispatched_at = utcnow()
            handled += 1
        session.commit()
    return handled


def deliver(session: Session, subscribers: Subscribers, row: OutboxEvent) -> bool:
    """Run every handler of ``row``'s event, each in a savepoint; return True if one failed.

    Handlers must be idempotent: at-least-once delivery may run them twice for one event.
    """
    row.attempts += 1
    event_type = EVENT_TYPES.get(row.name)
    if event_type is None:
        row.last_error = f"unknown event type {row.name!r}"
        return True
    event = event_type.from_payload(row.payload)
    failed = False
    for handler in subscribers.for_name(row.name):
        try:
            with session.begin_nested():
                handler(session, event, row)
        except Exception as exc:
            failed = True
            row.last_error = f"{getattr(handler, '__name__', handler)}: {exc}"[:2000]
            log.exception("event handler failed for %s #%s", row.name, row.id)
    return failed
