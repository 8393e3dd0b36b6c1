"""``/api/v1/inbox/rules``: automation rules, their order, switch and dry run (``rules:manage``).

Example::

    POST /api/v1/inbox/rules/3/dry-run?days=7
    -> {"rule_id": 3, "days": 7, "count": 2, "matches": [{"post_id": 41, …}, …]}
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from tocsin.inbox.admin import rules_service as rules
from tocsin.inbox.admin.common import ManageRules, found, inbox_editor
from tocsin.inbox.admin.read import match_dict, rule_dict
from tocsin.inbox.admin.schemas import EnabledIn, RuleIn, RuleOrderIn, RulePatch
from tocsin.inbox.admin.vocabulary import vocabulary
from tocsin.inbox.automation.models import AutomationRule
from tocsin.types import utcnow
from tocsin.web.deps import DbSession
from tocsin.web.editing import refusals
from tocsin.web.i18n import Translator

api = APIRouter(prefix="/api/v1/inbox", tags=["inbox settings"])


@api.get("/rules")
def list_rules(session: DbSession, who: ManageRules) -> dict[str, Any]:
    return {"items": [rule_dict(r) for r in rules.list_rules(session=session)]}


@api.get("/rules/vocabulary")
def rule_vocabulary(who: ManageRules) -> dict[str, Any]:
    """The events, condition fields, operators and actions (with parameters) rules may use."""
    return vocabulary(Translator.for_locale("en"))


@api.post("/rules", status_code=201)
def create_rule(
    request: Request, body: RuleIn, session: DbSession, who: ManageRules
) -> dict[str, Any]:
    with refusals():
        row = inbox_editor(request, session, who).apply(
            lambda: rules.create_rule_row(session=session, data=body),
            action="rule.created",
            target_type="automation_rule",
            detail=body.model_dump(),
        )
    return rule_dict(row)


@api.put("/rules/order")
def reorder_rules(
    request: Request, body: RuleOrderIn, session: DbSession, who: ManageRules
) -> dict[str, Any]:
    with refusals():
        rows = rules.reorder_rules(session=session, ids=body.ids)
    inbox_editor(request, session, who).commit(
        "rule.reordered", "automation_rule", "", {"ids": body.ids}
    )
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
    with refusals():
        inbox_editor(request, session, who).apply(
            lambda: rules.update_rule(session=session, rule=row, changes=changes),
            action="rule.updated",
            target_type="automation_rule",
            detail=changes,
        )
    return rule_dict(row)


@api.put("/rules/{rule_id}/enabled")
def enable_rule(
    request: Request, rule_id: int, body: EnabledIn, session: DbSession, who: ManageRules
) -> dict[str, Any]:
    row = found(session, AutomationRule, rule_id)
    row.enabled = body.enabled
    action = "rule.enabled" if body.enabled else "rule.disabled"
    inbox_editor(request, session, who).commit(action, "automation_rule", row.id)
    return rule_dict(row)


@api.delete("/rules/{rule_id}", status_code=204)
def delete_rule(request: Request, rule_id: int, session: DbSession, who: ManageRules) -> Response:
    row = found(session, AutomationRule, rule_id)
    inbox_editor(request, session, who).delete(
        row, action="rule.deleted", target_type="automation_rule", detail={"name": row.name}
    )
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
    matches = rules.dry_run_since(
        session=session, conditions=row.conditions, since=utcnow() - timedelta(days=days)
    )
    return {
        "rule_id": row.id,
        "days": days,
        "count": len(matches),
        "matches": [match_dict(post, case_id) for post, case_id in matches],
    }
