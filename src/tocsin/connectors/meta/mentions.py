"""Reading the text of Instagram mentions, which Meta's webhook delivers as bare ids.

A mention is stored at once without its text (see :mod:`.normalise`); this module reads it
from the Graph API (:mod:`.graph`) and re-ingests the post with its text, author and counts
through :func:`~tocsin.ingestion.service.ingest_posts`.  The text changing from empty is an
edit: the post gets a new version and a ``PostEdited`` event, so enrichment, brand matching,
listening counts and triage (which reconsiders a post skipped while it had no text) follow.

Where the work stands is data, not memory (no table of its own):

* on the post, ``raw["mention"]``: ``state`` (``pending``, ``done``, ``unavailable``),
  ``attempts``, ``next_at`` (Unix time), the last ``error`` and, when given up, ``reason``;
* on the Meta source, ``checkpoint["instagram_mentions"][ig_user_id]``: the times of the calls
  made in the last hour (at most ``mention_calls_per_hour``, default 150 of Instagram's 200)
  and ``paused_until`` when Meta throttled the account or reported its usage above 90 %.

:func:`hydrate_mentions` claims due mentions (a short transaction; ``FOR UPDATE SKIP LOCKED``
on PostgreSQL), then for each one reserves a call in the account's budget, calls Meta with no
transaction open, and stores the outcome in its own short transaction.  A failure is retried
with backoff (equal jitter, 1 minute doubling to 6 hours); after :data:`MAX_ATTEMPTS` (or
:data:`NOT_FOUND_ATTEMPTS` when Meta says the object does not exist), or when the mention is
older than :data:`HORIZON`, it is marked ``unavailable`` and never retried: the UI says the text
is unavailable.  Throttling is not the mention's fault: it waits without using an attempt.

It runs right after a webhook is answered (``fresh_only``: mentions never tried, short timeout,
stops at the first failure) and every minute as the ``connectors.instagram_mentions`` job.

Example::

    report = hydrate_mentions(session_factory=factory, settings=settings)
    report.fetched, report.retrying, report.unavailable, report.deferred
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload, sessionmaker

from tocsin.config import Settings
from tocsin.connectors.meta.graph import MentionReader, MentionRef, ReadOutcome, Throttled
from tocsin.connectors.meta.normalise import PENDING
from tocsin.connectors.models import Source
from tocsin.connectors.registry import context_for
from tocsin.connectors.service import record_failure
from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost, Engagement
from tocsin.ingestion.service import ingest_posts
from tocsin.privacy.secrets import SecretError
from tocsin.types import utcnow

log = logging.getLogger(__name__)

DONE, UNAVAILABLE = "done", "unavailable"
MAX_ATTEMPTS = 8
NOT_FOUND_ATTEMPTS = 2
BASE_DELAY = 60.0
MAX_DELAY = 6 * 3600.0
#: A claimed mention is left alone by other runners this long (seconds).
LEASE = 120.0
#: A mention still without text this long after it arrived is given up.
HORIZON = timedelta(days=2)
DEFAULT_CALLS_PER_HOUR = 150
BUDGET_KEY = "instagram_mentions"
_WINDOW = 3600.0
_SCAN = 2000
_ERROR_MAX = 300


@dataclass(frozen=True)
class _Claim:
    post_id: int
    source_id: int | None
    ref: MentionRef
    attempts: int


@dataclass
class HydrationReport:
    """What one run did: texts read, failures to retry, mentions given up, calls put off."""

    fetched: int = 0
    retrying: int = 0
    unavailable: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.fetched} mentions read, {self.retrying} to retry, "
            f"{self.unavailable} unavailable, {self.deferred} put off"
        )


def mention_state(raw: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The hydration state of a mention's raw payload; ``None`` if it is not a mention.

    Mentions stored before the state was recorded (``value`` with ``media_id`` and no ``id``)
    count as pending.

    Example::

        >>> mention_state({"object": "instagram", "value": {"media_id": "1"}})
        {'state': 'pending'}
    """
    if not isinstance(raw, Mapping) or raw.get("object") != "instagram":
        return None
    value = raw.get("value")
    if not isinstance(value, Mapping) or not value.get("media_id") or "id" in value:
        return None
    state = raw.get("mention")
    return dict(state) if isinstance(state, Mapping) else {"state": PENDING}


