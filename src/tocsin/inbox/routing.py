"""Routing: who works which case.

* **Skills** (``User.skills``: ``languages``, ``platforms``, ``topics``) filter who may take a
  case; an empty list means "any".  **Capacity** caps an agent's active cases.
* ``auto`` mode assigns a new case to the least-loaded skilled agent on shift; ``queue`` mode
  leaves it in a shared queue from which :func:`next_case` gives an agent the best case:
  highest priority, then nearest SLA deadline, then oldest.
* When an agent goes away or offline, their active cases go to someone else (or back to the
  queue).
* :func:`escalate_unanswered` pages the team lead or the on-call person when no human has
  answered a case within the threshold.

Example::

    case = next_case(session=s, user=agent, now=now)   # assigned to ``agent``, or None
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tocsin.accounts.models import TeamMember, User
from tocsin.accounts.permissions import Permission
from tocsin.events.outbox import emit
from tocsin.inbox.cases import SYSTEM, Actor, assign, record
from tocsin.inbox.events import CaseUnanswered
from tocsin.inbox.models import ACTIVE_STATUSES, AgentStatus, Case
from tocsin.inbox.sla.models import AppliedSla
from tocsin.inbox.sla.policies import inbox_settings
from tocsin.notifications.message import Notification
from tocsin.notifications.models import NotificationChannel
from tocsin.notifications.service import queue_notification

AGENT_STATUSES = ("online", "away", "offline")


def skilled(user: User, case: Case) -> bool:
    """Whether ``user``'s skills cover the case (an empty skill list covers everything)."""
    skills = user.skills or {}
    languages = skills.get("languages") or []
    platforms = skills.get("platforms") or []
    topics = skills.get("topics") or []
    if languages and case.lang not in languages:
        return False
    if platforms and case.platform not in platforms:
        return False
    return not topics or bool(set(topics) & set(case.tags))


def load_of(*, session: Session, user_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Case.assignee_id, func.count(Case.id))
        .where(Case.assignee_id.in_(user_ids), Case.status.in_(ACTIVE_STATUSES))
        .group_by(Case.assignee_id)
    ).all()
    counts = {int(uid): int(n) for uid, n in rows if uid is not None}
    return {uid: counts.get(uid, 0) for uid in user_ids}


def on_shift(*, session: Session, exclude: int | None = None) -> list[User]:
    users = session.scalars(
        select(User)
        .join(AgentStatus, AgentStatus.user_id == User.id)
        .where(AgentStatus.status == "online", User.is_active.is_(True))
        .order_by(User.id)
    ).all()
    return [u for u in users if u.id != exclude and u.can(Permission.CASES_WORK)]


def pick_agent(*, session: Session, case: Case, exclude: int | None = None) -> User | None:
    """The least-loaded skilled agent on shift with spare capacity (ties: lowest id)."""
    candidates = [u for u in on_shift(session=session, exclude=exclude) if skilled(u, case)]
    if not candidates:
        return None
    loads = load_of(session=session, user_ids=[u.id for u in candidates])
    free = [u for u in candidates if loads[u.id] < max(1, u.capacity)]
    if not free:
        return None
    return min(free, key=lambda u: (loads[u.id] / max(1, u.capacity), loads[u.id], u.id))


def auto_assign(*, session: Session, case: Case, now: datetime) -> User | None:
    """In ``auto`` mode, give a new case to :func:`pick_agent`'s choice."""
    if inbox_settings(session).routing_mode != "auto" or case.assignee_id is not None:
        return None
    agent = pick_agent(session=session, case=case)
    if agent is not None:
        assign(session=session, case=case, user_id=agent.id, actor=SYSTEM, now=now, reason="auto")
    return agent


def _deadline() -> object:
    return (
        select(func.min(AppliedSla.due_at))
        .where(
            AppliedSla.case_id == Case.id,
            AppliedSla.satisfied_at.is_(None),
            AppliedSla.cancelled.is_(False),
            AppliedSla.target.in_(("first_response", "next_response")),
        )
        .correlate(Case)
        .scalar_subquery()
    )


