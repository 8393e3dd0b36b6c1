"""Adding newly ingested posts to their buckets without re-reading the whole bucket.

At 200 posts/s a brand's 5-minute bucket holds tens of thousands of mentions; recomputing it on
every pass would grow with its size.  The ``PostIngested`` subscriber instead adds the new
posts' *contribution* (``value = value + delta``).  That is exact once per post because the
handler's writes commit in the same transaction as the event's ``dispatched_at`` (a failed
handler is rolled back to its savepoint), and the periodic sweep still recomputes buckets from
the store (:func:`tocsin.crisis.series.refresh_buckets`) to fold in late enrichments.

Example::

    brands = add_posts(session=s, post_ids=[101, 102])   # -> {brand ids touched}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tocsin.crisis.models import MetricBucket
from tocsin.crisis.series import BUCKET, GROUPED_METRICS, bucket_of, mentions_query
from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Post
from tocsin.ingestion.sql import table_of
from tocsin.listening.models import PostBrand
from tocsin.types import as_utc, utcnow

Key = tuple[int, datetime]


def _earlier_authors(
    session: Session, brand_id: int, bucket: datetime, authors: set[int], new_ids: list[int]
) -> set[int]:
    """Authors among ``authors`` who already had a mention of the brand in ``bucket``."""
    rows = session.scalars(
        select(Post.author_id)
        .join(PostBrand, PostBrand.post_id == Post.id)
        .where(
            Post.author_id.in_(list(authors)),
            PostBrand.brand_id == brand_id,
            PostBrand.post_created_at >= bucket,
            PostBrand.post_created_at < bucket + BUCKET,
            PostBrand.by_brand.is_(False),
            Post.id.not_in(new_ids),
        )
        .distinct()
    )
    return {a for a in rows if a is not None}


def add_posts(*, session: Session, post_ids: Sequence[int]) -> list[tuple[int, datetime]]:
    """Add the posts' contributions to their buckets; return their (brand, post time) links."""
    ids = list(dict.fromkeys(post_ids))
    if not ids:
        return []
    columns = [
        PostBrand.brand_id,
        PostBrand.post_created_at,
        Post.author_id,
        PostEnrichment.sentiment,
        Post.reposts + Post.quotes,
    ]
    families = [(f.prefix, f.column()) for f in GROUPED_METRICS if f.column() is not None]
    stmt = mentions_query(session).add_columns(*columns, *(c for _p, c in families))
    rows: list[tuple[Any, ...]] = []
    for first in range(0, len(ids), 1000):
        chunk = stmt.where(PostBrand.post_id.in_(ids[first : first + 1000]))
        rows.extend(tuple(row) for row in session.execute(chunk))
    deltas: dict[tuple[int, str, datetime], float] = defaultdict(float)
    authors: dict[Key, set[int]] = defaultdict(set)
    links: list[tuple[int, datetime]] = []
    for brand_id, created, author_id, sentiment, reshares, *groups in rows:
        at = bucket_of(created)
        links.append((brand_id, as_utc(created)))
        deltas[(brand_id, "volume", at)] += 1
        deltas[(brand_id, "negative_volume", at)] += 1 if sentiment == "negative" else 0
        deltas[(brand_id, "reshares", at)] += float(reshares or 0)
        if author_id is not None:
            authors[(brand_id, at)].add(author_id)
        for (prefix, _column), key in zip(families, groups, strict=True):
            if key is not None:
                deltas[(brand_id, f"{prefix}:{key}", at)] += 1
    for (brand_id, at), found in authors.items():
        seen = _earlier_authors(session, brand_id, at, found, ids)
        deltas[(brand_id, "unique_authors", at)] += len(found - seen)
    now = utcnow()
    _add(
        session,
        [
            {"brand_id": b, "metric": m, "bucket_start": at, "value": v, "updated_at": now}
            for (b, m, at), v in deltas.items()
        ],
    )
    _shares(session, {(b, at) for (b, _m, at) in deltas}, now)
    return links


def _add(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = table_of(MetricBucket)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for first in range(0, len(rows), 500):
        stmt = insert(table).values(rows[first : first + 500])
        stmt = stmt.on_conflict_do_update(
            index_elements=["brand_id", "metric", "bucket_start"],
            set_={
                "value": table.c.value + stmt.excluded.value,
                "updated_at": stmt.excluded.updated_at,
            },
        )
        session.execute(stmt)


def _shares(session: Session, keys: set[Key], now: datetime) -> None:
    """Recompute ``negative_share`` from the updated volume and negative volume."""
    if not keys:
        return
    brand_ids = {b for b, _at in keys}
    stamps = {at for _b, at in keys}
    rows = session.execute(
        select(
            MetricBucket.brand_id,
            MetricBucket.bucket_start,
            MetricBucket.metric,
            MetricBucket.value,
        ).where(
            MetricBucket.brand_id.in_(brand_ids),
            MetricBucket.bucket_start.in_(stamps),
            MetricBucket.metric.in_(("volume", "negative_volume")),
        )
    )
    values: dict[Key, dict[str, float]] = defaultdict(dict)
    for brand_id, at, metric, value in rows:
        values[(brand_id, as_utc(at))][metric] = float(value)
    shares = []
    for key in keys:
        volume = values[key].get("volume", 0.0)
        share = values[key].get("negative_volume", 0.0) / volume if volume else 0.0
        shares.append(
            {
                "brand_id": key[0],
                "metric": "negative_share",
                "bucket_start": key[1],
                "value": share,
                "updated_at": now,
            }
        )
    table = table_of(MetricBucket)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table).values(shares)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["brand_id", "metric", "bucket_start"],
            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        )
    )