def calls_per_hour(source: Source) -> int:
    value = str((source.settings or {}).get("mention_calls_per_hour", "")).strip()
    return max(1, int(value)) if value.isdigit() else DEFAULT_CALLS_PER_HOUR


def hydrate_mentions(
    *,
    session_factory: sessionmaker[Session],
    settings: Settings,
    transport: httpx.BaseTransport | None = None,
    now: Callable[[], datetime] = utcnow,
    limit: int = 50,
    fresh_only: bool = False,
    timeout: float = 10.0,
    rng: random.Random | None = None,
) -> HydrationReport:
    """Read the text of up to ``limit`` due mentions; see the module docstring."""
    report = HydrationReport()
    claims = _claim(session_factory, now(), limit=limit, fresh_only=fresh_only, report=report)
    by_account: dict[tuple[int | None, str], list[_Claim]] = defaultdict(list)
    for claim in claims:  # a budget, a pause and a token per account of a source
        by_account[(claim.source_id, claim.ref.ig_user_id)].append(claim)
    for (source_id, _account), group in by_account.items():
        reader = _reader(session_factory, settings, source_id, transport, timeout)
        try:
            _run_group(session_factory, reader, group, now, fresh_only, rng, report)
        finally:
            if reader is not None:
                reader.close()
    return report