def queue(*, session: Session, limit: int = 200) -> list[Case]:
    """Unassigned waiting cases in serving order: priority, then SLA deadline, then age."""
    deadline = _deadline()
    return list(
        session.scalars(
            select(Case)
            .where(
                Case.status == "open",
                Case.assignee_id.is_(None),
                Case.awaiting_reply.is_(True),
            )
            .order_by(Case.priority.desc(), deadline.asc().nulls_last(), Case.opened_at, Case.id)  # type: ignore[attr-defined]
            .limit(limit)
        )
    )


def next_case(*, session: Session, user: User, now: datetime) -> Case | None:
    """Assign the best queued case ``user`` is skilled for, and return it."""
    for case in queue(session=session):
        if skilled(user, case):
            assign(
                session=session,
                case=case,
                user_id=user.id,
                actor=Actor.user(user),
                now=now,
                reason="get_next",
            )
            return case
    return None


def set_agent_status(
    *, session: Session, user: User, status: str, now: datetime, on_call: bool | None = None
) -> int:
    """Record availability; going away or offline hands the agent's cases on. Returns how many."""
    if status not in AGENT_STATUSES:
        raise ValueError(f"status must be one of {', '.join(AGENT_STATUSES)}")
    row = session.get(AgentStatus, user.id)
    if row is None:
        row = AgentStatus(user_id=user.id)
        session.add(row)
    row.status = status
    row.updated_at = now
    if on_call is not None:
        row.on_call = on_call
    session.flush()
    if status == "online":
        return 0
    moved = 0
    cases = session.scalars(
        select(Case).where(Case.assignee_id == user.id, Case.status.in_(ACTIVE_STATUSES))
    ).all()
    for case in cases:
        other = pick_agent(session=session, case=case, exclude=user.id)
        assign(
            session=session,
            case=case,
            user_id=other.id if other else None,
            actor=SYSTEM,
            now=now,
            reason=f"agent_{status}",
        )
        moved += 1
    return moved


def _escalation_targets(session: Session, case: Case) -> list[int]:
    """The case's team leads, else whoever is on call; never someone deactivated."""
    active = select(User.id).where(User.is_active.is_(True))
    if case.team_id is not None:
        leads = list(
            session.scalars(
                select(TeamMember.user_id).where(
                    TeamMember.team_id == case.team_id,
                    TeamMember.is_lead.is_(True),
                    TeamMember.user_id.in_(active),
                )
            )
        )
        if leads:
            return leads
    return list(
        session.scalars(
            select(AgentStatus.user_id).where(
                AgentStatus.on_call.is_(True), AgentStatus.user_id.in_(active)
            )
        )
    )


def escalate_unanswered(*, session: Session, now: datetime, base_url: str = "") -> int:
    """Page the lead / on-call person for each case nobody answered in time (once per case)."""
    minutes = inbox_settings(session).escalation_minutes
    cases = session.scalars(
        select(Case).where(
            Case.status.in_(ACTIVE_STATUSES),
            Case.first_human_reply_at.is_(None),
            Case.escalated_at.is_(None),
            Case.opened_at <= now - timedelta(minutes=minutes),
        )
    ).all()
    channels = [
        c
        for c in session.scalars(select(NotificationChannel).where(NotificationChannel.enabled))
        if c.config.get("inbox_escalations")
    ]
    for case in cases:
        case.escalated_at = now
        targets = _escalation_targets(session, case)
        who = case.author.handle if case.author else "unknown author"
        note = Notification(
            key=f"inbox:unanswered:{case.id}",
            subject=f"Case #{case.id} unanswered for {minutes} min",
            text=f"No one has answered @{who} on {case.platform} (priority {case.priority}).",
            severity="warning" if case.priority < 60 else "critical",
            url=f"{base_url}/inbox/cases/{case.id}" if base_url else f"/inbox/cases/{case.id}",
            facts={"Platform": case.platform, "Priority": str(case.priority)},
        )
        queue_notification(session=session, channels=channels, note=note, user_ids=targets)
        record(
            session=session,
            case=case,
            action="escalated",
            actor=SYSTEM,
            now=now,
            details={"notified": targets, "minutes": minutes},
            emit_event=False,
        )
        emit(session, CaseUnanswered(case_id=case.id, minutes=minutes))
    session.flush()
    return len(cases)
