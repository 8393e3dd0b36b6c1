"""The care inbox as rows: cases, which post went where, history, notes, presence, agents.

A post is triaged once: :class:`PostTriage` (keyed by the post) records whether it opened a
case, joined one, or needs no reply, so redelivered events and the periodic sweep never put a
post in two cases.  :class:`CaseHistory` is append-only: every change, by whom or by which
rule.  SLA rows live in :mod:`tocsin.inbox.sla.models`, replies in
:mod:`tocsin.inbox.reply_models`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tocsin.accounts.models import User
from tocsin.db import Base
from tocsin.ingestion.models import Author
from tocsin.types import JSONType, UTCDateTime, utcnow

CASE_STATUSES = ("open", "pending", "snoozed", "resolved", "closed")
#: Statuses in which a case still waits for the team.
ACTIVE_STATUSES = ("open", "pending", "snoozed")


class Case(Base):
    """A conversation that needs an answer: one or more inbound posts of one author/thread."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_priority", "status", "priority"),
        Index("ix_cases_thread", "platform", "thread_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), index=True)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("authors.id", ondelete="SET NULL"), index=True
    )
    #: The post that opened the case, and the thread it belongs to.
    first_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    thread_external_id: Mapped[str | None] = mapped_column(String(200))
    lang: Mapped[str | None] = mapped_column(String(8), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    #: Set when a person or a rule overrode the enrichment's priority (never recomputed then).
    priority_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When the newest inbound post of the case was published.
    last_inbound_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: True while the customer's latest message has no human answer yet.
    awaiting_reply: Mapped[bool] = mapped_column(Boolean, default=True)
    first_human_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_human_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[Author | None] = relationship(lazy="joined")
    assignee: Mapped[User | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class PostTriage(Base):
    """The inbox's decision about one post: ``opened``, ``joined``, ``skipped`` or ``outbound``.

    The primary key is the post, so a post is decided once and sits in at most one case.
    """

    __tablename__ = "post_triage"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseHistory(Base):
    """One change to a case; never updated or deleted (``actor_kind``: user, rule, system)."""

    __tablename__ = "case_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(8), default="system")
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_rule_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class CaseNote(Base):
    """An internal note: seen by the team, never published."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship(lazy="joined")


class CasePresence(Base):
    """Who has a case open right now (a heartbeat row with a short TTL): collision warnings."""

    __tablename__ = "case_presence"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    composing: Mapped[bool] = mapped_column(Boolean, default=False)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class AgentStatus(Base):
    """An agent's availability for routing: ``online``, ``away`` or ``offline``; on call or not."""

    __tablename__ = "agent_status"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16), default="offline")
    on_call: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class InboxSettings(Base):
    """The inbox's working settings (one row, id 1), editable at run time by a manager."""

    __tablename__ = "inbox_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``auto`` assigns new cases to the least-loaded skilled agent; ``queue`` lets agents pull.
    routing_mode: Mapped[str] = mapped_column(String(8), default="queue")
    #: A follow-up of the same author within this window joins their open case.
    follow_up_window_minutes: Mapped[int] = mapped_column(Integer, default=24 * 60)
    #: Page the lead / on-call when no human answered a case within this many minutes.
    escalation_minutes: Mapped[int] = mapped_column(Integer, default=60)
    auto_ack_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: At most one automatic acknowledgement per case within this period.
    auto_ack_period_minutes: Mapped[int] = mapped_column(Integer, default=24 * 60)
    #: ``public`` or ``private`` per platform, e.g. ``{"facebook": "private"}``.
    auto_ack_visibility: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    #: Another channel to point to, per language: ``{"en": "call +1 555 0100 (24/7)"}``.
    auto_ack_redirect: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    #: Median handle time assumed until enough cases were answered to measure it.
    default_handle_minutes: Mapped[int] = mapped_column(Integer, default=10)
    #: Business hours used for out-of-hours detection when a policy names none.
    calendar_id: Mapped[int | None] = mapped_column(
        ForeignKey("business_calendars.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
