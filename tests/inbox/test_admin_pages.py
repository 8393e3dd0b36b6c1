"""The /inbox/settings page: tabs by permission, CSRF-protected forms, escaping, fragments."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import csrf_from
from tocsin.accounts.models import User
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.models import AgentStatus
from tocsin.inbox.sla.models import BusinessCalendar
from tocsin.privacy.models import AuditLog


def _token(client: TestClient, tab: str) -> str:
    return csrf_from(client.get(f"/inbox/settings?tab={tab}").text)


def test_admin_sees_every_tab_and_forms_need_csrf(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    signed_in("admin")
    page = client.get("/inbox/settings")
    assert page.status_code == 200
    for tab in ("sla", "canned", "rules", "ack", "agents"):
        assert f'href="/inbox/settings?tab={tab}"' in page.text
    assert 'id="inbox-settings"' in client.get("/inbox").text

    no_csrf = client.post("/inbox/settings/calendars", data={"name": "Lyon"})
    assert no_csrf.status_code == 403
    token = _token(client, "sla")
    saved = client.post(
        "/inbox/settings/calendars",
        data={
            "csrf_token": token,
            "name": "<script>alert(1)</script>",
            "time_zone": "Europe/Paris",
            "weekly": "mon 09:00-12:00 13:00-18:00\nfri 09:00-17:00",
            "holidays": "2026-12-25, 2026-01-01",
        },
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("saved=1")
    with session_factory() as s:
        cal = s.scalars(select(BusinessCalendar)).one()
        assert cal.weekly == {
            "mon": [["09:00", "12:00"], ["13:00", "18:00"]],
            "fri": [["09:00", "17:00"]],
        }
        assert cal.holidays == ["2026-12-25", "2026-01-01"]
        assert s.scalars(select(AuditLog).where(AuditLog.action == "inbox.calendar.created")).one()
    listing = client.get("/inbox/settings?tab=sla").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert "<script>alert(1)" not in listing

    bad = client.post(
        "/inbox/settings/calendars",
        data={"csrf_token": token, "name": "Mars", "time_zone": "Mars/Olympus", "weekly": ""},
    )
    assert bad.status_code == 422 and "unknown time zone" in bad.text
    assert 'value="Mars"' in bad.text  # the form keeps what was typed

    policy = client.post(
        "/inbox/settings/policies",
        data={
            "csrf_token": token,
            "name": "X fast",
            "platform": "x",
            "first_response_minutes": "5",
            "resolution_minutes": "60",
            "calendar_id": str(cal.id),
        },
    )
    assert policy.status_code == 303
    assert "X fast" in client.get("/inbox/settings?tab=sla").text


def test_rules_tab_creates_moves_and_dry_runs(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    signed_in("manager")
    page = client.get("/inbox/settings")
    assert "tab=rules" in page.text and "tab=sla" not in page.text
    token = _token(client, "rules")
    bad = client.post(
        "/inbox/settings/rules",
        data={
            "csrf_token": token,
            "name": "broken",
            "event": "case.opened",
            "conditions": "{not json",
            "actions": '[{"type": "tag", "tags": ["a"]}]',
        },
    )
    assert bad.status_code == 422 and "/conditions: not JSON" in bad.text
    for name in ("first", "second"):
        ok = client.post(
            "/inbox/settings/rules",
            data={
                "csrf_token": token,
                "name": name,
                "event": "post.received",
                "conditions": '{"field": "post.platform", "op": "eq", "value": "x"}',
                "actions": '[{"type": "tag", "tags": ["x"]}]',
            },
        )
        assert ok.status_code == 303, ok.text
    with session_factory() as s:
        second = s.scalars(select(AutomationRule).where(AutomationRule.name == "second")).one()
    moved = client.post(
        f"/inbox/settings/rules/{second.id}/move", data={"csrf_token": token, "direction": "up"}
    )
    assert moved.status_code == 303
    with session_factory() as s:
        names = [
            r.name for r in s.scalars(select(AutomationRule).order_by(AutomationRule.position))
        ]
    assert names == ["second", "first"]
    fragment = client.get(f"/inbox/settings/rules/{second.id}/dry-run?days=7")
    assert fragment.status_code == 200 and f'id="dry-run-{second.id}"' in fragment.text
    assert (
        client.post(
            f"/inbox/settings/rules/{second.id}/enabled", data={"csrf_token": token}
        ).status_code
        == 303
    )
    with session_factory() as s:
        assert s.get(AutomationRule, second.id).enabled is False  # type: ignore[union-attr]
    assert (
        client.post(
            "/inbox/settings/canned", data={"csrf_token": token, "name": "a", "text": "b"}
        ).status_code
        == 403
    )


def test_agent_sets_own_status_and_previews_nothing_it_may_not(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    agent = signed_in("agent")
    page = client.get("/inbox/settings")
    assert "tab=agents" in page.text and "tab=rules" not in page.text
    token = _token(client, "agents")
    done = client.post(
        "/inbox/settings/status", data={"csrf_token": token, "status": "online", "on_call": "1"}
    )
    assert done.status_code == 303
    with session_factory() as s:
        row = s.get(AgentStatus, agent.id)
        assert row is not None and row.status == "online" and row.on_call
    assert (
        client.post(
            "/inbox/settings/ack/en/eta/preview", data={"csrf_token": token, "text": "x"}
        ).status_code
        == 403
    )


def test_ack_template_preview_fragment_escapes_and_saves(
    client: TestClient, signed_in: Callable[..., User]
) -> None:
    signed_in("admin")
    token = _token(client, "ack")
    preview = client.post(
        "/inbox/settings/ack/nl/eta/preview",
        data={"csrf_token": token, "text": "<i>Automatisch</i> {eta}"},
    )
    assert preview.status_code == 200
    assert "&lt;i&gt;Automatisch&lt;/i&gt; 45 minuten" in preview.text
    saved = client.post(
        "/inbox/settings/ack/nl/eta",
        data={"csrf_token": token, "text": "Automatisch bericht: {eta}."},
    )
    assert saved.status_code == 303
    assert "Automatisch bericht: {eta}." in client.get("/inbox/settings?tab=ack").text
