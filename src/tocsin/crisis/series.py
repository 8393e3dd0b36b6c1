"""Per-brand series in 5-minute buckets, computed from the store and kept as rows.

Each bucket is *recomputed* from ``post_brands`` ⨝ ``posts`` ⨝ ``post_enrichments`` whenever a
post in it arrives (or its enrichment lands later), then upserted into ``metric_buckets``: a
retried event or a second worker writes the same numbers, never double counts.  Metrics:

* ``volume``: mentions (inbound, not written by the brand itself);
* ``negative_volume`` and ``negative_share``: mentions whose sentiment is negative;
* ``unique_authors``; ``reshares``: reposts + quotes of the bucket's posts (reshare velocity);
* ``narrative:{id}``: mentions per narrative, when posts carry a ``narrative_id`` (pluggable:
  register another :class:`GroupedMetric` in :data:`GROUPED_METRICS`).

Example::

    refresh_buckets(session=s, dirty={(brand_id, bucket_of(post.created_at))})
    load_values(session=s, brand_id=1, metric="volume", start=t0, end=t1)  # {bucket: value}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, and_, case, cast, func, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from tocsin.crisis.models import MetricBucket
from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Post
from tocsin.ingestion.sql import table_of
from tocsin.listening.models import PostBrand
from tocsin.types import as_utc, utcnow

BUCKET_SECONDS = 300
BUCKET = timedelta(seconds=BUCKET_SECONDS)
CORE_METRICS = ("volume", "negative_volume", "negative_share", "unique_authors", "reshares")
#: Metrics that count mentions: the radar's minimum-volume guard reads ``volume``.
VOLUME_METRIC = "volume"

Key = tuple[int, datetime]


def bucket_of(moment: datetime) -> datetime:
    """The start of the 5-minute bucket holding ``moment`` (UTC)."""
    seconds = int(as_utc(moment).timestamp())
    return datetime.fromtimestamp(seconds - seconds % BUCKET_SECONDS, tz=UTC)


def bucket_epoch(session: Session, column: Any) -> ColumnElement[int]:
    """SQL for the bucket start of ``column`` in epoch seconds, on SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        seconds = cast(func.floor(func.extract("epoch", column)), BigInteger)
    else:
        seconds = cast(func.strftime("%s", column), BigInteger)
    return seconds - seconds % BUCKET_SECONDS


def mentions_query(session: Session) -> Any:
    """The base FROM/WHERE: a brand's inbound mentions, not written by the brand itself."""
    return (
        select()
        .select_from(PostBrand)
        .join(Post, Post.id == PostBrand.post_id)
        .outerjoin(PostEnrichment, PostEnrichment.post_id == PostBrand.post_id)
        .where(
            PostBrand.by_brand.is_(False),
            Post.direction == "inbound",
            Post.deleted.is_(False),
        )
    )


@dataclass(frozen=True)
class GroupedMetric:
    """A family of metrics split by a post attribute, e.g. volume per narrative.

    ``column`` returns the SQL column to group by, or None when the store lacks it (the
    narrative column arrives with the listening module): the family is then skipped.
    """

    prefix: str
    column: Callable[[], Any]


def _narrative_column() -> Any:
    return getattr(Post, "narrative_id", None)


GROUPED_METRICS: list[GroupedMetric] = [GroupedMetric("narrative", _narrative_column)]


def compute_buckets(
    *, session: Session, brand_ids: Sequence[int], start: datetime, end: datetime
) -> dict[tuple[int, str, datetime], float]:
    """Every metric of the brands ``brand_ids`` for the buckets in ``[start, end)``."""
    bucket = bucket_epoch(session, PostBrand.post_created_at).label("bucket")
    negatives = func.sum(case((PostEnrichment.sentiment == "negative", 1), else_=0))
    window = and_(
        PostBrand.brand_id.in_(list(brand_ids)),
        PostBrand.post_created_at >= start,
        PostBrand.post_created_at < end,
    )
    stmt = (
        mentions_query(session)
        .add_columns(
            PostBrand.brand_id,
            bucket,
            func.count(),
            negatives,
            func.count(func.distinct(Post.author_id)),
            func.coalesce(func.sum(Post.reposts + Post.quotes), 0),
        )
        .where(window)
        .group_by(PostBrand.brand_id, literal_column("bucket"))
    )
    values: dict[tuple[int, str, datetime], float] = {}
    rows: list[tuple[Any, ...]] = [tuple(row) for row in session.execute(stmt)]
    for brand_id, epoch, volume, negative, authors, reshares in rows:
        at = datetime.fromtimestamp(int(epoch), tz=UTC)
        values[(brand_id, "volume", at)] = float(volume)
        values[(brand_id, "negative_volume", at)] = float(negative or 0)
        values[(brand_id, "negative_share", at)] = float(negative or 0) / volume if volume else 0.0
        values[(brand_id, "unique_authors", at)] = float(authors)
        values[(brand_id, "reshares", at)] = float(reshares or 0)
    for family in GROUPED_METRICS:
        column = family.column()
        if column is None:
            continue
        grouped = (
            mentions_query(session)
            .add_columns(PostBrand.brand_id, bucket, column, func.count())
            .where(window, column.is_not(None))
            .group_by(PostBrand.brand_id, literal_column("bucket"), column)
        )
        groups: list[tuple[Any, ...]] = [tuple(row) for row in session.execute(grouped)]
        for brand_id, epoch, key, count in groups:
            at = datetime.fromtimestamp(int(epoch), tz=UTC)
            values[(brand_id, f"{family.prefix}:{key}", at)] = float(count)
    return values


