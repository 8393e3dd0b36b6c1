"""A brand's dashboard computed from the rollups (never from the posts table at scale).

Three grouped queries over :class:`~tocsin.listening.rollups_models.HourlyRollup` give the
volume and sentiment series, the split by platform and language, and share of voice with the
competitors' sentiment benchmark; the top terms, hashtags and authors come from
:class:`~tocsin.listening.rollups_models.DailyTopItem`.  Daily items carry no platform,
language or sentiment, so when one of those filters is set and the filtered volume is small
(``LIVE_LIMIT``) the top lists are computed from the matching posts themselves; above that the
lists ignore those filters and say so (``items_filtered`` is False).

Example::

    board = build_dashboard(session=s, filters=DashboardFilters(brand_id=1, since=a, until=b))
    board.total, board.share_of_voice[0].share
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Author, Post
from tocsin.ingestion.sql import chunked
from tocsin.listening.models import PostBrand
from tocsin.listening.rollups_models import DailyRollup, DailyTopItem, HourlyRollup
from tocsin.listening.terms import name_tokens, post_terms

SENTIMENTS = ("positive", "neutral", "negative", "unknown")
#: Above this many filtered posts, top lists come from the (unfiltered) daily rollups.
LIVE_LIMIT = 5_000
TOP = 15


class DashboardError(ValueError):
    """The filters cannot be answered (unknown brand, empty range)."""


@dataclass(frozen=True)
class DashboardFilters:
    brand_id: int
    since: datetime
    until: datetime
    platforms: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    sentiments: tuple[str, ...] = ()

    @property
    def narrowed(self) -> bool:
        return bool(self.platforms or self.langs or self.sentiments)


@dataclass
class SeriesPoint:
    at: datetime
    posts: int
    reach: int
    by_sentiment: dict[str, int]


@dataclass
class BrandShare:
    brand_id: int
    name: str
    is_competitor: bool
    posts: int
    share: float
    positive: float
    negative: float
    #: (positive − negative) / posts, from −1 to 1.
    net_sentiment: float


@dataclass
class TopItem:
    value: str
    count: int
    reach: int


@dataclass
class Dashboard:
    brand_id: int
    brand_name: str
    filters: DashboardFilters
    granularity: str
    total: int = 0
    reach: int = 0
    complaints: int = 0
    sentiment: dict[str, int] = field(default_factory=dict)
    series: list[SeriesPoint] = field(default_factory=list)
    platforms: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    share_of_voice: list[BrandShare] = field(default_factory=list)
    top_terms: list[TopItem] = field(default_factory=list)
    top_hashtags: list[TopItem] = field(default_factory=list)
    top_authors: list[TopItem] = field(default_factory=list)
    items_filtered: bool = True

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["filters"]["since"] = self.filters.since.isoformat()
        data["filters"]["until"] = self.filters.until.isoformat()
        for point in data["series"]:
            point["at"] = point["at"].isoformat()
        return data


Key = tuple[Any, ...]


def _segments(filters: DashboardFilters, hourly_only: bool) -> list[tuple[Any, datetime, datetime]]:
    """Whole days read from the daily rollup, the ragged edges from the hourly one."""
    day = timedelta(days=1)
    first = filters.since.replace(hour=0, minute=0, second=0, microsecond=0)
    if first < filters.since:
        first += day
    last = filters.until.replace(hour=0, minute=0, second=0, microsecond=0)
    if hourly_only or first >= last:
        return [(HourlyRollup, filters.since, filters.until)]
    parts: list[tuple[Any, datetime, datetime]] = [(DailyRollup, first, last)]
    if filters.since < first:
        parts.append((HourlyRollup, filters.since, first))
    if last < filters.until:
        parts.append((HourlyRollup, last, filters.until))
    return parts


def _sum(
    session: Session,
    filters: DashboardFilters,
    brand_ids: list[int],
    keys: tuple[str, ...],
    values: tuple[str, ...] = ("posts",),
    *,
    hourly_only: bool = False,
) -> dict[Key, list[int]]:
    """``SUM(values) GROUP BY keys`` over the rollups in range, merged across both grains."""
    totals: dict[Key, list[int]] = {}
    for model, since, until in _segments(filters, hourly_only):
        group = [getattr(model, k) for k in keys]
        stmt = (
            select(*group, *(func.sum(getattr(model, v)) for v in values))
            .where(model.brand_id.in_(brand_ids), model.bucket >= since, model.bucket < until)
            .group_by(*group)
        )
        if filters.platforms:
            stmt = stmt.where(model.platform.in_(filters.platforms))
        if filters.langs:
            stmt = stmt.where(model.lang.in_(filters.langs))
        if filters.sentiments:
            stmt = stmt.where(model.sentiment.in_(filters.sentiments))
        for row in session.execute(stmt):
            key = tuple(row[: len(keys)])
            slot = totals.setdefault(key, [0] * len(values))
            for i, value in enumerate(row[len(keys) :]):
                slot[i] += int(value or 0)
    return totals


def family(session: Session, brand: Brand) -> list[Brand]:
    """The brand first, then its competitors (for a competitor: itself and its rivals)."""
    owner = brand.competitor_of if brand.competitor_of is not None else brand
    rivals = session.scalars(
        select(Brand).where(Brand.competitor_of_id == owner.id).order_by(Brand.name)
    ).all()
    members = [owner, *rivals]
    return [brand, *[b for b in members if b.id != brand.id]]


def build_dashboard(*, session: Session, filters: DashboardFilters) -> Dashboard:
    """Everything the dashboard page and ``GET /api/v1/listening/dashboard`` show."""
    brand = session.get(Brand, filters.brand_id)
    if brand is None:
        raise DashboardError(f"no brand with id {filters.brand_id}")
    if filters.until <= filters.since:
        raise DashboardError("the end of the range must come after its start")
    hourly = filters.until - filters.since <= timedelta(days=3)
    board = Dashboard(brand.id, brand.name, filters, "hour" if hourly else "day")
    _slices(session, filters, board)
    _series(session, filters, board, hourly=hourly)
    _share_of_voice(session, filters, board, family(session, brand))
    if filters.narrowed and _volume(session, filters) <= LIVE_LIMIT:
        _live_items(session, filters, board, brand)
    else:
        board.items_filtered = not filters.narrowed
        for kind, target in (
            ("term", board.top_terms),
            ("hashtag", board.top_hashtags),
            ("author", board.top_authors),
        ):
            target.extend(_top_items(session, filters, kind))
    return board


def _slices(session: Session, filters: DashboardFilters, board: Dashboard) -> None:
    sums = _sum(
        session,
        filters,
        [filters.brand_id],
        ("platform", "lang", "sentiment"),
        ("posts", "reach", "complaints"),
    )
    platforms: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    sentiment: Counter[str] = Counter()
    for (platform, lang, mood), (posts, reach, complaints) in sums.items():
        platforms[platform] += posts
        languages[lang] += posts
        sentiment[mood] += posts
        board.total += posts
        board.reach += reach
        board.complaints += complaints
    board.platforms = dict(platforms.most_common())
    board.languages = dict(languages.most_common())
    board.sentiment = {s: sentiment.get(s, 0) for s in SENTIMENTS}


def _series(session: Session, filters: DashboardFilters, board: Dashboard, *, hourly: bool) -> None:
    sums = _sum(
        session,
        filters,
        [filters.brand_id],
        ("bucket", "sentiment"),
        ("posts", "reach"),
        hourly_only=hourly,
    )
    points: dict[datetime, SeriesPoint] = {}
    for (bucket, mood), (posts, reach) in sums.items():
        key = bucket if hourly else bucket.replace(hour=0)
        point = points.get(key)
        if point is None:
            point = points[key] = SeriesPoint(key, 0, 0, dict.fromkeys(SENTIMENTS, 0))
        point.posts += posts
        point.reach += reach
        point.by_sentiment[mood] = point.by_sentiment.get(mood, 0) + posts
    step = timedelta(hours=1) if hourly else timedelta(days=1)
    start = filters.since.replace(minute=0, second=0, microsecond=0)
    if not hourly:
        start = start.replace(hour=0)
    at = start
    while at < filters.until and len(board.series) < 5000:
        board.series.append(points.get(at) or SeriesPoint(at, 0, 0, dict.fromkeys(SENTIMENTS, 0)))
        at += step


def _share_of_voice(
    session: Session, filters: DashboardFilters, board: Dashboard, brands: list[Brand]
) -> None:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    sums = _sum(session, filters, [b.id for b in brands], ("brand_id", "sentiment"))
    for (brand_id, mood), (posts,) in sums.items():
        counts[brand_id][mood] += posts
    grand = sum(sum(c.values()) for c in counts.values())
    for b in brands:
        c = counts.get(b.id, Counter())
        posts = sum(c.values())
        board.share_of_voice.append(
            BrandShare(
                brand_id=b.id,
                name=b.name,
                is_competitor=b.id != board.brand_id,
                posts=posts,
                share=posts / grand if grand else 0.0,
                positive=c["positive"] / posts if posts else 0.0,
                negative=c["negative"] / posts if posts else 0.0,
                net_sentiment=(c["positive"] - c["negative"]) / posts if posts else 0.0,
            )
        )


def _volume(session: Session, filters: DashboardFilters) -> int:
    """The brand's posts in range whatever the other filters (what a live count would read)."""
    whole = replace(filters, platforms=(), langs=(), sentiments=())
    return sum(v[0] for v in _sum(session, whole, [filters.brand_id], ("brand_id",)).values())


