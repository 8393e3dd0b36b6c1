"""Rebuilding every rollup from scratch in one streaming pass (after an import, or a bench).

The incremental path claims each ``(post, brand)`` pair with a conflict-ignoring insert, which
is right for a trickle of events and wasteful for a million posts.  :func:`rebuild_rollups`
empties the rollup tables, streams every matched post once, aggregates in memory and writes the
rows with plain bulk inserts.  Posts without enrichment are counted as ``unknown``.

Example::

    rebuild_rollups(session=s)   # -> number of (post, brand) pairs counted
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Author, Post
from tocsin.ingestion.sql import chunked, table_of
from tocsin.listening.models import PostBrand
from tocsin.listening.rollups import (
    CURSOR,
    KEEP_PER_DAY,
    RollupBatch,
    RollupRow,
    brand_exclusions,
    count_rows,
)
from tocsin.listening.rollups_models import (
    UNKNOWN,
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
    marks: list[dict[str, object]] = []
    now = utcnow()
    max_link = 0
    stmt = (
        select(
            PostBrand.id,
            PostBrand.post_id,
            PostBrand.brand_id,
            Post.created_at,
            Post.platform,
            Post.lang,
            Post.text,
            Post.title,
            Post.likes + Post.reposts + Post.replies + Post.quotes,
            Author.handle,
            Author.followers,
            PostEnrichment.sentiment,
            PostEnrichment.lang,
            PostEnrichment.complaint,
        )
        .join(Post, Post.id == PostBrand.post_id)
        .outerjoin(Author, Author.id == Post.author_id)
        .outerjoin(PostEnrichment, PostEnrichment.post_id == PostBrand.post_id)
        .where(
            PostBrand.by_brand.is_(False),
            Post.direction == "inbound",
            Post.deleted.is_(False),
        )
        .execution_options(yield_per=WRITE_CHUNK)
    )
    counted = 0
    rows: Any = session.execute(stmt)  # 14 columns: more than the Row type spells out
    for r in rows:
        max_link = max(max_link, r[0])
        sentiment = r[11] or UNKNOWN
        text = f"{r[7]}\n{r[6]}" if r[7] else r[6]
        row = RollupRow(
            post_id=r[1],
            brand_id=r[2],
            created_at=r[3],
            platform=r[4],
            lang=(r[12] or r[5] or "und")[:8],
            sentiment=sentiment,
            complaint=bool(r[13]),
            followers=int(r[10] or 0),
            engagement=int(r[8] or 0),
            handle=r[9],
            text=text or "",
        )
        batch.add(row, exclusions.get(row.brand_id, set()))
        marks.append(
            {
                "post_id": row.post_id,
                "brand_id": row.brand_id,
                "sentiment": sentiment,
                "rolled_at": now,
            }
        )
        counted += 1
        if len(marks) >= WRITE_CHUNK:
            _write_marks(session, marks)
            marks = []
            if progress is not None:
                progress(counted)
    _write_marks(session, marks)
    _write_batch(session, batch, today=now.replace(hour=0, minute=0, second=0, microsecond=0))
    cursor = session.get(ListeningCursor, CURSOR)
    if cursor is None:
        session.add(ListeningCursor(name=CURSOR, value=max_link, updated_at=now))
    else:
        cursor.value = max(cursor.value, max_link)
    session.flush()
    return counted


def _write_marks(session: Session, marks: list[dict[str, object]]) -> None:
    if marks:
        session.execute(insert(table_of(PostRollup)), marks)


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
