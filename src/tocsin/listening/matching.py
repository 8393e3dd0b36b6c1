"""Matching stored posts against every brand's listening query.

The brands' queries are compiled once into a :class:`~tocsin.listening.query.QuerySet` and
cached until a brand's query changes (the cache key is a fingerprint of the queries).  A post
written by a brand's own official account is linked to that brand even when it names nothing.

Example::

    match_posts(session=session, post_ids=[1, 2, 3])   # -> number of (post, brand) links made
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.ingestion.models import Author, Post
from tocsin.ingestion.sql import insert_ignoring, table_of
from tocsin.listening.models import PostBrand
from tocsin.listening.query import MatchablePost, QueryError, QuerySet, brand_default_query


class BrandQueryError(ValueError):
    """A brand's query does not compile; the message names the brand and the position."""


def brand_query(brand: Brand) -> str:
    """The brand's own query, or the default built from its names, handles and keywords."""
    if brand.query.strip():
        return brand.query
    return brand_default_query(brand.name, brand.aliases, brand.handles, brand.keywords)


@dataclass(frozen=True)
class BrandMatcher:
    fingerprint: str
    queries: QuerySet
    competitor: dict[int, bool]
    official: dict[tuple[str, str], int]


_cache: dict[str, BrandMatcher] = {}
_lock = threading.Lock()


def brand_matcher(session: Session) -> BrandMatcher:
    """The compiled matcher for the brands as they are now (cached by fingerprint)."""
    brands = list(session.scalars(select(Brand).order_by(Brand.id)))
    texts = {b.id: brand_query(b) for b in brands}
    signature = [(b.id, texts[b.id], b.competitor_of_id, repr(b.handles)) for b in brands]
    fingerprint = hashlib.sha256(repr(signature).encode()).hexdigest()[:16]
    with _lock:
        cached = _cache.get(fingerprint)
        if cached is not None:
            return cached
        compiled: dict[str, str] = {}
        for brand in brands:
            try:
                QuerySet({str(brand.id): texts[brand.id]})
            except QueryError as exc:
                raise BrandQueryError(f"brand {brand.name!r}: {exc}") from exc
            compiled[str(brand.id)] = texts[brand.id]
        official = {
            (h.get("platform", ""), h.get("handle", "").lstrip("@").casefold()): b.id
            for b in brands
            for h in b.handles
        }
        matcher = BrandMatcher(
            fingerprint=fingerprint,
            queries=QuerySet(compiled),
            competitor={b.id: b.competitor_of_id is not None for b in brands},
            official=official,
        )
        _cache.clear()
        _cache[fingerprint] = matcher
        return matcher


def match_posts(*, session: Session, post_ids: Sequence[int], rematch: bool = False) -> int:
    """Link each post to the brands it mentions; idempotent. Returns links created."""
    if not post_ids:
        return 0
    matcher = brand_matcher(session)
    rows = session.execute(
        select(Post, Author.handle)
        .outerjoin(Author, Author.id == Post.author_id)
        .where(Post.id.in_(post_ids), Post.deleted.is_(False))
    ).all()
    if rematch:
        session.execute(delete(PostBrand).where(PostBrand.post_id.in_(post_ids)))
    links: list[dict[str, object]] = []
    for post, handle in rows:
        matchable = MatchablePost(
            text=post.text,
            lang=post.lang,
            platform=post.platform,
            author_handle=handle,
            title=post.title,
        )
        explained = matcher.queries.explain(matchable)
        author_brand = matcher.official.get((post.platform, (handle or "").casefold()))
        brand_ids = {int(name) for name in explained}
        if author_brand is not None:
            brand_ids.add(author_brand)
        for brand_id in brand_ids:
            links.append(
                {
                    "post_id": post.id,
                    "brand_id": brand_id,
                    "post_created_at": post.created_at,
                    "is_competitor": matcher.competitor.get(brand_id, False),
                    "by_brand": brand_id == author_brand,
                    "matched_terms": explained.get(str(brand_id), ["official account"]),
                    "query_version": matcher.fingerprint,
                }
            )
    if not links:
        return 0
    stmt = insert_ignoring(session, table_of(PostBrand), ("post_id", "brand_id"))
    result = session.execute(stmt.returning(table_of(PostBrand).c.id), links)
    return len(result.all())
