"""Queueing and delivering notifications.

``queue_notification`` writes one delivery row per channel (unique by channel and key, so an
alert retried by a worker never notifies twice) and emits ``NotificationQueued`` events; the
event handler sends right after commit, and a periodic job retries failures with backoff.

Example::

    queue_notification(session=s, channels=[email, slack], note=note)
    s.commit()   # the workers send it within a second
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.events.outbox import emit
from tocsin.events.types import Event
from tocsin.notifications.inapp import bell_row
from tocsin.notifications.message import Notification
from tocsin.notifications.models import (
    InAppNotification,
    NotificationChannel,
    NotificationDelivery,
)
from tocsin.notifications.senders import (
    DeliveryError,
    EmailSender,
    Sender,
    SlackSender,
    TeamsSender,
    WebhookSender,
)
from tocsin.privacy.secrets import SecretBox, SecretError
from tocsin.types import utcnow

log = logging.getLogger(__name__)

CHANNEL_KINDS = ("email", "slack", "teams", "webhook", "in_app")
MAX_ATTEMPTS = 6


@dataclass(frozen=True)
class NotificationQueued(Event):
    name: ClassVar[str] = "notification.queued"
    delivery_id: int


class ChannelError(ValueError):
    """A channel is misconfigured; the message says what to fix."""


def create_channel(
    *,
    session: Session,
    settings: Settings,
    name: str,
    kind: str,
    config: dict[str, Any] | None = None,
    secret: dict[str, str] | None = None,
) -> NotificationChannel:
    """Create a channel; ``secret`` (webhook URL, signing secret) is stored encrypted."""
    if kind not in CHANNEL_KINDS:
        raise ChannelError(f"unknown channel kind {kind!r}: use one of {', '.join(CHANNEL_KINDS)}")
    channel = NotificationChannel(name=name, kind=kind, config=config or {})
    if secret:
        channel.secret_encrypted = SecretBox(settings.secret_key).encrypt_json(secret)
    build_sender(channel, settings)  # validate now, not at the first alert
    session.add(channel)
    session.flush()
    return channel


SenderFactory = Callable[[NotificationChannel, Settings], Sender | None]


def build_sender(channel: NotificationChannel, settings: Settings) -> Sender | None:
    """The sender for ``channel``; None for in-app channels (stored, not sent)."""
    secret = (
        SecretBox(settings.secret_key).decrypt_json(channel.secret_encrypted)
        if channel.secret_encrypted
        else {}
    )
    try:
        if channel.kind == "email":
            recipients = channel.config.get("recipients", [])
            return EmailSender(
                host=str(channel.config.get("smtp_host", settings.smtp_host)),
                port=int(str(channel.config.get("smtp_port", settings.smtp_port))),
                sender=settings.smtp_sender,
                recipients=[str(r) for r in recipients] if isinstance(recipients, list) else [],
            )
        if channel.kind == "slack":
            return SlackSender(url=secret.get("url", ""))
        if channel.kind == "teams":
            return TeamsSender(url=secret.get("url", ""))
        if channel.kind == "webhook":
            return WebhookSender(url=secret.get("url", ""), secret=secret.get("signing_secret", ""))
    except ValueError as exc:
        raise ChannelError(f"channel {channel.name!r}: {exc}") from exc
    return None


def queue_notification(
    *,
    session: Session,
    channels: Sequence[NotificationChannel],
    note: Notification,
    user_ids: Sequence[int | None] = (),
) -> list[NotificationDelivery]:
    """Queue ``note`` for each channel (once per channel and key) and for in-app users."""
    created: list[NotificationDelivery] = []
    for channel in channels:
        if not channel.enabled:
            continue
        if channel.kind == "in_app":
            _in_app(session, note, user_ids or [None])
            continue
        existing = session.scalar(
            select(NotificationDelivery).where(
                NotificationDelivery.channel_id == channel.id, NotificationDelivery.key == note.key
            )
        )
        if existing is not None:
            continue
        delivery = NotificationDelivery(
            channel_id=channel.id, key=note.key, subject=note.subject, payload=note.to_dict()
        )
        session.add(delivery)
        session.flush()
        emit(session, NotificationQueued(delivery_id=delivery.id))
        created.append(delivery)
    if user_ids and not any(c.kind == "in_app" for c in channels):
        _in_app(session, note, user_ids)
    return created


def _in_app(session: Session, note: Notification, user_ids: Sequence[int | None]) -> None:
    for user_id in user_ids:
        exists = session.scalar(
            select(InAppNotification.id).where(
                InAppNotification.key == note.key,
                InAppNotification.user_id.is_(None)
                if user_id is None
                else InAppNotification.user_id == user_id,
            )
        )
        if exists is None:
            session.add(bell_row(note, user_id=user_id))


def send_delivery(
    *,
    session: Session,
    settings: Settings,
    delivery: NotificationDelivery,
    sender_factory: SenderFactory = build_sender,
) -> bool:
    """Send one delivery; record the outcome; True when it is sent (now or before)."""
    if delivery.status == "sent":
        return True
    delivery.attempts += 1
    try:
        sender = sender_factory(delivery.channel, settings)
        if sender is not None:
            sender.send(Notification.from_dict(dict(delivery.payload)))
    except (DeliveryError, ChannelError, SecretError) as exc:
        delivery.last_error = str(exc)[:2000]
        delivery.status = "failed" if delivery.attempts >= MAX_ATTEMPTS else "retrying"
        log.warning("notification %s to %s failed: %s", delivery.key, delivery.channel.name, exc)
        return False
    delivery.status = "sent"
    delivery.sent_at = utcnow()
    delivery.last_error = None
    return True


def retry_due(
    *, session: Session, settings: Settings, sender_factory: SenderFactory = build_sender
) -> int:
    """Retry deliveries that failed, with exponential backoff (30 s, 1, 2, 4, 8 min)."""
    now = utcnow()
    sent = 0
    rows = session.scalars(
        select(NotificationDelivery).where(NotificationDelivery.status == "retrying")
    )
    for delivery in rows:
        wait = timedelta(seconds=30 * 2 ** max(0, delivery.attempts - 1))
        if delivery.created_at + wait > now:
            continue
        sent += send_delivery(
            session=session, settings=settings, delivery=delivery, sender_factory=sender_factory
        )
    return sent
