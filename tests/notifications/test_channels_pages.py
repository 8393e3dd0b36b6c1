"""Settings → Notifications: forms with CSRF, escaping, the secret shown once, tests, roles."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.notifications.conftest import add_policy, csrf_from
from tocsin.notifications.models import NotificationChannel
from tocsin.privacy.models import AuditLog

PAGE = "/settings/notifications"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _form(client, **data):
    token = csrf_from(client.get(PAGE).text)
    return client.post(PAGE, data={"csrf_token": token, **data})


def test_admin_adds_a_webhook_sees_the_secret_once_and_names_are_escaped(
    client, signed_in, session, http_receiver
):
    signed_in("admin")
    assert 'href="/settings/notifications"' in client.get("/settings").text
    page = client.get(PAGE)
    assert page.status_code == 200
    for kind in ("email", "slack", "teams", "webhook", "in_app"):
        assert f'<option value="{kind}"' in page.text
    assert 'name="recipients"' in page.text and 'name="signing_secret"' in page.text  # no-JS form

    created = _form(
        client,
        name=HOSTILE,
        kind="webhook",
        url=f"{http_receiver.url}/in",
        recipients="ignored@example.com",  # another kind's field, left filled without JS
        enabled="1",
    )
    assert created.status_code == 200, created.text
    secret = re.search(r'<code id="new-signing-secret">([^<]+)</code>', created.text).group(1)
    assert secret.startswith("whsec_")
    again = client.get(PAGE).text
    assert secret not in again and f"{http_receiver.url}/in" not in again
    assert HOSTILE not in again and "&lt;script&gt;alert(" in again
    channel = session.scalar(select(NotificationChannel))
    assert channel.name == HOSTILE and channel.config == {} and channel.enabled

    tested = client.post(
        f"{PAGE}/{channel.id}/test",
        data={"csrf_token": csrf_from(again)},
        headers={"HX-Request": "true"},
    )
    assert tested.status_code == 200 and "Test sent" in tested.text
    assert "<html" not in tested.text  # a fragment for htmx
    assert len(http_receiver.requests) == 1
    listed = client.get(PAGE).text
    assert "Tocsin test notification" in listed  # the recent deliveries


def test_forms_need_the_csrf_token(client, signed_in, session):
    signed_in("admin")
    refused = client.post(PAGE, data={"name": "x", "kind": "in_app"})
    assert refused.status_code == 403
    assert session.scalar(select(NotificationChannel)) is None


def test_a_bad_field_gives_one_line_and_keeps_the_values(client, signed_in, session):
    signed_in("admin")
    answer = _form(client, name="Slack", kind="slack", url="https://evil.example.com/services/x")
    assert answer.status_code == 422
    assert re.search(r'role="alert">url: a Slack incoming webhook starts with', answer.text)
    assert 'value="https://evil.example.com/services/x"' in answer.text
    assert 'data-kind-fields="slack"' in answer.text  # only the chosen kind's fields now
    assert _form(client, name="", kind="email").status_code == 422
    assert session.scalar(select(NotificationChannel)) is None


def test_kind_fields_fragment(client, signed_in):
    signed_in("admin")
    email = client.get(f"{PAGE}/fields", params={"kind": "email"}).text
    assert 'name="recipients"' in email and 'name="url"' not in email
    hook = client.get(f"{PAGE}/fields", params={"kind": "webhook"}).text
    assert 'name="url"' in hook and 'name="signing_secret"' in hook and "recipients" not in hook
    assert 'name="url"' not in client.get(f"{PAGE}/fields", params={"kind": "in_app"}).text


def test_edit_disable_and_delete_with_a_policy_in_the_way(
    client, signed_in, session, session_factory
):
    signed_in("admin")
    _form(client, name="Mail", kind="email", recipients="a@example.com\nb@example.com", enabled="1")
    channel = session.scalar(select(NotificationChannel))
    assert channel.enabled
    assert channel.config["recipients"] == ["a@example.com", "b@example.com"]
    page = client.get(f"{PAGE}/{channel.id}")
    saved = client.post(
        f"{PAGE}/{channel.id}",
        data={
            "csrf_token": csrf_from(page.text),
            "name": "Night mail",
            "recipients": "n@example.com",
        },
    )
    assert saved.status_code == 303
    session.expire_all()
    assert channel.name == "Night mail" and channel.config["recipients"] == ["n@example.com"]
    bad = client.post(
        f"{PAGE}/{channel.id}",
        data={"csrf_token": csrf_from(page.text), "name": "Night mail", "recipients": "nobody"},
    )
    assert bad.status_code == 422 and "recipients/0:" in bad.text

    token = csrf_from(page.text)
    client.post(f"{PAGE}/{channel.id}/enabled", data={"csrf_token": token, "enabled": "0"})
    session.expire_all()
    assert channel.enabled is False
    add_policy(session_factory, "Weekend <i>rota</i>", channel.id)
    refused = client.post(f"{PAGE}/{channel.id}/delete", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "Weekend &lt;i&gt;rota&lt;/i&gt;" in refused.text
    assert session.get(NotificationChannel, channel.id) is not None
    actions = session.scalars(
        select(AuditLog.action).where(AuditLog.target_type == "notification_channel")
    )
    assert sorted(actions) == [
        "notification_channel.create",
        "notification_channel.update",
        "notification_channel.update",
    ]


def test_rotating_a_webhook_secret_from_the_page(client, signed_in, session, http_receiver):
    signed_in("admin")
    first = _form(
        client,
        name="Hook",
        kind="webhook",
        url=http_receiver.url,
        signing_secret="0123456789abcdefXYZ",
    )
    assert first.status_code == 303  # nothing generated, nothing to show
    channel = session.scalar(select(NotificationChannel))
    detail = client.get(f"{PAGE}/{channel.id}")
    assert "0123456789abcdefXYZ" not in detail.text and "…fXYZ" in detail.text
    rotated = client.post(
        f"{PAGE}/{channel.id}",
        data={"csrf_token": csrf_from(detail.text), "name": "Hook", "rotate_signing_secret": "1"},
    )
    assert rotated.status_code == 200 and 'id="new-signing-secret"' in rotated.text


def test_agents_get_403_and_managers_only_look(client, signed_in, make_user, session):
    session.add(NotificationChannel(name="Bell", kind="in_app", config={}))
    session.commit()
    signed_in("manager")
    page = client.get(PAGE)
    assert page.status_code == 200 and "Bell" in page.text
    assert 'action="/settings/notifications"' not in page.text  # no add form
    assert (
        client.post(
            PAGE, data={"csrf_token": csrf_from(page.text), "name": "x", "kind": "in_app"}
        ).status_code
        == 403
    )
    client.post("/logout", data={"csrf_token": csrf_from(page.text)})

    signed_in("agent")
    assert client.get(PAGE).status_code == 403
    assert 'href="/settings/notifications"' not in client.get("/settings").text
