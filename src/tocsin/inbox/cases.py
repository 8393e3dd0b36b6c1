"""Working a case: status, priority, tags, assignment, notes, presence, and its history.

Every change goes through :func:`record`, which appends a :class:`CaseHistory` row naming who
made it (a user, a rule, or the system) and emits :class:`CaseUpdated`.  Changes made by a rule
are emitted with ``caused_by_automation=True`` so that rules never react to themselves.

Example::

    set_status(session=s, case=case, status="resolved", actor=Actor.user(agent), now=now)
    assign(session=s, case=case, user_id=agent.id, actor=Actor.rule(7), now=now)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tocsin.accounts.models import User
from tocsin.events.outbox import emit
from tocsin.inbox.events import CaseUpdated
from tocsin.inbox.models import CASE_STATUSES, Case, CaseHistory, CaseNote, CasePresence
from tocsin.inbox.sla.engine import cancel_open, satisfy

#: A viewer counts as present for this long after their last heartbeat.
PRESENCE_TTL = timedelta(seconds=45)
MAX_TAG = 64
MAX_NOTE = 5000


class CaseError(ValueError):
    """A change cannot be made as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Actor:
    """Who made a change: ``user`` (with ``user_id``), ``rule`` (with ``rule_id``) or ``system``."""

    kind: str = "system"
    user_id: int | None = None
    rule_id: int | None = None

    @classmethod
    def user(cls, user: User | int) -> Actor:
        return cls("user", user_id=user if isinstance(user, int) else user.id)

    @classmethod
    def rule(cls, rule_id: int) -> Actor:
        return cls("rule", rule_id=rule_id)

    @property
    def is_automation(self) -> bool:
        return self.kind == "rule"


SYSTEM = Actor()


def record(
    *,
    session: Session,
    case: Case,
    action: str,
    actor: Actor,
    now: datetime,
    details: dict[str, Any] | None = None,
    post_id: int | None = None,
    emit_event: bool = True,
) -> CaseHistory:
    """Append a history row and (by default) emit :class:`CaseUpdated`."""
    row = CaseHistory(
        case_id=case.id,
        at=now,
        actor_kind=actor.kind,
        actor_user_id=actor.user_id,
        actor_rule_id=actor.rule_id,
        action=action,
        details=details or {},
    )
    session.add(row)
    case.updated_at = now
    if emit_event:
        emit(
            session,
            CaseUpdated(case_id=case.id, change=action, post_id=post_id),
            caused_by_automation=actor.is_automation,
        )
    session.flush()
    return row


def get_case(*, session: Session, case_id: int) -> Case | None:
    return session.get(Case, case_id)


def history(*, session: Session, case_id: int) -> list[CaseHistory]:
    return list(
        session.scalars(
            select(CaseHistory).where(CaseHistory.case_id == case_id).order_by(CaseHistory.id)
        )
    )


def set_status(
    *,
    session: Session,
    case: Case,
    status: str,
    actor: Actor,
    now: datetime,
    snooze_until: datetime | None = None,
) -> None:
    """Change the status; resolving meets the resolution target, closing stops open ones."""
    if status not in CASE_STATUSES:
        raise CaseError(f"unknown status {status!r}: use one of {', '.join(CASE_STATUSES)}")
    if status == "snoozed" and (snooze_until is None or snooze_until <= now):
        raise CaseError("snoozing needs a time in the future (snooze_until)")
    previous = case.status
    if previous == status:
        return
    case.status = status
    case.snoozed_until = snooze_until if status == "snoozed" else None
    if status == "resolved":
        case.resolved_at = now
        satisfy(session=session, case_id=case.id, targets=("resolution",), at=now)
    if status == "closed":
        case.closed_at = now
        cancel_open(
            session=session,
            case_id=case.id,
            targets=("first_response", "next_response", "resolution"),
        )
    if status == "open" and previous in ("resolved", "closed"):
        case.resolved_at = None
        case.closed_at = None
    details: dict[str, Any] = {"from": previous, "to": status}
    if snooze_until is not None:
        details["until"] = snooze_until.isoformat()
    record(session=session, case=case, action="status", actor=actor, now=now, details=details)


