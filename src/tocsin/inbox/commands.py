"""``tocsin inbox …``: reports, SLA policies and automation dry runs from the terminal.

Example::

    $ tocsin inbox report --since 2026-03-02 --until 2026-03-08 --business-hours --csv out.csv
    $ tocsin inbox sla-policies
    $ tocsin inbox rules dry-run 3 --days 7
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.inbox.reports import GROUPS

err = Console(stderr=True)
out = Console()


def _session_factory() -> sessionmaker[Session]:
    from tocsin.cli import load_settings
    from tocsin.db import make_engine, make_session_factory

    return make_session_factory(make_engine(load_settings().database_url))


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(2)


def _minutes(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def register(app: typer.Typer) -> None:
    inbox = typer.Typer(help="The care inbox: reports, SLA policies, automation rules.")
    rules = typer.Typer(help="Automation rules.")
    inbox.add_typer(rules, name="rules")
    app.add_typer(inbox, name="inbox")

    @inbox.command("report")
    def report(
        since: Annotated[str | None, typer.Option(help="First day, e.g. 2026-03-02")] = None,
        until: Annotated[str | None, typer.Option(help="Last day (included)")] = None,
        business_hours: Annotated[bool, typer.Option(help="Count business minutes")] = False,
        group_by: Annotated[str | None, typer.Option(help=f"One of {', '.join(GROUPS)}")] = None,
        csv: Annotated[Path | None, typer.Option(help="Also write the report as CSV")] = None,
    ) -> None:
        """Response times, SLA attainment and replies (the last 7 days by default)."""
        from tocsin.inbox.report_summary import ReportError, ReportPeriod, build_report, report_csv

        try:
            period = ReportPeriod.parse(since=since, until=until)
            with _session_factory()() as session:
                data = build_report(
                    session=session,
                    period=period,
                    business_hours=business_hours,
                    group_by=group_by,
                    historical=True,
                )
        except ReportError as exc:
            raise _fail(str(exc)) from None
        unit = "business minutes" if business_hours else "minutes"
        times = Table(title=f"Response times ({unit}), {since or period.since.date()} →")
        for column in ("measure", "group", "count", "mean", "median"):
            times.add_column(column)
        for measure in ("first_response", "next_response", "resolution", "historical"):
            for row in getattr(data, measure):
                times.add_row(
                    measure,
                    row.key,
                    str(row.count),
                    _minutes(row.mean_minutes),
                    _minutes(row.median_minutes),
                )
        out.print(times)
        sla = Table(title="SLA attainment (first response)")
        for column in ("group", "key", "hit", "missed", "%"):
            sla.add_column(column)
        for group, rows in {"all": data.overall, **data.attainment}.items():
            for a in rows:
                percent = "–" if a.percent is None else f"{a.percent:.1f}"
                sla.add_row(group, a.key, str(a.hit), str(a.missed), percent)
        out.print(sla)
        out.print(f"Replies: {data.replies['human']} human, {data.replies['automatic']} automatic")
        if csv is not None:
            try:
                csv.write_text(report_csv(data), encoding="utf-8")
            except OSError as exc:
                raise _fail(f"cannot write {csv}: {exc.strerror}") from None
            err.print(f"wrote {csv}")

    @inbox.command("sla-policies")
    def sla_policies() -> None:
        """List the SLA policies (targets in minutes), most specific first."""
        from tocsin.inbox.sla.models import SlaPolicy

        with _session_factory()() as session:
            policies = session.scalars(select(SlaPolicy).order_by(SlaPolicy.id)).unique().all()
            table = Table(title="SLA policies")
            for column in (
                "id",
                "name",
                "platform",
                "min prio",
                "first",
                "next",
                "resolution",
                "calendar",
                "enabled",
            ):
                table.add_column(column)
            for p in policies:
                table.add_row(
                    str(p.id),
                    p.name,
                    p.platform or "any",
                    str(p.min_priority),
                    str(p.first_response_minutes),
                    str(p.next_response_minutes),
                    str(p.resolution_minutes),
                    p.calendar.name if p.calendar else "24/7",
                    "yes" if p.enabled else "no",
                )
        if not policies:
            err.print("no SLA policy yet: the defaults are stored when the inbox first runs")
        out.print(table)

    @rules.command("dry-run")
    def dry_run(
        rule_id: int,
        days: Annotated[int, typer.Option(min=1, max=90, help="Look back this many days")] = 7,
    ) -> None:
        """Show which inbound posts of the last DAYS days the rule's conditions match."""
        from tocsin.inbox.automation.models import AutomationRule
        from tocsin.inbox.automation.rules import dry_run as run
        from tocsin.ingestion.models import Post
        from tocsin.types import utcnow

        with _session_factory()() as session:
            rule = session.get(AutomationRule, rule_id)
            if rule is None:
                raise _fail(f"no rule {rule_id}: list them in Settings → Inbox → Rules")
            matched = run(session=session, conditions=rule.conditions, limit=5000)
            since = utcnow() - timedelta(days=days)
            posts = (
                session.scalars(
                    select(Post)
                    .where(Post.id.in_(matched), Post.created_at >= since)
                    .order_by(Post.created_at.desc())
                )
                .unique()
                .all()
            )
            table = Table(title=f"Rule {rule.id} “{rule.name}”: {len(posts)} match(es)")
            for column in ("post", "platform", "created", "text"):
                table.add_column(column)
            for post in posts[:200]:
                table.add_row(
                    str(post.id), post.platform, post.created_at.isoformat(), post.text[:80]
                )
        out.print(table)
