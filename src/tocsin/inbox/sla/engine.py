"""Applying SLA targets to cases, satisfying them, and moving them to at-risk and missed.

Every transition is a conditional ``UPDATE … WHERE state IN (…)``: when two workers (or a
restarted one) check the same row, exactly one moves it and emits the event, so
:class:`~tocsin.inbox.events.SlaAtRisk` and :class:`~tocsin.inbox.events.SlaBreached` are
emitted once.  Only a human reply satisfies a response target; automatic acknowledgements
never call :func:`satisfy`.

Example::

    start_targets(session=s, case=case, now=post.created_at)
    check_slas(session=s, now=utcnow())            # -> (at_risk, missed) counts
    satisfy(session=s, case_id=case.id, targets=("first_response",), at=reply_time)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tocsin.events.outbox import emit
from tocsin.inbox.events import SlaAtRisk, SlaBreached
from tocsin.inbox.models import Case
from tocsin.inbox.sla.calendar import Hours
from tocsin.inbox.sla.models import AppliedSla, SlaPolicy
from tocsin.inbox.sla.policies import Targets, hours_of, targets_for

OPEN_STATES = ("active", "at_risk")


def _targets(session: Session, case: Case) -> Targets:
    return targets_for(
        session=session, platform=case.platform, priority=case.priority, brand_id=case.brand_id
    )


def _new_row(
    case: Case, targets: Targets, *, target: str, minutes: int, cycle: int, start: datetime
) -> AppliedSla:
    hours = targets.hours
    return AppliedSla(
        case_id=case.id,
        policy_id=targets.policy_id,
        target=target,
        cycle=cycle,
        state="active",
        minutes=minutes,
        started_at=start,
        at_risk_at=hours.add(start, minutes=minutes * targets.at_risk_ratio),
        due_at=hours.add(start, minutes=minutes),
    )


def start_targets(*, session: Session, case: Case, now: datetime) -> list[AppliedSla]:
    """Apply first-response and resolution targets to a new case, starting at ``now``."""
    targets = _targets(session, case)
    rows = [
        _new_row(
            case,
            targets,
            target="first_response",
            minutes=targets.first_response_minutes,
            cycle=0,
            start=now,
        ),
        _new_row(
            case,
            targets,
            target="resolution",
            minutes=targets.resolution_minutes,
            cycle=0,
            start=now,
        ),
    ]
    session.add_all(rows)
    session.flush()
    return rows


def start_next_response(*, session: Session, case: Case, now: datetime) -> AppliedSla | None:
    """The customer wrote again after a human answer: a next-response target starts.

    Does nothing while a response target is still open (the customer is already waiting).
    """
    if open_targets(session=session, case_id=case.id, targets=("first_response", "next_response")):
        return None
    cycle = (
        session.scalar(
            select(func.max(AppliedSla.cycle)).where(
                AppliedSla.case_id == case.id, AppliedSla.target == "next_response"
            )
        )
        or 0
    )
    targets = _targets(session, case)
    row = _new_row(
        case,
        targets,
        target="next_response",
        minutes=targets.next_response_minutes,
        cycle=cycle + 1,
        start=now,
    )
    session.add(row)
    session.flush()
    return row


def open_targets(
    *, session: Session, case_id: int, targets: Sequence[str] | None = None
) -> list[AppliedSla]:
    stmt = select(AppliedSla).where(
        AppliedSla.case_id == case_id,
        AppliedSla.satisfied_at.is_(None),
        AppliedSla.cancelled.is_(False),
    )
    if targets is not None:
        stmt = stmt.where(AppliedSla.target.in_(list(targets)))
    return list(session.scalars(stmt.order_by(AppliedSla.id)))


def hours_for_row(session: Session, row: AppliedSla) -> Hours:
    policy = session.get(SlaPolicy, row.policy_id) if row.policy_id is not None else None
    if policy is None:
        from tocsin.inbox.sla.policies import default_hours

        return default_hours(session)
    return hours_of(policy.calendar)


def satisfy(
    *, session: Session, case_id: int, targets: Sequence[str], at: datetime
) -> list[AppliedSla]:
    """Mark the open ``targets`` of a case as met at ``at``: ``hit`` if on time, else ``missed``.

    A missed target keeps ``missed`` but records when it was finally met, so reports can show
    how late the answer was.
    """
    done = []
    for row in open_targets(session=session, case_id=case_id, targets=targets):
        row.satisfied_at = at
        row.business_minutes = hours_for_row(session, row).minutes_between(row.started_at, at)
        if at <= row.due_at and row.state != "missed":
            row.state = "hit"
        else:
            row.state = "missed"
            row.breached_at = row.breached_at or row.due_at
        done.append(row)
    session.flush()
    return done


def cancel_open(*, session: Session, case_id: int, targets: Sequence[str]) -> int:
    """Stop open targets that no longer make sense (a case closed without an answer)."""
    rows = open_targets(session=session, case_id=case_id, targets=targets)
    for row in rows:
        if row.state in OPEN_STATES:
            row.cancelled = True
    session.flush()
    return len(rows)


def check_slas(*, session: Session, now: datetime, limit: int = 1000) -> tuple[int, int]:
    """Move due targets to ``at_risk`` and ``missed``; emit each event exactly once."""
    at_risk = missed = 0
    due = session.scalars(
        select(AppliedSla)
        .where(
            AppliedSla.state.in_(OPEN_STATES),
            AppliedSla.satisfied_at.is_(None),
            AppliedSla.cancelled.is_(False),
            AppliedSla.at_risk_at <= now,
        )
        .order_by(AppliedSla.due_at)
        .limit(limit)
    ).all()
    for row in due:
        if row.due_at <= now:
            if _move(session, row, ("active", "at_risk"), "missed", breached_at=row.due_at):
                emit(session, SlaBreached(row.id, row.case_id, row.target))
                missed += 1
        elif row.state == "active" and _move(session, row, ("active",), "at_risk"):
            emit(session, SlaAtRisk(row.id, row.case_id, row.target))
            at_risk += 1
    session.flush()
    return at_risk, missed


def _move(
    session: Session,
    row: AppliedSla,
    from_states: tuple[str, ...],
    to_state: str,
    *,
    breached_at: datetime | None = None,
) -> bool:
    values: dict[str, object] = {"state": to_state}
    if breached_at is not None:
        values["breached_at"] = breached_at
    result = session.execute(
        update(AppliedSla)
        .where(
            AppliedSla.id == row.id,
            AppliedSla.state.in_(from_states),
            AppliedSla.satisfied_at.is_(None),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    moved = bool(result.rowcount == 1)  # type: ignore[attr-defined]
    if moved:
        session.expire(row)
    return moved


def case_sla_summary(*, session: Session, case_ids: Sequence[int]) -> dict[int, AppliedSla]:
    """The most urgent open response target per case (or the last one), for lists and timers."""
    if not case_ids:
        return {}
    rows = session.scalars(
        select(AppliedSla)
        .where(
            AppliedSla.case_id.in_(list(case_ids)),
            AppliedSla.target.in_(("first_response", "next_response")),
            AppliedSla.cancelled.is_(False),
        )
        .order_by(AppliedSla.case_id, AppliedSla.started_at, AppliedSla.id)
    ).all()
    summary: dict[int, AppliedSla] = {}
    for row in rows:
        summary[row.case_id] = row
    return summary
