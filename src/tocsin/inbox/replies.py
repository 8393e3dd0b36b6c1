"""Composing, checking, approving and publishing replies.

The path of a human reply: :func:`check_draft` (voice, personal data, approval rules) →
:func:`send_reply` stores a :class:`~tocsin.inbox.reply_models.Reply` row, either waiting for
approval or approved → :func:`publish_reply` hands it to the platform's publisher with the
row's id as idempotency key, stores the published text as an outbound
:class:`~tocsin.ingestion.models.Post` (so threads and reports see it), meets the case's
response targets and emits :class:`~tocsin.inbox.events.ReplyPublished`.  Automatic
acknowledgements take the same path with ``automatic=True`` and meet no target.

Example::

    reply = send_reply(session=s, case=case, user=agent, text="Hi Ana, …", now=now,
                       registry=PublisherRegistry())
    reply.status   # "published", or "pending_approval" for a manager to decide
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.accounts.models import User
from tocsin.accounts.permissions import Permission
from tocsin.brands.models import Brand
from tocsin.connectors.base import OutboundReply, PublishError
from tocsin.events.outbox import emit
from tocsin.inbox.approvals import approval_reasons
from tocsin.inbox.cases import Actor, record
from tocsin.inbox.events import ReplyPublished
from tocsin.inbox.models import Case, PostTriage
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.reply_models import Reply
from tocsin.inbox.triage import register_human_reply
from tocsin.inbox.voice import VoiceIssue, check_voice, profile_for
from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.privacy.pii import PiiDetector

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class ReplyError(ValueError):
    """A reply cannot be sent as it is; the message says what to change."""


@dataclass
class DraftCheck:
    """What the composer shows before sending."""

    voice: list[VoiceIssue] = field(default_factory=list)
    #: ``[{"type": "PHONE", "start": 10, "end": 22}]`` (offsets, never the values).
    pii: list[dict[str, Any]] = field(default_factory=list)
    approval_reasons: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[VoiceIssue]:
        return [i for i in self.voice if i.severity == "error"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "voice": [i.to_dict() for i in self.voice],
            "pii": self.pii,
            "approval_reasons": self.approval_reasons,
            "blocking": bool(self.errors),
        }


@cache
def full_pii_detector() -> PiiDetector:
    """The detector used on drafts: full mode (names too), loaded once per process."""
    return PiiDetector(mode="full")


def check_draft(
    *,
    session: Session,
    case: Case,
    text: str,
    detector: PiiDetector | None = None,
    agent: User | None = None,
) -> DraftCheck:
    """Voice issues, personal data and approval reasons for a draft.

    Greeting the customer by the name they show publicly, or signing with the agent's name,
    is not a leak: those names are not reported as personal data.
    """
    profile = profile_for(session=session, brand_id=case.brand_id)
    found = (detector or full_pii_detector()).detect(text, case.lang)
    known = _public_names(case, agent)
    found = [
        s for s in found if not (s.type == "PERSON" and set(_words(text[s.start : s.end])) & known)
    ]
    return DraftCheck(
        voice=check_voice(text=text, platform=case.platform, lang=case.lang, profile=profile),
        pii=[{"type": s.type, "start": s.start, "end": s.end} for s in found],
        approval_reasons=approval_reasons(session=session, case=case),
    )


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [w.casefold() for w in re.findall(r"\w+", plain) if len(w) > 1]


def _public_names(case: Case, agent: User | None) -> set[str]:
    names: set[str] = set()
    if case.author is not None:
        names.update(_words(case.author.display_name) + _words(case.author.handle))
    if agent is not None:
        names.update(_words(agent.name))
    return names


def latest_inbound_post(*, session: Session, case_id: int) -> Post | None:
    return session.scalar(
        select(Post)
        .join(PostTriage, PostTriage.post_id == Post.id)
        .where(PostTriage.case_id == case_id, Post.direction == "inbound")
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(1)
    )


def send_reply(
    *,
    session: Session,
    case: Case,
    user: User,
    text: str,
    now: datetime,
    registry: PublisherRegistry,
    visibility: str = "public",
    canned_reply_id: int | None = None,
    accept_warnings: bool = False,
    group_key: str | None = None,
    detector: PiiDetector | None = None,
) -> Reply:
    """Check, store and (unless it needs approval) publish a human reply."""
    if visibility not in ("public", "private"):
        raise ReplyError("visibility must be public or private")
    check = check_draft(session=session, case=case, text=text, detector=detector, agent=user)
    if check.errors:
        raise ReplyError(" ".join(i.message for i in check.errors))
    if check.pii and visibility == "public" and not accept_warnings:
        kinds = ", ".join(sorted({p["type"] for p in check.pii}))
        raise ReplyError(
            f"the reply contains personal data ({kinds}): send it privately, remove it, "
            "or confirm that it may be published"
        )
    target = latest_inbound_post(session=session, case_id=case.id)
    needs_approval = bool(check.approval_reasons) and not user.can(Permission.REPLIES_APPROVE)
    reply = Reply(
        case_id=case.id,
        in_reply_to_post_id=target.id if target else None,
        author_user_id=user.id,
        text=text.strip(),
        visibility=visibility,
        is_automatic=False,
        status="pending_approval" if needs_approval else "approved",
        approval_reasons=check.approval_reasons,
        approved_by_id=None if needs_approval else (user.id if check.approval_reasons else None),
        warnings=[i.to_dict() for i in check.voice] + [{"code": "pii", **p} for p in check.pii],
        canned_reply_id=canned_reply_id,
        group_key=group_key,
        created_at=now,
    )
    session.add(reply)
    session.flush()
    if needs_approval:
        record(
            session=session,
            case=case,
            action="reply_pending",
            actor=Actor.user(user),
            now=now,
            details={"reply_id": reply.id, "reasons": check.approval_reasons},
        )
        return reply
    publish_reply(session=session, reply=reply, registry=registry, now=now)
    return reply


def _brand_handle(session: Session, case: Case) -> str | None:
    brand = session.get(Brand, case.brand_id) if case.brand_id else None
    if brand is None:
        return None
    for handle in brand.handles:
        if handle.get("platform") == case.platform and handle.get("handle"):
            return handle["handle"]
    return None


def publish_reply(
    *, session: Session, reply: Reply, registry: PublisherRegistry, now: datetime
) -> bool:
    """Publish an approved reply once; True when it is published (now or before).

    A transient :class:`PublishError` leaves the reply ``approved`` for the retry job; a
    permanent one, or too many attempts, marks it ``failed``.
    """
    if reply.status == "published":
        return True
    if reply.status != "approved":
        raise ReplyError(f"reply {reply.id} is {reply.status}: only approved replies go out")
    case = session.get(Case, reply.case_id)
    assert case is not None
    target = session.get(Post, reply.in_reply_to_post_id) if reply.in_reply_to_post_id else None
    private = reply.visibility == "private"
    reply.attempts += 1
    try:
        result = registry.publisher_for(
            case.platform, session=session, brand_id=case.brand_id
        ).publish(
            OutboundReply(
                idempotency_key=reply.idempotency_key,
                platform=case.platform,
                in_reply_to=None if private or target is None else target.external_id,
                text=reply.text,
                visibility="private" if private else "public",
                recipient=case.author.handle if private and case.author else None,
                automatic=reply.is_automatic,
                # what some platforms need to address the answer (an Instagram @mention's ids)
                extra={"target_raw": target.raw} if target is not None and target.raw else {},
            )
        )
    except PublishError as exc:
        reply.last_error = str(exc)[:2000]
        if exc.permanent or reply.attempts >= MAX_ATTEMPTS:
            reply.status = "failed"
        log.warning("publishing reply %s failed: %s", reply.id, exc)
        return False
    reply.status = "published"
    reply.external_id = result.external_id
    reply.published_at = now
    reply.last_error = None
    reply.published_post_id = _store_outbound(session, case, reply, target, result.url, now)
    if not reply.is_automatic:
        register_human_reply(session=session, case=case, at=now)
    actor = Actor.user(reply.author_user_id) if reply.author_user_id else Actor()
    record(
        session=session,
        case=case,
        action="auto_acknowledged" if reply.is_automatic else "replied",
        actor=actor,
        now=now,
        details={"reply_id": reply.id, "visibility": reply.visibility},
        emit_event=False,
    )
    emit(
        session,
        ReplyPublished(reply_id=reply.id, case_id=case.id, automatic=reply.is_automatic),
        caused_by_automation=reply.is_automatic,
    )
    session.flush()
    return True


def _store_outbound(
    session: Session,
    case: Case,
    reply: Reply,
    target: Post | None,
    url: str | None,
    now: datetime,
) -> int | None:
    """Store the published reply as an outbound post of the brand's account."""
    handle = _brand_handle(session, case)
    external_id = reply.external_id or reply.idempotency_key
    taken = session.scalar(
        select(Reply.id)
        .join(Case, Case.id == Reply.case_id)
        .where(
            Reply.external_id == external_id,
            Reply.id != reply.id,
            Case.platform == case.platform,
        )
        .limit(1)
    )
    if taken is not None:  # only fakes reuse ids (one per process): never merge two replies
        external_id = f"{external_id}:{reply.idempotency_key}"
    post = CanonicalPost(
        platform=case.platform,
        external_id=external_id,
        text=reply.text,
        created_at=now,
        author=CanonicalAuthor(handle=handle) if handle else None,
        url=url if url and url.startswith(("http://", "https://")) else None,
        lang=case.lang,
        kind="message" if reply.visibility == "private" else "reply",
        direction="outbound",
        parent_external_id=target.external_id if target else None,
        thread_external_id=case.thread_external_id,
        is_automatic=reply.is_automatic,
    )
    report = ingest_posts(session=session, posts=[post])
    post_id = report.outcomes[0].post_id if report.outcomes else None
    if post_id is not None:
        session.merge(
            PostTriage(post_id=post_id, case_id=case.id, decision="outbound", decided_at=now)
        )
    return post_id


def retry_unpublished(*, session: Session, registry: PublisherRegistry, now: datetime) -> int:
    """Publish approved replies that a transient failure left behind; return how many went."""
    rows = session.scalars(
        select(Reply).where(Reply.status == "approved", Reply.attempts < MAX_ATTEMPTS)
    ).all()
    return sum(publish_reply(session=session, reply=r, registry=registry, now=now) for r in rows)


def case_replies(*, session: Session, case_id: int) -> list[Reply]:
    return list(session.scalars(select(Reply).where(Reply.case_id == case_id).order_by(Reply.id)))
