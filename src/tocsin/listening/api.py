"""The listening API: dashboard, narratives, opportunities, campaigns, right of reply.

Every route needs ``listening:read``; deciding an opportunity or a right of reply needs
``cases:work``.  Errors are problem documents.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from tocsin.accounts.permissions import Permission
from tocsin.listening.campaigns import campaign_stats
from tocsin.listening.competitors import decide_opportunity, opportunity_queue, poaching_alerts
from tocsin.listening.dashboard import DashboardError, build_dashboard
from tocsin.listening.ereputation import mark_answered, rights_of_reply
from tocsin.listening.narratives import get_narrative, top_narratives
from tocsin.listening.tracking_models import Campaign, RightOfReply
from tocsin.listening.web_common import parse_filters
from tocsin.types import utcnow
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem

router = APIRouter(prefix="/api/v1/listening", tags=["listening"])
ReadListening = Annotated[Principal, require(Permission.LISTENING_READ)]
WorkCases = Annotated[Principal, require(Permission.LISTENING_READ, Permission.CASES_WORK)]


def _post(post: Any) -> dict[str, Any]:
    return {
        "id": post.id,
        "platform": post.platform,
        "text": post.text,
        "lang": post.lang,
        "url": post.url,
        "created_at": post.created_at.isoformat(),
        "author": post.author.handle if post.author else None,
    }


@router.get("/dashboard")
def dashboard_api(request: Request, session: DbSession, who: ReadListening) -> dict[str, Any]:
    """Volume, sentiment, share of voice and top lists for one brand (query: ``brand_id``,
    ``since``, ``until`` as dates, repeatable ``platform``, ``lang``, ``sentiment``)."""
    filters, _form = parse_filters(session, request.query_params)
    try:
        board = build_dashboard(session=session, filters=filters)
    except DashboardError as exc:
        raise Problem(422, "bad-filter", "Invalid filter", str(exc)) from exc
    data = board.to_dict()
    data["narratives"] = [
        {"id": n.id, "size": n.size, "label": n.label, "recent": n.recent, "trend": n.trend}
        for n in top_narratives(
            session=session, brand_id=filters.brand_id, since=filters.since, until=filters.until
        )
    ]
    return data


@router.get("/narratives/{narrative_id}")
def narrative_api(narrative_id: int, session: DbSession, who: ReadListening) -> dict[str, Any]:
    view = get_narrative(session=session, narrative_id=narrative_id)
    if view is None:
        raise Problem(404, "not-found", "No such narrative", f"no narrative {narrative_id}")
    return {
        "id": view.id,
        "size": view.size,
        "label": view.label,
        "languages": view.languages,
        "recent": view.recent,
        "previous": view.previous,
        "trend": view.trend,
        "representatives": [_post(p) for p in view.representatives],
    }


@router.get("/opportunities")
def opportunities_api(request: Request, session: DbSession, who: ReadListening) -> dict[str, Any]:
    filters, _ = parse_filters(session, request.query_params)
    items = opportunity_queue(session=session, brand_id=filters.brand_id)
    alerts = poaching_alerts(session=session, brand_id=filters.brand_id)
    return {
        "opportunities": [
            {**_post(o.post), "competitor": o.competitor, "sentiment": o.sentiment} for o in items
        ],
        "poaching": [
            {
                "id": a.id,
                "competitor_id": a.competitor_id,
                "complaint_post_id": a.complaint_post_id,
                "reply_post_id": a.reply_post_id,
                "case_id": a.case_id,
                "detected_at": a.detected_at.isoformat(),
            }
            for a in alerts
        ],
    }


class OpportunityDecisionIn(BaseModel):
    brand_id: int
    decision: Literal["engage", "dismiss"]
    note: str = Field(default="", max_length=2000)


@router.post("/opportunities/{post_id}/decision")
def decide_opportunity_api(
    post_id: int, body: OpportunityDecisionIn, session: DbSession, who: WorkCases
) -> dict[str, Any]:
    row = decide_opportunity(
        session=session,
        brand_id=body.brand_id,
        post_id=post_id,
        decision=body.decision,
        user_id=who.user.id,
        note=body.note,
    )
    session.commit()
    return {"post_id": row.post_id, "decision": row.decision}


@router.get("/campaigns/{campaign_id}")
def campaign_api(campaign_id: int, session: DbSession, who: ReadListening) -> dict[str, Any]:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise Problem(404, "not-found", "No such campaign", f"no campaign {campaign_id}")
    stats = campaign_stats(session=session, campaign=campaign)
    return {
        "id": campaign.id,
        "name": campaign.name,
        "posts": stats.posts,
        "sentiment": dict(stats.sentiment),
        "questions": stats.questions,
        "negative": stats.negative,
        "confused": stats.confused,
        "confusion_rate": round(stats.confusion_rate, 3),
        "per_day": dict(sorted(stats.per_day.items())),
    }


@router.get("/right-of-reply")
def right_of_reply_api(
    request: Request, session: DbSession, who: ReadListening
) -> list[dict[str, Any]]:
    filters, _ = parse_filters(session, request.query_params)
    status = request.query_params.get("status") or None
    return [
        {
            "id": row.id,
            "status": row.status,
            "due_at": row.due_at.isoformat(),
            "answered_at": row.answered_at.isoformat() if row.answered_at else None,
            "overdue": row.status == "open" and row.due_at < utcnow(),
            "post": _post(post),
        }
        for row, post in rights_of_reply(session=session, brand_id=filters.brand_id, status=status)
    ]


class AnsweredIn(BaseModel):
    url: str | None = Field(default=None, max_length=2000, pattern=r"^https?://")
    note: str = Field(default="", max_length=2000)


@router.post("/right-of-reply/{row_id}/answered")
def answered_api(
    row_id: int, body: AnsweredIn, session: DbSession, who: WorkCases
) -> dict[str, Any]:
    row = session.get(RightOfReply, row_id)
    if row is None:
        raise Problem(404, "not-found", "No such right of reply", f"no row {row_id}")
    mark_answered(row=row, at=utcnow(), url=body.url, note=body.note)
    session.commit()
    return {"id": row.id, "status": row.status}
