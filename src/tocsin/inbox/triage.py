"""Turning posts into cases: open, join, or skip — once per post.

A post opens a case when its enrichment says it needs a reply, or when it answers one of a
brand's own posts.  It joins an existing case instead when it belongs to the same thread, or
when the same author wrote again within the follow-up window.  The decision is a
:class:`~tocsin.inbox.models.PostTriage` row inserted with ``ON CONFLICT DO NOTHING`` before
anything else happens, so a redelivered event, the periodic sweep and a second worker never
put one post in two cases.

A brand's own outbound post that answers a case is recorded too: a human reply published
natively on the platform meets the case's response target like one sent from Tocsin.

Example::

    report = triage_posts(session=s, post_ids=[12, 13], now=utcnow())
    report.opened, report.joined, report.waiting   # waiting: not enriched yet
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from tocsin.enrichment.models import PostEnrichment
from tocsin.events.outbox import emit
from tocsin.inbox.cases import SYSTEM, record
from tocsin.inbox.events import CaseOpened
from tocsin.inbox.models import ACTIVE_STATUSES, Case, PostTriage
from tocsin.inbox.sla.engine import satisfy, start_next_response, start_targets
from tocsin.inbox.sla.policies import inbox_settings
from tocsin.ingestion.models import Post, PostVersion
from tocsin.ingestion.sql import insert_ignoring, table_of
from tocsin.listening.models import PostBrand

#: Posts older than this when first seen (a historical import) are not opened as cases.
MAX_AGE = timedelta(days=7)


@dataclass
class TriageReport:
    opened: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
    skipped: int = 0
    #: Inbound posts decided by this call (opened, joined or skipped).
    decided: list[int] = field(default_factory=list)
    #: Posts with no enrichment yet: left undecided for the sweep to pick up.
    waiting: int = 0


def _claim(session: Session, post_id: int, decision: str, now: datetime) -> bool:
    """Insert the triage row; False when another pass already decided this post."""
    stmt = (
        insert_ignoring(session, table_of(PostTriage), ["post_id"])
        .values(post_id=post_id, decision=decision, decided_at=now)
        .returning(table_of(PostTriage).c.post_id)
    )
    return session.execute(stmt).scalar() is not None


def _answers_brand(session: Session, post: Post) -> bool:
    if not post.parent_external_id:
        return False
    parent = session.scalar(
        select(Post.direction).where(
            Post.platform == post.platform, Post.external_id == post.parent_external_id
        )
    )
    return parent == "outbound"


def _thread_of(post: Post) -> str:
    return post.thread_external_id or post.parent_external_id or post.external_id


def _joinable(session: Session, post: Post, window: timedelta) -> Case | None:
    thread = _thread_of(post)
    by_thread = session.scalar(
        select(Case)
        .where(
            Case.platform == post.platform,
            Case.thread_external_id == thread,
            Case.status != "closed",
        )
        .order_by(Case.id.desc())
        .limit(1)
    )
    if by_thread is not None and (by_thread.author_id == post.author_id or by_thread.is_active):
        return by_thread
    if post.author_id is None:
        return None
    return session.scalar(
        select(Case)
        .where(
            Case.platform == post.platform,
            Case.author_id == post.author_id,
            Case.status.in_(ACTIVE_STATUSES),
            Case.last_inbound_at >= post.created_at - window,
        )
        .order_by(Case.id.desc())
        .limit(1)
    )


def _brand_of(session: Session, post_id: int) -> int | None:
    return session.scalar(
        select(PostBrand.brand_id)
        .where(PostBrand.post_id == post_id, PostBrand.is_competitor.is_(False))
        .order_by(PostBrand.id)
        .limit(1)
    )


def _outbound(session: Session, post: Post, now: datetime) -> None:
    """A brand's post: if it answers a case's post and a human wrote it, it meets the target."""
    if not _claim(session, post.id, "outbound", now):
        return
    if post.is_automatic or not post.parent_external_id:
        return
    parent_id = session.scalar(
        select(Post.id).where(
            Post.platform == post.platform, Post.external_id == post.parent_external_id
        )
    )
    case_id = (
        session.scalar(select(PostTriage.case_id).where(PostTriage.post_id == parent_id))
        if parent_id is not None
        else None
    )
    case = session.get(Case, case_id) if case_id is not None else None
    if case is None:
        return
    register_human_reply(session=session, case=case, at=post.created_at)


def register_human_reply(*, session: Session, case: Case, at: datetime) -> None:
    """A person answered: response targets are met, the case waits on the customer."""
    satisfy(session=session, case_id=case.id, targets=("first_response", "next_response"), at=at)
    if case.first_human_reply_at is None or at < case.first_human_reply_at:
        case.first_human_reply_at = at
    if case.last_human_reply_at is None or at > case.last_human_reply_at:
        case.last_human_reply_at = at
    case.awaiting_reply = False


def triage_posts(
    *,
    session: Session,
    post_ids: Sequence[int],
    now: datetime,
    require_enrichment: bool = True,
) -> TriageReport:
    """Decide each post once (see the module docstring); the caller commits."""
    report = TriageReport()
    settings = inbox_settings(session)
    window = timedelta(minutes=settings.follow_up_window_minutes)
    ids = list(dict.fromkeys(post_ids))
    decided = set(session.scalars(select(PostTriage.post_id).where(PostTriage.post_id.in_(ids))))
    for post_id in ids:
        if post_id in decided:
            continue
        post = session.get(Post, post_id)
        if post is None or post.deleted:
            continue
        if post.direction == "outbound":
            _outbound(session, post, now)
            continue
        enrichment = session.get(PostEnrichment, post_id)
        answers_brand = _answers_brand(session, post)
        if enrichment is None and require_enrichment and not answers_brand:
            report.waiting += 1
            continue
        needs_reply = answers_brand or bool(enrichment and enrichment.needs_reply)
        priority = enrichment.priority if enrichment else 0
        case = _joinable(session, post, window)
        if case is not None:
            if _claim(session, post_id, "joined", now):
                _join(session, case, post, needs_reply=needs_reply, priority=priority, now=now)
                report.joined.append(case.id)
                report.decided.append(post_id)
            continue
        if not needs_reply or post.created_at < now - MAX_AGE:
            if _claim(session, post_id, "skipped", now):
                report.skipped += 1
                report.decided.append(post_id)
            continue
        if not _claim(session, post_id, "opened", now):
            continue
        case = _open(session, post, enrichment, priority=priority, now=now)
        report.opened.append(case.id)
        report.decided.append(post_id)
    session.flush()
    return report


def _open(
    session: Session,
    post: Post,
    enrichment: PostEnrichment | None,
    *,
    priority: int,
    now: datetime,
) -> Case:
    case = Case(
        platform=post.platform,
        brand_id=_brand_of(session, post.id),
        author_id=post.author_id,
        first_post_id=post.id,
        thread_external_id=_thread_of(post),
        lang=(enrichment.lang if enrichment and enrichment.lang else post.lang),
        status="open",
        priority=priority,
        tags=[],
        opened_at=post.created_at,
        last_inbound_at=post.created_at,
        awaiting_reply=True,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    session.execute(update(PostTriage).where(PostTriage.post_id == post.id).values(case_id=case.id))
    start_targets(session=session, case=case, now=post.created_at)
    record(
        session=session,
        case=case,
        action="opened",
        actor=SYSTEM,
        now=now,
        details={"post_id": post.id, "priority": priority},
        emit_event=False,
    )
    emit(session, CaseOpened(case_id=case.id, post_id=post.id, platform=post.platform))
    return case


def _join(
    session: Session, case: Case, post: Post, *, needs_reply: bool, priority: int, now: datetime
) -> None:
    session.execute(update(PostTriage).where(PostTriage.post_id == post.id).values(case_id=case.id))
    case.last_inbound_at = max(case.last_inbound_at, post.created_at)
    if not case.priority_overridden and priority > case.priority:
        case.priority = priority
    details: dict[str, object] = {"post_id": post.id}
    if case.status in ("resolved", "pending", "snoozed") and needs_reply:
        details["reopened_from"] = case.status
        case.status = "open"
        case.resolved_at = None
        case.snoozed_until = None
    if needs_reply:
        if case.first_human_reply_at is not None and not case.awaiting_reply:
            start_next_response(session=session, case=case, now=post.created_at)
        case.awaiting_reply = True
    record(
        session=session,
        case=case,
        action="joined",
        actor=SYSTEM,
        now=now,
        details=details,
        post_id=post.id,
    )


def untriaged_enriched(*, session: Session, limit: int = 500) -> list[int]:
    """Enriched inbound posts with no triage decision yet (the periodic sweep's work)."""
    return list(
        session.scalars(
            select(PostEnrichment.post_id)
            .outerjoin(PostTriage, PostTriage.post_id == PostEnrichment.post_id)
            .where(PostTriage.post_id.is_(None))
            .order_by(PostEnrichment.post_id)
            .limit(limit)
        )
    )


def forget_textless_skips(*, session: Session, edits: Sequence[tuple[int, int]]) -> list[int]:
    """Forget the ``skipped`` decision of posts whose first text just arrived; return them.

    ``edits`` are ``(post_id, new version)`` pairs from ``PostEdited``.  Some posts arrive
    before their text (an Instagram mention is delivered as bare ids and read later): triage
    then skips them, having nothing to answer.  When the version the edit replaced had no text
    and no title, the decision is forgotten so the post is triaged again on what it says (the
    ``PostsEnriched`` of its new text, or the ``inbox.triage`` sweep, decides).  A post that
    opened or joined a case keeps its decision.
    """
    if not edits:
        return []
    versions = dict(edits)
    rows = session.execute(
        select(PostTriage.post_id, PostVersion.version)
        .join(PostVersion, PostVersion.post_id == PostTriage.post_id)
        .where(
            PostTriage.post_id.in_(list(versions)),
            PostTriage.decision == "skipped",
            PostTriage.case_id.is_(None),
            PostVersion.text == "",
            func.coalesce(PostVersion.title, "") == "",
        )
    ).all()
    forgotten = sorted({post_id for post_id, version in rows if version == versions[post_id] - 1})
    if forgotten:
        session.execute(delete(PostTriage).where(PostTriage.post_id.in_(forgotten)))
    return forgotten
