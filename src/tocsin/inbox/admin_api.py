"""The inbox's management API under ``/api/v1/inbox/``: SLA, calendars, canned replies, rules…

Bodies are validated by :mod:`tocsin.inbox.admin_schemas`, then by
:mod:`tocsin.inbox.admin_service` (names taken, rows referenced, rule trees); every refusal is
a problem document whose ``errors`` point at the field (``/actions/0/priority``).  Every change
is written to the audit log in the same transaction.  Permissions: ``rules:manage`` for rules,
``settings:manage`` for SLA policies, calendars, canned replies and acknowledgement templates,
``replies:send`` to read and preview canned replies, ``cases:work`` to set one's own status.

Example::

    POST /api/v1/inbox/rules/3/dry-run?days=7
    -> {"rule_id": 3, "days": 7, "count": 2, "matches": [{"post_id": 41, …}, …]}
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.accounts.permissions import Permission
from tocsin.inbox import admin_service as svc
from tocsin.inbox.admin_read import (
    agent_dicts,
    calendar_dict,
    canned_dict,
    match_dict,
    policy_dict,
    preview_ack,
    preview_canned,
    rule_dict,
    template_dicts,
)
from tocsin.inbox.admin_schemas import (
    AckPreviewIn,
    AckTemplateIn,
    AgentStatusIn,
    CalendarIn,
    CalendarPatch,
    CannedIn,
    CannedPatch,
    CannedPreviewIn,
    EnabledIn,
    PolicyIn,
    PolicyPatch,
    RuleIn,
    RuleOrderIn,
    RulePatch,
)
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.canned import list_canned
from tocsin.inbox.models import AgentStatus
from tocsin.inbox.reply_models import AckTemplate, CannedReply
from tocsin.inbox.routing import set_agent_status
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy
from tocsin.privacy.audit import record
from tocsin.types import utcnow
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem
from tocsin.web.security import client_ip

api = APIRouter(prefix="/api/v1/inbox", tags=["inbox settings"])
ManageRules = Annotated[Principal, require(Permission.RULES_MANAGE)]
ManageSettings = Annotated[Principal, require(Permission.SETTINGS_MANAGE)]
SendReplies = Annotated[Principal, require(Permission.REPLIES_SEND)]
WorkCases = Annotated[Principal, require(Permission.CASES_WORK)]
ReadCases = Annotated[Principal, require(Permission.CASES_READ)]
LangPath = Annotated[str, Path(pattern=r"^[a-z]{2,3}$")]
KindPath = Annotated[Literal["eta", "redirect"], Path()]


def audit(
    request: Request,
    session: Session,
    who: Principal,
    action: str,
    target_type: str,
    target_id: str | int,
    detail: dict[str, Any] | None = None,
) -> None:
    """One audit entry for a change made through the API or the settings pages."""
    record(
        session,
        action=f"inbox.{action}",
        actor_user_id=who.user.id,
        actor_token_id=who.token.id if who.token else None,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
        ip=client_ip(request),
    )


def refused(exc: svc.AdminError) -> Problem:
    slug, title = (
        ("conflict", "Conflict") if exc.status == 409 else ("validation", "Invalid request")
    )
    return Problem(exc.status, slug, title, str(exc), errors=exc.errors)


def found(session: Session, model: type[Any], row_id: int) -> Any:
    row = session.get(model, row_id)
    if row is None:
        label = model.__tablename__.rstrip("s").replace("_", " ")
        raise Problem(404, "not-found", "Not found", f"{label} {row_id} does not exist")
    return row


def _commit(session: Session) -> None:
    session.commit()


# -- calendars --------------------------------------------------------------------------------


@api.get("/calendars")
def list_calendars(session: DbSession, who: ManageSettings) -> dict[str, Any]:
    rows = session.scalars(select(BusinessCalendar).order_by(BusinessCalendar.name))
    return {"items": [calendar_dict(c) for c in rows]}


@api.post("/calendars", status_code=201)
def create_calendar(
    request: Request, body: CalendarIn, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    try:
        row = svc.create_calendar(session=session, data=body)
    except svc.AdminError as exc:
        raise refused(exc) from exc
    audit(
        request,
        session,
        who,
        "calendar.created",
        "business_calendar",
        row.id,
        body.model_dump(mode="json"),
    )
    _commit(session)
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
    try:
        svc.update_calendar(session=session, calendar=row, changes=changes)
    except svc.AdminError as exc:
        raise refused(exc) from exc
    audit(
        request,
        session,
        who,
        "calendar.updated",
        "business_calendar",
        row.id,
        body.model_dump(mode="json", exclude_unset=True),
    )
    _commit(session)
    return calendar_dict(row)


@api.delete("/calendars/{calendar_id}", status_code=204)
def delete_calendar(
    request: Request, calendar_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, BusinessCalendar, calendar_id)
    audit(
        request, session, who, "calendar.deleted", "business_calendar", row.id, {"name": row.name}
    )
    svc.delete_calendar(session=session, calendar=row)
    _commit(session)
    return Response(status_code=204)


# -- SLA policies -----------------------------------------------------------------------------


@api.get("/sla-policies")
def list_policies(session: DbSession, who: ManageSettings) -> dict[str, Any]:
    rows = session.scalars(select(SlaPolicy).order_by(SlaPolicy.platform, SlaPolicy.name))
    return {"items": [policy_dict(p) for p in rows]}


@api.post("/sla-policies", status_code=201)
def create_policy(
    request: Request, body: PolicyIn, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    try:
        row = svc.create_policy(session=session, data=body)
    except svc.AdminError as exc:
        raise refused(exc) from exc
    audit(request, session, who, "sla_policy.created", "sla_policy", row.id, body.model_dump())
    _commit(session)
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
    try:
        svc.update_policy(session=session, policy=row, changes=changes)
    except svc.AdminError as exc:
        raise refused(exc) from exc
    audit(request, session, who, "sla_policy.updated", "sla_policy", row.id, changes)
    _commit(session)
    return policy_dict(row)


@api.delete("/sla-policies/{policy_id}", status_code=204)
def delete_policy(
    request: Request, policy_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, SlaPolicy, policy_id)
    audit(request, session, who, "sla_policy.deleted", "sla_policy", row.id, {"name": row.name})
    session.delete(row)
    _commit(session)
    return Response(status_code=204)


# -- canned replies ---------------------------------------------------------------------------


@api.get("/canned-replies")
def list_canned_replies(
    session: DbSession, who: SendReplies, lang: Annotated[str | None, Query(max_length=8)] = None
) -> dict[str, Any]:
    return {"items": [canned_dict(c) for c in list_canned(session=session, lang=lang)]}


@api.post("/canned-replies/preview")
def preview_canned_reply(
    body: CannedPreviewIn, session: DbSession, who: SendReplies
) -> dict[str, Any]:
    text = body.text
    if body.canned_reply_id is not None:
        text = found(session, CannedReply, body.canned_reply_id).text
    if not text:
        raise Problem(
            422,
            "validation",
            "Invalid request",
            "send a text or a canned_reply_id",
            errors=[{"field": "/text", "message": "send a text or a canned_reply_id"}],
        )
    return preview_canned(session=session, text=text, case_id=body.case_id, agent=who.user)


@api.post("/canned-replies", status_code=201)
def create_canned_reply(
    request: Request, body: CannedIn, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    try:
        row = svc.add_canned(session=session, data=body)
    except svc.AdminError as exc:
        raise refused(exc) from exc
    audit(request, session, who, "canned_reply.created", "canned_reply", row.id, body.model_dump())
    _commit(session)
    return canned_dict(row)


@api.get("/canned-replies/{canned_id}")
def get_canned_reply(canned_id: int, session: DbSession, who: SendReplies) -> dict[str, Any]:
    return canned_dict(found(session, CannedReply, canned_id))


@api.patch("/canned-replies/{canned_id}")
def update_canned_reply(
    request: Request, canned_id: int, body: CannedPatch, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    row = found(session, CannedReply, canned_id)
    changes = body.model_dump(exclude_unset=True)
    try:
        svc.update_canned(session=session, canned=row, changes=changes)
    except svc.AdminError as exc:
        raise refused(exc) from exc
    audit(request, session, who, "canned_reply.updated", "canned_reply", row.id, changes)
    _commit(session)
    return canned_dict(row)


@api.delete("/canned-replies/{canned_id}", status_code=204)
def delete_canned_reply(
    request: Request, canned_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, CannedReply, canned_id)
    audit(
        request,
        session,
        who,
        "canned_reply.deleted",
        "canned_reply",
        row.id,
        {"name": row.name, "lang": row.lang},
    )
    session.delete(row)
    _commit(session)
    return Response(status_code=204)


# -- automation rules -------------------------------------------------------------------------


@api.get("/rules")
def list_rules(session: DbSession, who: ManageRules) -> dict[str, Any]:
    return {"items": [rule_dict(r) for r in svc.list_rules(session=session)]}


@api.post("/rules", status_code=201)
def create_rule(
    request: Request, body: RuleIn, session: DbSession, who: ManageRules
) -> dict[str, Any]:
    try:
        row = svc.create_rule_row(session=session, data=body)
    except svc.AdminError as exc:
        raise refused(exc) from exc
    audit(request, session, who, "rule.created", "automation_rule", row.id, body.model_dump())
    _commit(session)
    return rule_dict(row)


@api.put("/rules/order")
def reorder_rules(
    request: Request, body: RuleOrderIn, session: DbSession, who: ManageRules
) -> dict[str, Any]:
    try:
        rows = svc.reorder_rules(session=session, ids=body.ids)
    except svc.AdminError as exc:
        raise refused(exc) from exc
    audit(request, session, who, "rule.reordered", "automation_rule", "", {"ids": body.ids})
    _commit(session)
    return {"items": [rule_dict(r) for r in rows]}


@api.get("/rules/{rule_id}")
def get_rule(rule_id: int, session: DbSession, who: ManageRules) -> dict[str, Any]:
    return rule_dict(found(session, AutomationRule, rule_id))


@api.patch("/rules/{rule_id}")
def update_rule(
    request: Request, rule_id: int, body: RulePatch, session: DbSession, who: ManageRules
) -> dict[str, Any]:
    row = found(session, AutomationRule, rule_id)
    changes = body.model_dump(exclude_unset=True)
    try:
        svc.update_rule(session=session, rule=row, changes=changes)
    except svc.AdminError as exc:
        raise refused(exc) from exc
    audit(request, session, who, "rule.updated", "automation_rule", row.id, changes)
    _commit(session)
    return rule_dict(row)


@api.put("/rules/{rule_id}/enabled")
def enable_rule(
    request: Request, rule_id: int, body: EnabledIn, session: DbSession, who: ManageRules
) -> dict[str, Any]:
    row = found(session, AutomationRule, rule_id)
    row.enabled = body.enabled
    audit(
        request,
        session,
        who,
        "rule.enabled" if body.enabled else "rule.disabled",
        "automation_rule",
        row.id,
    )
    _commit(session)
    return rule_dict(row)


@api.delete("/rules/{rule_id}", status_code=204)
def delete_rule(request: Request, rule_id: int, session: DbSession, who: ManageRules) -> Response:
    row = found(session, AutomationRule, rule_id)
    audit(request, session, who, "rule.deleted", "automation_rule", row.id, {"name": row.name})
    session.delete(row)
    _commit(session)
    return Response(status_code=204)


@api.post("/rules/{rule_id}/dry-run")
def dry_run_rule(
    rule_id: int,
    session: DbSession,
    who: ManageRules,
    days: Annotated[int, Query(ge=1, le=90)] = 7,
) -> dict[str, Any]:
    """Past inbound posts (newest first) the rule's conditions would have matched."""
    row = found(session, AutomationRule, rule_id)
    matches = svc.dry_run_since(
        session=session, conditions=row.conditions, since=utcnow() - timedelta(days=days)
    )
    return {
        "rule_id": row.id,
        "days": days,
        "count": len(matches),
        "matches": [match_dict(post, case_id) for post, case_id in matches],
    }


