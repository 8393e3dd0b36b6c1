"""Automation rules as the settings see them: validation with field pointers, order, dry runs.

The engine (:mod:`tocsin.inbox.automation`) owns the vocabulary; this module checks a whole
rule against it and reports every problem at once, each with the JSON Pointer of the part at
fault (``/actions/1/type``), so the API and the rule builder can show them beside the field.
Nothing here commits.

Example::

    rule_errors(event="case.no_reply", conditions={}, actions=[{"type": "tag"}], minutes=None)
    # -> [{"field": "/minutes", …}, {"field": "/actions/0/tags", "message": "Field required"}]
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.errors import AdminError
from tocsin.inbox.admin.schemas import RuleIn
from tocsin.inbox.admin.service import fail, unique
from tocsin.inbox.automation.actions import ACTIONS
from tocsin.inbox.automation.conditions import evaluate, facts_for, parse_conditions
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.models import Case, PostTriage
from tocsin.inbox.sla.policies import default_hours
from tocsin.ingestion.models import Post
from tocsin.web.problems import field_path

#: At most this many posts are evaluated by one dry run (newest first).
DRY_RUN_LIMIT = 2000


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
    unique(session, AutomationRule.name, data.name, None, "/name")
    errors = rule_errors(
        event=data.event, conditions=data.conditions, actions=data.actions, minutes=data.minutes
    )
    if errors:
        raise AdminError.naming(errors)
    row = AutomationRule(**data.model_dump())
    session.add(row)
    session.flush()
    return row


def update_rule(
    *, session: Session, rule: AutomationRule, changes: dict[str, Any]
) -> AutomationRule:
    for key, value in changes.items():
        if value is None and key != "minutes":
            raise fail(f"/{key}", "may not be null")
    if changes.get("name") is not None:
        unique(session, AutomationRule.name, changes["name"], rule.id, "/name")
    merged = {
        "event": rule.event,
        "conditions": rule.conditions,
        "actions": rule.actions,
        "minutes": rule.minutes,
    } | {k: v for k, v in changes.items() if k in ("event", "conditions", "actions", "minutes")}
    errors = rule_errors(**merged)
    if errors:
        raise AdminError.naming(errors)
    for key, value in changes.items():
        setattr(rule, key, value)
    session.flush()
    return rule


def reorder_rules(*, session: Session, ids: list[int]) -> list[AutomationRule]:
    """Give the listed rules positions 10, 20, 30…; every rule must be listed exactly once."""
    rules = {r.id: r for r in session.scalars(select(AutomationRule))}
    if len(set(ids)) != len(ids):
        raise fail("/ids", "a rule is listed twice")
    if set(ids) != set(rules):
        missing = sorted(set(rules) - set(ids))
        unknown = sorted(set(ids) - set(rules))
        raise fail("/ids", f"list every rule once (missing {missing}, unknown {unknown})")
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
