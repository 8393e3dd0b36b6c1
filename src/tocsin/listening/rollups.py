"""Maintaining the dashboard rollups incrementally, idempotently, and in bulk.

Matching and enrichment are separate subscribers of ``PostIngested``, so when the rollup runs a
post may be matched but not yet enriched.  :func:`rollup_posts` counts only posts that have
both, and :func:`catch_up` (a periodic job) walks ``post_brands`` past a stored cursor to count
the ones whose enrichment arrived later; after ``grace`` a post still without enrichment is
counted with sentiment ``unknown`` rather than never.  A ``(post, brand)`` pair is claimed in
:class:`~tocsin.listening.rollups_models.PostRollup` before it is added, so redelivery, the
catch-up job and a second worker never count it twice.

Example::

    rollup_posts(session=s, post_ids=[1, 2, 3])          # -> pairs counted now
    catch_up(session=s, now=utcnow())                     # from the periodic job
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Author, Post
from tocsin.ingestion.sql import chunked, insert_new, table_of
from tocsin.listening.models import PostBrand
from tocsin.listening.rollups_models import (
    UNKNOWN,
    DailyRollup,
    DailyTopItem,
    HourlyRollup,
    ListeningCursor,
    PostRollup,
)
from tocsin.listening.terms import name_tokens, post_terms
from tocsin.types import utcnow

#: How long a matched post waits for its enrichment before it is counted as ``unknown``.
DEFAULT_GRACE = timedelta(minutes=15)
CURSOR = "rollups"
#: Items kept per brand, day and kind once the day is over.
KEEP_PER_DAY = 300


@dataclass
class RollupBatch:
    """Counts accumulated in memory, written with one upsert per table."""

    hourly: dict[tuple[int, datetime, str, str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0])
    )
    daily: dict[tuple[int, datetime, str, str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0])
    )
    items: dict[tuple[int, datetime, str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )

    def add(self, row: RollupRow, exclude: set[str]) -> None:
        hour = row.created_at.replace(minute=0, second=0, microsecond=0)
        day = hour.replace(hour=0)
        reach = row.followers
        for table, bucket in ((self.hourly, hour), (self.daily, day)):
            slot = table[(row.brand_id, bucket, row.platform, row.lang, row.sentiment)]
            slot[0] += 1
            slot[1] += reach
            slot[2] += row.engagement
            slot[3] += int(row.complaint)
        terms, hashtags = post_terms(row.text, exclude=exclude)
        for kind, values in (("term", terms), ("hashtag", hashtags)):
            for value in values:
                item = self.items[(row.brand_id, day, kind, value)]
                item[0] += 1
                item[1] += reach
        if row.handle:
            author = self.items[(row.brand_id, day, "author", row.handle[:200])]
            author[0] += 1
            author[1] = max(author[1], reach)


@dataclass(frozen=True)
class RollupRow:
    post_id: int
    brand_id: int
    created_at: datetime
    platform: str
    lang: str
    sentiment: str
    complaint: bool
    followers: int
    engagement: int
    handle: str | None
    text: str


def _upsert(session: Session, batch: RollupBatch) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    biggest = func.greatest if dialect == "postgresql" else func.max
    for model, counts in ((HourlyRollup, batch.hourly), (DailyRollup, batch.daily)):
        table = table_of(model)
        for part in chunked(count_rows(counts), 500):
            stmt = insert(table).values(list(part))
            session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["brand_id", "bucket", "platform", "lang", "sentiment"],
                    set_={name: table.c[name] + stmt.excluded[name] for name in COUNTERS},
                )
            )
    items = [
        {"brand_id": k[0], "day": k[1], "kind": k[2], "value": k[3], "count": v[0], "reach": v[1]}
        for k, v in sorted(batch.items.items())
    ]
    items_table = table_of(DailyTopItem)
    for part in chunked(items, 500):
        stmt = insert(items_table).values(list(part))
        reach = stmt.excluded.reach
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["brand_id", "day", "kind", "value"],
                set_={
                    "count": items_table.c["count"] + stmt.excluded["count"],
                    "reach": _reach_update(items_table.c, reach, stmt.excluded.kind, biggest),
                },
            )
        )


COUNTERS = ("posts", "reach", "engagement", "complaints")


def count_rows(
    counts: dict[tuple[int, datetime, str, str, str], list[int]],
) -> list[dict[str, Any]]:
    """Rows for :class:`HourlyRollup` or :class:`DailyRollup` from accumulated counts."""
    return [
        {
            "brand_id": k[0],
            "bucket": k[1],
            "platform": k[2],
            "lang": k[3],
            "sentiment": k[4],
            **dict(zip(COUNTERS, v, strict=True)),
        }
        for k, v in sorted(counts.items())
    ]


def _reach_update(columns: Any, excluded_reach: Any, kind: Any, biggest: Any) -> Any:
    from sqlalchemy import case

    return case(
        (kind == "author", biggest(columns.reach, excluded_reach)),
        else_=columns.reach + excluded_reach,
    )


def brand_exclusions(session: Session) -> dict[int, set[str]]:
    brands = session.scalars(select(Brand)).all()
    return {b.id: name_tokens([b.name, *b.aliases]) for b in brands}


def _candidates(session: Session, post_ids: Sequence[int]) -> list[Any]:
    return list(
        session.execute(
            select(
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
                PostBrand.matched_at,
            )
            .join(Post, Post.id == PostBrand.post_id)
            .outerjoin(Author, Author.id == Post.author_id)
            .outerjoin(PostEnrichment, PostEnrichment.post_id == PostBrand.post_id)
            .outerjoin(
                PostRollup,
                and_(
                    PostRollup.post_id == PostBrand.post_id,
                    PostRollup.brand_id == PostBrand.brand_id,
                ),
            )
            .where(
                PostBrand.post_id.in_(post_ids),
                PostRollup.post_id.is_(None),
                PostBrand.by_brand.is_(False),
                Post.direction == "inbound",
                Post.deleted.is_(False),
            )
        )
    )


def rollup_posts(
    *,
    session: Session,
    post_ids: Sequence[int],
    now: datetime | None = None,
    grace: timedelta = DEFAULT_GRACE,
) -> tuple[int, set[tuple[int, int]]]:
    """Count the matched, enriched posts among ``post_ids``; return (counted, waiting pairs).

    A waiting pair is matched but not enriched yet and still inside ``grace``.
    """
    now = now or utcnow()
    exclusions = brand_exclusions(session)
    counted = 0
    waiting: set[tuple[int, int]] = set()
    for chunk in chunked(list(dict.fromkeys(post_ids)), 500):
        rows: list[RollupRow] = []
        for r in _candidates(session, chunk):
            sentiment = r[10]
            if sentiment is None:
                if r[13] is not None and now - r[13] < grace:
                    waiting.add((r[0], r[1]))
                    continue
                sentiment = UNKNOWN
            text = f"{r[6]}\n{r[5]}" if r[6] else r[5]
            rows.append(
                RollupRow(
                    post_id=r[0],
                    brand_id=r[1],
                    created_at=r[2],
                    platform=r[3],
                    lang=(r[11] or r[4] or "und")[:8],
                    sentiment=sentiment,
                    complaint=bool(r[12]),
                    followers=int(r[9] or 0),
                    engagement=int(r[7] or 0),
                    handle=r[8],
                    text=text or "",
                )
            )
        counted += _count(session, rows, exclusions, now)
    session.flush()
    return counted, waiting


def _count(
    session: Session, rows: list[RollupRow], exclusions: dict[int, set[str]], now: datetime
) -> int:
    if not rows:
        return 0
    claimed = {
        (int(p), int(b))
        for p, b in insert_new(
            session,
            table_of(PostRollup),
            [
                {
                    "post_id": r.post_id,
                    "brand_id": r.brand_id,
                    "sentiment": r.sentiment,
                    "rolled_at": now,
                }
                for r in rows
            ],
            conflict=("post_id", "brand_id"),
            returning=("post_id", "brand_id"),
        )
    }
    batch = RollupBatch()
    for row in rows:
        if (row.post_id, row.brand_id) in claimed:
            batch.add(row, exclusions.get(row.brand_id, set()))
    _upsert(session, batch)
    return len(claimed)


def catch_up(
    *,
    session: Session,
    now: datetime | None = None,
    grace: timedelta = DEFAULT_GRACE,
    limit: int = 5000,
) -> int:
    """Count matched posts the event path missed; advance the cursor past settled ones."""
    cursor = session.get(ListeningCursor, CURSOR)
    if cursor is None:
        cursor = ListeningCursor(name=CURSOR, value=0)
        session.add(cursor)
    links = session.execute(
        select(PostBrand.id, PostBrand.post_id, PostBrand.brand_id)
        .where(PostBrand.id > cursor.value)
        .order_by(PostBrand.id)
        .limit(limit)
    ).all()
    if not links:
        return 0
    counted, waiting = rollup_posts(
        session=session, post_ids=[link[1] for link in links], now=now, grace=grace
    )
    pending = [link[0] for link in links if (link[1], link[2]) in waiting]
    cursor.value = (min(pending) - 1) if pending else links[-1][0]
    cursor.updated_at = now or utcnow()
    session.flush()
    return counted


def prune_items(*, session: Session, before: datetime, keep: int = KEEP_PER_DAY) -> int:
    """Keep only the ``keep`` most frequent items per brand, day and kind for days < ``before``."""
    groups = session.execute(
        select(DailyTopItem.brand_id, DailyTopItem.day, DailyTopItem.kind)
        .where(DailyTopItem.day < before)
        .group_by(DailyTopItem.brand_id, DailyTopItem.day, DailyTopItem.kind)
        .having(func.count() > keep)
    ).all()
    removed = 0
    for brand_id, day, kind in groups:
        ids = session.scalars(
            select(DailyTopItem.id)
            .where(
                DailyTopItem.brand_id == brand_id,
                DailyTopItem.day == day,
                DailyTopItem.kind == kind,
            )
            .order_by(
                (DailyTopItem.reach if kind == "author" else DailyTopItem.count).desc(),
                DailyTopItem.id,
            )
            .offset(keep)
        ).all()
        for part in chunked(list(ids)):
            session.query(DailyTopItem).filter(DailyTopItem.id.in_(part)).delete(
                synchronize_session=False
            )
        removed += len(ids)
    return removed


def all_matched_post_ids(session: Session, *, chunk: int = 20_000) -> Iterable[list[int]]:
    """Every matched post id, in chunks (for a full rebuild)."""
    last = 0
    while True:
        ids = list(
            session.scalars(
                select(PostBrand.post_id)
                .where(PostBrand.post_id > last)
                .group_by(PostBrand.post_id)
                .order_by(PostBrand.post_id)
                .limit(chunk)
            )
        )
        if not ids:
            return
        yield ids
        last = ids[-1]