# -- acknowledgement templates ----------------------------------------------------------------


@api.get("/ack-templates")
def list_ack_templates(session: DbSession, who: ManageSettings) -> dict[str, Any]:
    return {"items": template_dicts(session=session)}


@api.put("/ack-templates/{lang}/{kind}")
def save_ack_template(
    request: Request,
    lang: LangPath,
    kind: KindPath,
    body: AckTemplateIn,
    session: DbSession,
    who: ManageSettings,
) -> dict[str, Any]:
    try:
        row = svc.save_ack_template(session=session, lang=lang, kind=kind, text=body.text)
    except svc.AdminError as exc:
        raise refused(exc) from exc
    audit(
        request,
        session,
        who,
        "ack_template.saved",
        "ack_template",
        row.id,
        {"lang": lang, "kind": kind, "text": body.text},
    )
    _commit(session)
    return {"lang": lang, "kind": kind, "text": row.text, "custom": True}


@api.delete("/ack-templates/{lang}/{kind}", status_code=204)
def reset_ack_template(
    request: Request, lang: LangPath, kind: KindPath, session: DbSession, who: ManageSettings
) -> Response:
    """Drop the stored text: the built-in template applies again."""
    row = session.scalar(
        select(AckTemplate).where(AckTemplate.lang == lang, AckTemplate.kind == kind)
    )
    if row is None:
        raise Problem(404, "not-found", "Not found", f"no stored {kind} template in {lang}")
    audit(
        request,
        session,
        who,
        "ack_template.reset",
        "ack_template",
        row.id,
        {"lang": lang, "kind": kind},
    )
    session.delete(row)
    _commit(session)
    return Response(status_code=204)


