"""Ingesting canonical posts: validate, dedupe, upsert, version, tombstone, archive, emit.

Every connector, importer and webhook ends here.  A post is identified by
``(platform, external_id)``; delivering it again is safe (at-least-once delivery never
duplicates a post) and tells us what changed:

* unknown → stored, ``"imported"``, :class:`~tocsin.events.types.PostIngested`;
* same content → ``"duplicate"``;
* new engagement counts, author followers/verified, a missing url/lang/thread → ``"updated"``;
* new text or title → the old one is kept as a :class:`PostVersion`, ``version`` and
  ``edited_at`` move on → ``"updated"`` and :class:`~tocsin.events.types.PostEdited`;
* ``deleted=True`` → a tombstone: text, title, raw payloads and versions are erased (platform
  terms require honouring deletions) while ids, author, times and counts stay →
  :class:`~tocsin.events.types.PostDeleted`.  A tombstone is never brought back to life.
  A post whose author's account was deleted or taken down is stored as a tombstone too (see
  :mod:`.account_status`).

The work is a handful of set-based statements per call (one ``SELECT`` for the batch's posts,
one for its authors, bulk ``INSERT … ON CONFLICT DO NOTHING`` then a re-read), so two workers
delivering the same post never raise an ``IntegrityError``.  Nothing is committed: the caller
commits, so a call is all or nothing.

Example::

    report = ingest_posts(session=session, posts=[post])
    session.commit()
    report.imported, report.outcomes[0].post_id
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import null, select
from sqlalchemy.orm import Session

from tocsin.events.types import PostDeleted, PostEdited, PostIngested
from tocsin.ingestion.account_status import erased_authors
from tocsin.ingestion.authors import (
    AuthorKey,
    AuthorRef,
    AuthorSnapshot,
    official_accounts,
    upsert_authors,
)
from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.sql import chunked, insert_new, one_of, payload_digest, table_of
from tocsin.ingestion.writes import (
    ERASED,
    PostKey,
    WritePlan,
    archive_raw_payloads,
    emit_all,
    expire_stale,
    write_plan,
)
from tocsin.types import utcnow

__all__ = [
    "ERASED",
    "IngestReport",
    "ItemOutcome",
    "PostKey",
    "Rejection",
    "Status",
    "ingest_posts",
    "post_direction",
    "validation_reason",
]

Status = Literal["imported", "updated", "duplicate", "rejected"]

_POSTS = table_of(Post)
_COUNTS = ("likes", "reposts", "replies", "quotes", "views")
#: Filled in on a stored post when it has none yet; never overwritten once set.
_FILL_INS = ("url", "lang", "parent_external_id", "thread_external_id")
_STORED = ("id", "author_id", "direction", "text", "title", "version", "deleted", *_COUNTS)


@dataclass(frozen=True)
class Rejection:
    """An input item that was not stored, with the reason a person can act on."""

    index: int
    reason: str


@dataclass(frozen=True)
class ItemOutcome:
    """What happened to one input item (``index`` is its position in the input)."""

    index: int
    status: Status
    post_id: int | None = None
    reason: str | None = None


@dataclass
class IngestReport:
    """The result of one :func:`ingest_posts` call; ``outcomes`` is aligned with the input."""

    outcomes: list[ItemOutcome] = field(default_factory=list)
    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    #: Of the updated posts, how many had a new text or title, and how many became tombstones.
    edited: int = 0
    deleted: int = 0

    @property
    def rejected(self) -> list[Rejection]:
        return [
            Rejection(index=o.index, reason=o.reason or "rejected")
            for o in self.outcomes
            if o.status == "rejected"
        ]


def validation_reason(exc: ValidationError) -> str:
    """A one-line reason from a Pydantic error: ``"created_at: Input should be …"``."""
    errors = exc.errors(include_url=False)
    if not errors:
        return str(exc)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    reason = f"{where}: {first['msg']}" if where else str(first["msg"])
    if len(errors) > 1:
        reason += f" (and {len(errors) - 1} more)"
    return reason


def ingest_posts(
    *,
    session: Session,
    posts: Sequence[CanonicalPost | Mapping[str, Any]],
    source_id: int | None = None,
    archive_raw: bool = True,
) -> IngestReport:
    """Store ``posts`` (canonical posts, or dicts validated here) and report each outcome.

    Items that fail validation are rejected before anything is written.  When the same
    ``(platform, external_id)`` appears twice, the later item wins and the earlier one is
    reported as a ``"duplicate"`` of it.  ``archive_raw=False`` skips archiving ``raw`` in
    :class:`RawPayload` (used when the payload was archived on arrival, see :mod:`.raw`).
    """
    now = utcnow()
    outcomes: list[ItemOutcome | None] = [None] * len(posts)
    valid: dict[int, CanonicalPost] = {}
    for index, item in enumerate(posts):
        try:
            valid[index] = (
                item if isinstance(item, CanonicalPost) else CanonicalPost.model_validate(item)
            )
        except ValidationError as exc:
            outcomes[index] = ItemOutcome(index, "rejected", reason=validation_reason(exc))

    winners: dict[PostKey, int] = {}
    for index, post in valid.items():
        winners[(post.platform, post.external_id)] = index
    authors = _upsert_authors(session, [valid[i] for i in sorted(winners.values())], now)
    incoming = _withdraw_erased(
        session, {key: valid[index] for key, index in winners.items()}, authors
    )

    plan = WritePlan()
    statuses, post_ids = _plan_posts(session, incoming, authors, source_id, now, plan)
    write_plan(session=session, plan=plan, now=now)
    if archive_raw:
        archive_raw_payloads(session=session, posts=incoming, source_id=source_id, now=now)
    emit_all(session=session, events=plan.events, now=now)
    session.flush()
    expire_stale(
        session=session,
        post_ids=set(post_ids.values()),
        author_ids={ref.id for ref in authors.values()},
    )

    report = IngestReport(edited=plan.edited, deleted=len(plan.tombstones))
    for index, post in valid.items():
        key = (post.platform, post.external_id)
        status: Status = statuses[key] if winners[key] == index else "duplicate"
        outcomes[index] = ItemOutcome(index, status, post_id=post_ids.get(key))
    for outcome in outcomes:
        assert outcome is not None
        report.outcomes.append(outcome)
        if outcome.status == "imported":
            report.imported += 1
        elif outcome.status == "updated":
            report.updated += 1
        elif outcome.status == "duplicate":
            report.duplicates += 1
    return report


def _upsert_authors(
    session: Session, posts: list[CanonicalPost], now: datetime
) -> dict[AuthorKey, AuthorRef]:
    """Upsert each author with the snapshot of its newest post in the batch."""
    wanted: dict[AuthorKey, AuthorSnapshot] = {}
    for post in posts:
        if post.author is None:
            continue
        key = (post.platform, post.author.handle)
        if key not in wanted or post.created_at >= wanted[key].as_of:
            wanted[key] = AuthorSnapshot(author=post.author, as_of=post.created_at)
    if not wanted:
        return {}
    official = official_accounts(session=session)
    return upsert_authors(session=session, authors=wanted, official=official, now=now)


def _withdraw_erased(
    session: Session, incoming: dict[PostKey, CanonicalPost], authors: dict[AuthorKey, AuthorRef]
) -> dict[PostKey, CanonicalPost]:
    """The posts of authors whose account was deleted or taken down, as tombstones."""
    gone = erased_authors(session=session, author_ids=(ref.id for ref in authors.values()))
    if not gone:
        return incoming
    withdrawn: dict[PostKey, CanonicalPost] = {}
    for key, post in incoming.items():
        ref = authors.get((post.platform, post.author.handle)) if post.author else None
        if ref is not None and ref.id in gone and not post.deleted:
            post = post.model_copy(update={"deleted": True})
        withdrawn[key] = post
    return withdrawn


def _plan_posts(
    session: Session,
    incoming: dict[PostKey, CanonicalPost],
    authors: dict[AuthorKey, AuthorRef],
    source_id: int | None,
    now: datetime,
    plan: WritePlan,
) -> tuple[dict[PostKey, Status], dict[PostKey, int]]:
    """Decide every post's fate, insert the new ones, and return statuses and post ids."""

    def author_of(post: CanonicalPost) -> AuthorRef | None:
        return authors.get((post.platform, post.author.handle)) if post.author else None

    with_raw = any(post.raw is not None for post in incoming.values())
    stored = _load_posts(session, list(incoming), with_raw=with_raw)
    statuses: dict[PostKey, Status] = {}
    post_ids: dict[PostKey, int] = {}
    new = {key: post for key, post in incoming.items() if key not in stored}
    if new:
        rows = [_new_row(post, author_of(post), source_id, now) for post in new.values()]
        returned = insert_new(
            session,
            _POSTS,
            rows,
            conflict=("platform", "external_id"),
            returning=("id", "platform", "external_id"),
        )
        for new_id, platform, external_id in returned:
            post_id, key = int(new_id), (str(platform), str(external_id))
            statuses[key], post_ids[key] = "imported", post_id
            post = new[key]
            if post.deleted:
                plan.events.append(PostDeleted(post_id=post_id))
            else:
                direction = post_direction(post, author_of(post))
                plan.events.append(PostIngested(post_id, post.platform, direction))
        lost = [key for key in new if key not in statuses]
        if lost:  # another worker stored them between our SELECT and INSERT
            stored.update(_load_posts(session, lost, with_raw=with_raw))
    for key, row in stored.items():
        post_ids[key] = row["id"]
        statuses[key] = _plan_existing(row, incoming[key], author_of(incoming[key]), now, plan)
    return statuses, post_ids


