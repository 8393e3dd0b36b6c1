"""Competitors: poaching detection and the opportunity queue.

Share of voice and the sentiment benchmark come from the rollups (see
:mod:`tocsin.listening.dashboard`).  Here:

* **Poaching** — a competitor's official account (a post linked to the competitor with
  ``by_brand``) replies to a post that complains about our brand (linked to it, and enriched
  as a complaint or negative).  That raises a :class:`PoachingDetected` event, an in-app
  notification, and tags the complaint's inbox case ``poaching``.
* **Opportunities** — posts complaining about a competitor, listed for the team to decide
  (engage by hand, or dismiss).  Nothing is ever answered automatically from this queue.

Example::

    detect_poaching(session=s, post_ids=[reply.id], settings=settings)   # -> [PoachingAlert]
    opportunity_queue(session=s, brand_id=1)                               # -> [Opportunity]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from tocsin.brands.models import Brand
from tocsin.config import Settings
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.outbox import emit
from tocsin.events.types import Event
from tocsin.ingestion.models import Post
from tocsin.ingestion.sql import insert_new, table_of
from tocsin.listening.models import PostBrand
from tocsin.listening.tracking_models import OpportunityDecision, PoachingAlert
from tocsin.notifications.message import Notification
from tocsin.notifications.service import queue_notification
from tocsin.types import utcnow


@dataclass(frozen=True)
class PoachingDetected(Event):
    """A competitor's official account answered one of our complainers."""

    name: ClassVar[str] = "listening.poaching_detected"
    alert_id: int
    brand_id: int
    competitor_id: int
    complaint_post_id: int
    reply_post_id: int


def _is_unhappy() -> object:
    return or_(PostEnrichment.complaint.is_(True), PostEnrichment.sentiment == "negative")


def detect_poaching(
    *, session: Session, post_ids: Sequence[int], settings: Settings | None = None
) -> list[PoachingAlert]:
    """Check the posts that are competitor replies; raise one alert per reply (idempotent)."""
    if not post_ids:
        return []
    replies = session.execute(
        select(Post, PostBrand.brand_id, Brand.competitor_of_id)
        .join(PostBrand, PostBrand.post_id == Post.id)
        .join(Brand, Brand.id == PostBrand.brand_id)
        .where(
            Post.id.in_(list(post_ids)),
            PostBrand.by_brand.is_(True),
            Brand.competitor_of_id.is_not(None),
            Post.parent_external_id.is_not(None),
        )
    ).all()
    alerts: list[PoachingAlert] = []
    for reply, competitor_id, our_brand_id in replies:
        if our_brand_id is None:
            continue
        parent = session.execute(
            select(Post.id)
            .join(PostBrand, PostBrand.post_id == Post.id)
            .join(PostEnrichment, PostEnrichment.post_id == Post.id)
            .where(
                Post.platform == reply.platform,
                Post.external_id == reply.parent_external_id,
                PostBrand.brand_id == our_brand_id,
                PostBrand.by_brand.is_(False),
                _is_unhappy(),  # type: ignore[arg-type]
            )
        ).first()
        if parent is None:
            continue
        alert = _raise(session, our_brand_id, competitor_id, parent[0], reply.id, settings)
        if alert is not None:
            alerts.append(alert)
    return alerts