def set_priority(
    *, session: Session, case: Case, priority: int, actor: Actor, now: datetime
) -> None:
    if not 0 <= priority <= 100:
        raise CaseError("priority must be between 0 and 100")
    previous = case.priority
    case.priority = priority
    case.priority_overridden = True
    record(
        session=session,
        case=case,
        action="priority",
        actor=actor,
        now=now,
        details={"from": previous, "to": priority},
    )


def add_tags(
    *, session: Session, case: Case, tags: list[str], actor: Actor, now: datetime
) -> list[str]:
    """Add tags (trimmed, lower-cased, deduplicated); return the ones that were new."""
    clean = [t.strip().lower()[:MAX_TAG] for t in tags if t.strip()]
    new = [t for t in dict.fromkeys(clean) if t not in case.tags]
    if new:
        case.tags = [*case.tags, *new]
        record(
            session=session, case=case, action="tagged", actor=actor, now=now, details={"tags": new}
        )
    return new


def remove_tag(*, session: Session, case: Case, tag: str, actor: Actor, now: datetime) -> None:
    if tag in case.tags:
        case.tags = [t for t in case.tags if t != tag]
        record(
            session=session,
            case=case,
            action="untagged",
            actor=actor,
            now=now,
            details={"tag": tag},
        )


def assign(
    *,
    session: Session,
    case: Case,
    user_id: int | None,
    actor: Actor,
    now: datetime,
    team_id: int | None = None,
    reason: str = "",
) -> None:
    """Give the case to ``user_id`` (None: back to the shared queue)."""
    if user_id is not None:
        user = session.get(User, user_id)
        if user is None or not user.is_active:
            raise CaseError(f"user {user_id} does not exist or is deactivated")
    previous = case.assignee_id
    if previous == user_id and (team_id is None or team_id == case.team_id):
        return
    case.assignee_id = user_id
    if team_id is not None:
        case.team_id = team_id
    details: dict[str, Any] = {"from": previous, "to": user_id}
    if reason:
        details["reason"] = reason
    record(session=session, case=case, action="assigned", actor=actor, now=now, details=details)


def add_note(*, session: Session, case: Case, text: str, user: User, now: datetime) -> CaseNote:
    text = text.strip()
    if not text:
        raise CaseError("a note cannot be empty")
    if len(text) > MAX_NOTE:
        raise CaseError(f"a note is at most {MAX_NOTE} characters")
    note = CaseNote(case_id=case.id, user_id=user.id, text=text, created_at=now)
    session.add(note)
    session.flush()
    record(
        session=session,
        case=case,
        action="note",
        actor=Actor.user(user),
        now=now,
        details={"note_id": note.id},
    )
    return note


def notes(*, session: Session, case_id: int) -> list[CaseNote]:
    return list(
        session.scalars(select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id))
    )


def touch_presence(
    *, session: Session, case_id: int, user_id: int, now: datetime, composing: bool = False
) -> list[CasePresence]:
    """Record that ``user_id`` is viewing the case; return the *other* agents viewing it.

    Expired heartbeats are deleted on the way, so the table stays tiny.
    """
    session.execute(delete(CasePresence).where(CasePresence.seen_at < now - PRESENCE_TTL))
    row = session.scalar(
        select(CasePresence).where(CasePresence.case_id == case_id, CasePresence.user_id == user_id)
    )
    if row is None:
        session.add(
            CasePresence(case_id=case_id, user_id=user_id, seen_at=now, composing=composing)
        )
    else:
        row.seen_at = now
        row.composing = composing
    session.flush()
    return list(
        session.scalars(
            select(CasePresence).where(
                CasePresence.case_id == case_id,
                CasePresence.user_id != user_id,
                CasePresence.seen_at >= now - PRESENCE_TTL,
            )
        )
    )


def last_change_marker(*, session: Session) -> str:
    """A cheap marker that changes whenever any case changes (the live UI polls it)."""
    last = session.scalar(select(func.max(CaseHistory.id))) or 0
    return str(last)
