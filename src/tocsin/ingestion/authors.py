"""Bulk upsert of authors by ``(platform, handle)`` and recognition of brands' own accounts.

One ``SELECT`` finds the batch's known authors, one conflict-ignoring ``INSERT`` adds the new
ones, one ``executemany`` ``UPDATE`` refreshes the changed ones.  A field the delivery did not
carry (``followers`` absent from the payload) never overwrites what is stored.

Example::

    official = official_accounts(session=session)
    refs = upsert_authors(session=session, authors={("x", "jane"): author}, official=official)
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
from tocsin.ingestion.sql import chunked, insert_ignoring, table_of

AuthorKey = tuple[str, str]
"""``(platform, handle)``."""

_AUTHORS = table_of(Author)
_FIELDS = ("external_id", "display_name", "followers", "verified", "is_automated", "brand_id")


@dataclass(frozen=True)
class AuthorRef:
    """What ingestion needs to know about an author after the upsert."""

    id: int
    brand_id: int | None
    #: True when the delivery changed a stored author (followers, verified…).
    changed: bool


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
    authors: Mapping[AuthorKey, CanonicalAuthor],
    official: Mapping[AuthorKey, int],
    now: datetime,
) -> dict[AuthorKey, AuthorRef]:
    """Insert unknown authors, refresh known ones, and return a reference for every key."""
    stored = _load(session, list(authors))
    missing = [key for key in authors if key not in stored]
    inserted: set[AuthorKey] = set()
    if missing:
        rows = [_new_row(key, authors[key], official, now) for key in missing]
        stmt = insert_ignoring(session, _AUTHORS, ("platform", "handle")).returning(
            _AUTHORS.c.platform, _AUTHORS.c.handle
        )
        inserted = {(str(row[0]), str(row[1])) for row in session.execute(stmt, rows)}
        stored.update(_load(session, missing))

    refs: dict[AuthorKey, AuthorRef] = {}
    changes: list[dict[str, Any]] = []
    for key, incoming in authors.items():
        row = stored[key]
        if key in inserted:
            refs[key] = AuthorRef(id=row["id"], brand_id=row["brand_id"], changed=False)
            continue
        wanted = _merged(row, incoming, official.get((key[0], key[1].casefold())))
        changed = any(wanted[name] != row[name] for name in _FIELDS)
        if changed:
            changes.append({"id": row["id"], **wanted, "updated_at": now})
        refs[key] = AuthorRef(id=row["id"], brand_id=wanted["brand_id"], changed=changed)
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
                _AUTHORS.c.platform == platform, _AUTHORS.c.handle.in_(chunk)
            )
            for row in session.execute(stmt).mappings():
                found[(row["platform"], row["handle"])] = dict(row)
    return found


def _new_row(
    key: AuthorKey, author: CanonicalAuthor, official: Mapping[AuthorKey, int], now: datetime
) -> dict[str, Any]:
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
    }


def _merged(
    row: Mapping[str, Any], incoming: CanonicalAuthor, brand_id: int | None
) -> dict[str, Any]:
    """The stored author with what this delivery actually carried laid over it."""
    given = incoming.model_fields_set
    return {
        "external_id": incoming.external_id or row["external_id"],
        "display_name": incoming.display_name or row["display_name"],
        "followers": incoming.followers if "followers" in given else row["followers"],
        "verified": incoming.verified if "verified" in given else row["verified"],
        "is_automated": incoming.is_automated if "is_automated" in given else row["is_automated"],
        "brand_id": brand_id if brand_id is not None else row["brand_id"],
    }
