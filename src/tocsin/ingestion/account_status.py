"""Honouring what a platform says about an account: deleted, taken down, deactivated, back.

A platform may report that an account is no longer active (Bluesky's Jetstream sends
``account`` events, see :mod:`tocsin.connectors.bluesky.accounts`).  What Tocsin does with the
stored posts of that author depends on the status:

* ``deleted`` and ``takendown`` (:data:`ERASING_STATUSES`): every stored post of the author
  becomes a tombstone exactly as if the author had deleted each one (text, title, raw payloads,
  old versions and what enrichment kept of the text are erased; each emits ``post.deleted``,
  so the listening rollups take its counts back).  Posts of that author delivered later, while
  the status holds, are stored as tombstones too.  Tombstones are final: a takedown reversed
  later (``active`` again) lets new posts in, the erased ones stay erased.
* any other inactive status (``deactivated``, ``suspended``, a status we do not know): nothing
  is destroyed.  The author is marked, and post search (pages and API) and the inbox's case
  list hide the author's posts and cases (:func:`author_shown`) until the account is active
  again.  The listening counts keep them: they hold no content.
* active: the mark is cleared and everything hidden shows again.

The status is kept on the author row (``account_status``) with the stream position of the
change (``account_status_us``): a change is applied only if it is newer than the one applied
last, so a replayed event changes nothing and an older one never undoes a newer one.  Each
change that does something is written to the audit log (``author.account_status``) and
emitted as :class:`~tocsin.ingestion.events.AuthorAccountChanged` — the author's platform id
and the number of posts affected, never a post's text.  The inbox closes the open cases whose
posts were all erased.

Example::

    change = AccountStatusChange("did:plc:abc", active=False, status="deleted",
                                 position=1725911162329308)
    apply_account_statuses(session=s, platform="bluesky", changes=[change], now=utcnow())
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from tocsin.events.outbox import emit
from tocsin.events.types import PostDeleted
from tocsin.ingestion.events import AuthorAccountChanged
from tocsin.ingestion.models import Author, Post
from tocsin.ingestion.sql import chunked, insert_new, one_of, table_of
from tocsin.ingestion.writes import WritePlan, emit_all, expire_stale, write_plan
from tocsin.privacy.audit import record

#: Statuses after which the author's stored posts are erased (tombstones).
ERASING_STATUSES = frozenset({"deleted", "takendown"})
#: What the event and the audit log say when the account is active.
ACTIVE = "active"
#: An inactive account whose status is missing or unusable.
INACTIVE = "inactive"
_MAX_STATUS = 16

_AUTHORS = table_of(Author)


@dataclass(frozen=True)
class AccountStatusChange:
    """An account's status at stream position ``position`` (Jetstream: the ``time_us``)."""

    external_id: str
    active: bool
    status: str | None
    position: int

    @property
    def stored_status(self) -> str | None:
        """The ``authors.account_status`` this change leads to (``None``: active)."""
        if self.active:
            return None
        status = (self.status or "").strip().lower()
        if not status or len(status) > _MAX_STATUS or not status.isalpha():
            return INACTIVE
        return status


@dataclass(frozen=True)
class AppliedChange:
    """What one change did to one stored author."""

    author_id: int
    external_id: str
    status: str
    previous: str
    erased: bool
    posts: int


def apply_account_statuses(
    *,
    session: Session,
    platform: str,
    changes: Sequence[AccountStatusChange],
    create: Collection[str] = (),
    now: datetime,
    actor_label: str = "",
) -> list[AppliedChange]:
    """Apply ``changes`` (in position order) to the stored authors with those platform ids.

    An id with no stored author is skipped — the network's accounts are not ours to track —
    unless listed in ``create`` (its posts are being stored right now): a placeholder author
    named by the id is created, so the posts attach to it and ingestion sees the status.
    Returns what changed; replays and older changes return nothing.  Nothing is committed.
    """
    if not changes:
        return []
    ids = list(dict.fromkeys(change.external_id for change in changes))
    rows = _rows_by_external_id(session, platform, ids)
    missing = [i for i in ids if i not in rows and i in create]
    if missing:
        _create_placeholders(session, platform, missing, now)
        rows.update(_rows_by_external_id(session, platform, missing))
    applied: list[AppliedChange] = []
    for change in sorted(changes, key=lambda c: c.position):
        for row in rows.get(change.external_id, []):
            done = _apply(session, row, change, now)
            if done is not None:
                applied.append(done)
                _record(session, platform, done, actor_label)
    if applied:
        expire_stale(session=session, post_ids=set(), author_ids={a.author_id for a in applied})
    return applied


