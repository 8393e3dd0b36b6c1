"""Keeping stored authors' handles current, by the platform's stable id.

Handles change; some platforms also deliver posts that name the author by a stable id only
(Jetstream gives a post's DID, not the handle).  Such an author is stored with the id as its
handle — a *placeholder* — until a connector learns who it is and calls
:func:`apply_identities`, which renames the stored author in place.  Posts point at the
author row, so every stored post, case and report shows the new handle at once.

The update also repairs what earlier deliveries split: the rows of one stable id are merged
into one (their posts and cases move to it), and a handle now held by another id is taken
from the row that held it (that row becomes a placeholder until its own identity is known).

Example::

    apply_identities(session=session, platform="bluesky",
                     identities={"did:plc:abc": AuthorIdentity("alice.bsky.social", "Alice")},
                     now=utcnow())
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tocsin.ingestion.authors import official_accounts
from tocsin.ingestion.models import Author
from tocsin.ingestion.sql import chunked, insert_new, one_of, table_of

log = logging.getLogger(__name__)

_AUTHORS = table_of(Author)
_COLUMNS = (
    "id",
    "handle",
    "external_id",
    "display_name",
    "followers",
    "brand_id",
    "first_seen_at",
    "updated_at",
)


@dataclass(frozen=True)
class AuthorIdentity:
    """Who the author with a stable id is now; ``None`` leaves a profile field as stored."""

    handle: str
    display_name: str | None = None
    followers: int | None = None


def apply_identities(
    *,
    session: Session,
    platform: str,
    identities: Mapping[str, AuthorIdentity],
    create: Collection[str] = (),
    now: datetime,
) -> set[int]:
    """Give the stored authors of ``identities`` (keyed by stable id) their handle and profile.

    Ids with no stored author are skipped, unless listed in ``create`` (the connector is about
    to store their posts): those are created with their handle, so the posts attach to them.
    Each id is applied in a savepoint: one that another worker changed at the same moment is
    skipped (the next identity applies).  Returns the ids of the authors written.  Nothing is
    committed.
    """
    if not identities:
        return set()
    by_id = _rows_by_external_id(session, platform, list(identities))
    todo = {key: value for key, value in identities.items() if key in by_id or key in create}
    if not todo:
        return set()
    official = official_accounts(session=session)
    written: set[int] = set()
    for external_id, identity in todo.items():
        try:
            with session.begin_nested():
                author_id = _apply(
                    session,
                    platform,
                    external_id,
                    identity,
                    by_id.get(external_id, []),
                    official,
                    now,
                )
        except IntegrityError as exc:
            log.info("author %s on %s changed meanwhile: %s", external_id, platform, exc.orig)
            continue
        if author_id is not None:
            written.add(author_id)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Author) and obj.id in written:
            session.expire(obj)
    return written


def placeholder_authors(*, session: Session, platform: str, limit: int = 100) -> list[str]:
    """Stable ids of stored authors still named by their id (newest first)."""
    stmt = (
        select(Author.external_id)
        .where(Author.platform == platform, Author.handle == Author.external_id)
        .order_by(Author.updated_at.desc())
        .limit(limit)
    )
    return [str(value) for value in session.scalars(stmt) if value]


def _apply(
    session: Session,
    platform: str,
    external_id: str,
    identity: AuthorIdentity,
    rows: list[dict[str, Any]],
    official: Mapping[tuple[str, str], int],
    now: datetime,
) -> int | None:
    holder = _row_by_handle(session, platform, identity.handle)
    if holder is not None and holder["external_id"] not in (None, external_id):
        _release(session, platform, holder)
        holder = None
    if holder is not None and all(row["id"] != holder["id"] for row in rows):
        rows = [holder, *rows]  # the same handle with no id yet: the same person
    brand_id = official.get((platform, identity.handle.casefold()))
    if not rows:
        return _create(session, platform, external_id, identity, brand_id, now)
    keep = next((row for row in rows if row["handle"] == identity.handle), None)
    keep = keep or max(rows, key=lambda row: (row["updated_at"], row["id"]))
    others = [row for row in rows if row["id"] != keep["id"]]
    if others:
        _merge(session, keep["id"], [row["id"] for row in others])
    wanted: dict[str, Any] = {"handle": identity.handle, "external_id": external_id}
    if identity.display_name is not None:
        wanted["display_name"] = identity.display_name
    if identity.followers is not None:
        wanted["followers"] = identity.followers
    wanted["brand_id"] = brand_id or next(
        (row["brand_id"] for row in (keep, *others) if row["brand_id"] is not None), None
    )
    if others:
        wanted["first_seen_at"] = min(row["first_seen_at"] for row in (keep, *others))
    if all(keep[name] == value for name, value in wanted.items()):
        return None
    session.execute(
        update(_AUTHORS).where(_AUTHORS.c.id == keep["id"]).values(**wanted, updated_at=now)
    )
    return int(keep["id"])


def _create(
    session: Session,
    platform: str,
    external_id: str,
    identity: AuthorIdentity,
    brand_id: int | None,
    now: datetime,
) -> int | None:
    row = {
        "platform": platform,
        "handle": identity.handle,
        "external_id": external_id,
        "display_name": identity.display_name or "",
        "followers": identity.followers or 0,
        "verified": False,
        "is_automated": False,
        "brand_id": brand_id,
        "first_seen_at": now,
        "updated_at": now,
        "profile_as_of": None,
    }
    inserted = insert_new(
        session, _AUTHORS, [row], conflict=("platform", "handle"), returning=("id",)
    )
    return int(inserted[0][0]) if inserted else None


def _release(session: Session, platform: str, holder: Mapping[str, Any]) -> None:
    """The handle moved to another id: its old holder becomes a placeholder again."""
    own_id = str(holder["external_id"])
    placeholder = _row_by_handle(session, platform, own_id)
    if placeholder is not None:
        _merge(session, placeholder["id"], [holder["id"]])
        return
    session.execute(update(_AUTHORS).where(_AUTHORS.c.id == holder["id"]).values(handle=own_id))


def _merge(session: Session, keep_id: int, other_ids: list[int]) -> None:
    """Move everything that points at ``other_ids`` to ``keep_id``, then delete them."""
    for column in _author_references():
        session.execute(
            update(column.table).where(column.in_(other_ids)).values({column.name: keep_id})
        )
    session.execute(delete(_AUTHORS).where(_AUTHORS.c.id.in_(other_ids)))


@functools.cache
def _author_references() -> tuple[Column[Any], ...]:
    """Every column holding an author id (posts, cases…), found in the models' metadata."""
    import tocsin.models  # noqa: F401 - registers every table that may point here

    target = _AUTHORS.c.id
    return tuple(
        fk.parent
        for table in Author.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column is target
    )


def _row_by_handle(session: Session, platform: str, handle: str) -> dict[str, Any] | None:
    stmt = select(*(_AUTHORS.c[name] for name in _COLUMNS)).where(
        _AUTHORS.c.platform == platform, _AUTHORS.c.handle == handle
    )
    row = session.execute(stmt).mappings().first()
    return dict(row) if row is not None else None


def _rows_by_external_id(
    session: Session, platform: str, external_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    columns = [_AUTHORS.c[name] for name in _COLUMNS]
    for chunk in chunked(external_ids):
        stmt = select(*columns).where(
            _AUTHORS.c.platform == platform, one_of(session, _AUTHORS.c.external_id, chunk)
        )
        for row in session.execute(stmt).mappings():
            found.setdefault(str(row["external_id"]), []).append(dict(row))
    return found


__all__ = ["AuthorIdentity", "apply_identities", "placeholder_authors"]
