"""``/api/v1/inbox/calendars`` and ``/api/v1/inbox/sla-policies`` (``settings:manage``).

Bodies are checked by :mod:`tocsin.inbox.admin.schemas` then the service; a refusal is a
problem document whose ``errors`` point at the field (``/weekly``, ``/calendar_id``).

Example::

    PATCH /api/v1/inbox/sla-policies/4   {"first_response_minutes": 10}
    -> {"id": 4, "name": "VIP on X", "first_response_minutes": 10, …}
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from tocsin.inbox.admin import service as svc
from tocsin.inbox.admin.common import ManageSettings, found, inbox_editor
from tocsin.inbox.admin.read import calendar_dict, policy_dict
from tocsin.inbox.admin.schemas import CalendarIn, CalendarPatch, PolicyIn, PolicyPatch
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy
from tocsin.web.deps import DbSession
from tocsin.web.editing import refusals

api = APIRouter(prefix="/api/v1/inbox", tags=["inbox settings"])


@api.get("/calendars")
def list_calendars(session: DbSession, who: ManageSettings) -> dict[str, Any]:
    rows = session.scalars(select(BusinessCalendar).order_by(BusinessCalendar.name))
    return {"items": [calendar_dict(c) for c in rows]}


@api.post("/calendars", status_code=201)
def create_calendar(
    request: Request, body: CalendarIn, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    with refusals():
        row = inbox_editor(request, session, who).apply(
            lambda: svc.create_calendar(session=session, data=body),
            action="calendar.created",
            target_type="business_calendar",
            detail=body.model_dump(mode="json"),
        )
    return calendar_dict(row)


@api.get("/calendars/{calendar_id}")
def get_calendar(calendar_id: int, session: DbSession, who: ManageSettings) -> dict[str, Any]:
    return calendar_dict(found(session, BusinessCalendar, calendar_id))


@api.patch("/calendars/{calendar_id}")
def update_calendar(
    request: Request, calendar_id: int, body: CalendarPatch, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    row = found(session, BusinessCalendar, calendar_id)
    changes = body.model_dump(exclude_unset=True)
    with refusals():
        inbox_editor(request, session, who).apply(
            lambda: svc.update_calendar(session=session, calendar=row, changes=changes),
            action="calendar.updated",
            target_type="business_calendar",
            detail=body.model_dump(mode="json", exclude_unset=True),
        )
    return calendar_dict(row)


@api.delete("/calendars/{calendar_id}", status_code=204)
def delete_calendar(
    request: Request, calendar_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, BusinessCalendar, calendar_id)
    inbox_editor(request, session, who).delete(
        row,
        action="calendar.deleted",
        target_type="business_calendar",
        detail={"name": row.name},
        remove=lambda: svc.delete_calendar(session=session, calendar=row),
    )
    return Response(status_code=204)


@api.get("/sla-policies")
def list_policies(session: DbSession, who: ManageSettings) -> dict[str, Any]:
    rows = session.scalars(select(SlaPolicy).order_by(SlaPolicy.platform, SlaPolicy.name))
    return {"items": [policy_dict(p) for p in rows]}


@api.post("/sla-policies", status_code=201)
def create_policy(
    request: Request, body: PolicyIn, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    with refusals():
        row = inbox_editor(request, session, who).apply(
            lambda: svc.create_policy(session=session, data=body),
            action="sla_policy.created",
            target_type="sla_policy",
            detail=body.model_dump(),
        )
    return policy_dict(row)


@api.get("/sla-policies/{policy_id}")
def get_policy(policy_id: int, session: DbSession, who: ManageSettings) -> dict[str, Any]:
    return policy_dict(found(session, SlaPolicy, policy_id))


@api.patch("/sla-policies/{policy_id}")
def update_policy(
    request: Request, policy_id: int, body: PolicyPatch, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    row = found(session, SlaPolicy, policy_id)
    changes = body.model_dump(exclude_unset=True)
    with refusals():
        inbox_editor(request, session, who).apply(
            lambda: svc.update_policy(session=session, policy=row, changes=changes),
            action="sla_policy.updated",
            target_type="sla_policy",
            detail=changes,
        )
    return policy_dict(row)


@api.delete("/sla-policies/{policy_id}", status_code=204)
def delete_policy(
    request: Request, policy_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, SlaPolicy, policy_id)
    inbox_editor(request, session, who).delete(
        row, action="sla_policy.deleted", target_type="sla_policy", detail={"name": row.name}
    )
    return Response(status_code=204)
