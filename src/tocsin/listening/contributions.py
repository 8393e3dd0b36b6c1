"""What one matched post adds to a brand's rollups: the one definition both paths share.

The incremental path (:func:`tocsin.listening.rollups.rollup_posts`, on every event) and the
bulk rebuild (:func:`tocsin.listening.rollups_bulk.rebuild_rollups`) read posts through
:func:`contribution_query` and turn each row into a :class:`Contribution` with
:func:`contribution_of`, so they cannot disagree on which posts count or how.  A contribution
is stored as a :class:`~tocsin.listening.rollups_models.PostRollup` receipt
(:func:`receipt_row`) and read back with :func:`from_receipt` when it has to be taken back.

A pair counts when the post is inbound, not deleted, matched to the brand and not written by
the brand itself.  Its sentiment, language and complaint flag come from the enrichment; a post
not enriched yet waits (``None``) until ``grace`` has passed since it was matched, then counts
as ``unknown``.

Example::

    rows = session.execute(contribution_query(post_ids=[7]))
    [contribution_of(r, exclusions, now=now, grace=DEFAULT_GRACE) for r in rows]
    # -> [Contribution(post_id=7, brand_id=1, sentiment="negative", items=("late", "#fail"), …)]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Author, Post
from tocsin.listening.models import PostBrand
from tocsin.listening.rollups_models import UNKNOWN
from tocsin.listening.terms import name_tokens, post_terms

#: How long a matched post waits for its enrichment before it is counted as ``unknown``.
DEFAULT_GRACE = timedelta(minutes=15)


@dataclass(frozen=True)
class Contribution:
    """One ``(post, brand)`` pair's share of the hourly, daily and top-item rollups."""

    post_id: int
    brand_id: int
    #: The start of the post's hour, UTC.
    bucket: datetime
    platform: str
    lang: str
    sentiment: str
    complaint: bool
    #: The author's followers when the post was counted.
    reach: int
    engagement: int
    handle: str | None
    #: Distinct terms then hashtags (``#…``) of the post, the brand's own names left out.
    items: tuple[str, ...]

    @property
    def key(self) -> tuple[int, int]:
        return (self.post_id, self.brand_id)

    @property
    def day(self) -> datetime:
        return self.bucket.replace(hour=0)


def contribution_query(post_ids: Sequence[int] | None = None) -> Select[*tuple[Any, ...]]:
    """Every countable ``(post, brand)`` pair, or those of ``post_ids``, with what they add."""
    stmt: Select[*tuple[Any, ...]] = (
        select(
            PostBrand.post_id,
            PostBrand.brand_id,
            Post.created_at,
            Post.platform,
            Post.lang,
            Post.text,
            Post.title,
            Post.likes + Post.reposts + Post.replies + Post.quotes,
            Author.handle,
            Author.followers,
            PostEnrichment.sentiment,
            PostEnrichment.lang,
            PostEnrichment.complaint,
            PostBrand.matched_at,
            PostBrand.id,
        )
        .join(Post, Post.id == PostBrand.post_id)
        .outerjoin(Author, Author.id == Post.author_id)
        .outerjoin(PostEnrichment, PostEnrichment.post_id == PostBrand.post_id)
        .where(
            PostBrand.by_brand.is_(False),
            Post.direction == "inbound",
            Post.deleted.is_(False),
        )
    )
    if post_ids is not None:
        stmt = stmt.where(PostBrand.post_id.in_(post_ids))
    return stmt


def contribution_of(
    row: Sequence[Any],
    exclusions: Mapping[int, Collection[str]],
    *,
    now: datetime | None = None,
    grace: timedelta | None = None,
) -> Contribution | None:
    """The contribution of one :func:`contribution_query` row; None while it waits.

    Without ``grace`` (the bulk rebuild) a post without enrichment counts as ``unknown`` at once.
    """
    sentiment = row[10]
    if sentiment is None:
        matched_at = row[13]
        if grace is not None and now is not None and matched_at and now - matched_at < grace:
            return None
        sentiment = UNKNOWN
    text = f"{row[6]}\n{row[5]}" if row[6] else row[5]
    terms, hashtags = post_terms(text or "", exclude=exclusions.get(row[1], ()))
    created: datetime = row[2]
    return Contribution(
        post_id=int(row[0]),
        brand_id=int(row[1]),
        bucket=created.replace(minute=0, second=0, microsecond=0),
        platform=row[3],
        lang=(row[11] or row[4] or "und")[:8],
        sentiment=sentiment,
        complaint=bool(row[12]),
        reach=int(row[9] or 0),
        engagement=int(row[7] or 0),
        handle=row[8][:200] if row[8] else None,
        items=(*terms, *hashtags),
    )


def brand_exclusions(session: Session) -> dict[int, set[str]]:
    """Each brand's own name tokens, left out of its top terms (they would top every list)."""
    brands = session.scalars(select(Brand)).all()
    return {b.id: name_tokens([b.name, *b.aliases]) for b in brands}


def receipt_row(contribution: Contribution, *, now: datetime) -> dict[str, Any]:
    """The :class:`PostRollup` row that records ``contribution``."""
    c = contribution
    return {
        "post_id": c.post_id,
        "brand_id": c.brand_id,
        "bucket": c.bucket,
        "platform": c.platform,
        "lang": c.lang,
        "sentiment": c.sentiment,
        "complaint": c.complaint,
        "reach": c.reach,
        "engagement": c.engagement,
        "handle": c.handle,
        "items": list(c.items),
        "rolled_at": now,
    }


def from_receipt(receipt: Any) -> Contribution:
    """The contribution a stored :class:`PostRollup` (object or row) recorded."""
    return Contribution(
        post_id=receipt.post_id,
        brand_id=receipt.brand_id,
        bucket=receipt.bucket,
        platform=receipt.platform,
        lang=receipt.lang,
        sentiment=receipt.sentiment,
        complaint=bool(receipt.complaint),
        reach=int(receipt.reach or 0),
        engagement=int(receipt.engagement or 0),
        handle=receipt.handle,
        items=tuple(receipt.items or ()),
    )