def _raise(
    session: Session,
    brand_id: int,
    competitor_id: int,
    complaint_id: int,
    reply_id: int,
    settings: Settings | None,
) -> PoachingAlert | None:
    case_id = _flag_case(session, complaint_id)
    created = insert_new(
        session,
        table_of(PoachingAlert),
        [
            {
                "brand_id": brand_id,
                "competitor_id": competitor_id,
                "complaint_post_id": complaint_id,
                "reply_post_id": reply_id,
                "case_id": case_id,
                "detected_at": utcnow(),
            }
        ],
        conflict=("reply_post_id",),
        returning=("id",),
    )
    if not created:
        return None
    alert = session.get(PoachingAlert, int(created[0][0]))
    assert alert is not None
    competitor = session.get(Brand, competitor_id)
    name = competitor.name if competitor else "a competitor"
    emit(
        session,
        PoachingDetected(
            alert_id=alert.id,
            brand_id=brand_id,
            competitor_id=competitor_id,
            complaint_post_id=complaint_id,
            reply_post_id=reply_id,
        ),
    )
    base = settings.base_url.rstrip("/") if settings else ""
    queue_notification(
        session=session,
        channels=[],
        user_ids=[None],
        note=Notification(
            key=f"poaching:{alert.id}",
            subject=f"{name} replied to one of our complainers",
            text=f"{name}'s official account answered a complaint about us (post {complaint_id}).",
            severity="warning",
            url=f"{base}/listening/competitors?brand={brand_id}",
            facts={"Competitor": name, "Case": str(case_id) if case_id else "none"},
        ),
    )
    return alert


def _flag_case(session: Session, post_id: int) -> int | None:
    """Tag the complaint's inbox case ``poaching`` (when the inbox has one)."""
    try:
        from tocsin.inbox.models import Case, PostTriage
    except ModuleNotFoundError:  # pragma: no cover - the inbox is optional
        return None
    triage = session.get(PostTriage, post_id)
    if triage is None or triage.case_id is None:
        return None
    case = session.get(Case, triage.case_id)
    if case is None:
        return None
    if "poaching" not in case.tags:
        case.tags = [*case.tags, "poaching"]
    return case.id


@dataclass(frozen=True)
class Opportunity:
    post: Post
    competitor: str
    sentiment: str | None
    complaint: bool


def opportunity_queue(
    *, session: Session, brand_id: int, since: datetime | None = None, limit: int = 50
) -> list[Opportunity]:
    """Recent posts complaining about our competitors that nobody has decided about yet."""
    rival = aliased(Brand)
    stmt = (
        select(Post, rival.name, PostEnrichment.sentiment, PostEnrichment.complaint)
        .join(PostBrand, PostBrand.post_id == Post.id)
        .join(rival, rival.id == PostBrand.brand_id)
        .join(PostEnrichment, PostEnrichment.post_id == Post.id)
        .outerjoin(
            OpportunityDecision,
            and_(
                OpportunityDecision.post_id == Post.id,
                OpportunityDecision.brand_id == brand_id,
            ),
        )
        .where(
            rival.competitor_of_id == brand_id,
            PostBrand.by_brand.is_(False),
            Post.direction == "inbound",
            Post.deleted.is_(False),
            OpportunityDecision.id.is_(None),
            _is_unhappy(),  # type: ignore[arg-type]
        )
        .order_by(PostBrand.post_created_at.desc(), Post.id.desc())
        .limit(limit)
    )
    if since is not None:
        stmt = stmt.where(PostBrand.post_created_at >= since)
    return [
        Opportunity(post=p, competitor=n, sentiment=s, complaint=bool(c))
        for p, n, s, c in session.execute(stmt).unique()
    ]


def decide_opportunity(
    *, session: Session, brand_id: int, post_id: int, decision: str, user_id: int, note: str = ""
) -> OpportunityDecision:
    """Record the team's decision (``engage`` or ``dismiss``); the post leaves the queue."""
    if decision not in ("engage", "dismiss"):
        raise ValueError("decision must be 'engage' or 'dismiss'")
    row = session.scalar(
        select(OpportunityDecision).where(
            OpportunityDecision.post_id == post_id, OpportunityDecision.brand_id == brand_id
        )
    )
    if row is None:
        row = OpportunityDecision(post_id=post_id, brand_id=brand_id, decision=decision)
        session.add(row)
    row.decision = decision
    row.note = note[:2000]
    row.decided_by_id = user_id
    row.decided_at = utcnow()
    session.flush()
    return row


def poaching_alerts(*, session: Session, brand_id: int, limit: int = 50) -> list[PoachingAlert]:
    return list(
        session.scalars(
            select(PoachingAlert)
            .where(PoachingAlert.brand_id == brand_id)
            .order_by(PoachingAlert.detected_at.desc())
            .limit(limit)
        )
    )