def author_shown(author_id: ColumnElement[Any] | InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    """A filter keeping rows whose author (``author_id``) is not marked inactive.

    ``select(Post).where(author_shown(Post.author_id))``; a row without an author is kept.
    """
    marked = _AUTHORS.alias("inactive_author")
    return ~(
        select(marked.c.id)
        .where(marked.c.id == author_id, marked.c.account_status.is_not(None))
        .exists()
    )


def erased_authors(*, session: Session, author_ids: Iterable[int]) -> set[int]:
    """The authors among ``author_ids`` whose posts must be stored as tombstones."""
    ids = sorted(set(author_ids))
    found: set[int] = set()
    for chunk in chunked(ids):
        stmt = select(Author.id).where(
            Author.id.in_(chunk), Author.account_status.in_(sorted(ERASING_STATUSES))
        )
        found.update(int(author_id) for author_id in session.scalars(stmt))
    return found


def _apply(
    session: Session, row: dict[str, Any], change: AccountStatusChange, now: datetime
) -> AppliedChange | None:
    applied_at = row["account_status_us"]
    if applied_at is not None and change.position <= applied_at:
        return None  # a replay, or older than what we know
    status, previous = change.stored_status, row["account_status"]
    moved = session.execute(
        update(_AUTHORS)
        .where(
            _AUTHORS.c.id == row["id"],
            or_(
                _AUTHORS.c.account_status_us.is_(None),
                _AUTHORS.c.account_status_us < change.position,
            ),
        )
        .values(account_status=status, account_status_us=change.position, updated_at=now)
    )
    if moved.rowcount == 0:  # type: ignore[attr-defined]
        return None  # another consumer applied a change at least as new meanwhile
    row["account_status"], row["account_status_us"] = status, change.position
    erased = status in ERASING_STATUSES
    posts = _erase_posts(session, row["id"], now) if erased else 0
    if status == previous and not posts:
        return None
    if not erased:
        posts = _live_posts(session, row["id"])
    return AppliedChange(
        author_id=int(row["id"]),
        external_id=change.external_id,
        status=status or ACTIVE,
        previous=previous or ACTIVE,
        erased=erased,
        posts=posts,
    )


def _erase_posts(session: Session, author_id: int, now: datetime) -> int:
    """Tombstone every stored post of the author, as single deletions do; return how many."""
    stmt = select(Post.id, Post.platform, Post.external_id).where(
        Post.author_id == author_id, Post.deleted.is_(False)
    )
    plan = WritePlan()
    for post_id, platform, external_id in session.execute(stmt):
        plan.tombstones[(str(platform), str(external_id))] = int(post_id)
        plan.events.append(PostDeleted(post_id=int(post_id), by_author=False))
    if not plan.tombstones:
        return 0
    write_plan(session=session, plan=plan, now=now)
    emit_all(session=session, events=plan.events, now=now)
    session.flush()
    expire_stale(session=session, post_ids=set(plan.tombstones.values()), author_ids=set())
    return len(plan.tombstones)


def _live_posts(session: Session, author_id: int) -> int:
    stmt = select(func.count()).where(Post.author_id == author_id, Post.deleted.is_(False))
    return int(session.scalar(stmt) or 0)


def _record(session: Session, platform: str, done: AppliedChange, actor_label: str) -> None:
    detail = {
        "platform": platform,
        "external_id": done.external_id,
        "status": done.status,
        "previous": done.previous,
        "erased": done.erased,
        "posts": done.posts,
    }
    record(
        session,
        action="author.account_status",
        actor_label=actor_label or platform,
        target_type="author",
        target_id=done.author_id,
        detail=detail,
    )
    emit(
        session,
        AuthorAccountChanged(
            author_id=done.author_id,
            platform=platform,
            external_id=done.external_id,
            status=done.status,
            previous=done.previous,
            erased=done.erased,
            posts=done.posts,
        ),
    )


def _create_placeholders(
    session: Session, platform: str, external_ids: list[str], now: datetime
) -> None:
    rows = [
        {
            "platform": platform,
            "handle": external_id,
            "external_id": external_id,
            "display_name": "",
            "followers": 0,
            "verified": False,
            "is_automated": False,
            "brand_id": None,
            "first_seen_at": now,
            "updated_at": now,
            "profile_as_of": None,
        }
        for external_id in external_ids
    ]
    insert_new(session, _AUTHORS, rows, conflict=("platform", "handle"))


def _rows_by_external_id(
    session: Session, platform: str, external_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    columns = [_AUTHORS.c[name] for name in ("id", "external_id", "account_status")]
    columns.append(_AUTHORS.c.account_status_us)
    found: dict[str, list[dict[str, Any]]] = {}
    for chunk in chunked(external_ids):
        stmt = (
            select(*columns)
            .where(_AUTHORS.c.platform == platform, one_of(session, _AUTHORS.c.external_id, chunk))
            .order_by(_AUTHORS.c.id)
        )
        for row in session.execute(stmt).mappings():
            found.setdefault(str(row["external_id"]), []).append(dict(row))
    return found


__all__ = [
    "ACTIVE",
    "ERASING_STATUSES",
    "INACTIVE",
    "AccountStatusChange",
    "AppliedChange",
    "apply_account_statuses",
    "author_shown",
    "erased_authors",
]
