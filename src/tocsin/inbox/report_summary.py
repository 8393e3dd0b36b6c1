"""One inbox report for a date range: what the reports page, the API, the CSV and the CLI show.

:mod:`tocsin.inbox.reports` computes each figure; this module picks the range, runs them all
once and shapes the result (tables, chart series, CSV), so the four front ends never disagree.

Example::

    period = ReportPeriod.parse(since="2026-03-02", until="2026-03-08")
    report = build_report(session=s, period=period, business_hours=True)
    report.first_response[0].median_minutes    # median human first response, business minutes
    report_csv(report)                          # "section,group,key,count,…"
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.accounts.models import Team
from tocsin.inbox.reply_models import Reply
from tocsin.inbox.reports import (
    GROUPS,
    AttainmentRow,
    TimeRow,
    backlog,
    historical_response_times,
    reply_counts,
    response_times,
    sla_attainment,
)

#: The longest range a report covers (a year and a day, for leap years).
MAX_DAYS = 367
DEFAULT_DAYS = 7


class ReportError(ValueError):
    """The requested report cannot be computed; the message says what to change."""


@dataclass(frozen=True)
class ReportPeriod:
    """``[since, until)`` in UTC; ``until`` is the midnight after the last day asked for."""

    since: datetime
    until: datetime

    @classmethod
    def parse(
        cls, *, since: str | None = None, until: str | None = None, today: date | None = None
    ) -> ReportPeriod:
        """Whole UTC days from ISO dates; the last :data:`DEFAULT_DAYS` days when not given."""
        last = _day(until, "until") if until else (today or datetime.now(UTC).date())
        first = _day(since, "since") if since else last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise ReportError(f"since ({first}) is after until ({last}): swap them")
        if (last - first).days + 1 > MAX_DAYS:
            raise ReportError(f"a report covers at most {MAX_DAYS} days: shorten the range")
        return cls(
            since=datetime.combine(first, time(), UTC),
            until=datetime.combine(last + timedelta(days=1), time(), UTC),
        )

    @property
    def step(self) -> timedelta:
        """Hourly points for ranges up to three days, daily points beyond."""
        return timedelta(hours=1) if self.until - self.since <= timedelta(days=3) else timedelta(1)


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ReportError(f"{name}: {value!r} is not a date like 2026-03-31") from None


@dataclass
class InboxReport:
    """Every section of the inbox report for one period."""

    period: ReportPeriod
    business_hours: bool
    first_response: list[TimeRow]
    next_response: list[TimeRow]
    resolution: list[TimeRow]
    #: ``{"agent": [AttainmentRow, …], "team": …, "platform": …, "language": …}`` (first response).
    attainment: dict[str, list[AttainmentRow]]
    overall: list[AttainmentRow]
    replies: dict[str, int]
    backlog: list[tuple[datetime, int]]
    historical: list[TimeRow] = field(default_factory=list)
    #: Published replies per backlog step: ``[(at, automatic, human), …]``.
    reply_series: list[tuple[datetime, int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: datetimes as ISO strings, attainment rows with ``total`` and ``percent``."""
        return {
            "since": self.period.since.isoformat(),
            "until": self.period.until.isoformat(),
            "business_hours": self.business_hours,
            "first_response": [asdict(r) for r in self.first_response],
            "next_response": [asdict(r) for r in self.next_response],
            "resolution": [asdict(r) for r in self.resolution],
            "attainment": {
                g: [_attainment(r) for r in rows] for g, rows in self.attainment.items()
            },
            "overall": [_attainment(r) for r in self.overall],
            "replies": self.replies,
            "backlog": [{"at": at.isoformat(), "open": n} for at, n in self.backlog],
            "historical": [asdict(r) for r in self.historical],
        }

    def backlog_chart(self) -> dict[str, list[float]]:
        """uPlot columns: ``{"t": [unix seconds], "open": [cases open]}``."""
        return {
            "t": [at.timestamp() for at, _ in self.backlog],
            "open": [float(n) for _, n in self.backlog],
            "automatic": [float(a) for _, a, _ in self.reply_series],
            "human": [float(h) for _, _, h in self.reply_series],
        }


def _attainment(row: AttainmentRow) -> dict[str, Any]:
    return {**asdict(row), "total": row.total, "percent": row.percent}


def _team_names(session: Session, rows: list[AttainmentRow]) -> list[AttainmentRow]:
    names = {str(t.id): t.name for t in session.scalars(select(Team))}
    return [AttainmentRow(names.get(r.key, r.key), r.hit, r.missed) for r in rows]


def build_report(
    *,
    session: Session,
    period: ReportPeriod,
    business_hours: bool = False,
    group_by: str | None = None,
    historical: bool = False,
) -> InboxReport:
    """Run every inbox report over ``period``; times grouped by ``group_by`` (None: overall)."""
    if group_by is not None and group_by not in GROUPS:
        raise ReportError(f"group_by must be one of {', '.join(GROUPS)}")
    since, until = period.since, period.until

    def times(target: str) -> list[TimeRow]:
        return response_times(
            session=session,
            since=since,
            until=until,
            group_by=group_by,
            target=target,
            business_hours=business_hours,
        )

    attainment = {
        group: sla_attainment(session=session, since=since, until=until, group_by=group)
        for group in GROUPS
    }
    attainment["team"] = _team_names(session, attainment["team"])
    return InboxReport(
        period=period,
        business_hours=business_hours,
        first_response=times("first_response"),
        next_response=times("next_response"),
        resolution=times("resolution"),
        attainment=attainment,
        overall=sla_attainment(session=session, since=since, until=until),
        replies=reply_counts(session=session, since=since, until=until),
        backlog=backlog(session=session, since=since, until=until, step=period.step),
        reply_series=_reply_series(session, period),
        historical=(
            historical_response_times(session=session, since=since, until=until)
            if historical
            else []
        ),
    )


def _reply_series(session: Session, period: ReportPeriod) -> list[tuple[datetime, int, int]]:
    """Replies published in each step ``[at, at + step)``, aligned with the backlog points."""
    step = period.step
    starts = [period.since + i * step for i in range(int((period.until - period.since) / step) + 1)]
    counts = {at: [0, 0] for at in starts}
    rows = session.execute(
        select(Reply.published_at, Reply.is_automatic).where(
            Reply.status == "published",
            Reply.published_at >= period.since,
            Reply.published_at < period.until,
        )
    ).all()
    for published, automatic in rows:
        if published is None:
            continue
        bucket = starts[int((published - period.since) / step)]
        counts[bucket][0 if automatic else 1] += 1
    return [(at, a, h) for at, (a, h) in counts.items()]


CSV_FIELDS = (
    "section",
    "group",
    "key",
    "count",
    "mean_minutes",
    "median_minutes",
    "hit",
    "missed",
    "percent",
    "value",
)


def report_csv(report: InboxReport) -> str:
    """The whole report as one long CSV: one line per figure, ``section`` says which."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for section in ("first_response", "next_response", "resolution", "historical"):
        for row in getattr(report, section):
            writer.writerow({"section": section, "group": "", **asdict(row)})
    for group, rows in {"all": report.overall, **report.attainment}.items():
        for a in rows:
            writer.writerow({"section": "sla_attainment", "group": group, **_attainment(a)})
    for kind, n in report.replies.items():
        writer.writerow({"section": "replies", "key": kind, "value": n})
    for at, n in report.backlog:
        writer.writerow({"section": "backlog", "key": at.isoformat(), "value": n})
    return out.getvalue()