def due_mentions(
    *, session: Session, now: datetime, fresh_only: bool = False
) -> tuple[list[Post], list[Post]]:
    """Pending mentions due now, oldest first, and those past :data:`HORIZON` (to give up)."""
    stmt = (
        select(Post)
        .options(lazyload(Post.author))
        .where(
            Post.platform == "instagram",
            Post.text == "",
            Post.deleted.is_(False),
            Post.created_at >= now - HORIZON - timedelta(days=1),
        )
        .order_by(Post.id)
        .limit(_SCAN)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    due: list[Post] = []
    expired: list[Post] = []
    stamp = now.timestamp()
    for post in session.scalars(stmt):
        state = mention_state(post.raw)
        if state is None or state.get("state") != PENDING:
            continue
        if post.created_at < now - HORIZON:
            expired.append(post)
            continue
        if fresh_only and (state.get("attempts") or state.get("next_at")):
            continue
        if float(state.get("next_at") or 0) <= stamp:
            due.append(post)
    return due, expired


def _claim(
    factory: sessionmaker[Session],
    now: datetime,
    *,
    limit: int,
    fresh_only: bool,
    report: HydrationReport,
) -> list[_Claim]:
    claims: list[_Claim] = []
    with factory() as session:
        due, expired = due_mentions(session=session, now=now, fresh_only=fresh_only)
        for post in expired:
            _give_up(post, now, reason="expired", error="not read within the time allowed")
            report.unavailable += 1
        for post in due[:limit]:
            state = mention_state(post.raw) or {}
            ref = _ref(post)
            if ref is None:
                _give_up(post, now, reason="invalid", error="the webhook gave no usable ids")
                report.unavailable += 1
                continue
            _set_state(post, {**state, "next_at": now.timestamp() + LEASE})
            claims.append(_Claim(post.id, post.source_id, ref, int(state.get("attempts") or 0)))
        session.commit()
    return claims


def _ref(post: Post) -> MentionRef | None:
    raw: dict[str, Any] = post.raw or {}
    value = raw.get("value")
    if not isinstance(value, dict):
        return None
    media_id, comment_id = value.get("media_id"), value.get("comment_id")
    if not raw.get("entry_id") or not media_id:
        return None
    ref = MentionRef(
        ig_user_id=str(raw["entry_id"]),
        media_id=str(media_id),
        comment_id=str(comment_id) if comment_id else None,
    )
    if (ref.comment_id or ref.media_id) != post.external_id:
        return None
    return ref if ref.valid() else None


def _reader(
    factory: sessionmaker[Session],
    settings: Settings,
    source_id: int | None,
    transport: httpx.BaseTransport | None,
    timeout: float,
) -> MentionReader | None:
    with factory() as session:
        source = session.get(Source, source_id) if source_id is not None else None
        if source is None or source.platform != "meta" or not source.enabled:
            return None
        try:
            ctx = context_for(source=source, settings=settings, transport=transport)
        except SecretError:
            return None
    return MentionReader(ctx, timeout=timeout)


def _run_group(
    factory: sessionmaker[Session],
    reader: MentionReader | None,
    group: list[_Claim],
    now: Callable[[], datetime],
    fresh_only: bool,
    rng: random.Random | None,
    report: HydrationReport,
) -> None:
    pending = list(group)
    while pending:
        claim = pending.pop(0)
        if reader is None:
            outcome = ReadOutcome("denied", message="no enabled Meta source can read it")
        else:
            wait_until = _reserve_call(factory, claim, now())
            if wait_until is not None:
                _release(factory, [claim, *pending], wait_until)
                report.deferred += 1 + len(pending)
                return
            try:
                outcome = reader.read(claim.ref)
            except Throttled as exc:
                until = now().timestamp() + exc.pause_seconds
                _pause(factory, claim, until)
                _release(factory, [claim, *pending], until)
                report.deferred += 1 + len(pending)
                report.errors.append(str(exc))
                log.warning("Instagram throttled account %s: %s", claim.ref.ig_user_id, exc)
                return
        _store(factory, claim, outcome, now(), rng, report)
        if outcome.usage.exhausted:
            until = now().timestamp() + outcome.usage.pause_seconds()
            _pause(factory, claim, until)
            _release(factory, pending, until)
            report.deferred += len(pending)
            return
        if fresh_only and outcome.kind in ("failed", "denied"):
            _release(factory, pending, now().timestamp())  # the job retries them
            return


def _budget(source: Source, account: str) -> dict[str, Any]:
    stored = (source.checkpoint or {}).get(BUDGET_KEY) or {}
    entry = stored.get(account) if isinstance(stored, dict) else None
    return dict(entry) if isinstance(entry, dict) else {}


def _save_budget(source: Source, account: str, budget: dict[str, Any]) -> None:
    checkpoint = dict(source.checkpoint or {})
    stored = checkpoint.get(BUDGET_KEY)
    accounts: dict[str, Any] = dict(stored) if isinstance(stored, dict) else {}
    accounts[account] = budget
    checkpoint[BUDGET_KEY] = accounts
    source.checkpoint = checkpoint


def _locked_source(session: Session, source_id: int | None) -> Source | None:
    if source_id is None:
        return None
    return session.get(Source, source_id, with_for_update=True)


def _reserve_call(factory: sessionmaker[Session], claim: _Claim, now: datetime) -> float | None:
    """Count one call against the account's hour; ``None`` if allowed, else when it will be."""
    stamp = now.timestamp()
    with factory() as session:
        source = _locked_source(session, claim.source_id)
        if source is None:
            return None
        budget = _budget(source, claim.ref.ig_user_id)
        paused = float(budget.get("paused_until") or 0)
        calls = sorted(float(t) for t in budget.get("calls") or [] if float(t) > stamp - _WINDOW)
        limit = calls_per_hour(source)
        if paused > stamp:
            return paused
        if len(calls) >= limit:
            return calls[len(calls) - limit] + _WINDOW
        budget["calls"] = [*calls, stamp]
        _save_budget(source, claim.ref.ig_user_id, budget)
        session.commit()
    return None


def _pause(factory: sessionmaker[Session], claim: _Claim, until: float) -> None:
    with factory() as session:
        source = _locked_source(session, claim.source_id)
        if source is None:
            return
        budget = _budget(source, claim.ref.ig_user_id)
        budget["paused_until"] = max(until, float(budget.get("paused_until") or 0))
        _save_budget(source, claim.ref.ig_user_id, budget)
        session.commit()


def _release(factory: sessionmaker[Session], claims: list[_Claim], at: float) -> None:
    """Give claimed mentions back, due at ``at``, without using an attempt."""
    if not claims:
        return
    with factory() as session:
        for claim in claims:
            post = _awaiting(session, claim)
            if post is not None:
                _set_state(post, {**(mention_state(post.raw) or {}), "next_at": at})
        session.commit()


def _awaiting(session: Session, claim: _Claim) -> Post | None:
    post = session.get(Post, claim.post_id, options=[lazyload(Post.author)])
    if post is None or post.deleted or post.text:
        return None
    state = mention_state(post.raw)
    return post if state is not None and state.get("state") == PENDING else None


def _store(
    factory: sessionmaker[Session],
    claim: _Claim,
    outcome: ReadOutcome,
    now: datetime,
    rng: random.Random | None,
    report: HydrationReport,
) -> None:
    attempts = claim.attempts + 1
    with factory() as session:
        post = _awaiting(session, claim)
        if post is None:
            return
        if outcome.kind != "fetched":
            report.errors.append(outcome.message)
            _failed(session, post, claim, outcome, attempts, now, rng, report)
            session.commit()
            return
        reason, error = "empty", "Meta gave no text"
        try:
            hydrated = hydrated_post(post, claim.ref, outcome.node, attempts=attempts, now=now)
        except ValidationError as exc:
            hydrated, reason, error = None, "invalid", str(exc)
        if hydrated is None:
            _give_up(post, now, reason=reason, error=error, attempts=attempts)
            report.unavailable += 1
            session.commit()
            return
        try:
            ingest_posts(session=session, posts=[hydrated], source_id=post.source_id)
            session.commit()
        except IntegrityError:  # another runner stored the same text first
            session.rollback()
            log.info("mention %s was read by another runner", claim.post_id)
            return
        report.fetched += 1


def _failed(
    session: Session,
    post: Post,
    claim: _Claim,
    outcome: ReadOutcome,
    attempts: int,
    now: datetime,
    rng: random.Random | None,
    report: HydrationReport,
) -> None:
    if outcome.kind == "denied" and claim.source_id is not None:
        source = session.get(Source, claim.source_id)
        if source is not None:
            record_failure(
                session=session,
                source=source,
                error=f"reading an Instagram mention: {outcome.message}",
            )
    allowed = NOT_FOUND_ATTEMPTS if outcome.kind == "not_found" else MAX_ATTEMPTS
    if attempts >= allowed:
        reason = {"not_found": "not_found", "denied": "unreachable"}.get(outcome.kind, "failed")
        _give_up(post, now, reason=reason, error=outcome.message, attempts=attempts)
        report.unavailable += 1
        return
    ceiling = min(MAX_DELAY, BASE_DELAY * 2 ** (attempts - 1))
    delay = ceiling / 2 + (rng or random).uniform(0, ceiling / 2)
    state = mention_state(post.raw) or {}
    _set_state(
        post,
        {
            **state,
            "attempts": attempts,
            "next_at": now.timestamp() + delay,
            "error": outcome.message[:_ERROR_MAX],
        },
    )
    report.retrying += 1


def hydrated_post(
    post: Post, ref: MentionRef, node: Mapping[str, Any], *, attempts: int, now: datetime
) -> CanonicalPost | None:
    """The post re-delivered with what Meta returned; ``None`` when there is no text."""
    text = node.get("text") if ref.is_comment else node.get("caption")
    if not isinstance(text, str) or not text.strip():
        return None
    counts: dict[str, int] = {}
    if isinstance(node.get("like_count"), int):
        counts["likes"] = max(0, node["like_count"])
    if not ref.is_comment and isinstance(node.get("comments_count"), int):
        counts["replies"] = max(0, node["comments_count"])
    username = node.get("username")
    author = (
        CanonicalAuthor(handle=username) if isinstance(username, str) and username.strip() else None
    )
    base = {k: v for k, v in (post.raw or {}).items() if k not in ("mention", "graph")}
    raw = {
        **base,
        "mention": {"state": DONE, "attempts": attempts, "read_at": now.isoformat()},
        "graph": dict(node),
    }
    return CanonicalPost(
        platform="instagram",
        external_id=post.external_id,
        text=text,
        created_at=post.created_at,
        author=author,
        kind="comment" if ref.is_comment else "post",
        thread_external_id=post.thread_external_id,
        engagement=Engagement.model_validate(counts),
        raw=raw,
    )


def _set_state(post: Post, state: dict[str, Any]) -> None:
    post.raw = {**(post.raw or {}), "mention": state}


def _give_up(
    post: Post, now: datetime, *, reason: str, error: str, attempts: int | None = None
) -> None:
    state = mention_state(post.raw) or {}
    _set_state(
        post,
        {
            "state": UNAVAILABLE,
            "reason": reason,
            "attempts": attempts if attempts is not None else int(state.get("attempts") or 0),
            "error": error[:_ERROR_MAX],
            "at": now.isoformat(),
        },
    )
    log.info("Instagram mention %s given up (%s): %s", post.external_id, reason, error)
