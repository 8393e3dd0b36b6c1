"""Replies: voice and PII guards, approvals, idempotent publishing, the outbound post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.inbox.conftest import PostFactory
from tocsin.connectors.fake import FakePublisher
from tocsin.inbox.approvals import ApprovalError, decide
from tocsin.inbox.canned import case_variables, create_canned, render_template
from tocsin.inbox.models import Case
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.replies import ReplyError, publish_reply, retry_unpublished, send_reply
from tocsin.inbox.reply_models import VoiceProfile
from tocsin.inbox.sla.models import AppliedSla
from tocsin.inbox.triage import triage_posts
from tocsin.inbox.voice import check_voice
from tocsin.ingestion.models import Post
from tocsin.privacy.pii import PiiDetector

T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def _case(session: Session, make_post: PostFactory, **kw: object) -> Case:
    post = make_post(created_at=T0, **kw)
    case = session.get(Case, triage_posts(session=session, post_ids=[post.id], now=T0).opened[0])
    assert case is not None
    return case


def test_voice_checks() -> None:
    profile = VoiceProfile(
        banned_words=["cheap"], required={"fr": ["Cordialement"]}, max_lengths={}
    )
    codes = lambda **kw: [i.code for i in check_voice(profile=profile, **kw)]  # noqa: E731
    assert codes(text="Not cheap at all", platform="x", lang="en") == ["banned_word"]
    assert codes(text="Bonjour", platform="x", lang="fr") == ["missing_disclaimer"]
    assert codes(text="Bonjour. Cordialement", platform="x", lang="fr") == []
    assert codes(text="a" * 281, platform="x", lang="en") == ["too_long"]
    assert codes(text="a" * 290, platform="bluesky", lang="en") == []
    assert codes(text="WE ARE VERY SORRY ABOUT THIS!!!", platform="x", lang="en") == [
        "tone_caps",
        "tone_exclamation",
    ]


def test_canned_variables(session: Session, make_post: PostFactory, make_agent) -> None:  # type: ignore[no-untyped-def]
    case = _case(session, make_post)
    case.author.display_name = "Ana Lopez"  # type: ignore[union-attr]
    agent = make_agent(name="Maya Stone")
    canned = create_canned(
        session=session,
        name="sorry",
        lang="en",
        text="Hi {first_name}, case {case_id}. {agent} {unknown_later}".replace(
            " {unknown_later}", ""
        ),
    )
    text = render_template(canned.text, case_variables(session=session, case=case, agent=agent))
    assert text == f"Hi Ana, case {case.id}. Maya"
    with pytest.raises(ValueError, match="unknown variable"):
        create_canned(session=session, name="bad", lang="en", text="Hi {firstname}")


def test_human_reply_publishes_once_and_meets_the_target(
    session: Session,
    make_post: PostFactory,
    make_agent,
    fast_pii: PiiDetector,  # type: ignore[no-untyped-def]
) -> None:
    case = _case(session, make_post)
    agent = make_agent()
    flaky = FakePublisher("x", fail_next=1)
    registry = PublisherRegistry(use_connectors=False)
    registry.register(flaky)
    at = T0 + timedelta(minutes=5)
    reply = send_reply(
        session=session,
        case=case,
        user=agent,
        text="We are on it, Ana.",
        now=at,
        registry=registry,
        detector=fast_pii,
    )
    assert reply.status == "approved" and reply.attempts == 1  # the transient failure
    assert retry_unpublished(session=session, registry=registry, now=at + timedelta(minutes=1)) == 1
    assert publish_reply(session=session, reply=reply, registry=registry, now=at) is True
    assert (
        len(flaky.published) == 1
        and flaky.published[0].idempotency_key == f"tocsin-reply:{reply.id}"
    )
    outbound = session.get(Post, reply.published_post_id)
    assert outbound is not None and outbound.direction == "outbound" and not outbound.is_automatic
    first = session.scalar(
        select(AppliedSla).where(
            AppliedSla.case_id == case.id, AppliedSla.target == "first_response"
        )
    )
    assert first is not None and first.state == "hit"
    assert case.first_human_reply_at == at + timedelta(minutes=1)


def test_personal_data_and_voice_errors_stop_a_reply(
    session: Session,
    make_post: PostFactory,
    make_agent,
    registry: PublisherRegistry,
    fast_pii: PiiDetector,  # type: ignore[no-untyped-def]
) -> None:
    case = _case(session, make_post)
    agent = make_agent()
    with pytest.raises(ReplyError, match="personal data"):
        send_reply(
            session=session,
            case=case,
            user=agent,
            text="Call us back on +33 6 12 34 56 78",
            now=T0,
            registry=registry,
            detector=fast_pii,
        )
    private = send_reply(
        session=session,
        case=case,
        user=agent,
        text="Call us back on +33 6 12 34 56 78",
        now=T0,
        registry=registry,
        detector=fast_pii,
        visibility="private",
    )
    assert private.status == "published"
    with pytest.raises(ReplyError, match="allows 280"):
        send_reply(
            session=session,
            case=case,
            user=agent,
            text="x" * 300,
            now=T0,
            registry=registry,
            detector=fast_pii,
        )


def test_legal_threat_needs_a_manager(
    session: Session,
    make_post: PostFactory,
    make_agent,
    registry: PublisherRegistry,
    fast_pii: PiiDetector,  # type: ignore[no-untyped-def]
) -> None:
    case = _case(session, make_post, intents=[{"name": "threat", "subtype": "legal"}])
    agent, manager = make_agent(), make_agent(role="manager")
    reply = send_reply(
        session=session,
        case=case,
        user=agent,
        text="We are sorry.",
        now=T0,
        registry=registry,
        detector=fast_pii,
    )
    assert (reply.status, reply.approval_reasons) == ("pending_approval", ["legal_threat"])
    with pytest.raises(ApprovalError):
        decide(reply=reply, user=agent, approve=True, now=T0)
    decide(reply=reply, user=manager, approve=True, now=T0)
    assert publish_reply(session=session, reply=reply, registry=registry, now=T0)
    assert reply.status == "published" and reply.approved_by_id == manager.id
