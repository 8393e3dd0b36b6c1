"""Inbox events: what automation rules, SLA timers, notifications and the live UI react to.

Example::

    emit(session, CaseOpened(case_id=case.id, post_id=post.id, platform="x"))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tocsin.events.types import Event


@dataclass(frozen=True)
class CaseOpened(Event):
    """A post that needs a reply opened a new case."""

    name: ClassVar[str] = "case.opened"
    case_id: int
    post_id: int
    platform: str


@dataclass(frozen=True)
class CaseUpdated(Event):
    """A case changed (``change`` is the history action: joined, status, assigned, tagged…)."""

    name: ClassVar[str] = "case.updated"
    case_id: int
    change: str
    post_id: int | None = None


@dataclass(frozen=True)
class SlaAtRisk(Event):
    """An SLA target passed its warning threshold without being met."""

    name: ClassVar[str] = "sla.at_risk"
    applied_sla_id: int
    case_id: int
    target: str


@dataclass(frozen=True)
class SlaBreached(Event):
    """An SLA target's deadline passed without being met."""

    name: ClassVar[str] = "sla.breached"
    applied_sla_id: int
    case_id: int
    target: str


@dataclass(frozen=True)
class ReplyPublished(Event):
    """A reply went out; ``automatic`` for acknowledgements (which satisfy no SLA)."""

    name: ClassVar[str] = "reply.published"
    reply_id: int
    case_id: int
    automatic: bool = False


@dataclass(frozen=True)
class CaseUnanswered(Event):
    """No human answered a case within the inbox's escalation threshold."""

    name: ClassVar[str] = "case.unanswered"
    case_id: int
    minutes: int
