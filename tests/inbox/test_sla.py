"""SLA rows: at-risk and missed once each, only human replies count, restart-safe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.inbox.conftest import PostFactory
from tocsin.events.models import OutboxEvent
from tocsin.inbox.models import Case
from tocsin.inbox.sla.engine import check_slas
from tocsin.inbox.sla.models import AppliedSla, BusinessCalendar, SlaPolicy
from tocsin.inbox.sla.policies import ensure_default_policies, policy_for
from tocsin.inbox.triage import register_human_reply, triage_posts

T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)  # a Monday


def _case(session: Session, make_post: PostFactory, **kw: object) -> Case:
    post = make_post(created_at=T0, **kw)
    case = session.get(Case, triage_posts(session=session, post_ids=[post.id], now=T0).opened[0])
    assert case is not None
    return case


def _first(session: Session, case: Case) -> AppliedSla:
    row = session.scalar(
        select(AppliedSla).where(
            AppliedSla.case_id == case.id, AppliedSla.target == "first_response"
        )
    )
    assert row is not None
    return row


def test_warning_then_breach_each_emitted_once(session: Session, make_post: PostFactory) -> None:
    case = _case(session, make_post, platform="bluesky")  # 30 min, at risk after 22.5
    row = _first(session, case)
    assert check_slas(session=session, now=T0 + timedelta(minutes=20)) == (0, 0)
    assert check_slas(session=session, now=T0 + timedelta(minutes=23)) == (1, 0)
    assert check_slas(session=session, now=T0 + timedelta(minutes=24)) == (0, 0)
    assert check_slas(session=session, now=T0 + timedelta(minutes=31)) == (0, 1)
    assert check_slas(session=session, now=T0 + timedelta(minutes=40)) == (0, 0)
    session.refresh(row)
    assert (row.state, row.breached_at) == ("missed", T0 + timedelta(minutes=30))
    names = session.scalars(select(OutboxEvent.name).where(OutboxEvent.name.like("sla.%"))).all()
    assert sorted(names) == ["sla.at_risk", "sla.breached"]
    register_human_reply(session=session, case=case, at=T0 + timedelta(minutes=45))
    session.refresh(row)
    assert row.state == "missed" and row.satisfied_at == T0 + timedelta(minutes=45)


def test_human_reply_hits_and_follow_up_starts_next_response(
    session: Session, make_post: PostFactory
) -> None:
    case = _case(session, make_post, platform="facebook")
    register_human_reply(session=session, case=case, at=T0 + timedelta(minutes=50))
    assert _first(session, case).state == "hit"
    follow = make_post(
        created_at=T0 + timedelta(hours=2), platform="facebook", text="It broke again"
    )
    triage_posts(session=session, post_ids=[follow.id], now=T0 + timedelta(hours=2))
    nxt = session.scalar(
        select(AppliedSla).where(
            AppliedSla.case_id == case.id, AppliedSla.target == "next_response"
        )
    )
    assert nxt is not None and nxt.cycle == 1
    assert nxt.due_at == T0 + timedelta(hours=3)


def test_policies_and_business_hours(session: Session, make_post: PostFactory) -> None:
    ensure_default_policies(session=session)
    calendar = BusinessCalendar(
        name="paris", time_zone="Europe/Paris", weekly={"mon": [["09:00", "12:30"]]}, holidays=[]
    )
    session.add(calendar)
    session.flush()
    urgent = SlaPolicy(
        name="x-urgent",
        platform="x",
        min_priority=70,
        first_response_minutes=60,
        next_response_minutes=60,
        resolution_minutes=600,
        calendar_id=calendar.id,
    )
    session.add(urgent)
    session.flush()
    chosen = policy_for(session=session, platform="x", priority=80, brand_id=None)
    assert chosen is not None and chosen.name == "x-urgent"
    default = policy_for(session=session, platform="x", priority=10, brand_id=None)
    assert default is not None and default.name == "default-x"
    case = _case(session, make_post, priority=80)  # Monday 12:00 Paris: 30 min left today
    row = _first(session, case)
    assert row.due_at == datetime(2026, 5, 11, 7, 30, tzinfo=UTC)  # next Monday 09:30 Paris


def test_state_survives_a_new_session(
    session_factory, make_post: PostFactory, session: Session
) -> None:  # type: ignore[no-untyped-def]
    case = _case(session, make_post)
    session.commit()
    with session_factory() as other:  # a "restarted" worker sees the same rows
        assert check_slas(session=other, now=T0 + timedelta(minutes=16)) == (0, 1)
        other.commit()
    with session_factory() as third:
        assert check_slas(session=third, now=T0 + timedelta(minutes=17)) == (0, 0)
        row = third.scalar(
            select(AppliedSla).where(
                AppliedSla.case_id == case.id, AppliedSla.target == "first_response"
            )
        )
        assert row is not None and row.state == "missed"
