"""The war room's owner and severity forms (``POST /crisis/incidents/{id}/owner|severity``).

They share :func:`tocsin.crisis.admin_service.update_incident` with ``PATCH
/api/v1/crisis/incidents/{id}``: the change is checked (the owner must be an active person allowed
to run incidents), put on the timeline ("Owner changed from Alice to Bob by Carol") and audited.

Example: the war room's owner ``<select name="owner_id">`` posts here; an empty value leaves the
incident without an owner.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from tocsin.accounts.permissions import Permission
from tocsin.crisis import admin_service as svc
from tocsin.crisis.admin_api import audit
from tocsin.crisis.admin_schemas import IncidentPatch
from tocsin.crisis.incident_models import Incident
from tocsin.crisis.incidents import IncidentError
from tocsin.errors import AdminError
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem, validation_errors

pages = APIRouter(include_in_schema=False)
Manage = Annotated[Principal, require(Permission.INCIDENTS_MANAGE)]


async def _change_incident(
    incident_id: int, request: Request, session: Session, who: Principal, field: str
) -> Response:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise Problem(404, "not-found", "Not found", f"there is no incident #{incident_id}")
    form = await request.form()
    value = str(form.get(field, "") or "").strip()
    try:
        if field == "owner_id":
            if value and not value.isdigit():
                raise AdminError("choose someone from the list")
            data = IncidentPatch(owner_id=int(value) if value else None)
        else:
            data = IncidentPatch.model_validate({"severity": value})
        changes = svc.update_incident(
            session=session, incident=incident, data=data, actor_id=who.user.id
        )
    except (ValidationError, AdminError, IncidentError) as exc:
        message = (
            validation_errors(exc.errors())[0]["message"]
            if isinstance(exc, ValidationError)
            else str(exc)
        )
        raise Problem(422, "validation", "This change is not possible", message) from None
    if changes:
        audit(request, session, who, "incident.update", "incident", incident.id, changes)
    session.commit()
    return RedirectResponse(f"/crisis/incidents/{incident_id}", status_code=303)


@pages.post("/crisis/incidents/{incident_id}/owner")
async def change_owner(
    incident_id: int, request: Request, session: DbSession, who: Manage
) -> Response:
    return await _change_incident(incident_id, request, session, who, "owner_id")


@pages.post("/crisis/incidents/{incident_id}/severity")
async def change_severity(
    incident_id: int, request: Request, session: DbSession, who: Manage
) -> Response:
    return await _change_incident(incident_id, request, session, who, "severity")
