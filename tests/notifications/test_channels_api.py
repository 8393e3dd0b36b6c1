"""Managing notification channels through ``/api/v1/notifications``: rules per kind, secrets
that never come back, 409 while a policy uses a channel, roles, audit."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.notifications.conftest import add_policy
from tocsin.config import Environment, Settings
from tocsin.notifications.admin_service import check_target
from tocsin.notifications.models import NotificationChannel, NotificationDelivery
from tocsin.privacy.models import AuditLog
from tocsin.privacy.secrets import SecretBox

SLACK = "https://hooks.slack.com/services/T0000/B0000/abcdefSECRETwxyz"
BASE = "/api/v1/notifications/channels"


def _errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_email_recipients_must_be_addresses(api_as):
    api = api_as("admin")
    bad = api.post(
        BASE, json={"name": "Mail", "kind": "email", "recipients": ["ok@example.com", "nope"]}
    )
    assert "nope" in _errors(bad)["/recipients/1"]
    assert "/recipients" in _errors(api.post(BASE, json={"name": "Mail", "kind": "email"}))
    header_injection = ["a@example.com\r\nBcc: x@example.com"]
    bad = api.post(BASE, json={"name": "M", "kind": "email", "recipients": header_injection})
    assert "/recipients/0" in _errors(bad)

    made = api.post(
        BASE,
        json={
            "name": "On-call mail",
            "kind": "email",
            "recipients": ["a@example.com", "A@example.com", "b@example.org"],
        },
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["recipients"] == ["a@example.com", "b@example.org"]  # duplicates dropped
    assert body["target"] == "a@example.com, b@example.org" and body["signing_secret"] is None
    assert _errors(
        api.post(
            BASE, json={"name": "on-call MAIL", "kind": "email", "recipients": ["c@example.com"]}
        )
    )["/name"]


def test_slack_and_teams_urls_are_checked_per_kind(api_as):
    api = api_as("admin")
    for kind, url in [
        ("slack", "https://example.com/services/x"),
        ("slack", "http://hooks.slack.com/services/x"),
        ("teams", "http://teams.example.com/hook"),
        ("webhook", "ftp://example.com/x"),
        ("webhook", "https://exa mple.com/x"),
        ("webhook", "http://169.254.169.254/latest/meta-data"),
        ("slack", None),
    ]:
        errors = _errors(api.post(BASE, json={"name": f"{kind}-x", "kind": kind, "url": url}))
        assert "/url" in errors, (kind, url)
    wrong_field = _errors(
        api.post(BASE, json={"name": "s", "kind": "slack", "url": SLACK, "recipients": ["a@b.co"]})
    )
    assert "/recipients" in wrong_field
    assert "/kind" in _errors(api.post(BASE, json={"name": "p", "kind": "pager"}))
    assert api.post(BASE, json={"name": "Slack", "kind": "slack", "url": SLACK}).status_code == 201
    teams = api.post(
        BASE, json={"name": "Teams", "kind": "teams", "url": "https://acme.webhook.office.com/x/y"}
    )
    assert teams.status_code == 201


@pytest.mark.parametrize("environment", [Environment.DEVELOPMENT, Environment.TEST])
def test_local_receivers_are_accepted_outside_production(environment):
    settings = Settings(environment=environment)
    _, errors = check_target(
        settings=settings,
        kind="slack",
        recipients=None,
        url="http://127.0.0.1:9/hook",
        signing_secret=None,
        creating=True,
    )
    assert errors == []


def test_local_receivers_are_refused_in_production():
    settings = Settings(environment=Environment.PRODUCTION, secret_key="x" * 40)
    for kind in ("slack", "teams", "webhook"):
        _, errors = check_target(
            settings=settings,
            kind=kind,
            recipients=None,
            url="http://localhost:8080/hook",
            signing_secret=None,
            creating=True,
        )
        assert errors and "development and test" in errors[0]["message"], kind


def test_secrets_are_encrypted_masked_and_never_echoed(api_as, session, settings):
    api = api_as("admin")
    created = api.post(BASE, json={"name": "Crisis Slack", "kind": "slack", "url": SLACK})
    assert created.status_code == 201
    channel_id = created.json()["id"]
    assert created.json()["target"] == "https://hooks.slack.com/…/wxyz"
    hook = api.post(
        BASE, json={"name": "SIEM", "kind": "webhook", "url": "https://siem.example.com/in/tok3n"}
    )
    generated = hook.json()["signing_secret"]
    assert generated.startswith("whsec_") and len(generated) > 30
    given = "my-own-signing-secret-1234"
    mine = api.post(
        BASE,
        json={
            "name": "Mine",
            "kind": "webhook",
            "url": "https://a.example.com/h",
            "signing_secret": given,
        },
    )
    assert mine.json()["signing_secret"] is None  # what the caller gave is not echoed
    assert mine.json()["signing_secret_hint"] == "…1234"

    answers = [
        api.get(BASE).text,
        api.get(f"{BASE}/{channel_id}").text,
        api.get(f"{BASE}/{hook.json()['id']}").text,
        api.patch(f"{BASE}/{channel_id}", json={"name": "Crisis Slack 2"}).text,
    ]
    for text in answers:
        assert "SECRETwxyz" not in text and "T0000" not in text
        assert generated not in text and given not in text and "tok3n" not in text
    row = session.get(NotificationChannel, channel_id)
    assert b"hooks.slack.com" not in row.secret_encrypted
    assert SecretBox(settings.secret_key).decrypt_json(row.secret_encrypted) == {"url": SLACK}
    audit = session.scalars(select(AuditLog).where(AuditLog.target_type == "notification_channel"))
    details = [json.dumps(a.detail) for a in audit]
    assert len(details) == 4  # three creations, one rename
    assert not any(s in d for d in details for s in ("SECRETwxyz", generated, given, "tok3n"))


def test_patch_renames_disables_changes_recipients_and_rotates(api_as, session, settings):
    api = api_as("admin")
    mail = api.post(BASE, json={"name": "Mail", "kind": "email", "recipients": ["a@example.com"]})
    mail_id = mail.json()["id"]
    changed = api.patch(
        f"{BASE}/{mail_id}",
        json={"name": "Night mail", "enabled": False, "recipients": ["night@example.com"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Night mail" and changed.json()["enabled"] is False
    assert changed.json()["recipients"] == ["night@example.com"]
    assert "/kind" in _errors(api.patch(f"{BASE}/{mail_id}", json={"kind": "slack"}))
    assert "/url" in _errors(api.patch(f"{BASE}/{mail_id}", json={"url": SLACK}))
    assert "/recipients/0" in _errors(api.patch(f"{BASE}/{mail_id}", json={"recipients": ["x"]}))
    assert api.get(f"{BASE}/{mail_id}").json()["name"] == "Night mail"  # nothing half-written

    hook = api.post(
        BASE, json={"name": "Hook", "kind": "webhook", "url": "https://h.example.com/a"}
    )
    hook_id, first = hook.json()["id"], hook.json()["signing_secret"]
    rotated = api.patch(f"{BASE}/{hook_id}", json={"rotate_signing_secret": True})
    second = rotated.json()["signing_secret"]
    assert second and second != first
    assert api.get(f"{BASE}/{hook_id}").json().get("signing_secret") is None
    moved = api.patch(f"{BASE}/{hook_id}", json={"url": "https://h2.example.com/b"})
    assert moved.json()["signing_secret"] is None
    stored = SecretBox(settings.secret_key).decrypt_json(
        session.get(NotificationChannel, hook_id).secret_encrypted
    )
    assert stored == {"url": "https://h2.example.com/b", "signing_secret": second}
    audit = session.scalars(
        select(AuditLog).where(AuditLog.action == "notification_channel.update")
    ).all()
    assert [a.detail["changed"] for a in audit] == [
        ["name", "enabled", "recipients"],
        ["signing_secret"],
        ["url"],
    ]


def test_delete_is_refused_while_a_policy_uses_the_channel(api_as, session_factory, session):
    api = api_as("admin")
    channel_id = api.post(BASE, json={"name": "Pager", "kind": "slack", "url": SLACK}).json()["id"]
    policy_id = add_policy(session_factory, "Night <b>shift</b>", channel_id)
    assert api.get(f"{BASE}/{channel_id}").json()["used_by"] == [
        {"id": policy_id, "name": "Night <b>shift</b>"}
    ]
    refused = api.delete(f"{BASE}/{channel_id}")
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert "Night <b>shift</b>" in refused.json()["detail"]
    assert refused.json()["errors"][0]["field"] == f"/escalation_policies/{policy_id}"
    assert session.get(NotificationChannel, channel_id) is not None

    with session_factory() as s:
        from tocsin.crisis.models import EscalationPolicy

        s.get(EscalationPolicy, policy_id).steps = [
            {"delay_minutes": 0, "channel_ids": [], "user_ids": [1]}
        ]
        s.commit()
    assert api.delete(f"{BASE}/{channel_id}").status_code == 204
    assert api.get(f"{BASE}/{channel_id}").status_code == 404


def test_roles(api_as):
    admin, manager, agent = api_as("admin"), api_as("manager"), api_as("agent")
    channel_id = admin.post(BASE, json={"name": "S", "kind": "slack", "url": SLACK}).json()["id"]
    assert manager.get(BASE).status_code == 200  # leads see channels and deliveries
    assert manager.get("/api/v1/notifications/deliveries").status_code == 200
    for api in (manager, agent):
        assert api.post(BASE, json={"name": "x", "kind": "in_app"}).status_code == 403
        assert api.patch(f"{BASE}/{channel_id}", json={"enabled": False}).status_code == 403
        assert api.delete(f"{BASE}/{channel_id}").status_code == 403
        assert api.post(f"{BASE}/{channel_id}/test").status_code == 403
    assert agent.get(BASE).status_code == 403
    assert agent.get("/api/v1/notifications/deliveries").status_code == 403
    assert admin.get(f"{BASE}/999999").status_code == 404


def test_deliveries_filter_and_page(api_as, session_factory):
    api = api_as("admin")
    a = api.post(BASE, json={"name": "A", "kind": "slack", "url": SLACK}).json()["id"]
    b = api.post(BASE, json={"name": "B", "kind": "slack", "url": SLACK}).json()["id"]
    with session_factory() as s:
        for n in range(5):
            s.add(NotificationDelivery(channel_id=a, key=f"k{n}", subject=f"S{n}", status="sent"))
        s.add(
            NotificationDelivery(
                channel_id=b, key="kb", subject="B", status="failed", last_error="HTTP 404"
            )
        )
        s.commit()
    first = api.get("/api/v1/notifications/deliveries", params={"channel_id": a, "limit": 3}).json()
    assert [d["subject"] for d in first["items"]] == ["S4", "S3", "S2"]
    rest = api.get(
        "/api/v1/notifications/deliveries",
        params={"channel_id": a, "limit": 3, "cursor": first["next_cursor"]},
    ).json()
    assert [d["subject"] for d in rest["items"]] == ["S1", "S0"] and rest["next_cursor"] is None
    failed = api.get("/api/v1/notifications/deliveries", params={"status": "failed"}).json()
    assert [(d["channel_name"], d["last_error"]) for d in failed["items"]] == [("B", "HTTP 404")]
    listed = {c["name"]: c for c in api.get(BASE).json()}
    assert listed["B"]["last_delivery"]["status"] == "failed"
    bad = api.get("/api/v1/notifications/deliveries", params={"status": "lost", "cursor": "x"})
    assert {"/status", "/cursor"} <= set(_errors(bad))


def test_inbox_escalations_flag_reaches_the_inbox_escalation(api_as, session):
    """``tocsin.inbox.routing`` pages the channels whose config says ``inbox_escalations``."""
    api = api_as("admin")
    made = api.post(
        BASE, json={"name": "Care lead", "kind": "slack", "url": SLACK, "inbox_escalations": True}
    )
    assert made.json()["inbox_escalations"] is True
    channel = session.get(NotificationChannel, made.json()["id"])
    assert channel.config == {"inbox_escalations": True}
    off = api.patch(f"{BASE}/{channel.id}", json={"inbox_escalations": False})
    assert off.json()["inbox_escalations"] is False
