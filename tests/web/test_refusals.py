"""One refusal for every management API: :class:`AdminError` and the problem it becomes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.accounts.models import User
from tocsin.errors import AdminError, ConflictError, NotFoundError, Refusal
from tocsin.privacy.models import AuditLog
from tocsin.web.problems import refusal

SCOPES = ["settings:manage", "incidents:manage", "users:manage"]


def test_a_refusal_carries_its_kind_message_and_fields() -> None:
    one = ConflictError("a team named 'Care' already exists", field="/name")
    assert (one.kind, one.status, one.field) == (Refusal.CONFLICT, 409, "/name")
    assert one.errors == [{"field": "/name", "message": "a team named 'Care' already exists"}]
    many = AdminError.naming(
        [{"field": "/time_zone", "message": "unknown"}, {"field": "/weekly", "message": "empty"}]
    )
    assert str(many) == "/time_zone: unknown; /weekly: empty" and many.status == 422
    missing = NotFoundError("no brand with the slug 'x'")
    assert isinstance(missing, AdminError) and missing.errors == [] and missing.field == ""
    assert missing.kind is Refusal.NOT_FOUND


@pytest.mark.parametrize(
    ("exc", "slug", "title"),
    [
        (AdminError("bad", field="/a"), "validation", "Invalid request"),
        (ConflictError("taken", field="/a"), "conflict", "Conflict"),
        (NotFoundError("gone", field="/a"), "not-found", "Not found"),
    ],
)
def test_each_kind_is_its_own_problem(exc: AdminError, slug: str, title: str) -> None:
    problem = refusal(exc)
    assert (problem.status, problem.slug, problem.title) == (exc.status, slug, title)
    assert problem.detail == str(exc)
    assert problem.errors == [{"field": "/a", "message": str(exc), "type": "value_error"}]
    assert refusal(type(exc)("no field")).errors is None  # the document then has no errors


def test_the_three_apis_answer_a_conflict_with_the_same_document(
    client: TestClient,
    make_user: Callable[..., User],
    make_token: Callable[..., str],
    session_factory: sessionmaker[Session],
) -> None:
    admin = make_user("admin")
    headers = {"Authorization": f"Bearer {make_token(admin, SCOPES)}"}
    creations: list[tuple[str, dict[str, Any]]] = [
        ("/api/v1/inbox/calendars", {"name": "Paris", "time_zone": "Europe/Paris"}),
        (
            "/api/v1/crisis/escalation-policies",
            {"name": "Paris", "steps": [{"delay_minutes": 0, "user_ids": [admin.id]}]},
        ),
        ("/api/v1/teams", {"name": "Paris"}),
    ]
    for url, body in creations:
        assert client.post(url, json=body, headers=headers).status_code == 201, url
        again = client.post(url, json=body, headers=headers)
        problem = again.json()
        assert again.status_code == 409, (url, again.text)
        assert again.headers["content-type"] == "application/problem+json"
        assert problem["type"].endswith("/conflict") and problem["title"] == "Conflict"
        assert set(problem) == {"type", "title", "status", "detail", "instance", "errors"}
        [error] = problem["errors"]
        assert (error["field"], error["type"]) == ("/name", "value_error"), url
        assert error["message"]
    with session_factory() as s:
        actions = list(s.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    # one entry per change made, none for the refusals
    assert actions[-3:] == [
        "inbox.calendar.created",
        "crisis.escalation_policy.create",
        "team.created",
    ]
