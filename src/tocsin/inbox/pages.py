"""Queries and shapes behind the inbox pages: filtered case lists and the case view.

Example::

    filters = CaseFilters(status="open", platform="x", min_priority=50)
    rows = row_dicts(session=s, cases=list_cases(session=s, filters=filters), now=now)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from tocsin.accounts.models import User
from tocsin.enrichment.models import PostEnrichment
from tocsin.inbox.canned import case_variables, list_canned, render_template
from tocsin.inbox.cases import history, notes
from tocsin.inbox.models import Case, PostTriage
from tocsin.inbox.replies import case_replies
from tocsin.inbox.sla.engine import case_sla_summary
from tocsin.inbox.sla.models import AppliedSla
from tocsin.ingestion.account_status import author_shown
from tocsin.ingestion.models import Post

PAGE_SIZE = 100
SLA_STATES = ("active", "at_risk", "hit", "missed")


@dataclass(frozen=True)
class CaseFilters:
    status: str = "active"
    priority: int | None = None
    sla: str | None = None
    lang: str | None = None
    platform: str | None = None
    sentiment: str | None = None
    intent: str | None = None
    #: ``me``, ``none`` or a user id.
    assignee: str | None = None
    me: int | None = None
    q: str | None = None

    @classmethod
    def from_query(cls, params: QueryParams, *, me: int) -> CaseFilters:
        def value(key: str) -> str | None:
            raw = (params.get(key) or "").strip()
            return raw[:200] or None

        priority = value("priority")
        return cls(
            status=value("status") or "active",
            priority=int(priority) if priority and priority.isdigit() else None,
            sla=value("sla") if value("sla") in SLA_STATES else None,
            lang=value("lang"),
            platform=value("platform"),
            sentiment=value("sentiment"),
            intent=value("intent"),
            assignee=value("assignee"),
            me=me,
            q=value("q"),
        )


def list_cases(*, session: Session, filters: CaseFilters, limit: int = PAGE_SIZE) -> list[Case]:
    stmt = select(Case).where(author_shown(Case.author_id))
    if filters.status == "active":
        stmt = stmt.where(Case.status.in_(("open", "pending", "snoozed")))
    elif filters.status != "all":
        stmt = stmt.where(Case.status == filters.status)
    if filters.priority is not None:
        stmt = stmt.where(Case.priority >= filters.priority)
    if filters.lang:
        stmt = stmt.where(Case.lang == filters.lang)
    if filters.platform:
        stmt = stmt.where(Case.platform == filters.platform)
    if filters.assignee == "me":
        stmt = stmt.where(Case.assignee_id == filters.me)
    elif filters.assignee == "none":
        stmt = stmt.where(Case.assignee_id.is_(None))
    elif filters.assignee and filters.assignee.isdigit():
        stmt = stmt.where(Case.assignee_id == int(filters.assignee))
    if filters.sentiment or filters.intent or filters.q:
        stmt = stmt.join(Post, Post.id == Case.first_post_id)
        if filters.q:
            stmt = stmt.where(Post.text.ilike(f"%{filters.q}%"))
        if filters.sentiment or filters.intent:
            stmt = stmt.join(PostEnrichment, PostEnrichment.post_id == Case.first_post_id)
            if filters.sentiment:
                stmt = stmt.where(PostEnrichment.sentiment == filters.sentiment)
    if filters.sla:
        open_sla = select(AppliedSla.case_id).where(
            AppliedSla.state == filters.sla,
            AppliedSla.target.in_(("first_response", "next_response")),
        )
        stmt = stmt.where(Case.id.in_(open_sla))
    cases = list(
        session.scalars(stmt.order_by(Case.priority.desc(), Case.opened_at, Case.id).limit(limit))
        .unique()
        .all()
    )
    if filters.intent:
        intents = _intents(session, [c.first_post_id for c in cases if c.first_post_id])
        cases = [c for c in cases if filters.intent in intents.get(c.first_post_id or 0, [])]
    return cases


def _intents(session: Session, post_ids: list[int]) -> dict[int, list[str]]:
    rows = session.scalars(select(PostEnrichment).where(PostEnrichment.post_id.in_(post_ids)))
    return {row.post_id: row.intent_names for row in rows}


def row_dicts(*, session: Session, cases: list[Case], now: datetime) -> list[dict[str, Any]]:
    """What the list shows per case: text, author, SLA state and deadline, auto-ack label."""
    ids = [c.id for c in cases]
    slas = case_sla_summary(session=session, case_ids=ids)
    posts = {
        p.id: p
        for p in session.scalars(
            select(Post).where(Post.id.in_([c.first_post_id for c in cases if c.first_post_id]))
        ).unique()
    }
    acked = set(
        session.scalars(
            select(PostTriage.case_id)
            .join(Post, Post.id == PostTriage.post_id)
            .where(PostTriage.case_id.in_(ids), Post.is_automatic.is_(True))
        )
    )
    rows = []
    for case in cases:
        post = posts.get(case.first_post_id or 0)
        sla = slas.get(case.id)
        rows.append(
            {
                "id": case.id,
                "status": case.status,
                "priority": case.priority,
                "platform": case.platform,
                "lang": case.lang,
                "author": case.author.handle if case.author else "",
                "text": (post.text[:280] if post else ""),
                "assignee": case.assignee.name if case.assignee else None,
                "tags": list(case.tags),
                "sla_state": sla.state if sla else None,
                "sla_due": sla.due_at if sla and sla.satisfied_at is None else None,
                "auto_acknowledged": case.id in acked,
                "opened_at": case.opened_at,
            }
        )
    return rows


def thread(*, session: Session, case_id: int) -> list[Post]:
    """The case's inbound posts and the replies published to it, oldest first."""
    return list(
        session.scalars(
            select(Post)
            .join(PostTriage, PostTriage.post_id == Post.id)
            .where(PostTriage.case_id == case_id)
            .order_by(Post.created_at, Post.id)
        ).unique()
    )


def case_context(*, session: Session, case: Case, user: User, now: datetime) -> dict[str, Any]:
    enrichment = session.get(PostEnrichment, case.first_post_id or 0)
    variables = case_variables(session=session, case=case, agent=user)
    canned = [
        {"id": c.id, "name": c.name, "lang": c.lang, "text": render_template(c.text, variables)}
        for c in list_canned(session=session, lang=case.lang)
    ]
    author_cases = (
        session.scalar(select(func.count(Case.id)).where(Case.author_id == case.author_id))
        if case.author_id
        else 0
    )
    slas = list(
        session.scalars(
            select(AppliedSla)
            .where(AppliedSla.case_id == case.id, AppliedSla.cancelled.is_(False))
            .order_by(AppliedSla.id)
        )
    )
    users = list(session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.name)))
    return {
        "case": case,
        "thread": thread(session=session, case_id=case.id),
        "enrichment": enrichment,
        "canned": canned,
        "slas": slas,
        "history": history(session=session, case_id=case.id),
        "notes": notes(session=session, case_id=case.id),
        "replies": case_replies(session=session, case_id=case.id),
        "author_cases": author_cases,
        "users": users,
        "now": now,
    }
