"""Listening pages: the dashboard, a narrative, competitors, campaigns and the PDF report.

Chart data travels as JSON in a ``<script type="application/json">`` block (inert under the
CSP) that ``static/js/listening.js`` reads and draws with uPlot; every user-supplied text is
escaped by the templates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tocsin.accounts.permissions import Permission
from tocsin.brands.models import Brand
from tocsin.ingestion.schemas import PLATFORMS
from tocsin.listening.campaigns import (
    CampaignError,
    brand_campaigns,
    campaign_stats,
    create_campaign,
)
from tocsin.listening.competitors import decide_opportunity, opportunity_queue, poaching_alerts
from tocsin.listening.dashboard import SENTIMENTS, build_dashboard, family
from tocsin.listening.ereputation import resolutions, rights_of_reply
from tocsin.listening.narratives import get_narrative, narrative_posts, top_narratives
from tocsin.listening.reports import report_pdf
from tocsin.listening.tracking_models import Campaign
from tocsin.listening.web_common import our_brands, parse_filters
from tocsin.types import utcnow
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem
from tocsin.web.templating import render

router = APIRouter(include_in_schema=False)
ReadListening = Annotated[Principal, require(Permission.LISTENING_READ)]
WorkCases = Annotated[Principal, require(Permission.LISTENING_READ, Permission.CASES_WORK)]
LANGUAGES = ("en", "fr", "es", "nl", "de", "it", "pt")


def _chart_data(board: Any) -> dict[str, Any]:
    return {
        "granularity": board.granularity,
        "t": [int(p.at.timestamp()) for p in board.series],
        "posts": [p.posts for p in board.series],
        "negative": [p.by_sentiment.get("negative", 0) for p in board.series],
        "positive": [p.by_sentiment.get("positive", 0) for p in board.series],
    }


@router.get("/listening")
def dashboard_page(request: Request, session: DbSession, who: ReadListening) -> Response:
    if not our_brands(session):
        return render(request, "listening/no_brand.html", {}, active="listening")
    filters, form = parse_filters(session, request.query_params)
    board = build_dashboard(session=session, filters=filters)
    context = {
        "board": board,
        "form": form,
        "brands": our_brands(session),
        "chart": _chart_data(board),
        "narratives": top_narratives(
            session=session, brand_id=filters.brand_id, since=filters.since, until=filters.until
        ),
        "ereputation": rights_of_reply(session=session, brand_id=filters.brand_id, limit=10),
        "resolutions": resolutions(session=session, brand_id=filters.brand_id, limit=10),
        "platforms": PLATFORMS,
        "languages": LANGUAGES,
        "sentiments": SENTIMENTS,
        "now": utcnow(),
        "query": request.url.query,
    }
    return render(request, "listening/dashboard.html", context, active="listening")


@router.get("/listening/report.pdf")
def report_download(request: Request, session: DbSession, who: ReadListening) -> Response:
    filters, form = parse_filters(session, request.query_params)
    board = build_dashboard(session=session, filters=filters)
    narratives = top_narratives(
        session=session, brand_id=filters.brand_id, since=filters.since, until=filters.until
    )
    name = f"tocsin-report-{form.brand_id}-{form.since}-{form.until}.pdf"
    return Response(
        report_pdf(board, narratives=narratives),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/listening/narratives/{narrative_id}")
def narrative_page(
    narrative_id: int, request: Request, session: DbSession, who: ReadListening
) -> Response:
    view = get_narrative(session=session, narrative_id=narrative_id)
    if view is None:
        raise Problem(404, "not-found", "No such narrative", f"no narrative {narrative_id}")
    posts = narrative_posts(session=session, narrative_id=narrative_id)
    return render(
        request,
        "listening/narrative.html",
        {"narrative": view, "posts": posts},
        active="listening",
    )


@router.get("/listening/competitors")
def competitors_page(request: Request, session: DbSession, who: ReadListening) -> Response:
    filters, form = parse_filters(session, request.query_params)
    brand = session.get(Brand, filters.brand_id)
    board = build_dashboard(session=session, filters=filters)
    context = {
        "form": form,
        "brand": brand,
        "brands": our_brands(session),
        "board": board,
        "rivals": family(session, brand)[1:] if brand else [],
        "opportunities": opportunity_queue(session=session, brand_id=filters.brand_id),
        "alerts": poaching_alerts(session=session, brand_id=filters.brand_id),
        "can_work": who.can(Permission.CASES_WORK),
    }
    return render(request, "listening/competitors.html", context, active="listening")


@router.post("/listening/opportunities/{post_id}")
def opportunity_form(
    post_id: int,
    session: DbSession,
    who: WorkCases,
    brand_id: Annotated[int, Form()],
    decision: Annotated[str, Form(pattern="^(engage|dismiss)$")],
) -> Response:
    decide_opportunity(
        session=session, brand_id=brand_id, post_id=post_id, decision=decision, user_id=who.user.id
    )
    session.commit()
    return RedirectResponse(f"/listening/competitors?brand={brand_id}", status_code=303)


@router.get("/listening/campaigns")
def campaigns_page(request: Request, session: DbSession, who: ReadListening) -> Response:
    filters, form = parse_filters(session, request.query_params)
    campaigns = brand_campaigns(session=session, brand_id=filters.brand_id)
    return render(
        request,
        "listening/campaigns.html",
        {"form": form, "brands": our_brands(session), "campaigns": campaigns, "error": ""},
        active="listening",
    )


@router.post("/listening/campaigns")
def create_campaign_form(
    request: Request,
    session: DbSession,
    who: WorkCases,
    brand_id: Annotated[int, Form()],
    name: Annotated[str, Form(max_length=200)],
    starts: Annotated[date, Form()],
    ends: Annotated[date, Form()],
    hashtags: Annotated[str, Form(max_length=2000)] = "",
    terms: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        campaign = create_campaign(
            session=session,
            brand_id=brand_id,
            name=name,
            hashtags=[h for h in hashtags.replace(",", " ").split() if h],
            terms=[t for t in terms.split(",") if t.strip()],
            starts_at=datetime.combine(starts, datetime.min.time(), UTC),
            ends_at=datetime.combine(ends + timedelta(days=1), datetime.min.time(), UTC),
        )
    except CampaignError as exc:
        raise Problem(422, "bad-campaign", "Invalid campaign", str(exc)) from exc
    session.commit()
    return RedirectResponse(f"/listening/campaigns/{campaign.id}", status_code=303)


@router.get("/listening/campaigns/{campaign_id}")
def campaign_page(
    campaign_id: int, request: Request, session: DbSession, who: ReadListening
) -> Response:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise Problem(404, "not-found", "No such campaign", f"no campaign {campaign_id}")
    stats = campaign_stats(session=session, campaign=campaign)
    days = sorted(stats.per_day.items())
    chart = {
        "granularity": "day",
        "t": [int(datetime.fromisoformat(d).replace(tzinfo=UTC).timestamp()) for d, _ in days],
        "posts": [n for _, n in days],
    }
    return render(
        request,
        "listening/campaign.html",
        {"campaign": campaign, "stats": stats, "chart": chart},
        active="listening",
    )
