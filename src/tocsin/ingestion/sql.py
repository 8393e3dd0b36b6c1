"""Portable bulk SQL for ingestion: conflict-ignoring inserts, chunked ``IN`` lists, digests.

Ingestion must stay correct when two workers deliver the same post at once, so inserts go
through ``INSERT … ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL spell it the same way in
SQLAlchemy's dialect constructs) and the caller re-reads what it did not insert.

Example::

    stmt = insert_ignoring(session, Author.__table__, ("platform", "handle"))
    inserted = session.execute(stmt.returning(Author.__table__.c.id), rows).all()
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session

T = TypeVar("T")

#: Largest ``IN (...)`` list sent in one statement (well under every backend's limit).
IN_CHUNK = 1000


class UnsupportedDatabaseError(RuntimeError):
    """Ingestion needs ``ON CONFLICT``: only SQLite and PostgreSQL are supported."""


def table_of(model: type[DeclarativeBase]) -> Table:
    """The :class:`Table` behind an ORM model (typed, for Core statements)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def insert_ignoring(
    session: Session, table: Table, conflict_columns: Sequence[str]
) -> sqlite.Insert | postgresql.Insert:
    """An ``INSERT`` into ``table`` that silently skips rows violating ``conflict_columns``."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(conflict_columns))
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(
            index_elements=list(conflict_columns)
        )
    raise UnsupportedDatabaseError(f"ingestion does not support the {dialect!r} database")


def chunked(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """Yield consecutive slices of ``items`` of at most ``size`` elements."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def canonical_json(payload: Any) -> bytes:
    """The payload as canonical JSON bytes: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def payload_digest(payload: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``payload``: equal payloads, equal digests.

    >>> payload_digest({"b": 1, "a": 2}) == payload_digest({"a": 2, "b": 1})
    True
    """
    return hashlib.sha256(canonical_json(payload)).hexdigest()
