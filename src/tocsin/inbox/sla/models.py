"""SLA rows: calendars, policies, and the targets applied to each case.

An :class:`AppliedSla` is the whole state of one target (``active`` → ``at_risk`` → ``missed``,
or ``hit``): a restart, a second worker or an audit reads the same truth from the row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow

SLA_TARGETS = ("first_response", "next_response", "resolution")
SLA_STATES = ("active", "at_risk", "hit", "missed")


class BusinessCalendar(Base):
    """Working hours in a time zone: ``weekly`` maps ``mon``…``sun`` to ``[["09:00", "18:00"]]``."""

    __tablename__ = "business_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    weekly: Mapped[dict[str, list[list[str]]]] = mapped_column(JSONType, default=dict)
    #: ISO dates (``"2026-12-25"``) on which the team does not work.
    holidays: Mapped[list[str]] = mapped_column(JSONType, default=list)


class SlaPolicy(Base):
    """Targets in minutes for cases of ``platform`` (None: any) at or above ``min_priority``.

    The most specific enabled policy wins (see :func:`tocsin.inbox.sla.policies.policy_for`).
    Without a calendar the clock runs around the clock; with one it counts business time only.
    """

    __tablename__ = "sla_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    platform: Mapped[str | None] = mapped_column(String(32))
    min_priority: Mapped[int] = mapped_column(Integer, default=0)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    next_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
    #: The target turns ``at_risk`` once this share of it has elapsed.
    at_risk_ratio: Mapped[float] = mapped_column(Float, default=0.75)
    calendar_id: Mapped[int | None] = mapped_column(
        ForeignKey("business_calendars.id", ondelete="SET NULL")
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    calendar: Mapped[BusinessCalendar | None] = relationship(lazy="joined")


class AppliedSla(Base):
    """One target of one case; ``cycle`` counts next-response targets (0 for the others)."""

    __tablename__ = "applied_slas"
    __table_args__ = (
        UniqueConstraint("case_id", "target", "cycle"),
        Index("ix_applied_slas_open", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("sla_policies.id", ondelete="SET NULL")
    )
    target: Mapped[str] = mapped_column(String(16))
    cycle: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(8), default="active")
    minutes: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    at_risk_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    satisfied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Business minutes from start to satisfaction (what reports use with the switch on).
    business_minutes: Mapped[float | None] = mapped_column(Float)
    breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def is_open(self) -> bool:
        return self.state in ("active", "at_risk") and not self.cancelled
