"""Running automation rules: ordered, once per event, each action's failure isolated.

Events a rule can listen to (:data:`RULE_EVENTS`): ``post.received`` (an inbound post seen by
the inbox, enriched), ``case.opened``, ``case.updated``, ``sla.at_risk``, ``sla.missed`` and
``case.no_reply`` (no human reply for the rule's ``minutes``, checked periodically).  Events
caused by automation are ignored, so a rule never triggers on its own actions.

Example::

    create_rule(session=s, name="VIP negative", event="case.opened",
                conditions={"field": "author.followers", "op": "gte", "value": 10000},
                actions=[{"type": "set_priority", "priority": 90}])
    dry_run(session=s, conditions={...}, limit=500)   # -> ids of past posts that match
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers
from tocsin.events.types import Event
from tocsin.inbox.automation.actions import ACTIONS, ActionContext, validate_actions
from tocsin.inbox.automation.conditions import evaluate, facts_for, parse_conditions
from tocsin.inbox.automation.models import AutomationRule, RuleRun
from tocsin.inbox.events import CaseOpened, CaseUpdated, SlaAtRisk, SlaBreached
from tocsin.inbox.models import ACTIVE_STATUSES, Case, PostTriage
from tocsin.inbox.publishing import PublisherRegistry, default_registry
from tocsin.inbox.sla.policies import default_hours
from tocsin.ingestion.models import Post
from tocsin.ingestion.sql import insert_ignoring, table_of
from tocsin.types import utcnow

log = logging.getLogger(__name__)
RULE_EVENTS = (
    "post.received",
    "case.opened",
    "case.updated",
    "sla.at_risk",
    "sla.missed",
    "case.no_reply",
)


class RuleError(ValueError):
    """A rule is invalid; the message says which part and why."""


def create_rule(
    *,
    session: Session,
    name: str,
    event: str,
    conditions: dict[str, Any],
    actions: list[dict[str, Any]],
    position: int = 100,
    minutes: int | None = None,
) -> AutomationRule:
    if event not in RULE_EVENTS:
        raise RuleError(f"unknown event {event!r}: use one of {', '.join(RULE_EVENTS)}")
    if event == "case.no_reply" and not minutes:
        raise RuleError("a case.no_reply rule needs minutes (how long without a reply)")
    try:
        parse_conditions(conditions)
        validate_actions(actions)
    except ValueError as exc:
        raise RuleError(str(exc)) from exc
    rule = AutomationRule(
        name=name,
        event=event,
        conditions=conditions,
        actions=actions,
        position=position,
        minutes=minutes,
    )
    session.add(rule)
    session.flush()
    return rule


def _claim(session: Session, rule_id: int, event_key: str, now: datetime) -> RuleRun | None:
    inserted = session.execute(
        insert_ignoring(session, table_of(RuleRun), ["rule_id", "event_key"])
        .values(rule_id=rule_id, event_key=event_key, at=now, matched=False, results=[])
        .returning(table_of(RuleRun).c.id)
    ).scalar()
    if inserted is None:
        return None
    return session.scalar(
        select(RuleRun).where(RuleRun.rule_id == rule_id, RuleRun.event_key == event_key)
    )


def run_rules(
    *,
    session: Session,
    event: str,
    event_key: str,
    now: datetime,
    registry: PublisherRegistry,
    case: Case | None = None,
    post: Post | None = None,
) -> list[RuleRun]:
    """Run every enabled rule for ``event`` in order; return the runs that matched."""
    rules = session.scalars(
        select(AutomationRule)
        .where(AutomationRule.event == event, AutomationRule.enabled.is_(True))
        .order_by(AutomationRule.position, AutomationRule.id)
    ).all()
    if not rules:
        return []
    if post is None and case is not None and case.first_post_id:
        post = session.get(Post, case.first_post_id)
    hours = default_hours(session)
    matched = []
    for rule in rules:
        run = _claim(session, rule.id, event_key, now)
        if run is None:
            continue
        run.case_id = case.id if case else None
        run.post_id = post.id if post else None
        facts = facts_for(session=session, post=post, case=case, now=now, hours=hours)
        try:
            if not evaluate(parse_conditions(rule.conditions), facts):
                continue
            actions = validate_actions(rule.actions)
        except ValueError as exc:
            run.error = f"invalid rule: {exc}"[:2000]
            continue
        run.matched = True
        ctx = ActionContext(session, rule.id, case, post, now, registry, event_key)
        results = []
        for kind, params in actions:
            try:
                with session.begin_nested():
                    ACTIONS[kind].run(ctx, params)
                results.append({"action": kind, "ok": True})
            except Exception as exc:  # noqa: BLE001 - one action's failure never stops the next
                log.warning("rule %s action %s failed: %s", rule.id, kind, exc)
                results.append({"action": kind, "ok": False, "error": str(exc)[:500]})
        run.results = results
        matched.append(run)
    session.flush()
    return matched


def subscribe_rules(subscribers: Subscribers, settings: Settings) -> None:
    """Run rules on case and SLA events (never on events automation caused)."""

    def handler(event_name: str) -> Any:
        def on_event(session: Session, event: Event, row: OutboxEvent) -> None:
            if row.caused_by_automation:
                return
            case_id = getattr(event, "case_id", None)
            case = session.get(Case, case_id) if case_id is not None else None
            run_rules(
                session=session,
                event=event_name,
                event_key=f"outbox:{row.id}",
                now=utcnow(),
                registry=default_registry(),
                case=case,
            )

        return on_event

    subscribers.subscribe(CaseOpened.name, handler("case.opened"))
    subscribers.subscribe(CaseUpdated.name, handler("case.updated"))
    subscribers.subscribe(SlaAtRisk.name, handler("sla.at_risk"))
    subscribers.subscribe(SlaBreached.name, handler("sla.missed"))


def run_post_received(
    *, session: Session, post_ids: Sequence[int], now: datetime, registry: PublisherRegistry
) -> int:
    """``post.received`` rules for inbound posts the inbox has just triaged."""
    count = 0
    for post_id in post_ids:
        post = session.get(Post, post_id)
        if post is None or post.direction != "inbound" or post.is_automatic:
            continue
        case_id = session.scalar(select(PostTriage.case_id).where(PostTriage.post_id == post_id))
        case = session.get(Case, case_id) if case_id else None
        count += len(
            run_rules(
                session=session,
                event="post.received",
                event_key=f"post:{post_id}",
                now=now,
                registry=registry,
                case=case,
                post=post,
            )
        )
    return count


def run_no_reply(*, session: Session, now: datetime, registry: PublisherRegistry) -> int:
    """``case.no_reply`` rules: cases waiting for a human longer than each rule's minutes."""
    count = 0
    rules = session.scalars(
        select(AutomationRule).where(
            AutomationRule.event == "case.no_reply", AutomationRule.enabled.is_(True)
        )
    ).all()
    for minutes in sorted({r.minutes or 0 for r in rules}):
        cases = session.scalars(
            select(Case).where(
                Case.status.in_(ACTIVE_STATUSES),
                Case.awaiting_reply.is_(True),
                Case.last_inbound_at <= now - timedelta(minutes=minutes),
            )
        ).all()
        for case in cases:
            key = f"noreply:{case.id}:{case.last_inbound_at.isoformat()}"
            runs = run_rules(
                session=session,
                event="case.no_reply",
                event_key=key,
                now=now,
                registry=registry,
                case=case,
            )
            count += len(runs)
    return count


def no_reply_job(factory: sessionmaker[Session], _settings: Settings) -> str:
    with factory() as session:
        count = run_no_reply(session=session, now=utcnow(), registry=default_registry())
        session.commit()
    return f"{count} rules matched"


def dry_run(*, session: Session, conditions: dict[str, Any], limit: int = 500) -> list[int]:
    """Ids of the newest ``limit`` inbound posts the conditions would have matched."""
    tree = parse_conditions(conditions)
    hours = default_hours(session)
    posts = (
        session.scalars(
            select(Post)
            .where(Post.direction == "inbound")
            .order_by(Post.created_at.desc())
            .limit(limit)
        )
        .unique()
        .all()
    )
    matched = []
    for post in posts:
        case_id = session.scalar(select(PostTriage.case_id).where(PostTriage.post_id == post.id))
        case = session.get(Case, case_id) if case_id else None
        facts = facts_for(session=session, post=post, case=case, now=post.created_at, hours=hours)
        if evaluate(tree, facts):
            matched.append(post.id)
    return matched
