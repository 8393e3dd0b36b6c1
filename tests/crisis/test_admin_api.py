"""The crisis management API: escalation and radar policies, templates, incident changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.crisis.conftest import make_brand
from tocsin.accounts.models import User
from tocsin.brands.models import Brand
from tocsin.crisis.incident_models import Incident
from tocsin.crisis.incidents import open_incident, playbook, timeline
from tocsin.crisis.statements import BUILTIN_TEMPLATES, draft_statement
from tocsin.notifications.models import NotificationChannel
from tocsin.privacy.models import AuditLog

API = "/api/v1/crisis"
ALL = ["alerts:read", "incidents:manage"]


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user("manager", name="Alice Lead")


@pytest.fixture
def auth(manager: User, make_token: Callable[..., str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(manager, ALL)}"}


def _channel(factory: sessionmaker[Session], name: str, *, enabled: bool = True) -> int:
    with factory() as s:
        row = NotificationChannel(name=name, kind="in_app", config={}, enabled=enabled)
        s.add(row)
        s.commit()
        return int(row.id)


def _brand(factory: sessionmaker[Session], name: str = "Lumio") -> Brand:
    with factory() as s:
        brand = make_brand(s, name)
        s.commit()
        return brand


def _audits(factory: sessionmaker[Session], action: str) -> list[AuditLog]:
    with factory() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action)))


def _fields(response: Any) -> list[str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return [e["field"] for e in response.json().get("errors", [])]


def test_escalation_policies_validate_with_pointers_and_refuse_conflicts(
    client: TestClient,
    auth: dict[str, str],
    manager: User,
    make_user: Callable[..., User],
    session_factory: sessionmaker[Session],
) -> None:
    slack = _channel(session_factory, "slack")
    off = _channel(session_factory, "old pager", enabled=False)
    gone = make_user("manager")
    with session_factory() as s:
        s.get(User, gone.id).is_active = False  # type: ignore[union-attr]
        s.commit()
    url = f"{API}/escalation-policies"

    assert _fields(client.post(url, json={"name": "x", "steps": []}, headers=auth)) == ["/steps"]
    bad = client.post(
        url,
        json={
            "name": "On call",
            "steps": [
                {"delay_minutes": 0, "channel_ids": [slack], "user_ids": [gone.id]},
                {"delay_minutes": 0, "channel_ids": [slack, off, 99999], "user_ids": []},
                {"delay_minutes": 10},
            ],
        },
        headers=auth,
    )
    assert bad.status_code == 422
    assert _fields(bad) == [
        "/steps/0/user_ids/0",
        "/steps/1/delay_minutes",
        "/steps/1/channel_ids/1",
        "/steps/1/channel_ids/2",
        "/steps/2",
    ]
    assert _fields(
        client.post(url, json={"name": "n", "steps": [{"delay_minutes": -1}]}, headers=auth)
    ) == ["/steps/0/delay_minutes"]

    body = {
        "name": "On call",
        "steps": [
            {"delay_minutes": 0, "channel_ids": [slack], "user_ids": []},
            {"delay_minutes": 15, "channel_ids": [], "user_ids": [manager.id]},
        ],
    }
    created = client.post(url, json=body, headers=auth)
    assert created.status_code == 201, created.text
    policy = created.json()
    assert policy["steps"][1] == {"delay_minutes": 15, "channel_ids": [], "user_ids": [manager.id]}
    duplicate = client.post(url, json={**body, "name": "ON CALL"}, headers=auth)
    assert duplicate.status_code == 409 and _fields(duplicate) == ["/name"]

    assert client.get(f"{url}/{policy['id']}", headers=auth).json()["name"] == "On call"
    assert client.get(f"{url}/99999", headers=auth).status_code == 404
    renamed = client.patch(f"{url}/{policy['id']}", json={"name": "Night shift"}, headers=auth)
    assert renamed.status_code == 200 and renamed.json()["steps"] == policy["steps"]

    used = client.put(
        f"{API}/radar-policies/default",
        json={"escalation_policy_id": policy["id"]},
        headers=auth,
    )
    assert used.status_code == 200
    assert client.get(f"{url}/{policy['id']}", headers=auth).json()["used_by"] == ["default"]
    refused = client.delete(f"{url}/{policy['id']}", headers=auth)
    assert refused.status_code == 409 and "default" in refused.json()["detail"]
    client.put(f"{API}/radar-policies/default", json={}, headers=auth)
    assert client.delete(f"{url}/{policy['id']}", headers=auth).status_code == 204
    assert client.get(url, headers=auth).json() == []
    actions = [
        "crisis.escalation_policy.create",
        "crisis.escalation_policy.update",
        "crisis.escalation_policy.delete",
    ]
    for action in actions:
        assert len(_audits(session_factory, action)) == 1, action


def test_an_agent_reads_but_gets_403_on_every_change(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    brand = _brand(session_factory)
    agent = make_user("agent")
    headers = {"Authorization": f"Bearer {make_token(agent, ['alerts:read'])}"}
    assert client.get(f"{API}/escalation-policies", headers=headers).status_code == 200
    assert client.get(f"{API}/radar-policies/{brand.slug}", headers=headers).status_code == 200
    assert client.get(f"{API}/statement-templates/default", headers=headers).status_code == 200
    changes = [
        ("POST", f"{API}/escalation-policies", {"name": "x", "steps": [{"delay_minutes": 0}]}),
        ("PUT", f"{API}/radar-policies/default", {"min_volume": 3}),
        ("DELETE", f"{API}/radar-policies/default", None),
        ("PUT", f"{API}/statement-templates/default/en", {"body": "Hi {brand}"}),
        ("PUT", f"{API}/playbook-templates/default", {"items": ["a"]}),
        ("PATCH", f"{API}/incidents/1", {"severity": "critical"}),
    ]
    for method, url, body in changes:
        response = client.request(method, url, json=body, headers=headers)
        assert response.status_code == 403, (method, url, response.status_code)


def test_radar_policies_fall_back_and_validate(
    client: TestClient, auth: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    brand = _brand(session_factory)
    own = f"{API}/radar-policies/{brand.slug}"
    first = client.get(own, headers=auth).json()
    assert first["source"] == "builtin" and first["min_volume"] == 8
    client.put(f"{API}/radar-policies/default", json={"min_volume": 12}, headers=auth)
    assert client.get(own, headers=auth).json() | {"source": "default", "min_volume": 12} == (
        client.get(own, headers=auth).json()
    )
    put = client.put(
        own, json={"auto_incident": "never", "cooldown_minutes": 30, "min_volume": 40}, headers=auth
    )
    assert put.status_code == 200
    assert put.json()["source"] == "brand" and put.json()["auto_incident"] == "never"
    listed = {row["scope"]: row for row in client.get(f"{API}/radar-policies", headers=auth).json()}
    assert listed["default"]["min_volume"] == 12 and listed[brand.slug]["min_volume"] == 40

    invalid = client.put(
        own,
        json={"auto_incident": "sometimes", "min_volume": 0, "escalation_policy_id": None},
        headers=auth,
    )
    assert invalid.status_code == 422 and _fields(invalid) == ["/auto_incident", "/min_volume"]
    missing = client.put(own, json={"escalation_policy_id": 4242}, headers=auth)
    assert missing.status_code == 422 and _fields(missing) == ["/escalation_policy_id"]
    assert client.get(f"{API}/radar-policies/nope", headers=auth).status_code == 404
    assert client.put(f"{API}/radar-policies/nope", json={}, headers=auth).status_code == 404

    assert client.delete(own, headers=auth).status_code == 204
    assert client.get(own, headers=auth).json()["source"] == "default"
    assert client.delete(own, headers=auth).status_code == 404
    assert len(_audits(session_factory, "crisis.radar_policy.update")) == 2


def test_statement_templates_show_builtins_override_per_brand_and_refuse_bad_placeholders(
    client: TestClient, auth: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    brand = _brand(session_factory)
    shared = client.get(f"{API}/statement-templates/default", headers=auth).json()
    assert [row["lang"] for row in shared] == ["en", "fr", "es", "nl"]
    assert all(row["source"] == "builtin" for row in shared)
    assert shared[1]["body"] == BUILTIN_TEMPLATES["fr"]

    url = f"{API}/statement-templates/{brand.slug}/fr"
    unknown = client.put(url, json={"body": "Bonjour {foo} de {brand}"}, headers=auth)
    assert unknown.status_code == 422 and _fields(unknown) == ["/body"]
    assert "{foo}" in unknown.json()["detail"]
    for body, culprit in (
        ("Panne {brand", "parse"),
        ("Panne }", "parse"),
        ("{brand.__class__}", "{brand.__class__}"),
        ("{0}", "{0}"),
        ("{brand!r}", "{brand!r}"),
    ):
        refused = client.put(url, json={"body": body}, headers=auth)
        assert refused.status_code == 422 and culprit in refused.json()["detail"], body
    german = client.put(f"{API}/statement-templates/default/de", json={"body": "x"}, headers=auth)
    assert german.status_code == 422 and _fields(german) == ["/lang"]
    saved = client.put(url, json={"body": "{brand} : {issue}, suite {next_update}."}, headers=auth)
    assert saved.status_code == 200 and saved.json()["source"] == "brand"
    english = client.get(f"{API}/statement-templates/{brand.slug}/en", headers=auth).json()
    assert english["source"] == "builtin" and not english["own"]

    with session_factory() as s:
        incident = open_incident(session=s, brand_id=brand.id, title="Panne")
        draft = draft_statement(session=s, incident=incident, lang="fr", drafted_by_id=None)
        assert draft.text == "Lumio : a problem, suite the next hour."

    preview = client.post(
        f"{API}/statement-templates/preview",
        json={"body": "{brand}: {issue}", "brand": brand.slug, "values": {"issue": "an outage"}},
        headers=auth,
    )
    assert preview.json() == {"text": "Lumio: an outage"}
    bad_preview = client.post(
        f"{API}/statement-templates/preview",
        json={"body": "{brand}", "values": {"foo": "x"}},
        headers=auth,
    )
    assert bad_preview.status_code == 422 and _fields(bad_preview) == ["/values/foo"]
    assert client.delete(url, headers=auth).status_code == 204
    assert client.delete(url, headers=auth).status_code == 404


def test_playbook_templates_apply_to_new_incidents(
    client: TestClient, auth: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    brand = _brand(session_factory)
    url = f"{API}/playbook-templates/{brand.slug}"
    assert client.get(url, headers=auth).json()["source"] == "builtin"
    assert _fields(client.put(url, json={"items": ["  ", ""]}, headers=auth)) == ["/items"]
    assert _fields(client.put(url, json={"items": ["ok", "x" * 501]}, headers=auth)) == ["/items/1"]
    saved = client.put(url, json={"items": [" Call legal ", "", "Brief the CEO"]}, headers=auth)
    assert saved.json()["items"] == ["Call legal", "Brief the CEO"]
    with session_factory() as s:
        incident = open_incident(session=s, brand_id=brand.id, title="Recall")
        assert [i.text for i in playbook(session=s, incident_id=incident.id)] == [
            "Call legal",
            "Brief the CEO",
        ]


def test_patching_an_incident_puts_each_change_on_the_timeline(
    client: TestClient,
    auth: dict[str, str],
    manager: User,
    make_user: Callable[..., User],
    session_factory: sessionmaker[Session],
) -> None:
    brand = _brand(session_factory)
    bob = make_user("manager", name="Bob Second")
    agent = make_user("agent", name="Agent Smith")
    with session_factory() as s:
        incident = open_incident(session=s, brand_id=brand.id, title="Outage", owner_id=manager.id)
        s.commit()
        incident_id = incident.id
    url = f"{API}/incidents/{incident_id}"
    assert client.patch(f"{API}/incidents/99999", json={}, headers=auth).status_code == 404
    not_manager = client.patch(url, json={"owner_id": agent.id}, headers=auth)
    assert not_manager.status_code == 422 and _fields(not_manager) == ["/owner_id"]
    assert _fields(client.patch(url, json={"severity": "apocalyptic"}, headers=auth)) == [
        "/severity"
    ]

    changed = client.patch(
        url,
        json={"owner_id": bob.id, "severity": "critical", "status": "monitoring", "title": "Big"},
        headers=auth,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["owner_id"], body["severity"], body["status"], body["title"]) == (
        bob.id,
        "critical",
        "monitoring",
        "Big",
    )
    texts = [entry["text"] for entry in body["timeline"]]
    assert "Owner changed from Alice Lead to Bob Second by Alice Lead" in texts
    assert "Severity changed from warning to critical by Alice Lead" in texts
    assert "Status: open → monitoring" in texts
    assert client.patch(url, json={"owner_id": None}, headers=auth).status_code == 200
    with session_factory() as s:
        entries = [e.text for e in timeline(session=s, incident_id=incident_id)]
        assert entries[-1] == "Owner changed from Bob Second to nobody by Alice Lead"
        assert s.get(Incident, incident_id).owner_id is None  # type: ignore[union-attr]
    audits = _audits(session_factory, "crisis.incident.update")
    assert len(audits) == 2 and audits[0].detail["owner_id"] == [manager.id, bob.id]
