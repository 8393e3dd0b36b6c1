"""The crisis management API under ``/api/v1/crisis/``: escalation and radar policies, templates,
and changes to an incident (owner, severity, status, title).

Reading needs ``alerts:read``; every change needs ``incidents:manage`` (the permission that runs
the war room) and is written to the audit log in the same transaction.  A refusal is a problem
document whose ``errors`` point at the value (``/steps/1/channel_ids/0``); 409 for a name
already taken or a policy still in use, 404 for an unknown id, scope or language.

Example::

    curl -X PUT -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
         -d '{"auto_incident": "never", "min_volume": 20}' \\
         https://tocsin.example.com/api/v1/crisis/radar-policies/lumio
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from tocsin.accounts.permissions import Permission
from tocsin.brands.models import Brand
from tocsin.crisis import admin_service as svc
from tocsin.crisis import admin_templates as tpl
from tocsin.crisis.admin_schemas import (
    EscalationPolicyIn,
    EscalationPolicyPatch,
    EscalationPolicyRead,
    IncidentPatch,
    Lang,
    PlaybookTemplateIn,
    PlaybookTemplateRead,
    PreviewRead,
    RadarPolicyIn,
    RadarPolicyRead,
    StatementPreviewIn,
    StatementTemplateIn,
    StatementTemplateRead,
)
from tocsin.crisis.api import IncidentRead, incident_read
from tocsin.crisis.incident_models import Incident
from tocsin.crisis.incidents import IncidentError
from tocsin.crisis.models import EscalationPolicy
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.editing import Editor, refusals
from tocsin.web.problems import Problem

api = APIRouter(prefix="/api/v1/crisis", tags=["crisis settings"])
Read = Annotated[Principal, require(Permission.ALERTS_READ)]
Manage = Annotated[Principal, require(Permission.INCIDENTS_MANAGE)]


def crisis_editor(request: Request, session: Session, who: Principal) -> Editor:
    """The editor for a change to the radar's settings: audited as ``crisis.<action>``."""
    return Editor(request, session, who, domain="crisis")


def audit(
    request: Request,
    session: Session,
    who: Principal,
    action: str,
    target_type: str,
    target_id: str | int,
    detail: dict[str, Any] | None = None,
) -> None:
    """One audit entry (``crisis.<action>``) for a change made on a page; the caller commits."""
    crisis_editor(request, session, who).record(action, target_type, target_id, detail)


def _scope(session: Session, scope: str) -> Brand | None:
    with refusals():
        return svc.scope_brand(session=session, scope=scope)


def _policy(session: Session, policy_id: int) -> EscalationPolicy:
    policy = session.get(EscalationPolicy, policy_id)
    if policy is None:
        detail = f"escalation policy {policy_id} does not exist"
        raise Problem(404, "not-found", "Not found", detail)
    return policy


def _policy_detail(policy: EscalationPolicy) -> dict[str, Any]:
    return {"name": policy.name, "steps": policy.steps}


def policy_read(session: Session, policy: EscalationPolicy) -> EscalationPolicyRead:
    return EscalationPolicyRead.model_validate(
        {
            "id": policy.id,
            "name": policy.name,
            "steps": policy.steps,
            "used_by": svc.policy_users(session=session, policy_id=policy.id),
        }
    )


# -- escalation policies ------------------------------------------------------------------------


@api.get("/escalation-policies", summary="List escalation policies")
def list_escalation(session: DbSession, who: Read) -> list[EscalationPolicyRead]:
    return [policy_read(session, p) for p in svc.escalation_policies(session=session)]


@api.post("/escalation-policies", status_code=201, summary="Create an escalation policy")
def create_escalation(
    body: EscalationPolicyIn, request: Request, session: DbSession, who: Manage
) -> EscalationPolicyRead:
    with refusals(session):
        policy = crisis_editor(request, session, who).apply(
            lambda: svc.create_escalation_policy(session=session, data=body),
            action="escalation_policy.create",
            target_type="escalation_policy",
            detail=_policy_detail,
        )
    return policy_read(session, policy)


@api.get("/escalation-policies/{policy_id}", summary="Read an escalation policy")
def read_escalation(policy_id: int, session: DbSession, who: Read) -> EscalationPolicyRead:
    return policy_read(session, _policy(session, policy_id))


