"""The SLA tab's forms: business calendars and SLA policies (``settings:manage``).

Example::

    POST /inbox/settings/calendars     name, time_zone, weekly ("mon 09:00-18:00"), holidays
    POST /inbox/settings/calendars/3   the same fields: saves calendar 3
    POST /inbox/settings/policies/4    name, platform, targets in minutes, calendar_id
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from tocsin.inbox.admin import forms
from tocsin.inbox.admin import service as svc
from tocsin.inbox.admin.common import ManageSettings, found, inbox_editor
from tocsin.inbox.admin.page_base import Posted, back, save_form
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy
from tocsin.web.deps import DbSession

pages = APIRouter(include_in_schema=False)


@pages.post("/inbox/settings/calendars")
def create_calendar_form(
    request: Request, session: DbSession, who: ManageSettings, posted: Posted
) -> Response:
    return save_form(
        request,
        session,
        who,
        tab="sla",
        form=posted | {"kind": "calendar"},
        change=lambda: svc.create_calendar(session=session, data=forms.calendar_body(posted)),
        action="calendar.created",
        target_type="business_calendar",
        detail={"name": posted.get("name", "")},
    )


@pages.post("/inbox/settings/calendars/{calendar_id}")
def update_calendar_form(
    request: Request, calendar_id: int, session: DbSession, who: ManageSettings, posted: Posted
) -> Response:
    row = found(session, BusinessCalendar, calendar_id)

    def change() -> BusinessCalendar:
        data = forms.calendar_body(posted)
        return svc.update_calendar(session=session, calendar=row, changes=data.model_dump())

    return save_form(
        request,
        session,
        who,
        tab="sla",
        form=posted | {"kind": "calendar", "id": calendar_id},
        change=change,
        action="calendar.updated",
        target_type="business_calendar",
        detail=lambda r: {"name": r.name, "time_zone": r.time_zone, "weekly": r.weekly},
    )


@pages.post("/inbox/settings/calendars/{calendar_id}/delete")
def delete_calendar_form(
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
    return back("sla")


@pages.post("/inbox/settings/policies")
def create_policy_form(
    request: Request, session: DbSession, who: ManageSettings, posted: Posted
) -> Response:
    return save_form(
        request,
        session,
        who,
        tab="sla",
        form=posted | {"kind": "policy"},
        change=lambda: svc.create_policy(session=session, data=forms.policy_body(posted)),
        action="sla_policy.created",
        target_type="sla_policy",
        detail=lambda r: {"name": r.name, "platform": r.platform},
    )


@pages.post("/inbox/settings/policies/{policy_id}")
def update_policy_form(
    request: Request, policy_id: int, session: DbSession, who: ManageSettings, posted: Posted
) -> Response:
    row = found(session, SlaPolicy, policy_id)

    def change() -> SlaPolicy:
        data = forms.policy_body(posted, enabled=row.enabled)
        changes = data.model_dump(exclude={"brand_id", "enabled"})
        return svc.update_policy(session=session, policy=row, changes=changes)

    return save_form(
        request,
        session,
        who,
        tab="sla",
        form=posted | {"kind": "policy", "id": policy_id},
        change=change,
        action="sla_policy.updated",
        target_type="sla_policy",
        detail=lambda r: {"name": r.name, "first_response_minutes": r.first_response_minutes},
    )


@pages.post("/inbox/settings/policies/{policy_id}/enabled")
def toggle_policy_form(
    request: Request,
    policy_id: int,
    session: DbSession,
    who: ManageSettings,
    enabled: Annotated[bool, Form()] = False,
) -> Response:
    row = found(session, SlaPolicy, policy_id)
    row.enabled = enabled
    inbox_editor(request, session, who).commit(
        "sla_policy.updated", "sla_policy", row.id, {"enabled": enabled}
    )
    return back("sla")


@pages.post("/inbox/settings/policies/{policy_id}/delete")
def delete_policy_form(
    request: Request, policy_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, SlaPolicy, policy_id)
    inbox_editor(request, session, who).delete(
        row, action="sla_policy.deleted", target_type="sla_policy", detail={"name": row.name}
    )
    return back("sla")
