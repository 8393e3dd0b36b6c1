"""Rebuilding every rollup from scratch in one streaming pass (after an import, or a bench).

The incremental path claims each ``(post, brand)`` pair with a conflict-ignoring insert, which
is right for a trickle of events and wasteful for a million posts.  :func:`rebuild_rollups`
empties the rollup tables, streams every matched post once, aggregates in memory and writes the
rows with plain bulk inserts.  Posts without enrichment are counted as ``unknown``.  Each
pair's contribution comes from :mod:`tocsin.listening.contributions`, like the incremental
path's, so a rebuild writes what the events would have built.

Example::

    rebuild_rollups(session=s)   # -> number of (post, brand) pairs counted
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from tocsin.ingestion.sql import chunked, table_of
from tocsin.listening.contributions import (
    brand_exclusions,
    contribution_of,
    contribution_query,
    receipt_row,
)
from tocsin.listening.rollups import CURSOR, KEEP_PER_DAY
from tocsin.listening.rollups_counts import RollupBatch, count_rows
from tocsin.listening.rollups_models import (
    DailyRollup,
    DailyTopItem,
    HourlyRollup,
    ListeningCursor,
    PostRollup,
)
from tocsin.types import utcnow

WRITE_CHUNK = 5000


def rebuild_rollups(*, session: Session, progress: Callable[[int], None] | None = None) -> int:
    """Replace all rollups with counts recomputed from posts; returns pairs counted."""
    for model in (HourlyRollup, DailyRollup, DailyTopItem, PostRollup):
        session.execute(delete(model))
    exclusions = brand_exclusions(session)
    batch = RollupBatch()
    receipts: list[dict[str, object]] = []
    now = utcnow()
    max_link = 0
    counted = 0
    stmt = contribution_query().execution_options(yield_per=WRITE_CHUNK)
    for row in session.execute(stmt):
        max_link = max(max_link, row[14])
        contribution = contribution_of(row, exclusions)
        assert contribution is not None  # without a grace period nothing waits
        batch.add(contribution)
        receipts.append(receipt_row(contribution, now=now))
        counted += 1
        if len(receipts) >= WRITE_CHUNK:
            _write_receipts(session, receipts)
            receipts = []
            if progress is not None:
                progress(counted)
    _write_receipts(session, receipts)
    _write_batch(session, batch, today=now.replace(hour=0, minute=0, second=0, microsecond=0))
    cursor = session.get(ListeningCursor, CURSOR)
    if cursor is None:
        session.add(ListeningCursor(name=CURSOR, value=max_link, updated_at=now))
    else:
        cursor.value = max(cursor.value, max_link)
    session.flush()
    return counted


def _write_receipts(session: Session, receipts: list[dict[str, object]]) -> None:
    if receipts:
        session.execute(insert(table_of(PostRollup)), receipts)


def _write_batch(session: Session, batch: RollupBatch, *, today: datetime) -> None:
    for model, counts in ((HourlyRollup, batch.hourly), (DailyRollup, batch.daily)):
        for part in chunked(count_rows(counts), WRITE_CHUNK):
            session.execute(insert(table_of(model)), list(part))
    groups: dict[tuple[int, datetime, str], list[tuple[str, int, int]]] = defaultdict(list)
    for (brand_id, day, kind, value), (count, reach) in batch.items.items():
        groups[(brand_id, day, kind)].append((value, count, reach))
    items: list[dict[str, object]] = []
    for (brand_id, day, kind), values in groups.items():
        if day < today and len(values) > KEEP_PER_DAY:
            by_reach = kind == "author"
            values = sorted(values, key=lambda v: (-(v[2] if by_reach else v[1]), v[0]))
            values = values[:KEEP_PER_DAY]
        items.extend(
            {
                "brand_id": brand_id,
                "day": day,
                "kind": kind,
                "value": value,
                "count": count,
                "reach": reach,
            }
            for value, count, reach in values
        )
    for part in chunked(items, WRITE_CHUNK):
        session.execute(insert(table_of(DailyTopItem)), list(part))
