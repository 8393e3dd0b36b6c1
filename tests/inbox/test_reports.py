"""Inbox reports against values worked out by hand: backlog, response times, TWCS history."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tocsin.accounts.models import User
from tocsin.inbox.models import Case
from tocsin.inbox.reply_models import Reply
from tocsin.inbox.report_summary import ReportError, ReportPeriod, build_report, report_csv
from tocsin.inbox.reports import backlog, historical_response_times
from tocsin.inbox.sla.models import AppliedSla
from tocsin.ingestion.importers.twcs import COLUMNS, import_twcs

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _case(
    session: Session,
    *,
    opened: datetime,
    platform: str = "x",
    lang: str = "en",
    resolved: datetime | None = None,
    closed: datetime | None = None,
    assignee: User | None = None,
) -> Case:
    case = Case(
        platform=platform,
        lang=lang,
        opened_at=opened,
        last_inbound_at=opened,
        resolved_at=resolved,
        closed_at=closed,
        status="resolved" if resolved else ("closed" if closed else "open"),
        assignee_id=assignee.id if assignee else None,
    )
    session.add(case)
    session.flush()
    return case


def _target(
    session: Session,
    case: Case,
    *,
    target: str = "first_response",
    minutes: int = 15,
    answered_after: float | None,
    business: float | None = None,
    cycle: int = 0,
) -> None:
    start = case.opened_at
    satisfied = start + timedelta(minutes=answered_after) if answered_after is not None else None
    hit = answered_after is not None and answered_after <= minutes
    session.add(
        AppliedSla(
            case_id=case.id,
            target=target,
            cycle=cycle,
            minutes=minutes,
            started_at=start,
            at_risk_at=start + timedelta(minutes=minutes * 0.75),
            due_at=start + timedelta(minutes=minutes),
            satisfied_at=satisfied,
            business_minutes=business,
            state="hit" if hit else "missed",
        )
    )
    session.flush()


def test_backlog_counts_cases_open_at_each_point(session: Session) -> None:
    _case(session, opened=T0, resolved=T0 + timedelta(hours=2))
    _case(session, opened=T0 + timedelta(hours=1))
    _case(session, opened=T0 + timedelta(minutes=90), closed=T0 + timedelta(minutes=105))
    _case(session, opened=T0 + timedelta(hours=3))  # exactly at the last point
    _case(session, opened=T0 + timedelta(hours=4))  # after the range
    points = backlog(
        session=session, since=T0, until=T0 + timedelta(hours=3), step=timedelta(hours=1)
    )
    # 10:00 first case; 11:00 first + second; 12:00 first resolved at 12:00, third closed at
    # 11:45 -> second only; 13:00 second + the case opened at 13:00.
    assert [n for _, n in points] == [1, 2, 1, 2]
    assert [at.hour for at, _ in points] == [10, 11, 12, 13]


def test_build_report_matches_hand_computed_times_and_attainment(
    session: Session, make_agent
) -> None:
    maya = make_agent(name="Maya Lind")
    # x: answered after 10 (hit) and 30 (missed) min; facebook (60-min target): after 40 (hit).
    a = _case(session, opened=T0, assignee=maya)
    _target(session, a, answered_after=10, business=4)
    _target(session, a, target="next_response", answered_after=20, cycle=1)
    _target(session, a, target="resolution", minutes=1440, answered_after=120)
    b = _case(session, opened=T0 + timedelta(hours=1), lang="fr")
    _target(session, b, answered_after=30, business=30)
    c = _case(session, opened=T0 + timedelta(hours=2), platform="facebook", assignee=maya)
    _target(session, c, minutes=60, answered_after=40, business=0)
    session.add(
        Reply(
            case_id=a.id,
            text="auto",
            is_automatic=True,
            status="published",
            published_at=T0 + timedelta(minutes=1),
        )
    )
    session.add(
        Reply(case_id=a.id, text="hi", status="published", published_at=T0 + timedelta(minutes=10))
    )
    session.flush()

    period = ReportPeriod.parse(since="2026-03-02", until="2026-03-02")
    report = build_report(session=session, period=period)
    first = report.first_response[0]
    assert (first.key, first.count, first.mean_minutes, first.median_minutes) == (
        "all",
        3,
        26.67,
        30.0,
    )  # (10 + 30 + 40) / 3, median 30
    assert report.next_response[0].mean_minutes == 20.0
    assert report.resolution[0].median_minutes == 120.0
    assert [(r.hit, r.missed, r.percent) for r in report.overall] == [(2, 1, 66.67)]
    platform = {r.key: r.percent for r in report.attainment["platform"]}
    assert platform == {"facebook": 100.0, "x": 50.0}
    agent = {r.key: (r.hit, r.missed) for r in report.attainment["agent"]}
    assert agent == {"Maya Lind": (2, 0), "unassigned": (0, 1)}
    language = {r.key: r.percent for r in report.attainment["language"]}
    assert language == {"en": 100.0, "fr": 0.0}
    assert report.replies == {"automatic": 1, "human": 1}
    assert len(report.backlog) == 25  # hourly over one day, both ends
    assert report.reply_series[10][1:] == (1, 1)  # the 10:00 bucket: one of each

    business = build_report(
        session=session, period=period, business_hours=True, group_by="platform"
    )
    by_platform = {r.key: r.mean_minutes for r in business.first_response}
    assert by_platform == {"facebook": 0.0, "x": 17.0}  # (4 + 30) / 2

    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    replies = {r["key"]: r["value"] for r in rows if r["section"] == "replies"}
    assert replies == {"automatic": "1", "human": "1"}
    assert {
        r["percent"] for r in rows if r["section"] == "sla_attainment" and r["group"] == "all"
    } == {"66.67"}


def test_period_parsing_rejects_bad_ranges() -> None:
    period = ReportPeriod.parse(today=date(2026, 3, 8))
    assert period.since == datetime(2026, 3, 2, tzinfo=UTC)
    assert period.until == datetime(2026, 3, 9, tzinfo=UTC)
    with pytest.raises(ReportError, match="swap"):
        ReportPeriod.parse(since="2026-03-09", until="2026-03-01")
    with pytest.raises(ReportError, match="not a date"):
        ReportPeriod.parse(since="yesterday")
    with pytest.raises(ReportError, match="at most"):
        ReportPeriod.parse(since="2024-01-01", until="2026-01-01")


def _twcs(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def test_historical_response_times_from_a_twcs_import(
    session_factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    day = "Mon Mar 02 {} +0000 2026"
    rows = [
        ("1", "cust_a", "True", day.format("10:00:00"), "my router keeps dropping", "2", ""),
        ("2", "AcmeHelp", "False", day.format("10:12:00"), "@cust_a sorry, DM us", "11", "1"),
        ("11", "cust_a", "True", day.format("10:20:00"), "@AcmeHelp done", "12", "2"),
        ("12", "AcmeHelp", "False", day.format("10:25:00"), "@cust_a thanks, fixed", "", "11"),
        ("3", "cust_b", "True", day.format("11:00:00"), "no signal since noon", "4,5", ""),
        ("4", "AcmeHelp", "False", day.format("11:30:00"), "@cust_b checking", "", "3"),
        ("5", "AcmeHelp", "False", day.format("11:45:00"), "@cust_b all good now", "", "3"),
        ("6", "cust_c", "True", day.format("12:00:00"), "hello?", "", ""),
        ("7", "BetaCare", "False", day.format("13:05:00"), "@cust_d on it", "", "8"),
        ("8", "cust_d", "True", day.format("12:05:00"), "my bill doubled", "7", ""),
        ("9", "cust_e", "True", "Tue Mar 03 09:00:00 +0000 2026", "app crash", "10", ""),
        ("10", "AcmeHelp", "False", "Tue Mar 03 09:06:00 +0000 2026", "@cust_e update it", "", "9"),
    ]
    summary = import_twcs(session_factory=session_factory, path=_twcs(tmp_path / "t.csv", rows))
    assert summary.imported == len(rows)

    found = historical_response_times(
        session=session, since=T0 - timedelta(hours=10), until=T0 + timedelta(days=2)
    )
    by_handle = {r.key.lower(): (r.count, r.mean_minutes, r.median_minutes) for r in found}
    # AcmeHelp: 12 (1->2), 5 (11->12), 30 (3->4, the first of two answers), 6 (9->10).
    assert by_handle == {"acmehelp": (4, 13.25, 9.0), "betacare": (1, 60.0, 60.0)}

    first_day = historical_response_times(
        session=session, since=T0 - timedelta(hours=10), until=T0 + timedelta(hours=14)
    )
    assert {r.key.lower(): r.count for r in first_day} == {"acmehelp": 3, "betacare": 1}

    report = build_report(
        session=session,
        period=ReportPeriod.parse(since="2026-03-03", until="2026-03-03"),
        historical=True,
    )
    assert [(r.key.lower(), r.mean_minutes) for r in report.historical] == [("acmehelp", 6.0)]
