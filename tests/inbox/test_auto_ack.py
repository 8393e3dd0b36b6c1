"""Automatic acknowledgements: out of hours, in the author's language, once, never an SLA answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.inbox.conftest import PostFactory
from tocsin.inbox.auto_ack import acknowledge, format_eta, preview
from tocsin.inbox.models import AgentStatus, Case
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.reply_models import Reply
from tocsin.inbox.sla.models import AppliedSla, BusinessCalendar
from tocsin.inbox.sla.policies import inbox_settings
from tocsin.inbox.triage import triage_posts
from tocsin.ingestion.models import Post

SATURDAY = datetime(2026, 5, 9, 22, 0, tzinfo=UTC)


def _office(session: Session) -> None:
    cal = BusinessCalendar(
        name="office",
        time_zone="Europe/Paris",
        weekly={d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    )
    session.add(cal)
    session.flush()
    inbox_settings(session).calendar_id = cal.id


def _case(session: Session, make_post: PostFactory, at: datetime, **kw: object) -> Case:
    post = make_post(created_at=at, **kw)
    case = session.get(Case, triage_posts(session=session, post_ids=[post.id], now=at).opened[0])
    assert case is not None
    return case


def test_out_of_hours_acknowledged_once_in_french(
    session: Session, make_post: PostFactory, registry: PublisherRegistry
) -> None:
    _office(session)
    case = _case(session, make_post, SATURDAY, lang="fr", text="Ma commande n'est pas arrivée")
    decision = acknowledge(session=session, case=case, now=SATURDAY, registry=registry)
    assert decision.sent and decision.reason == "eta"
    assert decision.text.startswith("Ceci est un message automatique")
    # Monday 09:00 Paris is 07:00 UTC, 33 h after; one case in the queue, 10 min each.
    assert decision.eta_minutes == 33 * 60 + 10
    assert "34 heures" in decision.text
    again = acknowledge(
        session=session, case=case, now=SATURDAY + timedelta(minutes=5), registry=registry
    )
    assert (again.sent, again.reason) == (False, "already_acknowledged")
    reply = session.get(Reply, decision.reply_id)
    assert reply is not None and reply.is_automatic
    post = session.get(Post, reply.published_post_id)
    assert post is not None and post.is_automatic and post.direction == "outbound"
    first = session.scalar(
        select(AppliedSla).where(
            AppliedSla.case_id == case.id, AppliedSla.target == "first_response"
        )
    )
    assert first is not None and first.state == "active" and first.satisfied_at is None
    assert case.awaiting_reply and case.first_human_reply_at is None


def test_redirect_and_guards(
    session: Session, make_post: PostFactory, registry: PublisherRegistry
) -> None:
    _office(session)
    inbox_settings(session).auto_ack_redirect = {"nl": "bel 020 123 4567"}
    case = _case(session, make_post, SATURDAY, lang="nl", handle="piet")
    decision = acknowledge(session=session, case=case, now=SATURDAY, registry=registry)
    assert decision.reason == "redirect" and "bel 020 123 4567" in decision.text
    bot = _case(session, make_post, SATURDAY, handle="bot", is_automated=True)
    assert (
        acknowledge(session=session, case=bot, now=SATURDAY, registry=registry).reason
        == "automated_author"
    )


def test_long_queue_in_hours(
    session: Session, make_post: PostFactory, registry: PublisherRegistry, make_agent
) -> None:  # type: ignore[no-untyped-def]
    monday = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    cases = [_case(session, make_post, monday, handle=f"user{i}") for i in range(3)]
    assert (
        acknowledge(session=session, case=cases[0], now=monday, registry=registry).reason
        == "in_hours_short_wait"
    )
    # third in line, one agent, 10 min each: 30 min > X's 15 min target
    session.add(AgentStatus(user_id=make_agent().id, status="online"))
    decision = acknowledge(session=session, case=cases[2], now=monday, registry=registry)
    assert decision.sent and decision.eta_minutes == 30 and "30 minutes" in decision.text


def test_format_and_preview(session: Session) -> None:
    assert format_eta(12, "es") == "15 minutos" and format_eta(180, "nl") == "3 uur"
    assert "automatic message" in preview(session=session, lang="en", kind="eta")


def test_history_is_never_acknowledged(
    session: Session, make_post: PostFactory, registry: PublisherRegistry
) -> None:
    """An imported or backfilled post from hours ago gets no "we received your message"."""
    _office(session)
    case = _case(session, make_post, SATURDAY, lang="fr", text="Ma commande n'est pas arrivée")
    later = SATURDAY + timedelta(hours=3)
    decision = acknowledge(session=session, case=case, now=later, registry=registry)
    assert (decision.sent, decision.reason) == (False, "stale")
