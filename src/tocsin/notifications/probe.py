"""Sending a test notification through a channel now, to see whether it really works.

A test is a real delivery row (so it shows in the channel's recent deliveries) with a key unique
to the click, sent synchronously and never retried. It runs in two steps so that no database
transaction is held open while a slow SMTP server or webhook is being waited for:

Example::

    probe = prepare_test(session=s, settings=settings, channel=slack, user_id=me.id)
    s.commit()                                  # release the write lock before the network
    outcome = run_test(probe)                   # ok=False, error='… answered HTTP 404'
    s.commit()                                  # records the outcome on the delivery row
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.notifications.inapp import bell_row
from tocsin.notifications.message import Notification
from tocsin.notifications.models import (
    NotificationChannel,
    NotificationDelivery,
)
from tocsin.notifications.schemas import ChannelTestResult
from tocsin.notifications.senders import DeliveryError, Sender
from tocsin.notifications.service import ChannelError, SenderFactory, build_sender
from tocsin.privacy.secrets import SecretError
from tocsin.types import utcnow

TEST_SUBJECT = "Tocsin test notification"


@dataclass
class Probe:
    """A test about to be sent: the delivery row, and the sender (None when it cannot be built)."""

    delivery: NotificationDelivery | None
    note: Notification
    sender: Sender | None
    #: Why the sender could not be built; the outcome is then already known.
    error: str | None = None


def build_test_note(*, channel: NotificationChannel, base_url: str) -> Notification:
    return Notification(
        key=f"test:{channel.id}:{uuid.uuid4().hex}",
        subject=TEST_SUBJECT,
        text=(
            f"This is a test of the notification channel {channel.name!r}. "
            "If you can read it, alerts will reach you here too."
        ),
        severity="info",
        url=f"{base_url.rstrip('/')}/settings/notifications" if base_url else None,
        facts={"Channel": channel.name, "Kind": channel.kind},
        data={"test": True, "channel_id": channel.id},
    )


def prepare_test(
    *,
    session: Session,
    settings: Settings,
    channel: NotificationChannel,
    user_id: int | None,
    sender_factory: SenderFactory = build_sender,
) -> Probe:
    """Store the test delivery (or, for an in-app channel, the user's notification)."""
    note = build_test_note(channel=channel, base_url=settings.base_url)
    if channel.kind == "in_app":
        session.add(bell_row(note, user_id=user_id))
        return Probe(delivery=None, note=note, sender=None)
    delivery = NotificationDelivery(
        channel_id=channel.id,
        key=note.key,
        subject=note.subject,
        payload=note.to_dict(),
        status="pending",
        attempts=0,
    )
    delivery.channel = channel
    session.add(delivery)
    session.flush()
    try:
        sender = sender_factory(channel, settings)
    except (ChannelError, SecretError) as exc:
        return Probe(delivery=delivery, note=note, sender=None, error=str(exc))
    return Probe(delivery=delivery, note=note, sender=sender)


def run_test(probe: Probe) -> ChannelTestResult:
    """Send now and record the outcome on the delivery row (the caller commits)."""
    error = probe.error
    if error is None and probe.sender is not None:
        try:
            probe.sender.send(probe.note)
        except DeliveryError as exc:
            error = str(exc)
    delivery = probe.delivery
    if delivery is not None:
        delivery.attempts += 1
        delivery.status = "failed" if error else "sent"
        delivery.last_error = error[:2000] if error else None
        delivery.sent_at = None if error else utcnow()
    return ChannelTestResult(
        ok=error is None,
        status="failed" if error else "sent",
        error=error,
        delivery_id=delivery.id if delivery is not None else None,
    )