def _top_items(session: Session, filters: DashboardFilters, kind: str) -> list[TopItem]:
    count = func.sum(DailyTopItem.count)
    reach = func.max(DailyTopItem.reach) if kind == "author" else func.sum(DailyTopItem.reach)
    order = reach.desc() if kind == "author" else count.desc()
    first_day = filters.since.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = session.execute(
        select(DailyTopItem.value, count, reach)
        .where(
            DailyTopItem.brand_id == filters.brand_id,
            DailyTopItem.kind == kind,
            DailyTopItem.day >= first_day,
            DailyTopItem.day < filters.until,
        )
        .group_by(DailyTopItem.value)
        .order_by(order, DailyTopItem.value)
        .limit(TOP)
    )
    return [TopItem(value, int(c), int(r)) for value, c, r in rows]


def _live_items(
    session: Session, filters: DashboardFilters, board: Dashboard, brand: Brand
) -> None:
    # Read the brand's post ids through its (brand_id, post_created_at) index first: left to
    # itself SQLite may drive the join from the sentiment or language index instead.
    post_ids = list(
        session.scalars(
            select(PostBrand.post_id)
            .where(
                PostBrand.brand_id == filters.brand_id,
                PostBrand.by_brand.is_(False),
                PostBrand.post_created_at >= filters.since,
                PostBrand.post_created_at < filters.until,
            )
            .limit(LIVE_LIMIT)
        )
    )
    exclude = name_tokens([brand.name, *brand.aliases])
    terms: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    authors: dict[str, list[int]] = {}
    for chunk in chunked(post_ids, 900):
        stmt = (
            select(Post.text, Post.title, Author.handle, Author.followers)
            .outerjoin(Author, Author.id == Post.author_id)
            .outerjoin(PostEnrichment, PostEnrichment.post_id == Post.id)
            .where(Post.id.in_(chunk), Post.direction == "inbound", Post.deleted.is_(False))
        )
        if filters.platforms:
            stmt = stmt.where(Post.platform.in_(filters.platforms))
        if filters.langs:
            stmt = stmt.where(func.coalesce(PostEnrichment.lang, Post.lang).in_(filters.langs))
        if filters.sentiments:
            wanted = [s for s in filters.sentiments if s != "unknown"]
            cond: Any = PostEnrichment.sentiment.in_(wanted)
            if "unknown" in filters.sentiments:
                cond = cond | PostEnrichment.sentiment.is_(None)
            stmt = stmt.where(cond)
        for text, title, handle, followers in session.execute(stmt):
            found, hashtags = post_terms(f"{title}\n{text}" if title else text, exclude=exclude)
            terms.update(found)
            tags.update(hashtags)
            if handle:
                slot = authors.setdefault(handle, [0, 0])
                slot[0] += 1
                slot[1] = max(slot[1], int(followers or 0))
    board.top_terms = [TopItem(v, c, 0) for v, c in terms.most_common(TOP)]
    board.top_hashtags = [TopItem(v, c, 0) for v, c in tags.most_common(TOP)]
    ranked = sorted(authors.items(), key=lambda kv: (-kv[1][1], kv[0]))[:TOP]
    board.top_authors = [TopItem(h, v[0], v[1]) for h, v in ranked]
