"""Automation rules and the log of their runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow


class AutomationRule(Base):
    """``event`` → ``conditions`` (a JSON tree) → ``actions`` (a JSON list), run by ``position``.

    Both JSON documents are validated by :mod:`tocsin.inbox.automation.schemas` before they
    are stored.
    """

    __tablename__ = "automation_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    event: Mapped[str] = mapped_column(String(32), index=True)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    #: For ``case.no_reply``: minutes without a human reply before the rule fires.
    minutes: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=100)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RuleRun(Base):
    """One rule run for one event (unique: a redelivered event never runs a rule twice)."""

    __tablename__ = "rule_runs"
    __table_args__ = (UniqueConstraint("rule_id", "event_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("automation_rules.id", ondelete="CASCADE"))
    event_key: Mapped[str] = mapped_column(String(120))
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    post_id: Mapped[int | None] = mapped_column(Integer)
    matched: Mapped[bool] = mapped_column(Boolean, default=False)
    #: ``[{"action": "tag", "ok": true}, {"action": "webhook", "ok": false, "error": "…"}]``
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
