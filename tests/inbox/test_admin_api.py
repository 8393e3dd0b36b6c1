"""The inbox management API: CRUD, validation with field paths, permissions, audit entries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.accounts.models import User
from tocsin.enrichment.models import PostEnrichment
from tocsin.inbox.models import AgentStatus, Case
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.privacy.models import AuditLog
from tocsin.types import utcnow

API = "/api/v1/inbox"


def _bearer(
    make_user: Callable[..., User], make_token: Callable[..., str], role: str, scopes: list[str]
) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(make_user(role), scopes)}"}


def _audit(factory: sessionmaker[Session], action: str) -> list[AuditLog]:
    with factory() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action)))


def _errors(response: Any) -> dict[str, str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}


def test_calendars_crud_validation_and_audit(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    admin = _bearer(make_user, make_token, "admin", ["settings:manage"])
    body = {
        "name": "Paris office",
        "time_zone": "Europe/Paris",
        "weekly": {"mon": [["09:00", "18:00"]], "sat": [["10:00", "12:00"]]},
        "holidays": ["2026-12-25"],
    }
    created = client.post(f"{API}/calendars", json=body, headers=admin)
    assert created.status_code == 201, created.text
    cal = created.json()
    assert cal["holidays"] == ["2026-12-25"] and cal["time_zone"] == "Europe/Paris"

    bad = client.post(
        f"{API}/calendars",
        json={
            "name": "X",
            "time_zone": "Mars/Olympus",
            "weekly": {"mon": [["18:00", "09:00"]]},
            "holidays": ["25/12/2026"],
        },
        headers=admin,
    )
    assert bad.status_code == 422
    errors = _errors(bad)
    assert "unknown time zone" in errors["/time_zone"]
    assert "ends before it starts" in errors["/weekly"]
    assert "/holidays/0" in errors
    assert client.post(f"{API}/calendars", json=body, headers=admin).status_code == 409

    patched = client.patch(
        f"{API}/calendars/{cal['id']}", json={"time_zone": "America/New_York"}, headers=admin
    )
    assert patched.json()["time_zone"] == "America/New_York"
    assert (
        client.patch(f"{API}/calendars/{cal['id']}", json={"name": None}, headers=admin).status_code
        == 422
    )
    assert (
        client.get(f"{API}/calendars", headers=admin).json()["items"][0]["name"] == "Paris office"
    )
    assert client.get(f"{API}/calendars/999999", headers=admin).status_code == 404
    assert client.delete(f"{API}/calendars/{cal['id']}", headers=admin).status_code == 204
    assert client.get(f"{API}/calendars/{cal['id']}", headers=admin).status_code == 404

    entries = _audit(session_factory, "inbox.calendar.created")
    assert len(entries) == 1 and entries[0].target_id == str(cal["id"])
    assert _audit(session_factory, "inbox.calendar.updated")[0].detail == {
        "time_zone": "America/New_York"
    }
    assert len(_audit(session_factory, "inbox.calendar.deleted")) == 1


def test_policies_need_settings_manage_and_check_references(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    manager = _bearer(make_user, make_token, "manager", ["rules:manage", "replies:send"])
    assert client.get(f"{API}/sla-policies", headers=manager).status_code == 403
    admin = _bearer(make_user, make_token, "admin", ["settings:manage"])
    body = {
        "name": "VIP on X",
        "platform": "x",
        "min_priority": 70,
        "first_response_minutes": 5,
        "next_response_minutes": 10,
        "resolution_minutes": 120,
    }
    created = client.post(f"{API}/sla-policies", json=body, headers=admin)
    assert created.status_code == 201, created.text
    policy = created.json()
    assert policy["at_risk_ratio"] == 0.75 and policy["enabled"] is True

    bad = client.post(
        f"{API}/sla-policies",
        json={**body, "name": "other", "calendar_id": 424242, "at_risk_ratio": 1.5},
        headers=admin,
    )
    assert bad.status_code == 422 and set(_errors(bad)) == {"/at_risk_ratio"}
    missing = client.post(
        f"{API}/sla-policies", json={**body, "name": "o", "calendar_id": 424242}, headers=admin
    )
    assert set(_errors(missing)) == {"/calendar_id"}
    assert client.post(f"{API}/sla-policies", json={"name": "x"}, headers=admin).status_code == 422
    assert (
        client.post(
            f"{API}/sla-policies",
            content=b"{not json",
            headers={**admin, "content-type": "application/json"},
        ).status_code
        == 422
    )

    off = client.patch(f"{API}/sla-policies/{policy['id']}", json={"enabled": False}, headers=admin)
    assert off.json()["enabled"] is False
    assert (
        client.patch(
            f"{API}/sla-policies/{policy['id']}", json={"first_response_minutes": 0}, headers=admin
        ).status_code
        == 422
    )
    assert client.delete(f"{API}/sla-policies/{policy['id']}", headers=admin).status_code == 204
    assert client.delete(f"{API}/sla-policies/{policy['id']}", headers=admin).status_code == 404
    for action in ("created", "updated", "deleted"):
        assert len(_audit(session_factory, f"inbox.sla_policy.{action}")) == 1


def test_canned_replies_read_by_agents_managed_by_admins_with_preview(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    admin = _bearer(make_user, make_token, "admin", ["settings:manage", "replies:send"])
    agent_user = make_user("agent", name="Maya Agent")
    agent = {"Authorization": f"Bearer {make_token(agent_user, ['replies:send', 'cases:work'])}"}
    body = {"name": "delay", "lang": "en", "text": "Hi {first_name}, case #{case_id} - {agent}"}
    assert client.post(f"{API}/canned-replies", json=body, headers=agent).status_code == 403
    created = client.post(f"{API}/canned-replies", json=body, headers=admin)
    assert created.status_code == 201, created.text
    canned = created.json()
    assert client.post(f"{API}/canned-replies", json=body, headers=admin).status_code == 409
    unknown = client.post(
        f"{API}/canned-replies",
        json={**body, "lang": "fr", "text": "Bonjour {prenom}"},
        headers=admin,
    )
    assert "prenom" in _errors(unknown)["/text"]
    assert "/lang" in _errors(
        client.post(f"{API}/canned-replies", json={**body, "lang": "EN!"}, headers=admin)
    )

    listed = client.get(f"{API}/canned-replies?lang=en", headers=agent).json()["items"]
    assert [c["name"] for c in listed] == ["delay"]
    preview = client.post(
        f"{API}/canned-replies/preview", json={"canned_reply_id": canned["id"]}, headers=agent
    ).json()
    assert preview["text"] == "Hi Ana, case #123 - Maya"
    draft = client.post(
        f"{API}/canned-replies/preview", json={"text": "{oops} {handle}"}, headers=agent
    ).json()
    assert draft == {**draft, "text": "{oops} @ana.example", "unknown": ["oops"]}
    assert client.post(f"{API}/canned-replies/preview", json={}, headers=agent).status_code == 422
    assert (
        client.post(
            f"{API}/canned-replies/preview", json={"text": "x", "case_id": 999999}, headers=agent
        ).status_code
        == 404
    )

    patched = client.patch(
        f"{API}/canned-replies/{canned['id']}", json={"text": "Hello {name}"}, headers=admin
    )
    assert patched.json()["text"] == "Hello {name}"
    assert (
        client.patch(
            f"{API}/canned-replies/{canned['id']}", json={"text": "{bad}"}, headers=admin
        ).status_code
        == 422
    )
    assert client.delete(f"{API}/canned-replies/{canned['id']}", headers=agent).status_code == 403
    assert client.delete(f"{API}/canned-replies/{canned['id']}", headers=admin).status_code == 204
    for action in ("created", "updated", "deleted"):
        assert len(_audit(session_factory, f"inbox.canned_reply.{action}")) == 1


def _seed_posts(factory: sessionmaker[Session]) -> dict[str, int]:
    now = utcnow()
    ids = {}
    with factory() as s:
        for key, platform, sentiment, age in [
            ("recent_negative", "x", "negative", timedelta(days=1)),
            ("recent_positive", "x", "positive", timedelta(hours=3)),
            ("old_negative", "x", "negative", timedelta(days=20)),
        ]:
            report = ingest_posts(
                session=s,
                posts=[
                    CanonicalPost.model_validate(
                        {
                            "platform": platform,
                            "external_id": f"admin-{key}",
                            "text": f"hand-written {key} <b>post</b>",
                            "created_at": now - age,
                            "author": {"handle": f"{key}.author"},
                            "lang": "en",
                        }
                    )
                ],
            )
            post_id = report.outcomes[0].post_id
            assert post_id is not None
            s.add(
                PostEnrichment(
                    post_id=post_id,
                    lang="en",
                    sentiment=sentiment,
                    needs_reply=True,
                    priority=20,
                    intents=[],
                    complaint=True,
                )
            )
            ids[key] = post_id
        s.commit()
    return ids


def test_rules_crud_reorder_enable_and_dry_run(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    admin_only = _bearer(make_user, make_token, "admin", ["settings:manage"])
    assert client.get(f"{API}/rules", headers=admin_only).status_code == 403
    manager = _bearer(make_user, make_token, "manager", ["rules:manage"])
    negative = {"field": "enrichment.sentiment", "op": "eq", "value": "negative"}
    body = {
        "name": "negative",
        "event": "post.received",
        "conditions": negative,
        "actions": [{"type": "tag", "tags": ["unhappy"]}],
    }
    first = client.post(f"{API}/rules", json=body, headers=manager)
    assert first.status_code == 201, first.text
    second = client.post(
        f"{API}/rules", json={**body, "name": "vip", "conditions": {}}, headers=manager
    ).json()

    bad = client.post(
        f"{API}/rules",
        json={
            "name": "bad",
            "event": "case.no_reply",
            "conditions": {"field": "post.colour"},
            "actions": [{"type": "set_priority", "priority": 500}, {"type": "explode"}],
        },
        headers=manager,
    )
    assert bad.status_code == 422
    errors = _errors(bad)
    assert set(errors) >= {"/minutes", "/actions/0/priority", "/actions/1/type"}
    assert any(f.startswith("/conditions") for f in errors)
    assert "/event" in _errors(
        client.post(f"{API}/rules", json={**body, "event": "nope"}, headers=manager)
    )
    assert client.post(f"{API}/rules", json=body, headers=manager).status_code == 409

    rule_id = first.json()["id"]
    order = client.put(f"{API}/rules/order", json={"ids": [second["id"], rule_id]}, headers=manager)
    assert [r["id"] for r in order.json()["items"]] == [second["id"], rule_id]
    assert [r["position"] for r in order.json()["items"]] == [10, 20]
    assert (
        client.put(f"{API}/rules/order", json={"ids": [rule_id]}, headers=manager).status_code
        == 422
    )
    off = client.put(f"{API}/rules/{rule_id}/enabled", json={"enabled": False}, headers=manager)
    assert off.json()["enabled"] is False
    assert (
        client.patch(f"{API}/rules/{rule_id}", json={"actions": []}, headers=manager).status_code
        == 422
    )
    renamed = client.patch(
        f"{API}/rules/{rule_id}", json={"name": "negative posts"}, headers=manager
    )
    assert renamed.json()["name"] == "negative posts"

    posts = _seed_posts(session_factory)
    run = client.post(f"{API}/rules/{rule_id}/dry-run?days=7", headers=manager).json()
    assert run["count"] == 1 and run["matches"][0]["post_id"] == posts["recent_negative"]
    wide = client.post(f"{API}/rules/{rule_id}/dry-run?days=30", headers=manager).json()
    assert {m["post_id"] for m in wide["matches"]} == {
        posts["recent_negative"],
        posts["old_negative"],
    }
    assert client.post(f"{API}/rules/{rule_id}/dry-run?days=0", headers=manager).status_code == 422
    assert client.post(f"{API}/rules/999999/dry-run", headers=manager).status_code == 404

    assert client.delete(f"{API}/rules/{rule_id}", headers=manager).status_code == 204
    for action in ("created", "reordered", "disabled", "updated", "deleted"):
        assert _audit(session_factory, f"inbox.rule.{action}"), action


def test_ack_templates_save_preview_reset(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    admin = _bearer(make_user, make_token, "admin", ["settings:manage"])
    items = client.get(f"{API}/ack-templates", headers=admin).json()["items"]
    assert {(i["lang"], i["kind"]) for i in items} >= {("fr", "eta"), ("nl", "redirect")}
    assert not any(i["custom"] for i in items)
    preview = client.post(
        f"{API}/ack-templates/fr/eta/preview", json={"eta_minutes": 180}, headers=admin
    ).json()
    assert "automatique" in preview["text"] and "3 heures" in preview["text"]

    text = "Automatic message: we will answer within {eta}. Case {case_id}."
    saved = client.put(f"{API}/ack-templates/en/eta", json={"text": text}, headers=admin)
    assert saved.status_code == 200 and saved.json()["custom"] is True
    assert (
        client.post(f"{API}/ack-templates/en/eta/preview", json={}, headers=admin).json()["text"]
        == "Automatic message: we will answer within 45 minutes. Case 123."
    )
    assert "/text" in _errors(
        client.put(f"{API}/ack-templates/en/eta", json={"text": "{when}"}, headers=admin)
    )
    assert (
        client.put(f"{API}/ack-templates/en/later", json={"text": "x"}, headers=admin).status_code
        == 422
    )
    assert (
        client.put(f"{API}/ack-templates/EN/eta", json={"text": "x"}, headers=admin).status_code
        == 422
    )
    assert client.delete(f"{API}/ack-templates/en/eta", headers=admin).status_code == 204
    assert client.delete(f"{API}/ack-templates/en/eta", headers=admin).status_code == 404
    assert len(_audit(session_factory, "inbox.ack_template.saved")) == 1
    assert len(_audit(session_factory, "inbox.ack_template.reset")) == 1


def test_agents_set_their_own_status_and_hand_cases_on(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    agent = make_user("agent", name="Maya Agent")
    headers = {"Authorization": f"Bearer {make_token(agent, ['cases:work', 'cases:read'])}"}
    viewer = _bearer(make_user, make_token, "viewer", ["cases:read"])
    assert (
        client.put(f"{API}/agents/me/status", json={"status": "online"}, headers=viewer).status_code
        == 403
    )
    bad = client.put(f"{API}/agents/me/status", json={"status": "asleep"}, headers=headers)
    assert "/status" in _errors(bad)
    assert (
        client.put(
            f"{API}/agents/me/status", json={"status": "online", "on_call": True}, headers=headers
        ).json()["on_call"]
        is True
    )
    now = utcnow()
    with session_factory() as s:
        s.add(Case(platform="x", opened_at=now, last_inbound_at=now, assignee_id=agent.id))
        s.commit()
    away = client.put(f"{API}/agents/me/status", json={"status": "away"}, headers=headers)
    assert away.json() == {"user_id": agent.id, "status": "away", "on_call": True, "reassigned": 1}
    with session_factory() as s:
        row = s.get(AgentStatus, agent.id)
        assert row is not None and row.status == "away"
    listed = client.get(f"{API}/agents", headers=viewer).json()["items"]
    assert {"user_id": agent.id, "status": "away"}.items() <= next(
        a for a in listed if a["user_id"] == agent.id
    ).items()
    assert [e.detail["status"] for e in _audit(session_factory, "inbox.agent.status")] == [
        "online",
        "away",
    ]


def test_cookie_callers_need_the_csrf_token(
    client: TestClient, signed_in: Callable[..., User]
) -> None:
    signed_in("admin")
    refused = client.post(f"{API}/calendars", json={"name": "No token"})
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/csrf")