def post_direction(post: CanonicalPost, author: AuthorRef | None) -> str:
    """``outbound`` for what a brand's official account published, else the post's own."""
    if author is not None and author.brand_id is not None:
        return "outbound"
    return post.direction


def _load_posts(
    session: Session, keys: list[PostKey], *, with_raw: bool
) -> dict[PostKey, dict[str, Any]]:
    columns = [_POSTS.c.platform, _POSTS.c.external_id]
    columns += [_POSTS.c[name] for name in (*_STORED, *_FILL_INS)]
    if with_raw:
        columns.append(_POSTS.c.raw)
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, external_id in keys:
        by_platform[platform].append(external_id)
    found: dict[PostKey, dict[str, Any]] = {}
    for platform, external_ids in by_platform.items():
        for chunk in chunked(external_ids):
            stmt = select(*columns).where(
                _POSTS.c.platform == platform, one_of(session, _POSTS.c.external_id, chunk)
            )
            for row in session.execute(stmt).mappings():
                found[(row["platform"], row["external_id"])] = dict(row)
    return found


def _new_row(
    post: CanonicalPost, author: AuthorRef | None, source_id: int | None, now: datetime
) -> dict[str, Any]:
    gone = post.deleted
    counts = post.engagement.model_dump()
    return {
        "platform": post.platform,
        "external_id": post.external_id,
        "source_id": source_id,
        "url": post.url,
        "author_id": author.id if author else None,
        "direction": post_direction(post, author),
        "kind": post.kind,
        "text": "" if gone else post.text,
        "title": None if gone else post.title,
        "lang": post.lang,
        "created_at": post.created_at,
        "received_at": now,
        **{name: counts[name] for name in _COUNTS},
        "parent_external_id": post.parent_external_id,
        "thread_external_id": post.thread_external_id,
        "raw": null() if gone or post.raw is None else post.raw,
        "version": 1,
        "edited_at": None,
        "deleted": gone,
        "deleted_at": now if gone else None,
        "is_automatic": post.is_automatic,
        "hidden": False,
    }