def refresh_buckets(*, session: Session, dirty: Iterable[Key]) -> set[int]:
    """Recompute and upsert the buckets in ``dirty``; return the brands touched.

    Brands whose dirty buckets span the same range share one query (the live case: every
    brand's current bucket).
    """
    per_brand: dict[int, set[datetime]] = defaultdict(set)
    for brand_id, at in dirty:
        per_brand[brand_id].add(bucket_of(at))
    by_range: dict[tuple[datetime, datetime], list[int]] = defaultdict(list)
    for brand_id, buckets in per_brand.items():
        by_range[(min(buckets), max(buckets) + BUCKET)].append(brand_id)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for (start, end), brand_ids in by_range.items():
        values = compute_buckets(session=session, brand_ids=brand_ids, start=start, end=end)
        for brand_id in brand_ids:  # a bucket left empty (deleted posts) goes back to zero
            for at in per_brand[brand_id]:
                for metric in CORE_METRICS:
                    values.setdefault((brand_id, metric, at), 0.0)
        rows.extend(
            {"brand_id": b, "metric": m, "bucket_start": at, "value": v, "updated_at": now}
            for (b, m, at), v in values.items()
        )
    _upsert(session, rows)
    return set(per_brand)


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = table_of(MetricBucket)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for first in range(0, len(rows), 500):
        stmt = insert(table).values(rows[first : first + 500])
        stmt = stmt.on_conflict_do_update(
            index_elements=["brand_id", "metric", "bucket_start"],
            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        )
        session.execute(stmt)


def links_for_posts(*, session: Session, post_ids: Iterable[int]) -> list[tuple[int, datetime]]:
    """(brand id, post time) of every brand link of the posts ``post_ids``."""
    ids = list(post_ids)
    found: list[tuple[int, datetime]] = []
    for first in range(0, len(ids), 1000):
        rows = session.execute(
            select(PostBrand.brand_id, PostBrand.post_created_at).where(
                PostBrand.post_id.in_(ids[first : first + 1000])
            )
        )
        found.extend((brand_id, as_utc(at)) for brand_id, at in rows)
    return found


def load_values(
    *, session: Session, brand_id: int, metric: str, start: datetime, end: datetime
) -> dict[datetime, float]:
    """Stored bucket values of one series in ``[start, end)``; missing buckets are absent."""
    rows = session.execute(
        select(MetricBucket.bucket_start, MetricBucket.value).where(
            MetricBucket.brand_id == brand_id,
            MetricBucket.metric == metric,
            MetricBucket.bucket_start >= start,
            MetricBucket.bucket_start < end,
        )
    )
    return {as_utc(at): float(value) for at, value in rows}


def series_metrics(*, session: Session, brand_id: int) -> list[str]:
    """The metrics stored for a brand: the core ones first, then grouped ones by name."""
    names = set(
        session.scalars(
            select(MetricBucket.metric).where(MetricBucket.brand_id == brand_id).distinct()
        )
    )
    return [m for m in CORE_METRICS if m in names] + sorted(names - set(CORE_METRICS))


def chart_series(
    *, session: Session, brand_id: int, start: datetime, end: datetime, metrics: Iterable[str]
) -> Mapping[str, list[float]] | dict[str, Any]:
    """Aligned columns for a chart: ``{"t": [epoch…], metric: [value…]}`` with zeros filled."""
    first = bucket_of(start)
    times: list[datetime] = []
    at = first
    while at < end:
        times.append(at)
        at += BUCKET
    result: dict[str, Any] = {"t": [int(t.timestamp()) for t in times]}
    for metric in metrics:
        values = load_values(
            session=session, brand_id=brand_id, metric=metric, start=first, end=end
        )
        result[metric] = [values.get(t, 0.0) for t in times]
    return result
