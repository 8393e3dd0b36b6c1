"""Reply rows: drafts and published replies, canned replies, voice rules, acknowledgement texts.

A :class:`Reply` row exists before anything is published; its id is the idempotency key
handed to the platform publisher, so a retry after a crash never posts twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tocsin.accounts.models import User
from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow

REPLY_STATUSES = (
    "pending_approval",
    "approved",
    "published",
    "failed",
    "rejected",
)


class Reply(Base):
    """A reply to a case, human or automatic, with its approval and publishing state."""

    __tablename__ = "replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: The post answered (its platform id is what the publisher replies to).
    in_reply_to_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL")
    )
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(8), default="public")
    is_automatic: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    status: Mapped[str] = mapped_column(String(16), default="approved", index=True)
    #: Why approval is needed: ``["negative_high_reach", "legal_threat", …]``.
    approval_reasons: Mapped[list[str]] = mapped_column(JSONType, default=list)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The voice and PII warnings shown to the agent and accepted when sending.
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    canned_reply_id: Mapped[int | None] = mapped_column(
        ForeignKey("canned_replies.id", ondelete="SET NULL")
    )
    #: Replies sent together with "reply to all similar" share a group key.
    group_key: Mapped[str | None] = mapped_column(String(64), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(200))
    published_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    author: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[author_user_id])

    @property
    def idempotency_key(self) -> str:
        return f"tocsin-reply:{self.id}"


class CannedReply(Base):
    """A reusable answer in one language; ``{first_name}``, ``{case_id}``, ``{agent}``…"""

    __tablename__ = "canned_replies"
    __table_args__ = (UniqueConstraint("name", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    uses: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VoiceProfile(Base):
    """A brand's voice rules (``brand_id`` None: every brand).

    ``required`` maps a language to phrases one of which must appear (a disclaimer);
    ``max_lengths`` overrides the platform limits.
    """

    __tablename__ = "voice_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int | None] = mapped_column(
        ForeignKey("brands.id", ondelete="CASCADE"), unique=True
    )
    banned_words: Mapped[list[str]] = mapped_column(JSONType, default=list)
    required: Mapped[dict[str, list[str]]] = mapped_column(JSONType, default=dict)
    max_lengths: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)


class AckTemplate(Base):
    """An automatic acknowledgement text for one language and kind (``eta`` or ``redirect``)."""

    __tablename__ = "ack_templates"
    __table_args__ = (UniqueConstraint("lang", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lang: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16), default="eta")
    text: Mapped[str] = mapped_column(Text)
