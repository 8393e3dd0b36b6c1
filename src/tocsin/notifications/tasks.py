"""Worker wiring: send on ``NotificationQueued``; retry failures periodically."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers
from tocsin.events.types import Event
from tocsin.notifications.models import NotificationDelivery
from tocsin.notifications.service import NotificationQueued, retry_due, send_delivery
from tocsin.workers.registry import Job


def subscribe(subscribers: Subscribers, settings: Settings) -> None:
    def on_queued(session: Session, event: Event, _row: OutboxEvent) -> None:
        assert isinstance(event, NotificationQueued)
        delivery = session.get(NotificationDelivery, event.delivery_id)
        if delivery is not None:
            send_delivery(session=session, settings=settings, delivery=delivery)

    subscribers.subscribe(NotificationQueued.name, on_queued)


def _retry(factory: sessionmaker[Session], settings: Settings) -> str:
    with factory() as session:
        sent = retry_due(session=session, settings=settings)
        session.commit()
    return f"{sent} sent"


def jobs(settings: Settings) -> list[Job]:
    return [Job(name="notifications.retry", interval_seconds=30, run=_retry)]
