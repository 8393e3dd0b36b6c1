"""The inbox settings row and brand-voice profiles through the API: validation, 403/404/409,
audit, and that a change applies to the next case at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.inbox.conftest import PostFactory
from tocsin.accounts.models import User
from tocsin.brands.models import Brand
from tocsin.inbox.models import AgentStatus, Case, PostTriage
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.sla.models import BusinessCalendar
from tocsin.inbox.tasks import on_case_opened
from tocsin.inbox.triage import triage_posts
from tocsin.privacy.models import AuditLog

API = "/api/v1/inbox"


def _headers(
    make_user: Callable[..., User], make_token: Callable[..., str], role: str, scopes: list[str]
) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(make_user(role), scopes)}"}


def _errors(response: object) -> dict[str, str]:
    assert response.headers["content-type"] == "application/problem+json", response.text  # type: ignore[attr-defined]
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}  # type: ignore[attr-defined]


def _audit(factory: sessionmaker[Session], action: str) -> list[AuditLog]:
    with factory() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_settings_read_patch_validate_and_audit(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    admin = _headers(make_user, make_token, "admin", ["settings:manage"])
    agent = _headers(make_user, make_token, "agent", ["cases:work", "cases:read"])
    assert client.get(f"{API}/settings", headers=agent).status_code == 403
    assert client.patch(f"{API}/settings", json={}, headers=agent).status_code == 403

    stored = client.get(f"{API}/settings", headers=admin).json()
    assert stored["routing_mode"] == "queue" and stored["auto_ack_enabled"] is True
    with session_factory() as s:
        cal = BusinessCalendar(name="Brussels", time_zone="Europe/Brussels", weekly={})
        s.add(cal)
        s.commit()
        cal_id = cal.id

    bad = client.patch(
        f"{API}/settings",
        json={
            "routing_mode": "round-robin",
            "escalation_minutes": 0,
            "auto_ack_visibility": {"x": "secret"},
        },
        headers=admin,
    )
    assert bad.status_code == 422
    assert set(_errors(bad)) == {"/routing_mode", "/escalation_minutes", "/auto_ack_visibility/x"}
    keys = client.patch(
        f"{API}/settings",
        json={
            "auto_ack_visibility": {"facebok": "private"},
            "auto_ack_redirect": {"EN": "call us"},
        },
        headers=admin,
    )
    assert set(_errors(keys)) == {"/auto_ack_visibility/facebok", "/auto_ack_redirect/EN"}
    assert "unknown platform" in _errors(keys)["/auto_ack_visibility/facebok"]
    assert set(
        _errors(client.patch(f"{API}/settings", json={"calendar_id": 987654}, headers=admin))
    ) == {"/calendar_id"}
    assert set(
        _errors(client.patch(f"{API}/settings", json={"auto_ack_enabled": None}, headers=admin))
    ) == {"/auto_ack_enabled"}
    assert "/colour" in _errors(
        client.patch(f"{API}/settings", json={"colour": "red"}, headers=admin)
    )
    assert _audit(session_factory, "inbox.settings.updated") == []  # nothing refused was stored

    ok = client.patch(
        f"{API}/settings",
        json={
            "escalation_minutes": 30,
            "auto_ack_visibility": {"facebook": "private"},
            "auto_ack_redirect": {"fr": "Appelez le 01 23 45 67 89", "nl": "  "},
            "calendar_id": cal_id,
        },
        headers=admin,
    )
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["escalation_minutes"] == 30 and body["routing_mode"] == "queue"
    assert body["auto_ack_visibility"] == {"facebook": "private"}
    assert body["auto_ack_redirect"] == {"fr": "Appelez le 01 23 45 67 89"}  # empty text dropped
    assert body["calendar_id"] == cal_id
    assert client.get(f"{API}/settings", headers=admin).json() == body
    entries = _audit(session_factory, "inbox.settings.updated")
    assert len(entries) == 1 and entries[0].detail["escalation_minutes"] == 30  # type: ignore[index]

    cleared = client.patch(f"{API}/settings", json={"calendar_id": None}, headers=admin).json()
    assert cleared["calendar_id"] is None


def test_switching_to_auto_routing_assigns_the_next_case_at_once(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    make_post: PostFactory,
    session: Session,
    registry: PublisherRegistry,
) -> None:
    admin = _headers(make_user, make_token, "admin", ["settings:manage"])
    agent = make_user("agent", name="Ana Agent")
    session.add(AgentStatus(user_id=agent.id, status="online"))
    session.commit()
    now = datetime.now(UTC)

    def case_of(handle: str) -> Case:
        post = make_post(created_at=now, handle=handle)
        triage_posts(session=session, post_ids=[post.id], now=now)
        case_id = session.scalar(select(PostTriage.case_id).where(PostTriage.post_id == post.id))
        assert case_id is not None
        on_case_opened(session, case_id, registry)  # what the CaseOpened subscriber runs
        session.commit()
        case = session.get(Case, case_id)
        assert case is not None
        return case

    assert case_of("queued.author").assignee_id is None  # the default: a shared queue
    switched = client.patch(f"{API}/settings", json={"routing_mode": "auto"}, headers=admin)
    assert switched.json()["routing_mode"] == "auto"
    session.expire_all()
    assert case_of("routed.author").assignee_id == agent.id


def test_voice_profiles_crud_conflicts_and_pointers(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    lead = _headers(make_user, make_token, "manager", ["brands:manage"])
    agent = _headers(make_user, make_token, "agent", ["cases:work", "replies:send"])
    assert client.get(f"{API}/voice-profiles", headers=agent).status_code == 403
    with session_factory() as s:
        brand = Brand(slug="acme", name="Acme")
        s.add(brand)
        s.commit()
        brand_id = brand.id

    body = {
        "banned_words": ["cheap"],
        "required": {"fr": ["Cordialement"]},
        "max_lengths": {"x": 200},
    }
    created = client.post(f"{API}/voice-profiles", json=body, headers=lead)
    assert created.status_code == 201, created.text
    profile = created.json()
    assert profile["brand_id"] is None and profile["required"] == {"fr": ["Cordialement"]}
    second_global = client.post(f"{API}/voice-profiles", json={"banned_words": []}, headers=lead)
    assert second_global.status_code == 409 and "/brand_id" in _errors(second_global)
    own = client.post(f"{API}/voice-profiles", json={"brand_id": brand_id}, headers=lead)
    assert own.status_code == 201
    assert (
        client.post(f"{API}/voice-profiles", json={"brand_id": brand_id}, headers=lead).status_code
        == 409
    )
    assert set(
        _errors(client.post(f"{API}/voice-profiles", json={"brand_id": 98765}, headers=lead))
    ) == {"/brand_id"}
    bad = client.post(
        f"{API}/voice-profiles",
        json={"brand_id": None, "required": {"EN": ["x"]}, "max_lengths": {"myspace": 10}},
        headers=lead,
    )
    assert set(_errors(bad)) == {"/required/EN", "/max_lengths/myspace"}
    assert "/max_lengths/x" in _errors(
        client.post(f"{API}/voice-profiles", json={"max_lengths": {"x": 0}}, headers=lead)
    )

    patched = client.patch(
        f"{API}/voice-profiles/{profile['id']}",
        json={"banned_words": ["cheap", "free"]},
        headers=lead,
    )
    assert patched.json()["banned_words"] == ["cheap", "free"]
    moved = client.patch(
        f"{API}/voice-profiles/{profile['id']}", json={"brand_id": brand_id}, headers=lead
    )
    assert moved.status_code == 409
    assert client.get(f"{API}/voice-profiles/999999", headers=lead).status_code == 404
    listed = client.get(f"{API}/voice-profiles", headers=lead).json()["items"]
    assert [p["brand_id"] for p in listed] == [None, brand_id]
    assert (
        client.delete(f"{API}/voice-profiles/{own.json()['id']}", headers=lead).status_code == 204
    )
    assert (
        client.delete(f"{API}/voice-profiles/{own.json()['id']}", headers=lead).status_code == 404
    )
    for action in ("created", "updated", "deleted"):
        assert _audit(session_factory, f"inbox.voice_profile.{action}"), action


def test_the_rule_vocabulary_is_the_engines(
    client: TestClient, make_user: Callable[..., User], make_token: Callable[..., str]
) -> None:
    from tocsin.inbox.automation.actions import ACTIONS
    from tocsin.inbox.automation.conditions import FIELDS

    lead = _headers(make_user, make_token, "manager", ["rules:manage"])
    vocab = client.get(f"{API}/rules/vocabulary", headers=lead).json()
    assert [f["name"] for f in vocab["fields"]] == list(FIELDS)
    assert [a["name"] for a in vocab["actions"]] == list(ACTIONS)
    tag = vocab["actions"][1]["params"]
    assert tag == [{**tag[0], "name": "tags", "kind": "texts", "required": True}]
    assert {o["name"]: o["list"] for o in vocab["operators"]}["in"] is True
