"""E-reputation beyond social networks: right of reply and amicable resolutions.

* Articles, reviews and blog posts (platforms ``news``, ``blog``, ``rss``, ``review``) about the
  brand that are not positive open a :class:`~tocsin.listening.tracking_models.RightOfReply`
  row due :data:`REPLY_WINDOW` after publication; it is marked answered when the brand's own
  answer to it arrives (an outbound post or a post by the brand replying to it), or by hand.
* When a complainer edits or deletes a post after their inbox case was resolved, an
  :class:`~tocsin.listening.tracking_models.AmicableResolution` is recorded.

Example::

    track_right_of_reply(session=s, post_ids=[article.id])
    record_resolutions(session=s, post_ids=[post.id], kind="deleted")
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Post
from tocsin.ingestion.sql import insert_new, table_of
from tocsin.listening.models import PostBrand
from tocsin.listening.tracking_models import AmicableResolution, RightOfReply
from tocsin.types import utcnow

EREPUTATION_PLATFORMS = ("news", "blog", "rss", "review")
REPLY_WINDOW = timedelta(days=3)


def track_right_of_reply(*, session: Session, post_ids: Sequence[int]) -> int:
    """Open right-of-reply rows for new articles and close them when the brand answers."""
    if not post_ids:
        return 0
    rows = session.execute(
        select(Post, PostBrand.brand_id, PostBrand.by_brand, PostEnrichment.sentiment)
        .join(PostBrand, PostBrand.post_id == Post.id)
        .join(Brand, Brand.id == PostBrand.brand_id)
        .outerjoin(PostEnrichment, PostEnrichment.post_id == Post.id)
        .where(
            Post.id.in_(list(post_ids)),
            Post.platform.in_(EREPUTATION_PLATFORMS),
            Brand.competitor_of_id.is_(None),
        )
    ).all()
    opened: list[dict[str, object]] = []
    for post, brand_id, by_brand, sentiment in rows:
        if post.direction == "outbound" or by_brand:
            _answer(session, post, brand_id)
        elif sentiment != "positive":
            opened.append(
                {
                    "post_id": post.id,
                    "brand_id": brand_id,
                    "status": "open",
                    "due_at": post.created_at + REPLY_WINDOW,
                    "note": "",
                    "created_at": utcnow(),
                }
            )
    created = insert_new(
        session,
        table_of(RightOfReply),
        opened,
        conflict=("post_id", "brand_id"),
        returning=("id",),
    )
    return len(created)


def _answer(session: Session, answer: Post, brand_id: int) -> None:
    if not answer.parent_external_id:
        return
    row = session.scalar(
        select(RightOfReply)
        .join(Post, Post.id == RightOfReply.post_id)
        .where(
            Post.platform == answer.platform,
            Post.external_id == answer.parent_external_id,
            RightOfReply.brand_id == brand_id,
            RightOfReply.status == "open",
        )
    )
    if row is not None:
        mark_answered(row=row, at=answer.created_at, url=answer.url)


def mark_answered(
    *, row: RightOfReply, at: datetime, url: str | None = None, note: str = ""
) -> RightOfReply:
    row.status = "answered"
    row.answered_at = at
    row.answer_url = url
    if note:
        row.note = note[:2000]
    return row


def rights_of_reply(
    *, session: Session, brand_id: int, status: str | None = None, limit: int = 50
) -> list[tuple[RightOfReply, Post]]:
    stmt = (
        select(RightOfReply, Post)
        .join(Post, Post.id == RightOfReply.post_id)
        .where(RightOfReply.brand_id == brand_id)
        .order_by(RightOfReply.due_at.desc())
        .limit(limit)
    )
    if status:
        stmt = stmt.where(RightOfReply.status == status)
    return [(r, p) for r, p in session.execute(stmt).unique()]


def record_resolutions(*, session: Session, post_ids: Sequence[int], kind: str) -> int:
    """Record an amicable resolution for posts edited/deleted after their case was resolved."""
    try:
        from tocsin.inbox.models import Case, PostTriage
    except ModuleNotFoundError:  # pragma: no cover - the inbox is optional
        return 0
    if not post_ids:
        return 0
    now = utcnow()
    rows = session.execute(
        select(PostTriage.post_id, Case.id, Case.brand_id, Case.resolved_at)
        .join(Case, Case.id == PostTriage.case_id)
        .where(
            PostTriage.post_id.in_(list(post_ids)),
            Case.status.in_(("resolved", "closed")),
            Case.resolved_at.is_not(None),
        )
    ).all()
    values = [
        {
            "post_id": post_id,
            "case_id": case_id,
            "brand_id": brand_id,
            "kind": kind,
            "case_resolved_at": resolved_at,
            "at": now,
        }
        for post_id, case_id, brand_id, resolved_at in rows
        if resolved_at is not None and resolved_at <= now
    ]
    created = insert_new(
        session,
        table_of(AmicableResolution),
        values,
        conflict=("post_id", "kind"),
        returning=("id",),
    )
    return len(created)


def resolutions(*, session: Session, brand_id: int, limit: int = 50) -> list[AmicableResolution]:
    return list(
        session.scalars(
            select(AmicableResolution)
            .where(AmicableResolution.brand_id == brand_id)
            .order_by(AmicableResolution.at.desc())
            .limit(limit)
        )
    )