def _update(
    policy_id: int,
    body: EscalationPolicyPatch,
    request: Request,
    session: Session,
    who: Principal,
) -> EscalationPolicyRead:
    policy = _policy(session, policy_id)
    with refusals(session):
        crisis_editor(request, session, who).apply(
            lambda: svc.update_escalation_policy(session=session, policy=policy, data=body),
            action="escalation_policy.update",
            target_type="escalation_policy",
            detail=_policy_detail,
        )
    return policy_read(session, policy)


@api.put("/escalation-policies/{policy_id}", summary="Replace an escalation policy")
def replace_escalation(
    policy_id: int, body: EscalationPolicyIn, request: Request, session: DbSession, who: Manage
) -> EscalationPolicyRead:
    patch = EscalationPolicyPatch(name=body.name, steps=body.steps)
    return _update(policy_id, patch, request, session, who)


@api.patch("/escalation-policies/{policy_id}", summary="Rename or change the steps")
def patch_escalation(
    policy_id: int, body: EscalationPolicyPatch, request: Request, session: DbSession, who: Manage
) -> EscalationPolicyRead:
    return _update(policy_id, body, request, session, who)


@api.delete(
    "/escalation-policies/{policy_id}",
    status_code=204,
    summary="Delete an escalation policy no radar policy uses (409 otherwise)",
)
def delete_escalation(
    policy_id: int, request: Request, session: DbSession, who: Manage
) -> Response:
    policy = _policy(session, policy_id)
    with refusals(session):
        crisis_editor(request, session, who).delete(
            policy,
            action="escalation_policy.delete",
            target_type="escalation_policy",
            detail={"name": policy.name},
            remove=lambda: svc.delete_escalation_policy(session=session, policy=policy),
        )
    return Response(status_code=204)


# -- radar policies -----------------------------------------------------------------------------


@api.get("/radar-policies", summary="The default radar policy, then every brand's")
def list_radar(session: DbSession, who: Read) -> list[RadarPolicyRead]:
    scopes: list[Brand | None] = [None, *svc.brands(session=session)]
    return [
        RadarPolicyRead.model_validate(svc.radar_policy_view(session=session, brand=brand))
        for brand in scopes
    ]


@api.get("/radar-policies/{scope}", summary="The radar policy in force for a brand or default")
def read_radar(scope: str, session: DbSession, who: Read) -> RadarPolicyRead:
    brand = _scope(session, scope)
    return RadarPolicyRead.model_validate(svc.radar_policy_view(session=session, brand=brand))


@api.put("/radar-policies/{scope}", summary="Set a brand's (or the default) radar policy")
def put_radar(
    scope: str, body: RadarPolicyIn, request: Request, session: DbSession, who: Manage
) -> RadarPolicyRead:
    brand = _scope(session, scope)
    with refusals(session):
        crisis_editor(request, session, who).apply(
            lambda: svc.put_radar_policy(session=session, brand=brand, data=body),
            action="radar_policy.update",
            target_type="radar_policy",
            target_id=scope,
            detail=body.model_dump(),
        )
    return RadarPolicyRead.model_validate(svc.radar_policy_view(session=session, brand=brand))


@api.delete("/radar-policies/{scope}", status_code=204, summary="Fall back to the default")
def delete_radar(scope: str, request: Request, session: DbSession, who: Manage) -> Response:
    brand = _scope(session, scope)
    with refusals(session):
        crisis_editor(request, session, who).apply(
            lambda: svc.delete_radar_policy(session=session, brand=brand),
            action="radar_policy.delete",
            target_type="radar_policy",
            target_id=scope,
        )
    return Response(status_code=204)


# -- statement and playbook templates -----------------------------------------------------------


@api.post("/statement-templates/preview", summary="Fill a template with sample values")
def preview_statement(body: StatementPreviewIn, session: DbSession, who: Read) -> PreviewRead:
    brand = _scope(session, body.brand) if body.brand else None
    with refusals():
        text = tpl.preview(
            body.body, brand_name=brand.name if brand else tpl.SAMPLE_BRAND, values=body.values
        )
    return PreviewRead(text=text)


