"""Triage: posts become cases once; threads and follow-ups join; history records everything."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.inbox.conftest import PostFactory
from tocsin.events.models import OutboxEvent
from tocsin.inbox.cases import (
    Actor,
    CaseError,
    add_note,
    add_tags,
    history,
    set_status,
    touch_presence,
)
from tocsin.inbox.models import Case, PostTriage
from tocsin.inbox.sla.models import AppliedSla
from tocsin.inbox.triage import triage_posts, untriaged_enriched

T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def test_post_needing_a_reply_opens_one_case_even_when_triaged_twice(
    session: Session, make_post: PostFactory
) -> None:
    post = make_post(created_at=T0, priority=35)
    first = triage_posts(session=session, post_ids=[post.id], now=T0)
    again = triage_posts(session=session, post_ids=[post.id, post.id], now=T0)
    assert len(first.opened) == 1 and again.opened == [] and again.joined == []
    case = session.get(Case, first.opened[0])
    assert case is not None
    assert (case.status, case.priority, case.platform, case.lang) == ("open", 35, "x", "en")
    targets = {
        r.target: r
        for r in session.scalars(select(AppliedSla).where(AppliedSla.case_id == case.id))
    }
    assert targets["first_response"].due_at == T0 + timedelta(minutes=15)
    assert targets["resolution"].due_at == T0 + timedelta(hours=24)
    assert session.scalar(select(func.count()).select_from(PostTriage)) == 1
    names = session.scalars(select(OutboxEvent.name)).all()
    assert names.count("case.opened") == 1
    assert [h.action for h in history(session=session, case_id=case.id)] == ["opened"]


def test_thread_and_same_author_follow_ups_join_the_open_case(
    session: Session, make_post: PostFactory
) -> None:
    root = make_post(created_at=T0, external_id="r1")
    in_thread = make_post(
        created_at=T0 + timedelta(minutes=2), handle="bob", parent="r1", thread="r1"
    )
    follow_up = make_post(created_at=T0 + timedelta(hours=3), text="Any news?")
    late = make_post(created_at=T0 + timedelta(days=2), text="Still nothing")
    other = make_post(created_at=T0 + timedelta(minutes=5), handle="carla")
    report = triage_posts(
        session=session, post_ids=[root.id, in_thread.id, follow_up.id, late.id, other.id], now=T0
    )
    assert len(report.opened) == 3  # ana's case, carla's case, and ana two days later
    assert len(report.joined) == 2
    case_of = dict(session.execute(select(PostTriage.post_id, PostTriage.case_id)).all())
    assert case_of[root.id] == case_of[in_thread.id] == case_of[follow_up.id]
    assert len({case_of[root.id], case_of[late.id], case_of[other.id]}) == 3


def test_unenriched_posts_wait_for_the_sweep(session: Session, make_post: PostFactory) -> None:
    post = make_post(created_at=T0, needs_reply=None)
    assert triage_posts(session=session, post_ids=[post.id], now=T0).waiting == 1
    assert untriaged_enriched(session=session) == []
    make_post(created_at=T0, needs_reply=False, external_id="quiet")
    pending = untriaged_enriched(session=session)
    assert len(pending) == 1
    assert triage_posts(session=session, post_ids=pending, now=T0).skipped == 1


def test_an_answer_to_the_brand_opens_a_case_without_needs_reply(
    session: Session, make_post: PostFactory
) -> None:
    make_post(
        created_at=T0, direction="outbound", handle="acme", external_id="brand-1", needs_reply=None
    )
    answer = make_post(created_at=T0 + timedelta(minutes=1), parent="brand-1", needs_reply=False)
    assert len(triage_posts(session=session, post_ids=[answer.id], now=T0).opened) == 1


def test_status_tags_notes_presence_and_history(
    session: Session, make_post: PostFactory, make_agent
) -> None:  # type: ignore[no-untyped-def]
    agent, other = make_agent(), make_agent()
    post = make_post(created_at=T0)
    case = session.get(Case, triage_posts(session=session, post_ids=[post.id], now=T0).opened[0])
    assert case is not None
    now = T0 + timedelta(minutes=3)
    add_tags(
        session=session,
        case=case,
        tags=[" Billing ", "billing", "vip"],
        actor=Actor.rule(7),
        now=now,
    )
    add_note(session=session, case=case, text="Called the carrier", user=agent, now=now)
    with pytest.raises(CaseError, match="snoozing needs"):
        set_status(session=session, case=case, status="snoozed", actor=Actor.user(agent), now=now)
    set_status(session=session, case=case, status="resolved", actor=Actor.user(agent), now=now)
    assert case.tags == ["billing", "vip"]
    rows = history(session=session, case_id=case.id)
    assert [(r.action, r.actor_kind) for r in rows] == [
        ("opened", "system"),
        ("tagged", "rule"),
        ("note", "user"),
        ("status", "user"),
    ]
    assert rows[1].actor_rule_id == 7
    automated = session.scalars(
        select(OutboxEvent.caused_by_automation).where(OutboxEvent.name == "case.updated")
    ).all()
    assert automated == [True, False, False]
    resolution = session.scalar(
        select(AppliedSla).where(AppliedSla.case_id == case.id, AppliedSla.target == "resolution")
    )
    assert resolution is not None and resolution.state == "hit"
    assert touch_presence(session=session, case_id=case.id, user_id=agent.id, now=now) == []
    seen = touch_presence(
        session=session, case_id=case.id, user_id=other.id, now=now + timedelta(seconds=5)
    )
    assert [p.user_id for p in seen] == [agent.id]
    later = touch_presence(
        session=session, case_id=case.id, user_id=other.id, now=now + timedelta(minutes=5)
    )
    assert later == []  # the first agent's heartbeat expired
