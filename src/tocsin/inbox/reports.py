"""Inbox reports: response times, SLA attainment, backlog, automatic vs human replies.

Everything is computed from rows: the applied SLA targets (their ``started_at``,
``satisfied_at`` and ``business_minutes``), cases and replies.  ``business_hours=True`` reports
business minutes (as the SLA clock counts them) instead of wall-clock minutes.  Only human
replies satisfy response targets, so the response times here are human ones by construction.

:func:`historical_response_times` works on posts alone — an outbound post answering an inbound
one through ``parent_external_id`` — so a TWCS import yields the brands' past response times.

Example::

    sla_attainment(session=s, since=monday, until=friday, group_by="platform")
    # -> [AttainmentRow(key="x", hit=40, missed=10, percent=80.0), …]
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from tocsin.accounts.models import User
from tocsin.inbox.models import Case
from tocsin.inbox.reply_models import Reply
from tocsin.inbox.sla.models import AppliedSla
from tocsin.ingestion.models import Author, Post

GROUPS = ("agent", "team", "platform", "language")


@dataclass(frozen=True)
class AttainmentRow:
    key: str
    hit: int
    missed: int

    @property
    def total(self) -> int:
        return self.hit + self.missed

    @property
    def percent(self) -> float | None:
        return round(100 * self.hit / self.total, 2) if self.total else None


@dataclass(frozen=True)
class TimeRow:
    key: str
    count: int
    mean_minutes: float | None
    median_minutes: float | None


def _key(case: Case, group_by: str | None, names: dict[int, str]) -> str:
    if group_by == "agent":
        return names.get(case.assignee_id or 0, "unassigned")
    if group_by == "team":
        return str(case.team_id) if case.team_id else "no team"
    if group_by == "platform":
        return case.platform
    if group_by == "language":
        return case.lang or "unknown"
    return "all"


def _targets(
    session: Session, since: datetime, until: datetime, target: str
) -> list[tuple[AppliedSla, Case]]:
    rows = session.execute(
        select(AppliedSla, Case)
        .join(Case, Case.id == AppliedSla.case_id)
        .where(
            AppliedSla.target == target,
            AppliedSla.cancelled.is_(False),
            AppliedSla.started_at >= since,
            AppliedSla.started_at < until,
        )
        .order_by(AppliedSla.id)
    ).all()
    return [(sla, case) for sla, case in rows]


def _names(session: Session) -> dict[int, str]:
    return {u.id: (u.name or u.email) for u in session.scalars(select(User))}


def sla_attainment(
    *,
    session: Session,
    since: datetime,
    until: datetime,
    group_by: str | None = None,
    target: str = "first_response",
) -> list[AttainmentRow]:
    """Hit and missed targets that started in ``[since, until)``, per group (open ones excluded)."""
    names = _names(session)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sla, case in _targets(session, since, until, target):
        if sla.state == "hit":
            counts[_key(case, group_by, names)][0] += 1
        elif sla.state == "missed":
            counts[_key(case, group_by, names)][1] += 1
    return [AttainmentRow(k, hit, missed) for k, (hit, missed) in sorted(counts.items())]


def response_times(
    *,
    session: Session,
    since: datetime,
    until: datetime,
    group_by: str | None = None,
    target: str = "first_response",
    business_hours: bool = False,
) -> list[TimeRow]:
    """Minutes from the start of each met target to its (human) answer, per group."""
    names = _names(session)
    values: dict[str, list[float]] = defaultdict(list)
    for sla, case in _targets(session, since, until, target):
        if sla.satisfied_at is None:
            continue
        if business_hours and sla.business_minutes is not None:
            minutes = sla.business_minutes
        else:
            minutes = (sla.satisfied_at - sla.started_at).total_seconds() / 60
        values[_key(case, group_by, names)].append(minutes)
    return [_time_row(k, v) for k, v in sorted(values.items())]


def _time_row(key: str, values: Sequence[float]) -> TimeRow:
    if not values:
        return TimeRow(key, 0, None, None)
    return TimeRow(
        key,
        len(values),
        round(statistics.fmean(values), 2),
        round(statistics.median(values), 2),
    )


def backlog(
    *, session: Session, since: datetime, until: datetime, step: timedelta
) -> list[tuple[datetime, int]]:
    """Cases open (opened, not yet resolved or closed) at each step from ``since`` to ``until``."""
    cases = session.execute(
        select(Case.opened_at, Case.resolved_at, Case.closed_at).where(Case.opened_at <= until)
    ).all()
    points = []
    at = since
    while at <= until:
        count = 0
        for opened, resolved, closed in cases:
            ended = min((t for t in (resolved, closed) if t is not None), default=None)
            if opened <= at and (ended is None or ended > at):
                count += 1
        points.append((at, count))
        at += step
    return points


def reply_counts(
    *,
    session: Session,
    since: datetime,
    until: datetime,
    case_ids: Sequence[int] | None = None,
) -> dict[str, int]:
    """Published replies in ``[since, until)``: ``{"automatic": n, "human": m}``."""
    stmt = select(Reply.is_automatic, func.count(Reply.id)).where(
        Reply.status == "published", Reply.published_at >= since, Reply.published_at < until
    )
    if case_ids is not None:
        stmt = stmt.where(Reply.case_id.in_(list(case_ids)))
    rows = session.execute(stmt.group_by(Reply.is_automatic)).all()
    counts = {"automatic": 0, "human": 0}
    for automatic, n in rows:
        counts["automatic" if automatic else "human"] += int(n)
    return counts


def historical_response_times(
    *, session: Session, since: datetime, until: datetime
) -> list[TimeRow]:
    """Per answering account: minutes from an inbound post to the brand's first answer to it."""
    inbound = aliased(Post)
    answer_author = aliased(Author)
    rows = session.execute(
        select(answer_author.handle, inbound.id, inbound.created_at, func.min(Post.created_at))
        .join(
            inbound,
            (inbound.platform == Post.platform)
            & (inbound.external_id == Post.parent_external_id)
            & (inbound.direction == "inbound"),
        )
        .join(answer_author, answer_author.id == Post.author_id)
        .where(
            Post.direction == "outbound",
            Post.is_automatic.is_(False),
            inbound.created_at >= since,
            inbound.created_at < until,
        )
        .group_by(answer_author.handle, inbound.id, inbound.created_at)
    ).all()
    values: dict[str, list[float]] = defaultdict(list)
    for handle, _id, asked, answered in rows:
        if answered >= asked:
            values[handle].append((answered - asked).total_seconds() / 60)
    return [_time_row(k, v) for k, v in sorted(values.items())]


def to_csv(rows: Iterable[Any]) -> str:
    """Dataclass rows as CSV (with computed ``total``/``percent`` for attainment rows)."""
    out = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        data = asdict(row)
        if isinstance(row, AttainmentRow):
            data.update(total=row.total, percent=row.percent)
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(data))
            writer.writeheader()
        writer.writerow(data)
    return out.getvalue()
