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
from tocsin.web.audit import record_change
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem, refusal

api = APIRouter(prefix="/api/v1/crisis", tags=["crisis settings"])
Read = Annotated[Principal, require(Permission.ALERTS_READ)]
Manage = Annotated[Principal, require(Permission.INCIDENTS_MANAGE)]


def audit(
    request: Request,
    session: Session,
    who: Principal,
    action: str,
    target_type: str,
    target_id: str | int,
    detail: dict[str, Any] | None = None,
) -> None:
    """One audit entry (``crisis.<action>``) for a change made through the API or a page."""
    record_change(
        request,
        session,
        who,
        action=f"crisis.{action}",
        target_type=target_type,
        target_id=target_id,
        detail=detail,
    )


def refused(exc: svc.AdminError) -> Problem:
    return refusal(exc.status, str(exc), exc.errors)


def _scope(session: Session, scope: str) -> Brand | None:
    try:
        return svc.scope_brand(session=session, scope=scope)
    except svc.AdminError as exc:
        raise refused(exc) from None


def _policy(session: Session, policy_id: int) -> EscalationPolicy:
    policy = session.get(EscalationPolicy, policy_id)
    if policy is None:
        detail = f"escalation policy {policy_id} does not exist"
        raise Problem(404, "not-found", "Not found", detail)
    return policy


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
    try:
        policy = svc.create_escalation_policy(session=session, data=body)
    except svc.AdminError as exc:
        raise refused(exc) from None
    audit(
        request,
        session,
        who,
        "escalation_policy.create",
        "escalation_policy",
        policy.id,
        {"name": policy.name, "steps": policy.steps},
    )
    session.commit()
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
    try:
        svc.update_escalation_policy(session=session, policy=policy, data=body)
    except svc.AdminError as exc:
        raise refused(exc) from None
    audit(
        request,
        session,
        who,
        "escalation_policy.update",
        "escalation_policy",
        policy.id,
        {"name": policy.name, "steps": policy.steps},
    )
    session.commit()
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
    name = policy.name
    try:
        svc.delete_escalation_policy(session=session, policy=policy)
    except svc.AdminError as exc:
        raise refused(exc) from None
    audit(
        request,
        session,
        who,
        "escalation_policy.delete",
        "escalation_policy",
        policy_id,
        {"name": name},
    )
    session.commit()
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
    try:
        svc.put_radar_policy(session=session, brand=brand, data=body)
    except svc.AdminError as exc:
        raise refused(exc) from None
    audit(request, session, who, "radar_policy.update", "radar_policy", scope, body.model_dump())
    session.commit()
    return RadarPolicyRead.model_validate(svc.radar_policy_view(session=session, brand=brand))


@api.delete("/radar-policies/{scope}", status_code=204, summary="Fall back to the default")
def delete_radar(scope: str, request: Request, session: DbSession, who: Manage) -> Response:
    brand = _scope(session, scope)
    try:
        svc.delete_radar_policy(session=session, brand=brand)
    except svc.AdminError as exc:
        raise refused(exc) from None
    audit(request, session, who, "radar_policy.delete", "radar_policy", scope)
    session.commit()
    return Response(status_code=204)


# -- statement and playbook templates -----------------------------------------------------------


@api.post("/statement-templates/preview", summary="Fill a template with sample values")
def preview_statement(body: StatementPreviewIn, session: DbSession, who: Read) -> PreviewRead:
    brand = _scope(session, body.brand) if body.brand else None
    try:
        text = tpl.preview(
            body.body, brand_name=brand.name if brand else tpl.SAMPLE_BRAND, values=body.values
        )
    except svc.AdminError as exc:
        raise refused(exc) from None
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
    try:
        row = tpl.put_statement_template(session=session, brand=brand, lang=lang, body=body.body)
    except svc.AdminError as exc:
        raise refused(exc) from None
    audit(
        request,
        session,
        who,
        "statement_template.update",
        "statement_template",
        row.id,
        {"scope": scope, "lang": lang, "body": body.body},
    )
    session.commit()
    return _statement(session, brand, lang)


@api.delete("/statement-templates/{scope}/{lang}", status_code=204, summary="Use the fallback")
def delete_statement(
    scope: str, lang: Lang, request: Request, session: DbSession, who: Manage
) -> Response:
    brand = _scope(session, scope)
    try:
        tpl.delete_statement_template(session=session, brand=brand, lang=lang)
    except svc.AdminError as exc:
        raise refused(exc) from None
    audit(
        request, session, who, "statement_template.delete", "statement_template", f"{scope}/{lang}"
    )
    session.commit()
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
    try:
        row = tpl.put_playbook(session=session, brand=brand, items=body.items)
    except svc.AdminError as exc:
        raise refused(exc) from None
    audit(
        request,
        session,
        who,
        "playbook_template.update",
        "playbook_template",
        row.id,
        {"scope": scope, "items": row.items},
    )
    session.commit()
    return PlaybookTemplateRead.model_validate(tpl.playbook_view(session=session, brand=brand))


@api.delete("/playbook-templates/{scope}", status_code=204, summary="Use the fallback checklist")
def delete_playbook(scope: str, request: Request, session: DbSession, who: Manage) -> Response:
    brand = _scope(session, scope)
    try:
        tpl.delete_playbook(session=session, brand=brand)
    except svc.AdminError as exc:
        raise refused(exc) from None
    audit(request, session, who, "playbook_template.delete", "playbook_template", scope)
    session.commit()
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
        changes = svc.update_incident(
            session=session, incident=incident, data=body, actor_id=who.user.id
        )
    except svc.AdminError as exc:
        raise refused(exc) from None
    except IncidentError as exc:
        raise Problem(422, "validation", "Invalid request", str(exc)) from None
    if changes:
        audit(request, session, who, "incident.update", "incident", incident.id, changes)
    session.commit()
    return incident_read(session, incident)
