"""Fact-sheet pages and API: claims, matched posts with their evidence, corrections, spread.

Reading needs ``listening:read``; writing the fact sheet and deciding corrections needs
``claims:manage``.  A correction goes out only after approval (see
:mod:`tocsin.claims.corrections`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from tocsin.accounts.permissions import Permission
from tocsin.claims.corrections import CorrectionError, decide_correction, pending_corrections
from tocsin.claims.models import Claim, ClaimCorrection
from tocsin.claims.service import (
    ClaimError,
    claim_matches,
    create_claim,
    fact_sheet,
    match_counts,
    misinformed,
    spread,
)
from tocsin.ingestion.models import Post
from tocsin.listening.web_common import our_brands, parse_filters
from tocsin.types import utcnow
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem
from tocsin.web.templating import render

api = APIRouter(prefix="/api/v1", tags=["claims"])
pages = APIRouter(include_in_schema=False)
ReadClaims = Annotated[Principal, require(Permission.LISTENING_READ)]
ManageClaims = Annotated[Principal, require(Permission.CLAIMS_MANAGE)]


def _claim(claim: Claim, matches: int = 0) -> dict[str, Any]:
    return {
        "id": claim.id,
        "brand_id": claim.brand_id,
        "statement": claim.statement,
        "verdict": claim.verdict,
        "corrections": claim.corrections,
        "source_url": claim.source_url,
        "paraphrases": claim.paraphrases,
        "keywords": claim.keywords,
        "threshold": claim.threshold,
        "active": claim.active,
        "matches": matches,
    }


def _get_claim(session: Any, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise Problem(404, "not-found", "No such claim", f"no claim {claim_id}")
    assert isinstance(claim, Claim)
    return claim


class ClaimIn(BaseModel):
    brand_id: int
    statement: str = Field(min_length=3, max_length=2000)
    verdict: Literal["false", "misleading", "true"]
    corrections: dict[str, str] = Field(default_factory=dict)
    source_url: str = Field(max_length=2000)
    lang: str = Field(default="en", max_length=8)
    paraphrases: list[str] = Field(default_factory=list, max_length=50)
    keywords: list[str] = Field(default_factory=list, max_length=100)
    threshold: float | None = None


@api.get("/claims")
def list_claims_api(request: Request, session: DbSession, who: ReadClaims) -> list[dict[str, Any]]:
    filters, _ = parse_filters(session, request.query_params)
    claims = fact_sheet(session=session, brand_id=filters.brand_id)
    counts = match_counts(session=session, claim_ids=[c.id for c in claims])
    return [_claim(c, counts.get(c.id, 0)) for c in claims]


@api.post("/claims", status_code=201)
def create_claim_api(body: ClaimIn, session: DbSession, who: ManageClaims) -> dict[str, Any]:
    try:
        claim = create_claim(session=session, **body.model_dump())
    except ClaimError as exc:
        raise Problem(422, "bad-claim", "Invalid claim", str(exc)) from exc
    session.commit()
    return _claim(claim)


@api.get("/claims/{claim_id}/spread")
def spread_api(
    claim_id: int, session: DbSession, who: ReadClaims, days: int = 30
) -> dict[str, Any]:
    _get_claim(session, claim_id)
    now = utcnow()
    series = spread(
        session=session,
        claim_id=claim_id,
        since=now - timedelta(days=min(max(days, 1), 365)),
        until=now,
    )
    return {
        "claim_id": claim_id,
        "days": [{"day": d.date().isoformat(), "posts": n} for d, n in series],
    }


@api.get("/posts/{post_id}/claims")
def post_claims_api(post_id: int, session: DbSession, who: ReadClaims) -> dict[str, Any]:
    """The "misinformed" badge of a post: the claims it repeats, each with its evidence."""
    if session.get(Post, post_id) is None:
        raise Problem(404, "not-found", "No such post", f"no post {post_id}")
    matches = misinformed(session=session, post_ids=[post_id]).get(post_id, [])
    return {
        "post_id": post_id,
        "misinformed": bool(matches),
        "claims": [
            {
                "claim_id": m.claim_id,
                "statement": m.claim.statement,
                "verdict": m.claim.verdict,
                "similarity": m.similarity,
                "correction_similarity": m.correction_similarity,
                "keywords": m.keywords,
                "closest": m.closest,
            }
            for m in matches
        ],
    }


@api.get("/claims/corrections")
def corrections_api(session: DbSession, who: ReadClaims) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "claim_id": c.claim_id,
            "post_id": c.post_id,
            "lang": c.lang,
            "text": c.text,
            "status": c.status,
        }
        for c in pending_corrections(session=session)
    ]


class DecisionIn(BaseModel):
    approve: bool
    text: str | None = Field(default=None, max_length=5000)


@api.post("/claims/corrections/{correction_id}/decision")
def decide_api(
    correction_id: int, body: DecisionIn, session: DbSession, who: ManageClaims
) -> dict[str, Any]:
    correction = _decide(session, correction_id, who, body.approve, body.text)
    return {"id": correction.id, "status": correction.status, "reply_id": correction.reply_id}


def _decide(
    session: Any, correction_id: int, who: Principal, approve: bool, text: str | None
) -> ClaimCorrection:
    correction = session.get(ClaimCorrection, correction_id)
    if correction is None:
        raise Problem(404, "not-found", "No such correction", f"no correction {correction_id}")
    try:
        decide_correction(
            session=session,
            correction=correction,
            user=who.user,
            approve=approve,
            now=utcnow(),
            text=text,
        )
    except CorrectionError as exc:
        raise Problem(409, "already-decided", "Cannot decide", str(exc)) from exc
    session.commit()
    assert isinstance(correction, ClaimCorrection)
    return correction


@pages.get("/claims")
def fact_sheet_page(request: Request, session: DbSession, who: ReadClaims) -> Response:
    filters, form = parse_filters(session, request.query_params)
    claims = fact_sheet(session=session, brand_id=filters.brand_id)
    context = {
        "form": form,
        "brands": our_brands(session),
        "claims": claims,
        "counts": match_counts(session=session, claim_ids=[c.id for c in claims]),
        "can_manage": who.can(Permission.CLAIMS_MANAGE),
        "pending": pending_corrections(session=session, limit=20),
    }
    return render(request, "claims/index.html", context, active="listening")


@pages.post("/claims")
def create_claim_form(
    session: DbSession,
    who: ManageClaims,
    brand_id: Annotated[int, Form()],
    statement: Annotated[str, Form(max_length=2000)],
    verdict: Annotated[str, Form(max_length=16)],
    source_url: Annotated[str, Form(max_length=2000)],
    correction_lang: Annotated[str, Form(max_length=8)] = "en",
    correction: Annotated[str, Form(max_length=5000)] = "",
    paraphrases: Annotated[str, Form(max_length=10000)] = "",
    keywords: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        claim = create_claim(
            session=session,
            brand_id=brand_id,
            statement=statement,
            verdict=verdict,
            corrections={correction_lang.strip() or "en": correction},
            source_url=source_url.strip(),
            paraphrases=paraphrases.splitlines(),
            keywords=[k for k in keywords.split(",") if k.strip()],
        )
    except ClaimError as exc:
        raise Problem(422, "bad-claim", "Invalid claim", str(exc)) from exc
    session.commit()
    return RedirectResponse(f"/claims/{claim.id}", status_code=303)


@pages.get("/claims/{claim_id}")
def claim_page(claim_id: int, request: Request, session: DbSession, who: ReadClaims) -> Response:
    claim = _get_claim(session, claim_id)
    now = utcnow()
    series = spread(session=session, claim_id=claim_id, since=now - timedelta(days=30), until=now)
    corrections = {
        c.post_id: c
        for c in session.scalars(
            select(ClaimCorrection).where(ClaimCorrection.claim_id == claim_id)
        ).unique()
    }
    matches = claim_matches(session=session, claim_id=claim_id)
    posts = {
        p.id: p
        for p in session.scalars(
            select(Post).where(Post.id.in_([m.post_id for m in matches]))
        ).unique()
    }
    context = {
        "claim": claim,
        "matches": [(m, posts.get(m.post_id), corrections.get(m.post_id)) for m in matches],
        "chart": {
            "granularity": "day",
            "t": [int(d.timestamp()) for d, _ in series],
            "posts": [n for _, n in series],
        },
        "can_manage": who.can(Permission.CLAIMS_MANAGE),
    }
    return render(request, "claims/claim.html", context, active="listening")


@pages.post("/claims/corrections/{correction_id}")
def decide_form(
    correction_id: int,
    session: DbSession,
    who: ManageClaims,
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    text: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    correction = _decide(session, correction_id, who, decision == "approve", text or None)
    return RedirectResponse(f"/claims/{correction.claim_id}", status_code=303)


routers: list[APIRouter] = [api, pages]
