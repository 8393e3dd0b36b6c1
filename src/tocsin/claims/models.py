"""The brand's fact sheet, posts matched to its claims, and corrections awaiting approval.

A :class:`Claim` is something people say about the brand with a verdict (``false``,
``misleading`` or ``true``), a correction per language and the source that proves it.  A
:class:`ClaimMatch` links a post to a claim and keeps the evidence (similarity to the claim,
similarity to its correction, matched keywords) so every "misinformed" badge can be explained.
A :class:`ClaimCorrection` is the suggested reply; nothing is published until a manager approves.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow

VERDICTS = ("false", "misleading", "true")
CORRECTION_STATUSES = ("pending_approval", "approved", "rejected")


class Claim(Base):
    """One entry of a brand's fact sheet."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8), default="en")
    verdict: Mapped[str] = mapped_column(String(16))
    #: Other ways people say it, in any language: each one widens what matches.
    paraphrases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: Words that are evidence of the claim in any language ("5g", "microchip", "puce").
    keywords: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: The correction per language: ``{"en": "…", "fr": "…"}``.
    corrections: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    source_url: Mapped[str] = mapped_column(String(2000))
    #: Similarity from which a post matches; None uses the default.
    threshold: Mapped[float | None] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def needs_correction(self) -> bool:
        return self.verdict != "true"


class ClaimMatch(Base):
    """A post that repeats a claim, with the evidence that decided it."""

    __tablename__ = "claim_matches"
    __table_args__ = (
        UniqueConstraint("claim_id", "post_id"),
        Index("ix_claim_matches_claim_created", "claim_id", "post_created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    post_created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Cosine similarity to the claim (its statement or closest paraphrase).
    similarity: Mapped[float] = mapped_column(Float)
    #: Cosine similarity to the closest correction: a post restating the correction is no match.
    correction_similarity: Mapped[float] = mapped_column(Float, default=0.0)
    keywords: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: Which text of the claim was closest (the statement or a paraphrase).
    closest: Mapped[str] = mapped_column(Text, default="")
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(lazy="joined")


class ClaimCorrection(Base):
    """A suggested correction reply to one post; a manager approves or rejects it."""

    __tablename__ = "claim_corrections"
    __table_args__ = (UniqueConstraint("claim_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending_approval", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The inbox reply created on approval, when the post belongs to a case.
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="SET NULL"))

    claim: Mapped[Claim] = relationship(lazy="joined")
