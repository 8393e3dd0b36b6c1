"""Poaching alerts, the opportunity queue, right of reply, amicable resolutions, campaigns."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.listening.factories import NOW, brands, hours, post
from tocsin.events.models import OutboxEvent
from tocsin.inbox.models import Case, PostTriage
from tocsin.listening.campaigns import campaign_stats, create_campaign
from tocsin.listening.competitors import decide_opportunity, detect_poaching, opportunity_queue
from tocsin.listening.ereputation import record_resolutions, track_right_of_reply
from tocsin.listening.tracking_models import AmicableResolution, RightOfReply
from tocsin.notifications.models import InAppNotification


def _case(session: Session, post_id: int, **kw: object) -> Case:
    case = Case(platform="x", opened_at=NOW, last_inbound_at=NOW, first_post_id=post_id, **kw)
    session.add(case)
    session.flush()
    session.add(PostTriage(post_id=post_id, case_id=case.id, decision="opened"))
    session.flush()
    return case


def test_competitor_reply_to_our_complainer_raises_one_alert(session: Session) -> None:
    _ours, rival = brands(session)
    complaint = post(
        session, "Lumio lost my parcel, worst service", sentiment="negative", complaint=True
    )
    case = _case(session, complaint.id)
    happy = post(session, "Lumio is great", sentiment="positive")
    courting = post(
        session, "Sorry to hear! Nordel delivers next day, DM us", handle="nordel", parent=complaint
    )
    polite = post(session, "Nice!", handle="nordel", parent=happy)
    alerts = detect_poaching(session=session, post_ids=[courting.id, polite.id])
    assert len(alerts) == 1
    assert alerts[0].competitor_id == rival.id and alerts[0].complaint_post_id == complaint.id
    assert "poaching" in case.tags and alerts[0].case_id == case.id
    assert detect_poaching(session=session, post_ids=[courting.id]) == []  # idempotent
    names = session.scalars(select(OutboxEvent.name)).all()
    assert names.count("listening.poaching_detected") == 1
    assert session.scalar(
        select(InAppNotification).where(InAppNotification.key == f"poaching:{alerts[0].id}")
    )


def test_opportunity_queue_lists_competitor_complaints_until_decided(session: Session) -> None:
    ours, _ = brands(session)
    unhappy = post(session, "Nordel charged me twice", sentiment="negative", complaint=True)
    post(session, "Nordel is fine", sentiment="positive")
    post(session, "Lumio is slow", sentiment="negative")
    queue = opportunity_queue(session=session, brand_id=ours.id)
    assert [o.post.id for o in queue] == [unhappy.id] and queue[0].competitor == "Nordel"
    decide_opportunity(
        session=session, brand_id=ours.id, post_id=unhappy.id, decision="dismiss", user_id=None
    )  # type: ignore[arg-type]
    assert opportunity_queue(session=session, brand_id=ours.id) == []


def test_right_of_reply_opens_and_closes_when_the_brand_answers(session: Session) -> None:
    brands(session)
    article = post(
        session,
        "Lumio customers complain about delays",
        platform="news",
        sentiment="negative",
        title="Delays at Lumio",
        at=NOW - hours(5),
    )
    post(session, "Lumio wins design award", platform="news", sentiment="positive")
    assert track_right_of_reply(session=session, post_ids=[article.id]) == 1
    row = session.scalar(select(RightOfReply))
    assert (
        row is not None
        and row.status == "open"
        and row.due_at == article.created_at + timedelta(days=3)
    )
    answer = post(
        session, "Lumio's answer: delays are fixed", platform="news", handle="lumio", parent=article
    )
    answer.platform = "news"
    track_right_of_reply(session=session, post_ids=[answer.id])
    assert row.status == "open"  # the answer came from an account not known as the brand's
    answer.direction = "outbound"
    track_right_of_reply(session=session, post_ids=[answer.id])
    assert row.status == "answered" and row.answered_at == answer.created_at


def test_edit_or_delete_after_resolution_is_amicable(session: Session) -> None:
    ours, _ = brands(session)
    resolved = post(session, "Lumio never refunded me", sentiment="negative", complaint=True)
    _case(session, resolved.id, status="resolved", resolved_at=NOW - hours(2), brand_id=ours.id)
    still_open = post(session, "Lumio still silent", sentiment="negative")
    _case(session, still_open.id, status="open")
    assert (
        record_resolutions(session=session, post_ids=[resolved.id, still_open.id], kind="deleted")
        == 1
    )
    assert record_resolutions(session=session, post_ids=[resolved.id], kind="deleted") == 0
    row = session.scalar(select(AmicableResolution))
    assert row is not None and row.kind == "deleted" and row.brand_id == ours.id


def test_an_erased_account_is_not_an_amicable_resolution(session: Session) -> None:
    """A post deleted by its author after the case was resolved counts; the same post erased
    with its whole account (deleted, taken down) does not."""
    from tocsin.config import Settings
    from tocsin.events.outbox import Subscribers
    from tocsin.events.types import PostDeleted
    from tocsin.listening.tasks import subscribe

    ours, _ = brands(session)
    erased = post(session, "Lumio never refunded me", sentiment="negative", complaint=True)
    _case(session, erased.id, status="resolved", resolved_at=NOW - hours(2), brand_id=ours.id)
    deleted = post(session, "Lumio lost my parcel", sentiment="negative", complaint=True)
    _case(session, deleted.id, status="resolved", resolved_at=NOW - hours(2), brand_id=ours.id)
    subscribers = Subscribers()
    subscribe(subscribers, Settings())
    events = [PostDeleted(post_id=erased.id, by_author=False), PostDeleted(post_id=deleted.id)]
    for handler in subscribers.batch_for_name(PostDeleted.name):
        handler(session, events)
    assert [r.post_id for r in session.scalars(select(AmicableResolution))] == [deleted.id]
    assert PostDeleted.from_payload({"post_id": 3}) == PostDeleted(post_id=3, by_author=True)


def test_campaign_volume_sentiment_and_confusion(session: Session) -> None:
    ours, _ = brands(session)
    campaign = create_campaign(
        session=session,
        brand_id=ours.id,
        name="Summer",
        hashtags=["LumioSummer"],
        terms=["free bulb"],
        starts_at=NOW - timedelta(days=2),
        ends_at=NOW + hours(1),
    )
    post(session, "Love the Lumio #LumioSummer deal", sentiment="positive")
    post(
        session,
        "Is the Lumio free bulb only for new customers?",
        sentiment="neutral",
        intents=[{"name": "question"}],
    )
    post(session, "Lumio #lumiosummer is a scam", sentiment="negative")
    post(session, "Lumio parcel late", sentiment="negative")
    post(session, "#LumioSummer before the start", at=NOW - timedelta(days=5))
    stats = campaign_stats(session=session, campaign=campaign)
    assert stats.posts == 3 and stats.questions == 1 and stats.negative == 1
    assert stats.confused == 2 and abs(stats.confusion_rate - 2 / 3) < 1e-9
