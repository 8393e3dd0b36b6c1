"""The inbox reports: the page with its charts, the CSV download and the JSON API.

All three read the same query (``since``, ``until`` as ISO dates, ``business_hours``,
``group_by``) and show the same :class:`~tocsin.inbox.report_summary.InboxReport`.  Charts are
drawn by ``inbox-reports.js`` from an inert ``application/json`` block (the CSP forbids inline
scripts).

Example::

    GET /api/v1/inbox/reports?since=2026-03-02&until=2026-03-08&business_hours=1
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from tocsin.accounts.permissions import Permission
from tocsin.inbox.report_summary import (
    InboxReport,
    ReportError,
    ReportPeriod,
    build_report,
    report_csv,
)
from tocsin.inbox.reports import GROUPS
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem
from tocsin.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["inbox"])
ReadCases = Annotated[Principal, require(Permission.CASES_READ)]
_TRUE = ("1", "true", "on", "yes")


def _report(params: QueryParams, session: DbSession) -> InboxReport:
    group_by = (params.get("group_by") or "").strip() or None
    try:
        period = ReportPeriod.parse(
            since=(params.get("since") or "").strip() or None,
            until=(params.get("until") or "").strip() or None,
        )
        return build_report(
            session=session,
            period=period,
            business_hours=(params.get("business_hours") or "").lower() in _TRUE,
            group_by=group_by,
            historical=(params.get("historical") or "").lower() in _TRUE,
        )
    except ReportError as exc:
        raise Problem(422, "invalid-report", "Cannot compute the report", str(exc)) from exc


@pages.get("/inbox/reports")
def reports_page(request: Request, session: DbSession, who: ReadCases) -> Response:
    report = _report(request.query_params, session)
    last_day = (report.period.until - timedelta(days=1)).date()
    context: dict[str, Any] = {
        "report": report,
        "chart": report.backlog_chart(),
        "groups": GROUPS,
        "form": {
            **dict(request.query_params),
            "since": report.period.since.date().isoformat(),
            "until": last_day.isoformat(),
        },
        "query": str(request.query_params),
    }
    return render(request, "inbox/reports.html", context, active="inbox")


@pages.get("/inbox/reports.csv")
def reports_csv(request: Request, session: DbSession, who: ReadCases) -> Response:
    report = _report(request.query_params, session)
    last_day = (report.period.until - timedelta(days=1)).date()
    name = f"inbox-report-{report.period.since.date()}-{last_day}.csv"
    return Response(
        report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@api.get("/inbox/reports")
def api_reports(request: Request, session: DbSession, who: ReadCases) -> dict[str, Any]:
    """Response times, SLA attainment, backlog and reply counts (``?since=&until=&…``)."""
    return _report(request.query_params, session).to_dict()


routers = [api, pages]