def _plan_existing(
    row: Mapping[str, Any],
    post: CanonicalPost,
    author: AuthorRef | None,
    now: datetime,
    plan: WritePlan,
) -> Status:
    """Compare a stored post with its re-delivery and plan the writes; return the status."""
    if row["deleted"]:
        return "duplicate"  # a deletion is final, whatever arrives later
    if post.deleted:
        plan.tombstones[(post.platform, post.external_id)] = row["id"]
        plan.events.append(PostDeleted(post_id=row["id"]))
        return "updated"
    changes: dict[str, Any] = {}
    given_counts = post.engagement.model_fields_set
    for name in _COUNTS:
        value = getattr(post.engagement, name)
        if name in given_counts and value != row[name]:
            changes[name] = value
    for name in _FILL_INS:
        value = getattr(post, name)
        if value is not None and row[name] is None:
            changes[name] = value
    if author is not None and row["author_id"] is None:
        changes["author_id"] = author.id
    if post_direction(post, author) == "outbound" and row["direction"] != "outbound":
        changes["direction"] = "outbound"
    given = post.model_fields_set
    new_text = post.text if "text" in given else row["text"]
    new_title = post.title if "title" in given else row["title"]
    if (new_text, new_title) != (row["text"], row["title"]):
        plan.versions.append(
            {
                "post_id": row["id"],
                "version": row["version"],
                "text": row["text"],
                "title": row["title"],
                "replaced_at": now,
            }
        )
        changes.update(text=new_text, title=new_title, version=row["version"] + 1, edited_at=now)
        plan.events.append(PostEdited(post_id=row["id"], version=row["version"] + 1))
        plan.edited += 1
    if post.raw is not None and (
        row.get("raw") is None or payload_digest(row["raw"]) != payload_digest(post.raw)
    ):
        changes["raw"] = post.raw
    if changes:
        plan.updates.append({"id": row["id"], **changes})
        return "updated"
    if author is not None and author.changed and author.snapshot.author is post.author:
        return "updated"  # this post brought the author's new followers/verified
    return "duplicate"
