"""Routing (skills, load, get-next, hand-over, escalation) and automation rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.inbox.conftest import PostFactory
from tocsin.accounts.models import Team, TeamMember
from tocsin.inbox.automation.conditions import evaluate, parse_conditions
from tocsin.inbox.automation.models import RuleRun
from tocsin.inbox.automation.rules import RuleError, create_rule, dry_run, run_rules
from tocsin.inbox.models import Case
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.routing import escalate_unanswered, next_case, pick_agent, set_agent_status
from tocsin.inbox.sla.policies import inbox_settings
from tocsin.inbox.triage import triage_posts
from tocsin.notifications.models import InAppNotification

T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def _case(session: Session, make_post: PostFactory, **kw: object) -> Case:
    post = make_post(created_at=kw.pop("at", T0), **kw)  # type: ignore[arg-type]
    case = session.get(Case, triage_posts(session=session, post_ids=[post.id], now=T0).opened[0])
    assert case is not None
    return case


def test_skills_load_get_next_and_hand_over(
    session: Session, make_post: PostFactory, make_agent
) -> None:  # type: ignore[no-untyped-def]
    french = make_agent(skills={"languages": ["fr"]})
    anyone = make_agent()
    for agent in (french, anyone):
        set_agent_status(session=session, user=agent, status="online", now=T0)
    fr_case = _case(session, make_post, lang="fr", handle="a")
    en_low = _case(session, make_post, lang="en", handle="b", priority=10)
    en_high = _case(session, make_post, lang="en", handle="c", priority=70)
    assert pick_agent(session=session, case=en_low) == anyone
    assert next_case(session=session, user=french, now=T0) == fr_case
    assert next_case(session=session, user=french, now=T0) is None  # no other French case
    assert next_case(session=session, user=anyone, now=T0) == en_high  # priority first
    moved = set_agent_status(session=session, user=anyone, status="offline", now=T0)
    assert moved == 1 and en_high.assignee_id is None  # nobody else can take English


def test_escalation_notifies_the_team_lead_once(
    session: Session, make_post: PostFactory, make_agent
) -> None:  # type: ignore[no-untyped-def]
    lead = make_agent(role="manager")
    team = Team(name="care")
    session.add(team)
    session.flush()
    session.add(TeamMember(team_id=team.id, user_id=lead.id, is_lead=True))
    case = _case(session, make_post)
    case.team_id = team.id
    inbox_settings(session).escalation_minutes = 30
    assert escalate_unanswered(session=session, now=T0 + timedelta(minutes=29)) == 0
    assert escalate_unanswered(session=session, now=T0 + timedelta(minutes=31)) == 1
    assert escalate_unanswered(session=session, now=T0 + timedelta(minutes=45)) == 0
    notes = session.scalars(
        select(InAppNotification).where(InAppNotification.user_id == lead.id)
    ).all()
    assert [n.key for n in notes] == [f"inbox:unanswered:{case.id}"]


def test_escalation_skips_a_lead_who_left_and_pages_the_on_call_person(
    session: Session, make_post: PostFactory, make_agent
) -> None:  # type: ignore[no-untyped-def]
    gone, on_call = make_agent(role="manager"), make_agent(role="manager")
    gone.is_active = False
    team = Team(name="care-left")
    session.add(team)
    session.flush()
    session.add(TeamMember(team_id=team.id, user_id=gone.id, is_lead=True))
    set_agent_status(session=session, user=on_call, status="online", now=T0, on_call=True)
    case = _case(session, make_post)
    case.team_id = team.id
    inbox_settings(session).escalation_minutes = 30
    assert escalate_unanswered(session=session, now=T0 + timedelta(minutes=31)) == 1
    paged = session.scalars(
        select(InAppNotification.user_id).where(
            InAppNotification.key == f"inbox:unanswered:{case.id}"
        )
    ).all()
    assert list(paged) == [on_call.id]


def test_condition_tree() -> None:
    tree = parse_conditions(
        {
            "all": [
                {"field": "enrichment.sentiment", "op": "eq", "value": "negative"},
                {
                    "any": [
                        {"field": "author.followers", "op": "gte", "value": 1000},
                        {"field": "enrichment.intents", "op": "contains", "value": "threat"},
                    ]
                },
                {"not": {"field": "time.business_hours", "op": "eq", "value": True}},
            ]
        }
    )
    base = {"enrichment.sentiment": "negative", "author.followers": 5, "time.business_hours": False}
    assert not evaluate(tree, {**base, "enrichment.intents": []})
    assert evaluate(tree, {**base, "enrichment.intents": ["threat"]})
    assert not evaluate(tree, {**base, "author.followers": 5000, "time.business_hours": True})
    with pytest.raises(ValueError, match="unknown field"):
        parse_conditions({"field": "post.__class__", "op": "eq", "value": 1})


def test_rules_run_once_isolate_failures_and_dry_run(
    session: Session, make_post: PostFactory, registry: PublisherRegistry
) -> None:
    with pytest.raises(RuleError, match="unknown type"):
        create_rule(
            session=session,
            name="bad",
            event="case.opened",
            conditions={},
            actions=[{"type": "exec"}],
        )
    rule = create_rule(
        session=session,
        name="vip",
        event="case.opened",
        conditions={"field": "author.followers", "op": "gte", "value": 1000},
        actions=[
            {"type": "webhook", "channel_id": 999},
            {"type": "tag", "tags": ["vip"]},
            {"type": "set_priority", "priority": 90},
        ],
    )
    vip = _case(session, make_post, followers=5000, handle="star")
    plain = _case(session, make_post, followers=3, handle="nobody")
    for case in (vip, plain):
        run_rules(
            session=session,
            event="case.opened",
            event_key=f"k{case.id}",
            now=T0,
            registry=registry,
            case=case,
        )
    run_rules(
        session=session,
        event="case.opened",
        event_key=f"k{vip.id}",
        now=T0,
        registry=registry,
        case=vip,
    )  # redelivered: not run again
    assert (vip.tags, vip.priority, plain.tags) == (["vip"], 90, [])
    runs = session.scalars(
        select(RuleRun).where(RuleRun.rule_id == rule.id).order_by(RuleRun.id)
    ).all()
    assert [r.matched for r in runs] == [True, False]
    assert [a["ok"] for a in runs[0].results] == [False, True, True]
    assert dry_run(session=session, conditions=rule.conditions) == [vip.first_post_id]
