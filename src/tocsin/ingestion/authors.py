"""Bulk upsert of authors by ``(platform, handle)`` and recognition of brands' own accounts.

One ``SELECT`` finds the batch's known authors, one conflict-ignoring ``INSERT`` adds the new
ones, one ``executemany`` ``UPDATE`` refreshes the changed ones.

Some deliveries name the author by the platform's stable id only (a Jetstream post carries
its author's DID, not the handle): such an author — ``handle == external_id`` — is the stored
author with that ``external_id`` when there is one, whatever its handle now (the handle itself
is kept up to date by :func:`tocsin.ingestion.identities.apply_identities`).

Every post carries a snapshot of its author's profile (followers, verified, display name) as
it was when the post was fetched.  The snapshot of the newest post wins (``profile_as_of``), so
re-importing a file, or an old post arriving late, never rolls a profile back; and a field the
delivery did not carry (``followers`` absent from the payload) never overwrites what is stored.

Example::

    official = official_accounts(session=session)
    snapshot = AuthorSnapshot(author=author, as_of=post.created_at)
    refs = upsert_authors(session=session, authors={("x", "jane"): snapshot}, official=official,
                          now=utcnow())
    refs[("x", "jane")].id
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.ingestion.models import Author
from tocsin.ingestion.schemas import CanonicalAuthor
from tocsin.ingestion.sql import chunked, insert_new, one_of, table_of

AuthorKey = tuple[str, str]
"""``(platform, handle)``."""

_AUTHORS = table_of(Author)
_PROFILE = ("display_name", "followers", "verified", "is_automated")
_FIELDS = ("external_id", "brand_id", "profile_as_of", *_PROFILE)


@dataclass(frozen=True)
class AuthorSnapshot:
    """An author as one post delivered it, and when that post was published."""

    author: CanonicalAuthor
    as_of: datetime


@dataclass(frozen=True)
class AuthorRef:
    """What ingestion needs to know about an author after the upsert."""

    id: int
    brand_id: int | None
    #: True when the delivery changed a stored author (followers, verified…).
    changed: bool
    #: The snapshot that was applied (or offered) for this author.
    snapshot: AuthorSnapshot


def official_accounts(*, session: Session) -> dict[AuthorKey, int]:
    """Map ``(platform, casefolded handle)`` of every brand's official account to its brand id."""
    accounts: dict[AuthorKey, int] = {}
    for brand_id, handles in session.execute(select(Brand.id, Brand.handles)):
        for handle in handles or ():
            platform, name = handle.get("platform"), handle.get("handle", "").lstrip("@")
            if platform and name:
                accounts.setdefault((platform, name.casefold()), brand_id)
    return accounts


def upsert_authors(
    *,
    session: Session,
    authors: Mapping[AuthorKey, AuthorSnapshot],
    official: Mapping[AuthorKey, int],
    now: datetime,
) -> dict[AuthorKey, AuthorRef]:
    """Insert unknown authors, refresh known ones, and return a reference for every key."""
    stored = _load(session, list(authors))
    missing = [key for key in authors if key not in stored]
    stored.update(_load_named_by_id(session, {key: authors[key] for key in missing}))
    missing = [key for key in missing if key not in stored]
    inserted: set[AuthorKey] = set()
    if missing:
        rows = [_new_row(key, authors[key], official, now) for key in missing]
        key_columns = ("platform", "handle")
        returned = insert_new(session, _AUTHORS, rows, conflict=key_columns, returning=key_columns)
        inserted = {(str(platform), str(handle)) for platform, handle in returned}
        stored.update(_load(session, missing))

    refs: dict[AuthorKey, AuthorRef] = {}
    changes: list[dict[str, Any]] = []
    for key, incoming in authors.items():
        row = stored[key]
        if key in inserted:
            refs[key] = AuthorRef(row["id"], row["brand_id"], changed=False, snapshot=incoming)
            continue
        wanted = _merged(row, incoming, official.get((key[0], str(row["handle"]).casefold())))
        changed = any(wanted[name] != row[name] for name in _FIELDS if name != "profile_as_of")
        if changed or wanted["profile_as_of"] != row["profile_as_of"]:
            changes.append({"id": row["id"], **wanted, "updated_at": now})
        refs[key] = AuthorRef(row["id"], wanted["brand_id"], changed=changed, snapshot=incoming)
    if changes:
        session.execute(update(Author), changes)
    return refs


