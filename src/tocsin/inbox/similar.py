"""Reply to all similar: one answer for a cluster of near-identical questions (an outage).

:func:`find_similar` compares the first post of a case with the first posts of the other open
cases of the same brand and platform family opened within 48 hours of it, using multilingual
sentence embeddings (cosine ≥ 0.8), so "Is the app down?" and "L'appli est-elle en panne ?"
can land together.  :func:`reply_to_similar` then sends one composed reply through the normal
reply path (:func:`~tocsin.inbox.replies.send_reply`: voice checks, personal-data guard,
approvals, idempotent publishing), personalised per case (``{first_name}``…) and in each
case's language when the chosen canned reply has a variant in that language.  Each case is
sent in its own savepoint: one refused reply never stops the others.  The batch's
``group_key`` makes a resubmitted form a no-op for cases already answered by that batch.

Example::

    similar = find_similar(session=s, case=case)
    result = reply_to_similar(session=s, case=case, case_ids=[c.case.id for c in similar],
                              user=agent, text="Hi {first_name}, we are on it.", now=now,
                              registry=registry, group_key="b3f1…")
    result.sent   # case ids answered (published or waiting for approval)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.accounts.models import User
from tocsin.enrichment.embedding import Embedder, default_embedder
from tocsin.inbox.canned import case_variables, render_template
from tocsin.inbox.models import ACTIVE_STATUSES, Case
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.replies import ReplyError, send_reply
from tocsin.inbox.reply_models import CannedReply, Reply
from tocsin.ingestion.models import Post
from tocsin.privacy.pii import PiiDetector

THRESHOLD = 0.8
WINDOW = timedelta(hours=48)
MAX_CANDIDATES = 500
#: Platforms whose replies read alike (short public posts, or Meta's comments and messages).
FAMILIES = {
    "x": "microblog",
    "bluesky": "microblog",
    "mastodon": "microblog",
    "threads": "microblog",
    "facebook": "meta",
    "instagram": "meta",
}


def family_of(platform: str) -> str:
    """The platform family (a platform outside :data:`FAMILIES` is its own family)."""
    return FAMILIES.get(platform, platform)


@dataclass(frozen=True)
class SimilarCase:
    case: Case
    text: str
    score: float


@dataclass
class SimilarReplyResult:
    """What happened to each case of the batch."""

    group_key: str
    sent: list[int] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    #: ``{case_id: reason}`` for replies the checks refused.
    refused: dict[int, str] = field(default_factory=dict)


def find_similar(
    *,
    session: Session,
    case: Case,
    embedder: Embedder | None = None,
    threshold: float = THRESHOLD,
    window: timedelta = WINDOW,
) -> list[SimilarCase]:
    """Other open cases whose first post is a near-duplicate of this case's, best first."""
    source = session.get(Post, case.first_post_id) if case.first_post_id else None
    if source is None or not source.text.strip():
        return []
    platforms = [p for p, fam in FAMILIES.items() if fam == family_of(case.platform)]
    stmt = (
        select(Case, Post.text)
        .join(Post, Post.id == Case.first_post_id)
        .where(
            Case.id != case.id,
            Case.status.in_(ACTIVE_STATUSES),
            Case.platform.in_(platforms or [case.platform]),
            Case.opened_at >= case.opened_at - window,
            Case.opened_at <= case.opened_at + window,
            Case.brand_id.is_(None) if case.brand_id is None else Case.brand_id == case.brand_id,
        )
        .order_by(Case.opened_at.desc())
        .limit(MAX_CANDIDATES)
    )
    candidates = [(c, text) for c, text in session.execute(stmt).unique() if text.strip()]
    if not candidates:
        return []
    vectors = (embedder or default_embedder()).embed([source.text] + [t for _, t in candidates])
    scores = vectors[1:] @ vectors[0]
    found = [
        SimilarCase(case=c, text=t, score=round(float(s), 3))
        for (c, t), s in zip(candidates, scores, strict=True)
        if float(s) >= threshold
    ]
    return sorted(found, key=lambda f: (-f.score, f.case.id))


def _variants(session: Session, canned: CannedReply | None) -> dict[str, CannedReply]:
    if canned is None:
        return {}
    rows = session.scalars(select(CannedReply).where(CannedReply.name == canned.name))
    return {r.lang: r for r in rows if r.brand_id in (None, canned.brand_id)}


def reply_to_similar(
    *,
    session: Session,
    case: Case,
    case_ids: Sequence[int],
    user: User,
    text: str,
    now: datetime,
    registry: PublisherRegistry,
    group_key: str,
    canned_reply_id: int | None = None,
    visibility: str = "public",
    accept_warnings: bool = False,
    embedder: Embedder | None = None,
    detector: PiiDetector | None = None,
) -> SimilarReplyResult:
    """Send one reply, personalised, to ``case`` and the chosen similar cases.

    Only ``case`` itself and cases :func:`find_similar` still returns are answered, so a
    tampered form cannot reach an unrelated conversation.
    """
    canned = session.get(CannedReply, canned_reply_id) if canned_reply_id else None
    base = text.strip() or (canned.text if canned else "")
    if not base:
        raise ReplyError("write a reply or choose a canned reply")
    if not group_key.strip() or len(group_key) > 64:
        raise ReplyError("the batch key is missing: reload the page and send again")
    allowed = {case.id: case} | {
        s.case.id: s.case for s in find_similar(session=session, case=case, embedder=embedder)
    }
    variants = _variants(session, canned)
    result = SimilarReplyResult(group_key=group_key)
    for case_id in dict.fromkeys([case.id, *case_ids]):
        target = allowed.get(case_id)
        if target is None or _already_sent(session, case_id, group_key):
            result.skipped.append(case_id)
            continue
        template = base
        if canned is not None and target.lang != canned.lang and target.lang in variants:
            template = variants[target.lang].text
        personal = render_template(
            template, case_variables(session=session, case=target, agent=user)
        )
        used = variants.get(target.lang or "", canned) if canned else None
        try:
            with session.begin_nested():
                reply = send_reply(
                    session=session,
                    case=target,
                    user=user,
                    text=personal,
                    now=now,
                    registry=registry,
                    visibility=visibility,
                    canned_reply_id=used.id if used else None,
                    accept_warnings=accept_warnings,
                    group_key=group_key,
                    detector=detector,
                )
        except ReplyError as exc:
            result.refused[case_id] = str(exc)
            continue
        (result.pending if reply.status == "pending_approval" else result.sent).append(case_id)
    return result


def _already_sent(session: Session, case_id: int, group_key: str) -> bool:
    found = session.scalar(
        select(Reply.id).where(Reply.case_id == case_id, Reply.group_key == group_key).limit(1)
    )
    return found is not None