@api.get("/statement-templates/{scope}", summary="The holding-statement text per language")
def list_statements(scope: str, session: DbSession, who: Read) -> list[StatementTemplateRead]:
    brand = _scope(session, scope)
    return [
        StatementTemplateRead.model_validate(row)
        for row in tpl.statement_templates(session=session, brand=brand)
    ]


def _statement(session: Session, brand: Brand | None, lang: str) -> StatementTemplateRead:
    rows = tpl.statement_templates(session=session, brand=brand)
    return StatementTemplateRead.model_validate(next(r for r in rows if r["lang"] == lang))


@api.get("/statement-templates/{scope}/{lang}", summary="One language's holding statement")
def read_statement(scope: str, lang: Lang, session: DbSession, who: Read) -> StatementTemplateRead:
    return _statement(session, _scope(session, scope), lang)


@api.put("/statement-templates/{scope}/{lang}", summary="Override the text for a language")
def put_statement(
    scope: str,
    lang: Lang,
    body: StatementTemplateIn,
    request: Request,
    session: DbSession,
    who: Manage,
) -> StatementTemplateRead:
    brand = _scope(session, scope)
    with refusals(session):
        crisis_editor(request, session, who).apply(
            lambda: tpl.put_statement_template(
                session=session, brand=brand, lang=lang, body=body.body
            ),
            action="statement_template.update",
            target_type="statement_template",
            detail={"scope": scope, "lang": lang, "body": body.body},
        )
    return _statement(session, brand, lang)


@api.delete("/statement-templates/{scope}/{lang}", status_code=204, summary="Use the fallback")
def delete_statement(
    scope: str, lang: Lang, request: Request, session: DbSession, who: Manage
) -> Response:
    brand = _scope(session, scope)
    with refusals(session):
        crisis_editor(request, session, who).apply(
            lambda: tpl.delete_statement_template(session=session, brand=brand, lang=lang),
            action="statement_template.delete",
            target_type="statement_template",
            target_id=f"{scope}/{lang}",
        )
    return Response(status_code=204)


@api.get("/playbook-templates/{scope}", summary="The checklist new incidents get")
def read_playbook(scope: str, session: DbSession, who: Read) -> PlaybookTemplateRead:
    brand = _scope(session, scope)
    return PlaybookTemplateRead.model_validate(tpl.playbook_view(session=session, brand=brand))


@api.put("/playbook-templates/{scope}", summary="Set the checklist of a brand or the default")
def put_playbook(
    scope: str, body: PlaybookTemplateIn, request: Request, session: DbSession, who: Manage
) -> PlaybookTemplateRead:
    brand = _scope(session, scope)
    with refusals(session):
        crisis_editor(request, session, who).apply(
            lambda: tpl.put_playbook(session=session, brand=brand, items=body.items),
            action="playbook_template.update",
            target_type="playbook_template",
            detail=lambda row: {"scope": scope, "items": row.items},
        )
    return PlaybookTemplateRead.model_validate(tpl.playbook_view(session=session, brand=brand))


@api.delete("/playbook-templates/{scope}", status_code=204, summary="Use the fallback checklist")
def delete_playbook(scope: str, request: Request, session: DbSession, who: Manage) -> Response:
    brand = _scope(session, scope)
    with refusals(session):
        crisis_editor(request, session, who).apply(
            lambda: tpl.delete_playbook(session=session, brand=brand),
            action="playbook_template.delete",
            target_type="playbook_template",
            target_id=scope,
        )
    return Response(status_code=204)


# -- incidents ----------------------------------------------------------------------------------


@api.patch(
    "/incidents/{incident_id}", summary="Change an incident's owner, severity, status, title"
)
def patch_incident(
    incident_id: int, body: IncidentPatch, request: Request, session: DbSession, who: Manage
) -> IncidentRead:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise Problem(404, "not-found", "Not found", f"there is no incident #{incident_id}")
    try:
        with refusals(session):
            changes = svc.update_incident(
                session=session, incident=incident, data=body, actor_id=who.user.id
            )
    except IncidentError as exc:
        raise Problem(422, "validation", "Invalid request", str(exc)) from None
    if changes:
        crisis_editor(request, session, who).record(
            "incident.update", "incident", incident.id, changes
        )
    session.commit()
    return incident_read(session, incident)
