"""``POST /channels/{id}/test`` sends through the real sender now, to local receivers."""

from __future__ import annotations

import json

from sqlalchemy import select

from fakes.receivers import HttpReceiver, SmtpReceiver, _free_port
from tocsin.notifications.models import InAppNotification, NotificationDelivery
from tocsin.notifications.senders import DELIVERY_HEADER, SIGNATURE_HEADER, verify_signature
from tocsin.notifications.service import retry_due

BASE = "/api/v1/notifications/channels"


def test_webhook_test_is_signed_and_recorded_once_per_click(
    api_as, http_receiver: HttpReceiver, session, settings
):
    api = api_as("admin")
    created = api.post(
        BASE, json={"name": "SIEM", "kind": "webhook", "url": f"{http_receiver.url}/tocsin"}
    ).json()
    secret = created["signing_secret"]

    first = api.post(f"{BASE}/{created['id']}/test")
    second = api.post(f"{BASE}/{created['id']}/test")
    assert second.json()["ok"] is True
    assert first.status_code == 200, first.text
    assert first.json() == {
        "ok": True,
        "status": "sent",
        "error": None,
        "delivery_id": first.json()["delivery_id"],
    }
    assert len(http_receiver.requests) == 2
    got = http_receiver.requests[0]
    assert got.path == "/tocsin"
    assert verify_signature(secret, got.headers[SIGNATURE_HEADER], got.body)
    assert not verify_signature(
        "whsec_someone-else-entirely", got.headers[SIGNATURE_HEADER], got.body
    )
    body = json.loads(got.body)
    assert body["event"] == "tocsin.notification" and body["data"]["test"] is True
    keys = [r.headers[DELIVERY_HEADER] for r in http_receiver.requests]
    assert keys[0] != keys[1] and all(k.startswith(f"test:{created['id']}:") for k in keys)

    rows = session.scalars(select(NotificationDelivery).order_by(NotificationDelivery.id)).all()
    assert [(r.status, r.attempts, r.key) for r in rows] == [("sent", 1, k) for k in keys]
    listed = api.get("/api/v1/notifications/deliveries", params={"channel_id": created["id"]})
    assert [d["status"] for d in listed.json()["items"]] == ["sent", "sent"]


def test_a_refusing_receiver_gives_the_http_status_without_the_secret_url(
    api_as, http_receiver: HttpReceiver, session, settings
):
    http_receiver.status = 404
    api = api_as("admin")
    url = f"{http_receiver.url}/services/T1/B2/sEcReTpAtHxyz9"
    channel = api.post(BASE, json={"name": "Slack", "kind": "slack", "url": url}).json()
    outcome = api.post(f"{BASE}/{channel['id']}/test").json()
    assert outcome["ok"] is False and outcome["status"] == "failed"
    assert "HTTP 404" in outcome["error"] and "sEcReTpAtH" not in outcome["error"]
    assert outcome["error"].endswith("…/xyz9 answered HTTP 404")
    delivery = session.get(NotificationDelivery, outcome["delivery_id"])
    assert delivery.status == "failed" and "404" in delivery.last_error

    http_receiver.status = 200
    delivery.created_at = delivery.created_at.replace(year=2000)
    assert retry_due(session=session, settings=settings) == 0  # a test is never retried
    assert len(http_receiver.requests) == 1


def test_teams_test_reaches_the_local_receiver(api_as, http_receiver: HttpReceiver):
    api = api_as("admin")
    channel = api.post(BASE, json={"name": "T", "kind": "teams", "url": http_receiver.url}).json()
    assert api.post(f"{BASE}/{channel['id']}/test").json()["ok"] is True
    assert json.loads(http_receiver.requests[0].body)["type"] == "message"


def test_email_test_reaches_the_local_smtp_server(api_as, smtp_receiver: SmtpReceiver):
    api = api_as("admin", smtp_port=smtp_receiver.port)
    channel = api.post(
        BASE, json={"name": "Mail", "kind": "email", "recipients": ["oncall@example.com"]}
    ).json()
    outcome = api.post(f"{BASE}/{channel['id']}/test").json()
    assert outcome["ok"] is True, outcome
    assert smtp_receiver.collector.received.wait(5)
    message = smtp_receiver.messages[0]
    assert message["To"] == "oncall@example.com"
    assert message["Subject"] == "[Tocsin] Tocsin test notification"


def test_email_test_reports_an_smtp_server_that_is_not_there(api_as):
    api = api_as("admin", smtp_port=_free_port())
    channel = api.post(
        BASE, json={"name": "Mail", "kind": "email", "recipients": ["oncall@example.com"]}
    ).json()
    outcome = api.post(f"{BASE}/{channel['id']}/test").json()
    assert outcome["ok"] is False and outcome["error"].startswith("SMTP 127.0.0.1:")


def test_in_app_test_lands_in_the_callers_bell(api_as, session):
    api = api_as("admin")
    channel = api.post(BASE, json={"name": "Bell", "kind": "in_app"}).json()
    assert channel["target"] == ""
    outcome = api.post(f"{BASE}/{channel['id']}/test").json()
    assert outcome == {"ok": True, "status": "sent", "error": None, "delivery_id": None}
    note = session.scalar(select(InAppNotification))
    assert note is not None and note.user_id is not None and note.key.startswith("test:")


def test_deleting_a_channel_drops_its_delivery_history(api_as, http_receiver, session):
    api = api_as("admin")
    channel = api.post(BASE, json={"name": "S", "kind": "slack", "url": http_receiver.url}).json()
    api.post(f"{BASE}/{channel['id']}/test")
    assert session.scalar(select(NotificationDelivery)) is not None
    assert api.delete(f"{BASE}/{channel['id']}").status_code == 204
    session.expire_all()
    assert session.scalar(select(NotificationDelivery)) is None
