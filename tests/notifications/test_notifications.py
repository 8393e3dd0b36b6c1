import json

import pytest
from sqlalchemy import select

from tocsin.events.outbox import dispatch_pending
from tocsin.notifications.message import Notification
from tocsin.notifications.models import InAppNotification, NotificationDelivery
from tocsin.notifications.senders import SIGNATURE_HEADER, sign, verify_signature
from tocsin.notifications.service import (
    ChannelError,
    create_channel,
    queue_notification,
    retry_due,
)
from tocsin.workers.registry import build_subscribers

NOTE = Notification(
    key="alert:1",
    subject="Spike: 412 mentions of Lumio <b>in 5 min</b>",
    text="4.8x the usual. Top terms: #LumioDown & outage <script>x</script>",
    severity="critical",
    url="http://127.0.0.1:8000/crisis/alerts/1",
    facts={"Brand": "Lumio", "Negative share": "81%"},
)


def deliver(session_factory, settings):
    return dispatch_pending(session_factory, build_subscribers(settings))


def test_email_reaches_local_smtp_server_with_escaped_html(
    session, session_factory, settings, smtp_receiver
):
    channel = create_channel(
        session=session,
        settings=settings,
        name="oncall-mail",
        kind="email",
        config={"recipients": ["oncall@example.com"], "smtp_port": smtp_receiver.port},
    )
    queue_notification(session=session, channels=[channel], note=NOTE)
    session.commit()
    deliver(session_factory, settings)

    assert smtp_receiver.collector.received.wait(5)
    message = smtp_receiver.messages[0]
    assert message["Subject"].startswith("[Tocsin] Spike")
    html_part = next(p for p in message.walk() if p.get_content_type() == "text/html")
    html = html_part.get_payload(decode=True).decode()
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("kind", ["slack", "teams"])
def test_chat_webhooks_get_their_documented_shapes(
    kind, session, session_factory, settings, http_receiver
):
    channel = create_channel(
        session=session,
        settings=settings,
        name=f"{kind}-crisis",
        kind=kind,
        secret={"url": http_receiver.url + "/hook"},
    )
    queue_notification(session=session, channels=[channel], note=NOTE)
    session.commit()
    deliver(session_factory, settings)

    body = json.loads(http_receiver.requests[0].body)
    if kind == "slack":
        assert body["text"].endswith("&lt;b&gt;in 5 min&lt;/b&gt;")
        assert body["blocks"][0]["type"] == "header"
    else:
        assert body["type"] == "message"
        card = body["attachments"][0]
        assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
        assert card["content"]["type"] == "AdaptiveCard"


def test_signed_webhook_verifies_and_retries_are_idempotent(
    session, session_factory, settings, http_receiver
):
    secret = "s3cret-signing-key-123"
    channel = create_channel(
        session=session,
        settings=settings,
        name="siem",
        kind="webhook",
        secret={"url": http_receiver.url, "signing_secret": secret},
    )
    queue_notification(session=session, channels=[channel], note=NOTE)
    queue_notification(session=session, channels=[channel], note=NOTE)  # a retried alert
    session.commit()
    deliver(session_factory, settings)

    assert len(http_receiver.requests) == 1
    request = http_receiver.requests[0]
    assert verify_signature(secret, request.headers[SIGNATURE_HEADER], request.body)
    assert not verify_signature(
        "other-secret-123456", request.headers[SIGNATURE_HEADER], request.body
    )
    assert not verify_signature(secret, request.headers[SIGNATURE_HEADER], request.body + b" ")
    old = sign(secret, request.body, timestamp=1_000_000)
    assert not verify_signature(secret, old, request.body)  # replayed long after


def test_failed_delivery_is_retried_later(session, session_factory, settings, http_receiver):
    http_receiver.status = 503
    channel = create_channel(
        session=session,
        settings=settings,
        name="flaky",
        kind="slack",
        secret={"url": http_receiver.url},
    )
    queue_notification(session=session, channels=[channel], note=NOTE)
    session.commit()
    deliver(session_factory, settings)
    delivery = session.scalar(select(NotificationDelivery))
    session.refresh(delivery)
    assert delivery.status == "retrying" and "503" in delivery.last_error

    http_receiver.status = 200
    delivery.created_at = delivery.created_at.replace(year=2000)
    assert retry_due(session=session, settings=settings) == 1
    assert delivery.status == "sent"


def test_in_app_notifications_once_per_user(session, settings):
    channel = create_channel(session=session, settings=settings, name="bell", kind="in_app")
    queue_notification(session=session, channels=[channel], note=NOTE)
    queue_notification(session=session, channels=[channel], note=NOTE)
    assert len(session.scalars(select(InAppNotification)).all()) == 1


def test_misconfigured_channel_is_refused(session, settings):
    with pytest.raises(ChannelError, match="https://"):
        create_channel(
            session=session,
            settings=settings,
            name="bad",
            kind="slack",
            secret={"url": "ftp://x"},
        )
    with pytest.raises(ChannelError, match="unknown channel kind"):
        create_channel(session=session, settings=settings, name="bad2", kind="pager")
