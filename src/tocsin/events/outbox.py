"""Writing events to the outbox and dispatching them after commit.

``emit`` adds a row in the caller's transaction, so an event exists if and only if the change
that caused it was committed.  ``dispatch_pending`` delivers stored events to subscribers, marks
them done, and isolates each subscriber's failure.

Two kinds of subscriber: a *handler* gets one event; a *batch handler* gets every event of its
name in a pass (enrichment embeds a whole batch of posts at once).  When a batch handler fails,
it is called again one event at a time, so a poison event fails alone.

Example::

    emit(session, PostIngested(post_id=post.id, platform="x"))
    session.commit()
    dispatch_pending(session_factory, subscribers)
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.events.models import OutboxEvent
from tocsin.events.types import EVENT_TYPES, Event
from tocsin.types import utcnow

log = logging.getLogger(__name__)

Handler = Callable[[Session, Event, OutboxEvent], None]
BatchHandler = Callable[[Session, Sequence[Event]], None]


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
    """Handlers per event name."""

    handlers: dict[str, list[Handler]] = field(default_factory=lambda: defaultdict(list))
    batch_handlers: dict[str, list[BatchHandler]] = field(default_factory=lambda: defaultdict(list))
    #: Slow preparations (loading models) run once before the first dispatch, outside any
    #: transaction, so no write lock is held while they run.
    warmups: list[Callable[[], object]] = field(default_factory=list)

    def warm_up(self) -> None:
        for prepare in self.warmups:
            prepare()

    def subscribe(self, name: str, handler: Handler) -> None:
        self._check(name)
        self.handlers[name].append(handler)

    def subscribe_batch(self, name: str, handler: BatchHandler) -> None:
        self._check(name)
        self.batch_handlers[name].append(handler)

    def for_name(self, name: str) -> list[Handler]:
        return list(self.handlers.get(name, []))

    def batch_for_name(self, name: str) -> list[BatchHandler]:
        return list(self.batch_handlers.get(name, []))

    @staticmethod
    def _check(name: str) -> None:
        if name not in EVENT_TYPES:
            raise KeyError(f"unknown event {name!r}")


def dispatch_pending(
    session_factory: sessionmaker[Session],
    subscribers: Subscribers,
    *,
    limit: int = 200,
    max_attempts: int = 5,
) -> int:
    """Deliver up to ``limit`` stored events in one transaction; return how many.

    The limit keeps each transaction short: on SQLite it holds the write lock.

    On PostgreSQL rows are claimed with ``FOR UPDATE SKIP LOCKED`` so several workers can run
    this loop at once without delivering an event twice.
    """
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
        failed = deliver_many(session, subscribers, rows)
        now = utcnow()
        for row in rows:
            if row.id not in failed or row.attempts >= max_attempts:
                row.dispatched_at = now
        session.commit()
    return len(rows)


def deliver(session: Session, subscribers: Subscribers, row: OutboxEvent) -> bool:
    """Deliver one event; return True if a handler failed."""
    return row.id in deliver_many(session, subscribers, [row])


def deliver_many(
    session: Session, subscribers: Subscribers, rows: Sequence[OutboxEvent]
) -> set[int]:
    """Run every handler for ``rows``; return the ids of the rows where one failed.

    Handlers must be idempotent: at-least-once delivery may run them twice for one event.
    """
    failed: set[int] = set()
    events: list[tuple[OutboxEvent, Event]] = []
    for row in rows:
        row.attempts += 1
        event_type = EVENT_TYPES.get(row.name)
        if event_type is None:
            row.last_error = f"unknown event type {row.name!r}"
            failed.add(row.id)
            continue
        events.append((row, event_type.from_payload(row.payload)))

    by_name: dict[str, list[tuple[OutboxEvent, Event]]] = defaultdict(list)
    for row, event in events:
        by_name[row.name].append((row, event))
        for handler in subscribers.for_name(row.name):
            if not _run(session, row, lambda h=handler, e=event, r=row: h(session, e, r)):  # type: ignore[misc]
                failed.add(row.id)

    for name, items in by_name.items():
        for batch_handler in subscribers.batch_for_name(name):
            batch = [event for _row, event in items]
            try:
                with session.begin_nested():
                    batch_handler(session, batch)
                continue
            except Exception:  # noqa: BLE001 - retry one by one to isolate the culprit
                log.warning("batch handler %s failed; retrying one event at a time", name)
            for row, event in items:
                if not _run(session, row, lambda b=batch_handler, e=event: b(session, [e])):  # type: ignore[misc]
                    failed.add(row.id)
    return failed


def _run(session: Session, row: OutboxEvent, call: Callable[[], None]) -> bool:
    try:
        with session.begin_nested():
            call()
    except Exception as exc:
        row.last_error = f"{row.name}: {type(exc).__name__}: {exc}"[:2000]
        log.exception("event handler failed for %s #%s", row.name, row.id)
        return False
    return True
