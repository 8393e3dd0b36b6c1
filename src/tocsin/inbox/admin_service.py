"""Managing the inbox's configuration: calendars, SLA policies, canned replies, rules, templates.

Every function checks what a schema cannot (a name already taken, a referenced row that does
not exist, a rule tree the engine would refuse) and raises :class:`AdminError` with a JSON
Pointer to the bad field, so the API answers a 422 (or 409) naming it and never stores a
half-valid row.  Nothing here commits: the caller audits and commits.

Example::

    calendar = create_calendar(session=s, data=CalendarIn(name="Paris", time_zone="Europe/Paris"))
    update_policy(session=s, policy=p, changes={"calendar_id": calendar.id})
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.inbox.admin_schemas import CalendarIn, CannedIn, PolicyIn, RuleIn
from tocsin.inbox.automation.actions import ACTIONS
from tocsin.inbox.automation.conditions import evaluate, facts_for, parse_conditions
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.canned import VARIABLES, CannedError, create_canned
from tocsin.inbox.models import Case, InboxSettings, PostTriage
from tocsin.inbox.reply_models import AckTemplate, CannedReply
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy
from tocsin.inbox.sla.policies import default_hours
from tocsin.ingestion.models import Post
from tocsin.web.problems import field_path

#: At most this many posts are evaluated by one dry run (newest first).
DRY_RUN_LIMIT = 2000
ACK_KINDS = ("eta", "redirect")
ACK_VARIABLES = ("eta", "redirect", "case_id")
_VARIABLE = re.compile(r"\{([a-z_]+)\}")


class AdminError(ValueError):
    """A change was refused: ``errors`` holds ``{"field", "message"}`` items; 409 on conflicts."""

    def __init__(self, errors: list[dict[str, str]], *, status: int = 422) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors
        self.status = status


def _fail(field: str, message: str, *, status: int = 422) -> AdminError:
    return AdminError([{"field": field, "message": message}], status=status)


def _unique(session: Session, column: Any, value: str, current_id: int | None, field: str) -> None:
    found = session.scalar(select(column.class_.id).where(column == value))
    if found is not None and found != current_id:
        raise _fail(field, f"{value!r} is already taken", status=409)


def _exists(session: Session, model: type[Any], row_id: int | None, field: str) -> None:
    if row_id is not None and session.get(model, row_id) is None:
        raise _fail(field, f"no such {model.__tablename__.rstrip('s')}: {row_id}")


# -- calendars --------------------------------------------------------------------------------


def create_calendar(*, session: Session, data: CalendarIn) -> BusinessCalendar:
    _unique(session, BusinessCalendar.name, data.name, None, "/name")
    row = BusinessCalendar(
        name=data.name,
        time_zone=data.time_zone,
        weekly=data.weekly,
        holidays=[d.isoformat() for d in data.holidays],
    )
    session.add(row)
    session.flush()
    return row


def update_calendar(
    *, session: Session, calendar: BusinessCalendar, changes: dict[str, Any]
) -> BusinessCalendar:
    if changes.get("name") is not None:
        _unique(session, BusinessCalendar.name, changes["name"], calendar.id, "/name")
    for key, value in changes.items():
        if value is None:
            raise _fail(f"/{key}", "may not be null")
        if key == "holidays":
            value = [d.isoformat() for d in value]
        setattr(calendar, key, value)
    session.flush()
    return calendar


def delete_calendar(*, session: Session, calendar: BusinessCalendar) -> None:
    """Policies and the inbox settings that used it fall back to around-the-clock time."""
    for policy in session.scalars(select(SlaPolicy).where(SlaPolicy.calendar_id == calendar.id)):
        policy.calendar_id = None
    settings = session.get(InboxSettings, 1)
    if settings is not None and settings.calendar_id == calendar.id:
        settings.calendar_id = None
    session.delete(calendar)
    session.flush()


# -- SLA policies -----------------------------------------------------------------------------


def _policy_refs(session: Session, values: dict[str, Any]) -> None:
    _exists(session, Brand, values.get("brand_id"), "/brand_id")
    _exists(session, BusinessCalendar, values.get("calendar_id"), "/calendar_id")


def create_policy(*, session: Session, data: PolicyIn) -> SlaPolicy:
    _unique(session, SlaPolicy.name, data.name, None, "/name")
    values = data.model_dump()
    _policy_refs(session, values)
    row = SlaPolicy(**values)
    session.add(row)
    session.flush()
    return row


def update_policy(*, session: Session, policy: SlaPolicy, changes: dict[str, Any]) -> SlaPolicy:
    nullable = {"platform", "brand_id", "calendar_id"}
    for key, value in changes.items():
        if value is None and key not in nullable:
            raise _fail(f"/{key}", "may not be null")
    if changes.get("name") is not None:
        _unique(session, SlaPolicy.name, changes["name"], policy.id, "/name")
    _policy_refs(session, changes)
    for key, value in changes.items():
        setattr(policy, key, value)
    session.flush()
    session.refresh(policy)
    return policy


# -- canned replies ---------------------------------------------------------------------------


def _canned_unique(session: Session, name: str, lang: str, current_id: int | None) -> None:
    found = session.scalar(
        select(CannedReply.id).where(CannedReply.name == name, CannedReply.lang == lang)
    )
    if found is not None and found != current_id:
        raise _fail("/name", f"{name!r} already exists in {lang}", status=409)


def add_canned(*, session: Session, data: CannedIn) -> CannedReply:
    _canned_unique(session, data.name, data.lang, None)
    _exists(session, Brand, data.brand_id, "/brand_id")
    try:
        return create_canned(
            session=session, name=data.name, lang=data.lang, text=data.text, brand_id=data.brand_id
        )
    except CannedError as exc:
        raise _fail("/text", str(exc)) from exc


def update_canned(*, session: Session, canned: CannedReply, changes: dict[str, Any]) -> CannedReply:
    for key in ("name", "lang", "text"):
        if key in changes and changes[key] is None:
            raise _fail(f"/{key}", "may not be null")
    merged = {"name": canned.name, "lang": canned.lang, "text": canned.text} | changes
    _canned_unique(session, merged["name"], merged["lang"], canned.id)
    _exists(session, Brand, changes.get("brand_id"), "/brand_id")
    unknown = unknown_variables(merged["text"])
    if unknown:
        raise _fail(
            "/text", f"unknown variable(s) {', '.join(unknown)}: use {', '.join(VARIABLES)}"
        )
    for key, value in changes.items():
        setattr(canned, key, value)
    session.flush()
    return canned


def unknown_variables(text: str) -> list[str]:
    return sorted(set(_VARIABLE.findall(text)) - set(VARIABLES))


# -- automation rules -------------------------------------------------------------------------


def rule_errors(
    *, event: str, conditions: dict[str, Any], actions: list[dict[str, Any]], minutes: int | None
) -> list[dict[str, str]]:
    """Every problem of a rule, each with the JSON Pointer of the part at fault."""
    errors: list[dict[str, str]] = []
    if event == "case.no_reply" and not minutes:
        errors.append({"field": "/minutes", "message": "a case.no_reply rule needs minutes"})
    try:
        parse_conditions(conditions)
    except ValidationError as exc:
        first = exc.errors()[0]
        errors.append(
            {"field": "/conditions" + field_path(first["loc"]).rstrip("/"), "message": first["msg"]}
        )
    for index, item in enumerate(actions):
        spec = ACTIONS.get(str(item.get("type")))
        if spec is None:
            errors.append(
                {
                    "field": f"/actions/{index}/type",
                    "message": f"unknown action {item.get('type')!r}: use {', '.join(ACTIONS)}",
                }
            )
            continue
        try:
            spec.params.model_validate({k: v for k, v in item.items() if k != "type"})
        except ValidationError as exc:
            errors.extend(
                {"field": f"/actions/{index}" + field_path(e["loc"]), "message": e["msg"]}
                for e in exc.errors()
            )
    return errors


def create_rule_row(*, session: Session, data: RuleIn) -> AutomationRule:
    _unique(session, AutomationRule.name, data.name, None, "/name")
    errors = rule_errors(
        event=data.event, conditions=data.conditions, actions=data.actions, minutes=data.minutes
    )
    if errors:
        raise AdminError(errors)
    row = AutomationRule(**data.model_dump())
    session.add(row)
    session.flush()
    return row


def update_rule(
    *, session: Session, rule: AutomationRule, changes: dict[str, Any]
) -> AutomationRule:
    for key, value in changes.items():
        if value is None and key != "minutes":
            raise _fail(f"/{key}", "may not be null")
    if changes.get("name") is not None:
        _unique(session, AutomationRule.name, changes["name"], rule.id, "/name")
    merged = {
        "event": rule.event,
        "conditions": rule.conditions,
        "actions": rule.actions,
        "minutes": rule.minutes,
    } | {k: v for k, v in changes.items() if k in ("event", "conditions", "actions", "minutes")}
    errors = rule_errors(**merged)
    if errors:
        raise AdminError(errors)
    for key, value in changes.items():
        setattr(rule, key, value)
    session.flush()
    return rule


def reorder_rules(*, session: Session, ids: list[int]) -> list[AutomationRule]:
    """Give the listed rules positions 10, 20, 30…; every rule must be listed exactly once."""
    rules = {r.id: r for r in session.scalars(select(AutomationRule))}
    if len(set(ids)) != len(ids):
        raise _fail("/ids", "a rule is listed twice")
    if set(ids) != set(rules):
        missing = sorted(set(rules) - set(ids))
        unknown = sorted(set(ids) - set(rules))
        raise _fail("/ids", f"list every rule once (missing {missing}, unknown {unknown})")
    for index, rule_id in enumerate(ids, start=1):
        rules[rule_id].position = index * 10
    session.flush()
    return [rules[i] for i in ids]


def list_rules(*, session: Session) -> list[AutomationRule]:
    return list(
        session.scalars(select(AutomationRule).order_by(AutomationRule.position, AutomationRule.id))
    )


def dry_run_since(
    *, session: Session, conditions: dict[str, Any], since: datetime, limit: int = DRY_RUN_LIMIT
) -> list[tuple[Post, int | None]]:
    """Inbound posts published since ``since`` that the conditions match, with their case.

    Each post is judged with the facts of its own time (business hours at publication), the
    way the rule would have seen it live.
    """
    tree = parse_conditions(conditions)
    hours = default_hours(session)
    posts = (
        session.scalars(
            select(Post)
            .where(Post.direction == "inbound", Post.created_at >= since)
            .order_by(Post.created_at.desc(), Post.id.desc())
            .limit(limit)
        )
        .unique()
        .all()
    )
    matched = []
    for post in posts:
        case_id = session.scalar(select(PostTriage.case_id).where(PostTriage.post_id == post.id))
        case = session.get(Case, case_id) if case_id else None
        if evaluate(
            tree, facts_for(session=session, post=post, case=case, now=post.created_at, hours=hours)
        ):
            matched.append((post, case_id))
    return matched


# -- acknowledgement templates ----------------------------------------------------------------


def save_ack_template(*, session: Session, lang: str, kind: str, text: str) -> AckTemplate:
    """Create or replace the stored template for ``lang``/``kind``."""
    if kind not in ACK_KINDS:
        raise _fail("/kind", f"use one of {', '.join(ACK_KINDS)}")
    unknown = sorted(set(_VARIABLE.findall(text)) - set(ACK_VARIABLES))
    if unknown:
        raise _fail(
            "/text", f"unknown variable(s) {', '.join(unknown)}: use {', '.join(ACK_VARIABLES)}"
        )
    row = session.scalar(
        select(AckTemplate).where(AckTemplate.lang == lang, AckTemplate.kind == kind)
    )
    if row is None:
        row = AckTemplate(lang=lang, kind=kind, text=text)
        session.add(row)
    else:
        row.text = text
    session.flush()
    return row
