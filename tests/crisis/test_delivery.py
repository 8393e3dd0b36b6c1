"""The whole path through the workers: posts in, one alert out, to local SMTP and HTTP receivers."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from fakes.receivers import HttpReceiver, SmtpReceiver
from tests.crisis.conftest import T0, make_brand, mentions, quiet_history
from tocsin.config import Settings
from tocsin.crisis import tasks as crisis_tasks
from tocsin.crisis.alerts import acknowledge_alert
from tocsin.crisis.escalation import advance_escalations, create_policy
from tocsin.crisis.models import Alert
from tocsin.crisis.policies import set_radar_policy
from tocsin.events.outbox import Subscribers
from tocsin.listening import tasks as listening_tasks
from tocsin.notifications import tasks as notification_tasks
from tocsin.notifications.models import NotificationDelivery
from tocsin.notifications.senders import SIGNATURE_HEADER, verify_signature
from tocsin.notifications.service import create_channel
from tocsin.types import utcnow
from tocsin.workers.inprocess import InProcessWorkers

SECRET = "a-webhook-signing-secret-of-32-chars"


def _workers(settings: Settings, factory: sessionmaker[Session]) -> InProcessWorkers:
    subscribers = Subscribers()
    for module in (listening_tasks, crisis_tasks, notification_tasks):
        module.subscribe(subscribers, settings)
    return InProcessWorkers(settings, factory, subscribers=subscribers, jobs=[])


def _channels(
    session: Session, settings: Settings, http: HttpReceiver, smtp: SmtpReceiver
) -> list[int]:
    hook = create_channel(
        session=session,
        settings=settings,
        name="hook",
        kind="webhook",
        secret={"url": f"{http.url}/hook", "signing_secret": SECRET},
    )
    slack = create_channel(
        session=session,
        settings=settings,
        name="slack",
        kind="slack",
        secret={"url": f"{http.url}/slack"},
    )
    mail = create_channel(
        session=session,
        settings=settings,
        name="oncall",
        kind="email",
        config={"recipients": ["oncall@example.com"], "smtp_port": smtp.port},
    )
    return [hook.id, slack.id, mail.id]


def test_a_negative_burst_notifies_once_and_escalates_until_acknowledged(
    settings: Settings,
    session_factory: sessionmaker[Session],
    http_receiver: HttpReceiver,
    smtp_receiver: SmtpReceiver,
) -> None:
    with session_factory() as s:
        hook_id, slack_id, mail_id = _channels(s, settings, http_receiver, smtp_receiver)
        policy = create_policy(
            session=s,
            name="on-call",
            steps=[
                {"delay_minutes": 0, "channel_ids": [hook_id, slack_id]},
                {"delay_minutes": 15, "channel_ids": [mail_id]},
            ],
        )
        brand = make_brand(s)
        set_radar_policy(
            session=s, brand_id=brand.id, escalation_policy_id=policy.id, auto_incident="never"
        )
        quiet_history(s, brand="Lumio", start=T0, buckets=24)
        s.commit()
    workers = _workers(settings, session_factory)
    workers.run_once()
    start = T0 + timedelta(hours=2)
    for minute in range(0, 30, 3):  # ten deliveries of a growing storm
        with session_factory() as s:
            mentions(
                s,
                brand="Lumio",
                at=start + timedelta(minutes=minute),
                count=25,
                negative=True,
                spread=timedelta(minutes=2),
                text="cannot pay, app down, #LumioDown",
            )
            s.commit()
        workers.run_once()

    with session_factory() as s:
        alerts = list(s.scalars(select(Alert)))
        assert len(alerts) == 1
        alert = alerts[0]
        assert alert.escalation_step == 0 and alert.next_escalation_at is not None
    hooks = [r for r in http_receiver.requests if r.path == "/hook"]
    keys = [json.loads(r.body)["key"] for r in hooks]
    # one alert, told once, plus at most one "it got worse" message per severity level
    assert keys[0] == f"alert:{alert.id}:step:0"
    assert keys[1:] in ([], [f"alert:{alert.id}:critical:step:0"])
    assert verify_signature(SECRET, hooks[0].headers[SIGNATURE_HEADER], hooks[0].body)
    body = json.loads(hooks[0].body)
    assert body["key"] == f"alert:{alert.id}:step:0"
    assert body["data"]["alert_id"] == alert.id and "negative" in body["text"]
    assert len([r for r in http_receiver.requests if r.path == "/slack"]) == len(keys)
    assert smtp_receiver.messages == []  # step 1 is not due yet

    with session_factory() as s:
        assert advance_escalations(session=s, now=utcnow() + timedelta(minutes=16)) == 1
        s.commit()
    workers.run_once()
    assert smtp_receiver.collector.received.wait(5)
    assert len(smtp_receiver.messages) == 1
    assert "[Tocsin]" in smtp_receiver.messages[0]["Subject"]
    with session_factory() as s:
        alert = s.get(Alert, alert.id)
        assert alert is not None
        acknowledge_alert(session=s, alert=alert, user_id=None, now=utcnow())
        assert advance_escalations(session=s, now=utcnow() + timedelta(hours=2)) == 0
        sent = s.scalar(
            select(func.count())
            .select_from(NotificationDelivery)
            .where(NotificationDelivery.status == "sent")
        )
        assert sent == 2 * len(keys) + 1
