"""What the listening pages and API share: reading dashboard filters from a query string."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from tocsin.brands.models import Brand
from tocsin.listening.dashboard import SENTIMENTS, DashboardFilters
from tocsin.types import utcnow
from tocsin.web.problems import Problem

DEFAULT_DAYS = 7
MAX_DAYS = 400


@dataclass(frozen=True)
class FilterForm:
    """The filters as the form shows them (dates as ``YYYY-MM-DD``)."""

    brand_id: int
    since: str
    until: str
    platform: str
    lang: str
    sentiment: str


def our_brands(session: Session) -> list[Brand]:
    """The brands the team works for (competitors are shown beside them, not alone)."""
    return list(
        session.scalars(select(Brand).where(Brand.competitor_of_id.is_(None)).order_by(Brand.name))
    )


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Problem(
            422, "bad-filter", "Invalid filter", f"{name} must be a date such as 2026-03-01"
        ) from None


def parse_filters(
    session: Session, params: QueryParams, *, brand_key: str = "brand"
) -> tuple[DashboardFilters, FilterForm]:
    """Dashboard filters from ``brand``, ``since``, ``until`` (dates, ``until`` inclusive),
    ``platform``, ``lang`` and ``sentiment`` (each repeatable)."""
    raw_brand = params.get(brand_key) or params.get("brand_id") or ""
    if raw_brand:
        if not raw_brand.isdigit() or session.get(Brand, int(raw_brand)) is None:
            raise Problem(404, "no-brand", "Unknown brand", f"no brand with id {raw_brand}")
        brand_id = int(raw_brand)
    else:
        brands = our_brands(session)
        if not brands:
            raise Problem(
                404, "no-brand", "No brand yet", "create a brand first (tocsin demo load)"
            )
        brand_id = brands[0].id
    today = utcnow().date()
    until_day = _day(params["until"], "until") if params.get("until") else today
    since_day = (
        _day(params["since"], "since")
        if params.get("since")
        else until_day - timedelta(days=DEFAULT_DAYS - 1)
    )
    if since_day > until_day:
        raise Problem(422, "bad-filter", "Invalid filter", "since must not be after until")
    if (until_day - since_day).days > MAX_DAYS:
        raise Problem(422, "bad-filter", "Invalid filter", f"choose at most {MAX_DAYS} days")
    sentiments = tuple(s for s in params.getlist("sentiment") if s)
    for s in sentiments:
        if s not in SENTIMENTS:
            raise Problem(
                422,
                "bad-filter",
                "Invalid filter",
                f"sentiment must be one of {', '.join(SENTIMENTS)}",
            )
    filters = DashboardFilters(
        brand_id=brand_id,
        since=datetime.combine(since_day, datetime.min.time(), UTC),
        until=datetime.combine(until_day + timedelta(days=1), datetime.min.time(), UTC),
        platforms=tuple(p[:32] for p in params.getlist("platform") if p),
        langs=tuple(lang[:8] for lang in params.getlist("lang") if lang),
        sentiments=sentiments,
    )
    form = FilterForm(
        brand_id=brand_id,
        since=since_day.isoformat(),
        until=until_day.isoformat(),
        platform=params.get("platform", ""),
        lang=params.get("lang", ""),
        sentiment=params.get("sentiment", ""),
    )
    return filters, form
