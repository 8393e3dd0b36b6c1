"""``/inbox/settings``: SLA policies and calendars, canned replies, rules, templates, agents.

Plain forms (CSRF token in a hidden field) that post and redirect back to their tab (303), so
the page works without JavaScript; htmx only loads a rule's dry run and a template preview in
place.  A refused form re-renders the tab with the message (422).  Each tab shows only to
those allowed to use it; every change goes through :mod:`tocsin.inbox.admin_service` and the
audit log, exactly like the API.

Example::

    GET  /inbox/settings?tab=rules
    POST /inbox/settings/rules              name, event, conditions (JSON), actions (JSON)
    GET  /inbox/settings/rules/3/dry-run?days=7   (an HTML fragment)
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.accounts.permissions import Permission
from tocsin.inbox import admin_service as svc
from tocsin.inbox.admin_api import KindPath, LangPath, audit, found
from tocsin.inbox.admin_read import (
    agent_dicts,
    match_dict,
    preview_ack,
    rule_dict,
    template_dicts,
)
from tocsin.inbox.admin_schemas import CalendarIn, CannedIn, PolicyIn, RuleIn
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.automation.rules import RULE_EVENTS
from tocsin.inbox.canned import VARIABLES, list_canned
from tocsin.inbox.reply_models import CannedReply
from tocsin.inbox.routing import AGENT_STATUSES, set_agent_status
from tocsin.inbox.sla.calendar import DAY_NAMES
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy
from tocsin.ingestion.schemas import PLATFORMS
from tocsin.types import utcnow
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import validation_errors
from tocsin.web.templating import render

pages = APIRouter(include_in_schema=False)
ReadCases = Annotated[Principal, require(Permission.CASES_READ)]
WorkCases = Annotated[Principal, require(Permission.CASES_WORK)]
ManageRules = Annotated[Principal, require(Permission.RULES_MANAGE)]
ManageSettings = Annotated[Principal, require(Permission.SETTINGS_MANAGE)]
TABS: tuple[tuple[str, Permission], ...] = (
    ("sla", Permission.SETTINGS_MANAGE),
    ("canned", Permission.REPLIES_SEND),
    ("rules", Permission.RULES_MANAGE),
    ("ack", Permission.SETTINGS_MANAGE),
    ("agents", Permission.CASES_READ),
)


def parse_weekly(text: str) -> dict[str, list[list[str]]]:
    """``"mon 09:00-12:00 13:00-18:00"`` per line → ``{"mon": [["09:00", "12:00"], …]}``."""
    weekly: dict[str, list[list[str]]] = {}
    for line in filter(str.strip, text.splitlines()):
        day, *ranges = line.split()
        if not ranges:
            raise svc.AdminError([{"field": "/weekly", "message": f"{day}: no hours given"}])
        for item in ranges:
            start, sep, end = item.partition("-")
            if not sep:
                raise svc.AdminError(
                    [
                        {
                            "field": "/weekly",
                            "message": f"{item!r}: write start-end, e.g. 09:00-18:00",
                        }
                    ]
                )
            weekly.setdefault(day.lower(), []).append([start, end])
    return weekly


def weekly_text(weekly: dict[str, list[list[str]]]) -> str:
    days = sorted(weekly, key=lambda d: DAY_NAMES.index(d) if d in DAY_NAMES else 9)
    return "\n".join(f"{d} " + " ".join(f"{a}-{b}" for a, b in weekly[d]) for d in days)


def _context(session: Session, who: Principal, tab: str) -> dict[str, Any]:
    tabs = [name for name, permission in TABS if who.can(permission)]
    context: dict[str, Any] = {
        "tabs": tabs,
        "tab": tab if tab in tabs else (tabs[0] if tabs else ""),
        "platforms": PLATFORMS,
        "events": RULE_EVENTS,
        "statuses": AGENT_STATUSES,
        "variables": VARIABLES,
        "agents": agent_dicts(session=session),
        "me": who.user.id,
        "can_work": who.can(Permission.CASES_WORK),
        "can_manage": who.can(Permission.SETTINGS_MANAGE),
        "weekly_text": weekly_text,
    }
    if "sla" in tabs:
        context["calendars"] = list(
            session.scalars(select(BusinessCalendar).order_by(BusinessCalendar.name))
        )
        context["policies"] = list(
            session.scalars(select(SlaPolicy).order_by(SlaPolicy.platform, SlaPolicy.name))
        )
    if "canned" in tabs:
        context["canned"] = list_canned(session=session)
    if "rules" in tabs:
        context["rules"] = [rule_dict(r) for r in svc.list_rules(session=session)]
    if "ack" in tabs:
        context["templates"] = template_dicts(session=session)
    return context


def _page(
    request: Request,
    session: Session,
    who: Principal,
    tab: str,
    *,
    error: str = "",
    form: dict[str, Any] | None = None,
) -> Response:
    context = _context(session, who, tab)
    context |= {"error": error, "form": form or {}, "saved": request.query_params.get("saved")}
    return render(
        request,
        "inbox/admin/settings.html",
        context,
        active="inbox",
        status_code=422 if error else 200,
    )


def _back(tab: str) -> RedirectResponse:
    return RedirectResponse(f"/inbox/settings?tab={tab}&saved=1", status_code=303)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{e['field']}: {e['message']}" for e in validation_errors(exc.errors()))
    return str(exc)


@pages.get("/inbox/settings")
def settings_page(
    request: Request,
    session: DbSession,
    who: ReadCases,
    tab: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    return _page(request, session, who, tab)


@pages.post("/inbox/settings/calendars")
def create_calendar_form(
    request: Request,
    session: DbSession,
    who: ManageSettings,
    name: Annotated[str, Form(max_length=200)] = "",
    time_zone: Annotated[str, Form(max_length=64)] = "UTC",
    weekly: Annotated[str, Form(max_length=2000)] = "",
    holidays: Annotated[str, Form(max_length=8000)] = "",
) -> Response:
    form = {"name": name, "time_zone": time_zone, "weekly": weekly, "holidays": holidays}
    try:
        data = CalendarIn.model_validate(
            {
                "name": name,
                "time_zone": time_zone,
                "weekly": parse_weekly(weekly),
                "holidays": holidays.replace(",", " ").split(),
            }
        )
        row = svc.create_calendar(session=session, data=data)
    except (ValidationError, svc.AdminError) as exc:
        return _page(request, session, who, "sla", error=_message(exc), form=form)
    audit(request, session, who, "calendar.created", "business_calendar", row.id, {"name": name})
    session.commit()
    return _back("sla")


@pages.post("/inbox/settings/calendars/{calendar_id}/delete")
def delete_calendar_form(
    request: Request, calendar_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, BusinessCalendar, calendar_id)
    audit(
        request, session, who, "calendar.deleted", "business_calendar", row.id, {"name": row.name}
    )
    svc.delete_calendar(session=session, calendar=row)
    session.commit()
    return _back("sla")


@pages.post("/inbox/settings/policies")
def create_policy_form(
    request: Request,
    session: DbSession,
    who: ManageSettings,
    name: Annotated[str, Form(max_length=200)] = "",
    platform: Annotated[str, Form(max_length=32)] = "",
    min_priority: Annotated[str, Form(max_length=4)] = "0",
    first_response_minutes: Annotated[str, Form(max_length=7)] = "",
    next_response_minutes: Annotated[str, Form(max_length=7)] = "",
    resolution_minutes: Annotated[str, Form(max_length=7)] = "",
    calendar_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    form = {"name": name, "platform": platform, "first_response_minutes": first_response_minutes}
    try:
        data = PolicyIn.model_validate(
            {
                "name": name,
                "platform": platform or None,
                "min_priority": min_priority or 0,
                "first_response_minutes": first_response_minutes,
                "next_response_minutes": next_response_minutes or first_response_minutes,
                "resolution_minutes": resolution_minutes,
                "calendar_id": calendar_id or None,
            }
        )
        row = svc.create_policy(session=session, data=data)
    except (ValidationError, svc.AdminError) as exc:
        return _page(request, session, who, "sla", error=_message(exc), form=form)
    audit(request, session, who, "sla_policy.created", "sla_policy", row.id, data.model_dump())
    session.commit()
    return _back("sla")


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
    audit(request, session, who, "sla_policy.updated", "sla_policy", row.id, {"enabled": enabled})
    session.commit()
    return _back("sla")


@pages.post("/inbox/settings/policies/{policy_id}/delete")
def delete_policy_form(
    request: Request, policy_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, SlaPolicy, policy_id)
    audit(request, session, who, "sla_policy.deleted", "sla_policy", row.id, {"name": row.name})
    session.delete(row)
    session.commit()
    return _back("sla")


@pages.post("/inbox/settings/canned")
def create_canned_form(
    request: Request,
    session: DbSession,
    who: ManageSettings,
    name: Annotated[str, Form(max_length=200)] = "",
    lang: Annotated[str, Form(max_length=8)] = "en",
    text: Annotated[str, Form(max_length=6000)] = "",
) -> Response:
    form = {"name": name, "lang": lang, "text": text}
    try:
        data = CannedIn(name=name, lang=lang, text=text)
        row = svc.add_canned(session=session, data=data)
    except (ValidationError, svc.AdminError) as exc:
        return _page(request, session, who, "canned", error=_message(exc), form=form)
    audit(request, session, who, "canned_reply.created", "canned_reply", row.id, data.model_dump())
    session.commit()
    return _back("canned")


@pages.post("/inbox/settings/canned/{canned_id}/delete")
def delete_canned_form(
    request: Request, canned_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, CannedReply, canned_id)
    audit(request, session, who, "canned_reply.deleted", "canned_reply", row.id, {"name": row.name})
    session.delete(row)
    session.commit()
    return _back("canned")


def _json(text: str, field: str, default: Any) -> Any:
    if not text.strip():
        return default
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise svc.AdminError([{"field": field, "message": f"not JSON: {exc.msg}"}]) from exc


@pages.post("/inbox/settings/rules")
def create_rule_form(
    request: Request,
    session: DbSession,
    who: ManageRules,
    name: Annotated[str, Form(max_length=200)] = "",
    event: Annotated[str, Form(max_length=32)] = "case.opened",
    conditions: Annotated[str, Form(max_length=20000)] = "",
    actions: Annotated[str, Form(max_length=20000)] = "",
    minutes: Annotated[str, Form(max_length=7)] = "",
    position: Annotated[str, Form(max_length=7)] = "100",
) -> Response:
    form = {"name": name, "event": event, "conditions": conditions, "actions": actions}
    try:
        data = RuleIn.model_validate(
            {
                "name": name,
                "event": event,
                "conditions": _json(conditions, "/conditions", {}),
                "actions": _json(actions, "/actions", []),
                "minutes": minutes or None,
                "position": position or 100,
            }
        )
        row = svc.create_rule_row(session=session, data=data)
    except (ValidationError, svc.AdminError) as exc:
        return _page(request, session, who, "rules", error=_message(exc), form=form)
    audit(request, session, who, "rule.created", "automation_rule", row.id, data.model_dump())
    session.commit()
    return _back("rules")


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
    audit(request, session, who, action, "automation_rule", row.id)
    session.commit()
    return _back("rules")


@pages.post("/inbox/settings/rules/{rule_id}/move")
def move_rule_form(
    request: Request,
    rule_id: int,
    session: DbSession,
    who: ManageRules,
    direction: Annotated[str, Form(max_length=4)] = "up",
) -> Response:
    found(session, AutomationRule, rule_id)
    ids = [r.id for r in svc.list_rules(session=session)]
    index = ids.index(rule_id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        svc.reorder_rules(session=session, ids=ids)
        audit(request, session, who, "rule.reordered", "automation_rule", rule_id, {"ids": ids})
        session.commit()
    return _back("rules")


@pages.post("/inbox/settings/rules/{rule_id}/delete")
def delete_rule_form(
    request: Request, rule_id: int, session: DbSession, who: ManageRules
) -> Response:
    row = found(session, AutomationRule, rule_id)
    audit(request, session, who, "rule.deleted", "automation_rule", row.id, {"name": row.name})
    session.delete(row)
    session.commit()
    return _back("rules")


@pages.get("/inbox/settings/rules/{rule_id}/dry-run")
def dry_run_fragment(
    request: Request,
    rule_id: int,
    session: DbSession,
    who: ManageRules,
    days: Annotated[int, Query(ge=1, le=90)] = 7,
) -> Response:
    row = found(session, AutomationRule, rule_id)
    matches = svc.dry_run_since(
        session=session, conditions=row.conditions, since=utcnow() - timedelta(days=days)
    )
    context = {"rule": row, "days": days, "matches": [match_dict(p, c) for p, c in matches]}
    return render(request, "inbox/admin/_dry_run.html", context)


@pages.post("/inbox/settings/ack/{lang}/{kind}")
def save_ack_form(
    request: Request,
    lang: LangPath,
    kind: KindPath,
    session: DbSession,
    who: ManageSettings,
    text: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if not text.strip():
        return _page(request, session, who, "ack", error="/text: write the message")
    try:
        row = svc.save_ack_template(session=session, lang=lang, kind=kind, text=text.strip())
    except svc.AdminError as exc:
        return _page(request, session, who, "ack", error=_message(exc))
    detail = {"lang": lang, "kind": kind, "text": row.text}
    audit(request, session, who, "ack_template.saved", "ack_template", row.id, detail)
    session.commit()
    return _back("ack")


@pages.post("/inbox/settings/ack/{lang}/{kind}/preview")
def preview_ack_fragment(
    request: Request,
    lang: LangPath,
    kind: KindPath,
    session: DbSession,
    who: ManageSettings,
    text: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    rendered = preview_ack(session=session, lang=lang, kind=kind, text=text.strip() or None)
    return render(request, "inbox/admin/_preview.html", {"text": rendered})


@pages.post("/inbox/settings/status")
def set_status_form(
    request: Request,
    session: DbSession,
    who: WorkCases,
    status: Annotated[str, Form(max_length=16)] = "online",
    on_call: Annotated[bool, Form()] = False,
) -> Response:
    if status not in AGENT_STATUSES:
        return _page(request, session, who, "agents", error=f"/status: use {AGENT_STATUSES}")
    moved = set_agent_status(
        session=session, user=who.user, status=status, now=utcnow(), on_call=on_call
    )
    detail = {"status": status, "on_call": on_call, "reassigned": moved}
    audit(request, session, who, "agent.status", "user", who.user.id, detail)
    session.commit()
    return _back("agents")
