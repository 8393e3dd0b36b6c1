"""The rules tab's forms (``rules:manage``): create, edit, order, switch, delete, dry run.

The form posts ``conditions`` and ``actions`` as JSON text: the rule builder
(``static/js/inbox-rules.js``) writes them from its rows, and without JavaScript a lead types
them in the same fields.

Example::

    POST /inbox/settings/rules      name, event, minutes, conditions (JSON), actions (JSON)
    POST /inbox/settings/rules/3    the same fields: saves rule 3 (order and switch kept)
    GET  /inbox/settings/rules/3/dry-run?days=7   (an HTML fragment)
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from tocsin.inbox.admin import forms
from tocsin.inbox.admin import rules_service as rules
from tocsin.inbox.admin.common import ManageRules, found, inbox_editor
from tocsin.inbox.admin.page_base import Posted, back, save_form
from tocsin.inbox.admin.read import match_dict
from tocsin.inbox.automation.models import AutomationRule
from tocsin.types import utcnow
from tocsin.web.deps import DbSession
from tocsin.web.templating import render

pages = APIRouter(include_in_schema=False)


def _detail(rule: AutomationRule) -> dict[str, object]:
    return {
        "name": rule.name,
        "event": rule.event,
        "conditions": rule.conditions,
        "actions": rule.actions,
        "minutes": rule.minutes,
    }


@pages.post("/inbox/settings/rules")
def create_rule_form(
    request: Request, session: DbSession, who: ManageRules, posted: Posted
) -> Response:
    return save_form(
        request,
        session,
        who,
        tab="rules",
        form=posted | {"kind": "rule"},
        change=lambda: rules.create_rule_row(session=session, data=forms.rule_body(posted)),
        action="rule.created",
        target_type="automation_rule",
        detail=_detail,
    )


@pages.post("/inbox/settings/rules/{rule_id}")
def update_rule_form(
    request: Request, rule_id: int, session: DbSession, who: ManageRules, posted: Posted
) -> Response:
    row = found(session, AutomationRule, rule_id)

    def change() -> AutomationRule:
        data = forms.rule_body(posted, position=row.position, enabled=row.enabled)
        changes = data.model_dump(exclude={"position", "enabled"})
        return rules.update_rule(session=session, rule=row, changes=changes)

    return save_form(
        request,
        session,
        who,
        tab="rules",
        form=posted | {"kind": "rule", "id": rule_id},
        change=change,
        action="rule.updated",
        target_type="automation_rule",
        detail=_detail,
    )


@pages.post("/inbox/settings/rules/{rule_id}/enabled")
def toggle_rule_form(
    request: Request,
    rule_id: int,
    session: DbSession,
    who: ManageRules,
    enabled: Annotated[bool, Form()] = False,
) -> Response:
    row = found(session, AutomationRule, rule_id)
    row.enabled = enabled
    action = "rule.enabled" if enabled else "rule.disabled"
    inbox_editor(request, session, who).commit(action, "automation_rule", row.id)
    return back("rules")


@pages.post("/inbox/settings/rules/{rule_id}/move")
def move_rule_form(
    request: Request,
    rule_id: int,
    session: DbSession,
    who: ManageRules,
    direction: Annotated[str, Form(max_length=4)] = "up",
) -> Response:
    found(session, AutomationRule, rule_id)
    ids = [r.id for r in rules.list_rules(session=session)]
    index = ids.index(rule_id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        rules.reorder_rules(session=session, ids=ids)
        inbox_editor(request, session, who).commit(
            "rule.reordered", "automation_rule", rule_id, {"ids": ids}
        )
    return back("rules")


@pages.post("/inbox/settings/rules/{rule_id}/delete")
def delete_rule_form(
    request: Request, rule_id: int, session: DbSession, who: ManageRules
) -> Response:
    row = found(session, AutomationRule, rule_id)
    inbox_editor(request, session, who).delete(
        row, action="rule.deleted", target_type="automation_rule", detail={"name": row.name}
    )
    return back("rules")


@pages.get("/inbox/settings/rules/{rule_id}/dry-run")
def dry_run_fragment(
    request: Request,
    rule_id: int,
    session: DbSession,
    who: ManageRules,
    days: Annotated[int, Query(ge=1, le=90)] = 7,
) -> Response:
    row = found(session, AutomationRule, rule_id)
    matches = rules.dry_run_since(
        session=session, conditions=row.conditions, since=utcnow() - timedelta(days=days)
    )
    context = {"rule": row, "days": days, "matches": [match_dict(p, c) for p, c in matches]}
    return render(request, "inbox/admin/_dry_run.html", context)