@api.post("/ack-templates/{lang}/{kind}/preview")
def preview_ack_template(
    lang: LangPath, kind: KindPath, body: AckPreviewIn, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    """The template (or the draft ``text``) filled with a sample ETA and case number."""
    return {
        "lang": lang,
        "kind": kind,
        "text": preview_ack(
            session=session, lang=lang, kind=kind, text=body.text, eta_minutes=body.eta_minutes
        ),
    }


# -- agents -----------------------------------------------------------------------------------


@api.get("/agents")
def list_agents(session: DbSession, who: ReadCases) -> dict[str, Any]:
    return {"items": agent_dicts(session=session)}


@api.put("/agents/me/status")
def set_my_status(
    request: Request, body: AgentStatusIn, session: DbSession, who: WorkCases
) -> dict[str, Any]:
    """Set one's own availability; going away or offline hands one's open cases on."""
    moved = set_agent_status(
        session=session, user=who.user, status=body.status, now=utcnow(), on_call=body.on_call
    )
    audit(
        request,
        session,
        who,
        "agent.status",
        "user",
        who.user.id,
        {"status": body.status, "on_call": body.on_call, "reassigned": moved},
    )
    _commit(session)
    row = session.get(AgentStatus, who.user.id)
    return {
        "user_id": who.user.id,
        "status": body.status,
        "on_call": bool(row.on_call) if row else False,
        "reassigned": moved,
    }