def _load(session: Session, keys: list[AuthorKey]) -> dict[AuthorKey, dict[str, Any]]:
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, handle in keys:
        by_platform[platform].append(handle)
    found: dict[AuthorKey, dict[str, Any]] = {}
    columns = [_AUTHORS.c.id, _AUTHORS.c.platform, _AUTHORS.c.handle]
    columns += [_AUTHORS.c[name] for name in _FIELDS]
    for platform, handles in by_platform.items():
        for chunk in chunked(handles):
            stmt = select(*columns).where(
                _AUTHORS.c.platform == platform, one_of(session, _AUTHORS.c.handle, chunk)
            )
            for row in session.execute(stmt).mappings():
                found[(row["platform"], row["handle"])] = dict(row)
    return found


def _load_named_by_id(
    session: Session, authors: Mapping[AuthorKey, AuthorSnapshot]
) -> dict[AuthorKey, dict[str, Any]]:
    """The stored author of each key whose author is named by its stable id only."""
    wanted: dict[tuple[str, str], AuthorKey] = {}
    for key, snapshot in authors.items():
        external_id = snapshot.author.external_id
        if external_id is not None and key[1] == external_id:
            wanted[(key[0], external_id)] = key
    if not wanted:
        return {}
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, external_id in wanted:
        by_platform[platform].append(external_id)
    columns = [_AUTHORS.c.id, _AUTHORS.c.platform, _AUTHORS.c.handle, _AUTHORS.c.updated_at]
    columns += [_AUTHORS.c[name] for name in _FIELDS]
    found: dict[AuthorKey, dict[str, Any]] = {}
    for platform, external_ids in by_platform.items():
        for chunk in chunked(external_ids):
            stmt = (
                select(*columns)
                .where(
                    _AUTHORS.c.platform == platform,
                    one_of(session, _AUTHORS.c.external_id, chunk),
                )
                .order_by(_AUTHORS.c.updated_at, _AUTHORS.c.id)
            )
            for row in session.execute(stmt).mappings():
                # the most recently updated author wins when a stable id has several rows
                found[wanted[(platform, row["external_id"])]] = dict(row)
    return found


def _new_row(
    key: AuthorKey, snapshot: AuthorSnapshot, official: Mapping[AuthorKey, int], now: datetime
) -> dict[str, Any]:
    author = snapshot.author
    return {
        "platform": key[0],
        "handle": key[1],
        "external_id": author.external_id,
        "display_name": author.display_name,
        "followers": author.followers,
        "verified": author.verified,
        "is_automated": author.is_automated,
        "brand_id": official.get((key[0], key[1].casefold())),
        "first_seen_at": now,
        "updated_at": now,
        "profile_as_of": snapshot.as_of,
    }


def _merged(
    row: Mapping[str, Any], snapshot: AuthorSnapshot, brand_id: int | None
) -> dict[str, Any]:
    """The stored author with what this delivery carried laid over it, if it is not older."""
    incoming = snapshot.author
    merged = {name: row[name] for name in _FIELDS}
    merged["external_id"] = row["external_id"] or incoming.external_id
    if brand_id is not None:
        merged["brand_id"] = brand_id
    if row["profile_as_of"] is not None and snapshot.as_of < row["profile_as_of"]:
        return merged
    merged["profile_as_of"] = snapshot.as_of
    given = incoming.model_fields_set
    for name in _PROFILE:
        if name in given and (name != "display_name" or incoming.display_name):
            merged[name] = getattr(incoming, name)
    return merged
