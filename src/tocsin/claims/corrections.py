"""Suggested correction replies: written in the post's language, citing the source, approved.

A correction is never published on its own.  :func:`suggest_correction` stores a
:class:`~tocsin.claims.models.ClaimCorrection` waiting for approval; :func:`decide_correction`
(a manager: ``claims:manage`` or ``replies:approve``) approves or rejects it.  On approval, if
the post belongs to an inbox case, an approved inbox :class:`~tocsin.inbox.reply_models.Reply`
is created so the inbox publishes it like any reply; otherwise the approved text waits for the
team to post it by hand.

Example::

    correction = suggest_correction(session=s, match=match)
    decide_correction(session=s, correction=correction, user=manager, approve=True, now=now)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.accounts.models import User
from tocsin.accounts.permissions import Permission
from tocsin.claims.events import CorrectionDecided
from tocsin.claims.models import Claim, ClaimCorrection, ClaimMatch
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.outbox import emit
from tocsin.ingestion.models import Post
from tocsin.privacy.audit import record

#: "Source" in the languages a correction may be written in.
SOURCE_LABEL = {"en": "Source", "fr": "Source", "es": "Fuente", "nl": "Bron", "de": "Quelle"}


class CorrectionError(PermissionError):
    """The user may not decide, or the correction was already decided."""


def correction_text(claim: Claim, lang: str) -> tuple[str, str]:
    """The correction in ``lang`` (else English, else the first written) with its source."""
    chosen = lang if lang in claim.corrections else ("en" if "en" in claim.corrections else "")
    if not chosen:
        chosen = next(iter(claim.corrections), lang)
    body = claim.corrections.get(chosen, "").strip()
    label = SOURCE_LABEL.get(chosen, "Source")
    return chosen, f"{body} {label}: {claim.source_url}".strip()


def post_language(session: Session, post: Post) -> str:
    enrichment = session.get(PostEnrichment, post.id)
    return (enrichment.lang if enrichment and enrichment.lang else post.lang) or "en"


def suggest_correction(*, session: Session, match: ClaimMatch) -> ClaimCorrection | None:
    """The correction for a matched post (created once); None for a claim rated true."""
    claim = match.claim
    if not claim.needs_correction:
        return None
    existing = session.scalar(
        select(ClaimCorrection).where(
            ClaimCorrection.claim_id == claim.id, ClaimCorrection.post_id == match.post_id
        )
    )
    if existing is not None:
        return existing
    post = session.get(Post, match.post_id)
    if post is None:
        return None
    lang, text = correction_text(claim, post_language(session, post))
    correction = ClaimCorrection(claim_id=claim.id, post_id=post.id, lang=lang, text=text)
    session.add(correction)
    session.flush()
    return correction


def pending_corrections(*, session: Session, limit: int = 100) -> list[ClaimCorrection]:
    return list(
        session.scalars(
            select(ClaimCorrection)
            .where(ClaimCorrection.status == "pending_approval")
            .order_by(ClaimCorrection.created_at, ClaimCorrection.id)
            .limit(limit)
        ).unique()
    )


def decide_correction(
    *,
    session: Session,
    correction: ClaimCorrection,
    user: User,
    approve: bool,
    now: datetime,
    text: str | None = None,
) -> ClaimCorrection:
    """Approve (optionally with an edited ``text``) or reject a suggested correction."""
    if not (user.can(Permission.CLAIMS_MANAGE) or user.can(Permission.REPLIES_APPROVE)):
        raise CorrectionError("deciding corrections needs claims:manage or replies:approve")
    if correction.status != "pending_approval":
        raise CorrectionError(f"correction {correction.id} is already {correction.status}")
    if text is not None and text.strip():
        correction.text = text.strip()
    correction.status = "approved" if approve else "rejected"
    correction.decided_by_id = user.id
    correction.decided_at = now
    if approve:
        correction.reply_id = _hand_to_inbox(session, correction, user, now)
    record(
        session,
        action="claims.correction." + correction.status,
        actor_user_id=user.id,
        target_type="claim_correction",
        target_id=correction.id,
        detail={"claim_id": correction.claim_id, "post_id": correction.post_id},
    )
    emit(
        session,
        CorrectionDecided(
            correction_id=correction.id, approved=approve, reply_id=correction.reply_id
        ),
    )
    session.flush()
    return correction


def _hand_to_inbox(
    session: Session, correction: ClaimCorrection, user: User, now: datetime
) -> int | None:
    """An approved inbox reply when the post is in a case (the inbox then publishes it)."""
    try:
        from tocsin.inbox.models import PostTriage
        from tocsin.inbox.reply_models import Reply
    except ModuleNotFoundError:  # pragma: no cover - the inbox is an optional package
        return None
    triage = session.get(PostTriage, correction.post_id)
    if triage is None or triage.case_id is None:
        return None
    reply = Reply(
        case_id=triage.case_id,
        in_reply_to_post_id=correction.post_id,
        author_user_id=user.id,
        text=correction.text,
        status="approved",
        approval_reasons=["claim_correction"],
        approved_by_id=user.id,
        decided_at=now,
    )
    session.add(reply)
    session.flush()
    return reply.id
