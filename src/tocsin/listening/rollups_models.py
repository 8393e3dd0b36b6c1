"""Rollup rows that keep dashboards fast: hourly and daily counts, daily top items per brand.

A dashboard over a million posts never scans posts: it sums :class:`HourlyRollup` rows (one per
brand × hour × platform × language × sentiment) and :class:`DailyTopItem` rows (terms, hashtags
and authors per brand and day).  :class:`PostRollup` remembers what each ``(post, brand)``
pair added, so a redelivered event or a second worker never counts a post twice and an edit or
a deletion takes exactly that back, and
:class:`ListeningCursor` is the catch-up job's high-water mark.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow

#: Counted as such when a post had no enrichment before the grace period ran out.
UNKNOWN = "unknown"


class HourlyRollup(Base):
    """How many posts (and how much reach) one brand got in one hour, per slice."""

    __tablename__ = "listening_hourly"
    __table_args__ = (
        UniqueConstraint("brand_id", "bucket", "platform", "lang", "sentiment"),
        Index("ix_listening_hourly_bucket", "bucket"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    #: The start of the hour, UTC.
    bucket: Mapped[datetime] = mapped_column(UTCDateTime)
    platform: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(16))
    posts: Mapped[int] = mapped_column(Integer, default=0)
    #: Sum of the authors' followers: how many people could have seen these posts.
    reach: Mapped[int] = mapped_column(BigInteger, default=0)
    engagement: Mapped[int] = mapped_column(BigInteger, default=0)
    complaints: Mapped[int] = mapped_column(Integer, default=0)


class DailyRollup(Base):
    """The same counts as :class:`HourlyRollup` per day: long ranges read 24 times fewer rows."""

    __tablename__ = "listening_daily"
    __table_args__ = (UniqueConstraint("brand_id", "bucket", "platform", "lang", "sentiment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    #: Midnight UTC of the day.
    bucket: Mapped[datetime] = mapped_column(UTCDateTime)
    platform: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(16))
    posts: Mapped[int] = mapped_column(Integer, default=0)
    reach: Mapped[int] = mapped_column(BigInteger, default=0)
    engagement: Mapped[int] = mapped_column(BigInteger, default=0)
    complaints: Mapped[int] = mapped_column(Integer, default=0)


class DailyTopItem(Base):
    """A term, hashtag or author seen in a brand's posts on one day (``kind`` says which).

    For authors ``reach`` is their largest follower count that day; for terms and hashtags it
    is the summed reach of the posts that used them.  Closed days are pruned to the top items.
    """

    __tablename__ = "listening_daily_items"
    __table_args__ = (
        UniqueConstraint("brand_id", "day", "kind", "value"),
        Index("ix_listening_daily_items_lookup", "brand_id", "kind", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    day: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(Integer, default=0)
    reach: Mapped[int] = mapped_column(BigInteger, default=0)


class PostRollup(Base):
    """What one ``(post, brand)`` pair added to the rollups, so it can be taken back exactly.

    The row is the idempotency key (a redelivered event or a second worker never counts a
    post twice) and the receipt: when the post is edited, re-enriched or deleted, the old
    contribution is subtracted from the very rows it was added to, even though the post's
    text may be erased by then.  ``items`` holds the terms and hashtags counted (a hashtag
    starts with ``#``).  See :mod:`tocsin.listening.contributions`.
    """

    __tablename__ = "listening_post_rollups"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    brand_id: Mapped[int] = mapped_column(
        ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True
    )
    #: The start of the post's hour, UTC (its day is derived from it).
    bucket: Mapped[datetime] = mapped_column(UTCDateTime)
    platform: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(16))
    complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    reach: Mapped[int] = mapped_column(BigInteger, default=0)
    engagement: Mapped[int] = mapped_column(BigInteger, default=0)
    handle: Mapped[str | None] = mapped_column(String(200))
    items: Mapped[list[str]] = mapped_column(JSONType, default=list)
    rolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ListeningCursor(Base):
    """A named high-water mark (``post_brands.id`` below which everything is settled)."""

    __tablename__ = "listening_cursors"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
