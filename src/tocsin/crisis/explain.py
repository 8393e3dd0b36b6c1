"""Why a series spiked, read from the posts of the spike against the day before.

:func:`explain_window` is fast (a few queries and counters) and runs when the alert fires:
volume against the usual, the terms and hashtags that rose most, the most-shared posts (with
personal data masked), languages, platforms, the sentiment shift, the share of authors never
seen on this brand and the reach.  :func:`emerging_narrative` clusters the spike's posts with
the sentence embedder and labels the largest group with its own top terms; it is slower, so it
runs after the alert has gone out.

Example::

    facts = explain_window(session=s, brand_id=1, start=t0, end=t0 + timedelta(minutes=10))
    facts["top_terms"]          # ["outage", "panne", "down", …]
    summary_line(facts)         # "412 mentions (4.8× usual) · 81% negative (usually 12%) · …"
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Post
from tocsin.listening.models import PostBrand
from tocsin.privacy.disclosure import disclose

WORD = re.compile(r"[#@]?[^\W\d_][\w'’-]{2,}", re.UNICODE)
_STOPWORDS = (
    "the and for are but not you your with this that have has was were they them what when "
    "from just all can its it's about there their out our get got how why who will would been",
    "les des une est pas que qui pour dans sur avec mais vous nous sont ont plus tout très",
    "por los las una que con para pero como está son del sus muy hay todo",
    "het een van dat niet met voor zijn maar ook nog wel naar bij door geen heb",
)
STOPWORDS = frozenset(word for line in _STOPWORDS for word in line.split(" "))
SPIKE_LIMIT = 3000
BASELINE = timedelta(hours=24)
NEW_AUTHOR_LOOKBACK = timedelta(days=30)


def _rows(session: Session, brand_id: int, start: datetime, end: datetime, limit: int) -> list[Any]:
    stmt = (
        select(Post, PostEnrichment.sentiment, PostEnrichment.lang)
        .join(PostBrand, PostBrand.post_id == Post.id)
        .outerjoin(PostEnrichment, PostEnrichment.post_id == Post.id)
        .where(
            PostBrand.brand_id == brand_id,
            PostBrand.post_created_at >= start,
            PostBrand.post_created_at < end,
            PostBrand.by_brand.is_(False),
            Post.direction == "inbound",
            Post.deleted.is_(False),
        )
        .order_by(PostBrand.post_created_at.desc())
        .limit(limit)
    )
    return list(session.execute(stmt).unique().all())


def tokens(text: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """Lower-cased words and hashtags of ``text`` without stop words or ``ignore``."""
    found = []
    for match in WORD.finditer(text.casefold()):
        word = match.group(0).strip("'’-")
        if word.startswith("@") or word in STOPWORDS or word.lstrip("#") in ignore:
            continue
        found.append(word)
    return found


def rising_terms(
    spike: Sequence[str],
    baseline: Sequence[str],
    *,
    ignore: frozenset[str] = frozenset(),
    top: int = 8,
) -> list[str]:
    """Terms much more frequent in ``spike`` than in ``baseline`` (count × log lift)."""
    spike_counts = Counter(t.lstrip("#") for text in spike for t in set(tokens(text, ignore)))
    base_counts = Counter(t.lstrip("#") for text in baseline for t in set(tokens(text, ignore)))
    n_spike, n_base = max(1, len(spike)), max(1, len(baseline))
    scored = []
    for term, count in spike_counts.items():
        if count < 2:
            continue
        lift = (count / n_spike) / ((base_counts[term] + 1) / (n_base + 1))
        if lift > 1.5:
            scored.append((count * math.log(lift), term))
    return [term for _score, term in sorted(scored, reverse=True)[:top]]


def _shares(counter: Counter[str], total: int, top: int = 4) -> list[dict[str, Any]]:
    return [
        {"name": name, "share": round(count / total, 3)}
        for name, count in counter.most_common(top)
        if total
    ]


def _brand_words(brand: Brand | None) -> frozenset[str]:
    if brand is None:
        return frozenset()
    names = [brand.name, brand.slug, *brand.aliases, *(h.get("handle", "") for h in brand.handles)]
    return frozenset(w for n in names for w in re.split(r"\W+", n.casefold()) if w)


def _new_author_share(
    session: Session, brand_id: int, start: datetime, author_ids: set[int]
) -> float:
    if not author_ids:
        return 0.0
    seen = set(
        session.scalars(
            select(Post.author_id)
            .join(PostBrand, PostBrand.post_id == Post.id)
            .where(
                PostBrand.brand_id == brand_id,
                PostBrand.post_created_at < start,
                PostBrand.post_created_at >= start - NEW_AUTHOR_LOOKBACK,
                Post.author_id.in_(list(author_ids)[:1000]),
            )
            .distinct()
        )
    )
    return round(1 - len(seen & author_ids) / len(author_ids), 3)


def explain_window(
    *, session: Session, brand_id: int, start: datetime, end: datetime
) -> dict[str, Any]:
    """The facts of a spike window compared with the 24 hours before it."""
    brand = session.get(Brand, brand_id)
    ignore = _brand_words(brand)
    spike = _rows(session, brand_id, start, end, SPIKE_LIMIT)
    base = _rows(session, brand_id, start - BASELINE, start, SPIKE_LIMIT)
    posts: list[Post] = [row[0] for row in spike]
    texts = [p.text for p in posts]
    negative = sum(1 for row in spike if row[1] == "negative")
    base_negative = sum(1 for row in base if row[1] == "negative")
    buckets = max(1.0, (end - start) / timedelta(minutes=5))
    base_per_bucket = len(base) / (BASELINE / timedelta(minutes=5))
    hashtags = Counter(t for text in texts for t in set(tokens(text, ignore)) if t.startswith("#"))
    authors = {p.author_id for p in posts if p.author_id is not None}
    followers = {p.author.id: p.author.followers for p in posts if p.author is not None}
    shared = sorted(posts, key=lambda p: (p.reposts + p.quotes, p.likes), reverse=True)[:3]
    shown = disclose(session=session, posts=shared, reveal=False)
    return {
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "volume": len(posts),
        "per_bucket": round(len(posts) / buckets, 1),
        "usual_per_bucket": round(base_per_bucket, 2),
        "negative_share": round(negative / len(posts), 3) if posts else 0.0,
        "usual_negative_share": round(base_negative / len(base), 3) if base else 0.0,
        "top_terms": [
            term
            for term in rising_terms(texts, [row[0].text for row in base], ignore=ignore)
            if "#" + term not in hashtags
        ][:6],
        "hashtags": [tag for tag, count in hashtags.most_common(5) if count >= 2],
        "languages": _shares(Counter((row[2] or row[0].lang or "?") for row in spike), len(spike)),
        "platforms": _shares(Counter(p.platform for p in posts), len(posts)),
        "new_author_share": _new_author_share(session, brand_id, start, authors),
        "authors": len(authors),
        "reach": int(sum(followers.values())),
        "most_shared": [
            {
                "post_id": p.id,
                "platform": p.platform,
                "author": p.author.handle if p.author is not None else "",
                "text": shown[p.id].text[:280] if p.id in shown else "",
                "url": p.url,
                "reshares": p.reposts + p.quotes,
            }
            for p in shared
        ],
    }


def summary_line(facts: dict[str, Any]) -> str:
    """The ten-second version of ``facts`` as one line of text."""
    parts = []
    usual = float(facts.get("usual_per_bucket") or 0)
    per_bucket = float(facts.get("per_bucket") or 0)
    ratio = f" ({per_bucket / usual:.1f}× usual)" if usual > 0 else ""
    parts.append(f"{facts.get('volume', 0)} mentions{ratio}")
    parts.append(
        f"{facts.get('negative_share', 0):.0%} negative "
        f"(usually {facts.get('usual_negative_share', 0):.0%})"
    )
    words = [*facts.get("hashtags", [])[:2], *facts.get("top_terms", [])[:4]]
    if words:
        parts.append("about " + ", ".join(dict.fromkeys(words)))
    parts.append(f"{facts.get('new_author_share', 0):.0%} new authors")
    langs = ", ".join(item["name"] for item in facts.get("languages", [])[:3])
    platforms = ", ".join(item["name"] for item in facts.get("platforms", [])[:3])
    if langs or platforms:
        parts.append(f"in {langs} on {platforms}")
    narrative = facts.get("narrative") or {}
    if narrative.get("label"):
        parts.append(f"narrative: {narrative['label']}")
    return " · ".join(parts)


def emerging_narrative(
    texts: Sequence[str], vectors: np.ndarray[Any, Any], *, threshold: float = 0.55
) -> dict[str, Any]:
    """The largest group of similar posts among ``texts`` and its label.

    Greedy leader clustering on normalised embeddings: a post joins the first group whose
    centroid is closer than ``threshold`` (cosine), else starts a group.  Order-dependent but
    bounded (one pass) and good enough to name what most of the spike says.
    """
    if len(texts) == 0:
        return {}
    centroids: list[np.ndarray[Any, Any]] = []
    members: list[list[int]] = []
    for index, vector in enumerate(vectors):
        if centroids:
            sims = np.array([float(c @ vector) / (np.linalg.norm(c) or 1.0) for c in centroids])
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                members[best].append(index)
                centroids[best] = centroids[best] + vector
                continue
        centroids.append(vector.astype(np.float64).copy())
        members.append([index])
    largest = max(range(len(members)), key=lambda i: len(members[i]))
    group = members[largest]
    inside = [texts[i] for i in group]
    outside = [texts[i] for i in range(len(texts)) if i not in set(group)]
    centroid = centroids[largest] / (np.linalg.norm(centroids[largest]) or 1.0)
    example = max(group, key=lambda i: float(vectors[i] @ centroid))
    terms = rising_terms(inside, outside, top=4) or rising_terms(inside, [], top=4)
    return {
        "label": ", ".join(terms[:4]),
        "share": round(len(group) / len(texts), 3),
        "size": len(group),
        "example_index": example,
    }
