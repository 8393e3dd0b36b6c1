"""Rows for what listening tracks over time: campaigns, competitor poaching, opportunities,
right of reply, amicable resolutions and scheduled digests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow


class Campaign(Base):
    """A marketing campaign: posts quoting its hashtags or terms between its dates."""

    __tablename__ = "listening_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    hashtags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    terms: Mapped[list[str]] = mapped_column(JSONType, default=list)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PoachingAlert(Base):
    """A competitor's official account replied to a post complaining about our brand."""

    __tablename__ = "listening_poaching"
    __table_args__ = (UniqueConstraint("reply_post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    competitor_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    #: The complaint about us, and the competitor's reply to it.
    complaint_post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    reply_post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(Integer)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OpportunityDecision(Base):
    """What the team decided about a post complaining about a competitor (never auto-answered)."""

    __tablename__ = "listening_opportunities"
    __table_args__ = (UniqueConstraint("post_id", "brand_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    #: Our brand, for which the team looked at the competitor's unhappy customer.
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    #: ``engage`` (someone will reach out by hand) or ``dismiss``.
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RightOfReply(Base):
    """An article, review or blog post about the brand that the brand may answer, and by when."""

    __tablename__ = "listening_right_of_reply"
    __table_args__ = (UniqueConstraint("post_id", "brand_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    #: ``open``, ``answered`` or ``waived``.
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer_url: Mapped[str | None] = mapped_column(String(2000))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AmicableResolution(Base):
    """The author edited or deleted a complaint after their case was resolved."""

    __tablename__ = "listening_resolutions"
    __table_args__ = (UniqueConstraint("post_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(Integer, index=True)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="SET NULL"))
    #: ``edited`` or ``deleted``.
    kind: Mapped[str] = mapped_column(String(8))
    case_resolved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DigestSchedule(Base):
    """A daily or weekly e-mail digest of one brand's listening to a list of recipients."""

    __tablename__ = "listening_digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    #: ``daily`` or ``weekly``.
    frequency: Mapped[str] = mapped_column(String(8))
    recipients: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: The UTC hour at which it goes out (weekly ones on Mondays).
    hour: Mapped[int] = mapped_column(Integer, default=7)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
