"""Narratives: online clustering of a brand's posts that say the same thing, across languages.

Each post is embedded with the multilingual sentence encoder and joins the closest active
narrative of its brand when the cosine similarity to its centroid reaches :data:`JOIN`; else it
starts a new one.  Centroids are rows (a running mean, renormalised), so clustering continues
across batches, workers and restarts.  A narrative is shown once it has :data:`MIN_SIZE`
posts; younger singletons are pruned.  Labels are c-TF-IDF-like: terms frequent in this
narrative and rare in the brand's other narratives.

Example::

    assign_narratives(session=s, post_ids=[1, 2, 3])       # -> posts placed
    [n.label for n in top_narratives(session=s, brand_id=1, since=yesterday)]
    narrative_for_posts(session=s, post_ids=[1])            # -> {1: [7]}
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from tocsin.enrichment.embedding import Embedder, default_embedder
from tocsin.ingestion.models import Post
from tocsin.ingestion.sql import insert_ignoring, table_of
from tocsin.listening.models import PostBrand
from tocsin.listening.narratives_models import Narrative, PostNarrative
from tocsin.listening.terms import name_tokens, post_terms
from tocsin.types import utcnow

JOIN = 0.55
MIN_SIZE = 3
ACTIVE = timedelta(days=7)
PRUNE_AFTER = timedelta(days=2)
KEEP_TERMS = 60
REPRESENTATIVES = 3


def _unplaced(session: Session, post_ids: Sequence[int]) -> list[tuple[Post, int]]:
    return [
        (post, brand_id)
        for post, brand_id in session.execute(
            select(Post, PostBrand.brand_id)
            .join(PostBrand, PostBrand.post_id == Post.id)
            .outerjoin(
                PostNarrative,
                and_(
                    PostNarrative.post_id == Post.id,
                    PostNarrative.brand_id == PostBrand.brand_id,
                ),
            )
            .where(
                Post.id.in_(list(post_ids)),
                PostBrand.by_brand.is_(False),
                Post.direction == "inbound",
                Post.deleted.is_(False),
                PostNarrative.post_id.is_(None),
            )
            .order_by(Post.created_at, Post.id)
        ).unique()
    ]


def assign_narratives(
    *,
    session: Session,
    post_ids: Sequence[int],
    embedder: Embedder | None = None,
    now: datetime | None = None,
) -> int:
    """Place each not yet placed post in a narrative of each brand it mentions."""
    pairs = _unplaced(session, post_ids) if post_ids else []
    if not pairs:
        return 0
    texts = [f"{p.title}\n{p.text}" if p.title else p.text for p, _ in pairs]
    vectors = (embedder or default_embedder()).embed(texts)
    by_brand: dict[int, list[int]] = defaultdict(list)
    for i, (_post, brand_id) in enumerate(pairs):
        by_brand[brand_id].append(i)
    placed: list[tuple[int, int, Narrative, float]] = []
    for brand_id, indexes in by_brand.items():
        clusters = _Clusters(session, brand_id, now or utcnow())
        for i in indexes:
            narrative, similarity = clusters.place(pairs[i][0], vectors[i])
            placed.append((i, brand_id, narrative, similarity))
    session.flush()
    links = [
        {
            "post_id": pairs[i][0].id,
            "brand_id": brand_id,
            "narrative_id": narrative.id,
            "post_created_at": pairs[i][0].created_at,
            "similarity": round(similarity, 4),
        }
        for i, brand_id, narrative, similarity in placed
    ]
    session.execute(
        insert_ignoring(session, table_of(PostNarrative), ("post_id", "brand_id")), links
    )
    session.flush()
    return len(links)


class _Clusters:
    """The active narratives of one brand, their centroids as a matrix, updated in place."""

    def __init__(self, session: Session, brand_id: int, now: datetime) -> None:
        from tocsin.brands.models import Brand

        brand = session.get(Brand, brand_id)
        self.exclude = name_tokens([brand.name, *brand.aliases]) if brand else set()
        self.session = session
        self.brand_id = brand_id
        self.narratives = list(
            session.scalars(
                select(Narrative).where(
                    Narrative.brand_id == brand_id, Narrative.last_seen_at >= now - ACTIVE
                )
            )
        )
        self.centroids = [np.asarray(n.centroid, dtype=np.float32) for n in self.narratives]

    def place(self, post: Post, vector: np.ndarray) -> tuple[Narrative, float]:
        best, similarity = -1, 0.0
        if self.centroids:
            sims = np.stack(self.centroids) @ vector
            best = int(sims.argmax())
            similarity = float(sims[best])
        if best < 0 or similarity < JOIN:
            narrative = Narrative(
                brand_id=self.brand_id,
                centroid=[float(x) for x in vector],
                size=0,
                term_counts={},
                lang_counts={},
                representatives=[],
                first_seen_at=post.created_at,
                last_seen_at=post.created_at,
            )
            self.session.add(narrative)
            self.narratives.append(narrative)
            self.centroids.append(np.asarray(vector, dtype=np.float32))
            best, similarity = len(self.narratives) - 1, 1.0
        narrative = self.narratives[best]
        self.centroids[best] = self._join(narrative, self.centroids[best], vector, post, similarity)
        return narrative, similarity

    def _join(
        self,
        narrative: Narrative,
        centroid: np.ndarray,
        vector: np.ndarray,
        post: Post,
        similarity: float,
    ) -> np.ndarray:
        size = narrative.size
        mean = centroid * size + vector if size else vector.copy()
        norm = float(np.linalg.norm(mean)) or 1.0
        updated = (mean / norm).astype(np.float32)
        narrative.centroid = [round(float(x), 6) for x in updated]
        narrative.size = size + 1
        terms, hashtags = post_terms(post.text, exclude=self.exclude)
        counts = Counter(narrative.term_counts)
        counts.update(terms + hashtags)
        narrative.term_counts = dict(counts.most_common(KEEP_TERMS))
        langs = Counter(narrative.lang_counts)
        langs[post.lang or "und"] += 1
        narrative.lang_counts = dict(langs)
        reps = [r for r in narrative.representatives if int(r[0]) != post.id]
        if post.id is not None:
            reps.append([post.id, round(similarity, 4)])
        narrative.representatives = sorted(reps, key=lambda r: -r[1])[:REPRESENTATIVES]
        narrative.first_seen_at = min(narrative.first_seen_at, post.created_at)
        narrative.last_seen_at = max(narrative.last_seen_at, post.created_at)
        narrative.updated_at = utcnow()
        return updated


@dataclass(frozen=True)
class NarrativeView:
    """A narrative as the dashboard shows it."""

    id: int
    size: int
    label: list[str]
    languages: dict[str, int]
    representatives: list[Post]
    recent: int
    previous: int
    first_seen_at: datetime
    last_seen_at: datetime

    @property
    def trend(self) -> float:
        """Growth of the last window over the one before (1.0 = doubled; new = recent)."""
        if self.previous == 0:
            return float(self.recent)
        return (self.recent - self.previous) / self.previous


def labels(narratives: Sequence[Narrative], top: int = 5) -> dict[int, list[str]]:
    """c-TF-IDF: terms frequent in a narrative and rare across the brand's others."""
    overall: Counter[str] = Counter()
    for n in narratives:
        overall.update(n.term_counts)
    average = sum(overall.values()) / max(1, len(narratives))
    result: dict[int, list[str]] = {}
    for n in narratives:
        total = sum(n.term_counts.values()) or 1
        scored = sorted(
            n.term_counts.items(),
            key=lambda kv: (-(kv[1] / total) * math.log(1 + average / overall[kv[0]]), kv[0]),
        )
        result[n.id] = [term for term, _ in scored[:top]]
    return result


def top_narratives(
    *,
    session: Session,
    brand_id: int,
    since: datetime,
    until: datetime | None = None,
    limit: int = 10,
    window: timedelta = timedelta(hours=24),
) -> list[NarrativeView]:
    """The brand's biggest narratives active in the range, with labels and trend."""
    until = until or utcnow()
    rows = list(
        session.scalars(
            select(Narrative)
            .where(
                Narrative.brand_id == brand_id,
                Narrative.size >= MIN_SIZE,
                Narrative.last_seen_at >= since,
                Narrative.first_seen_at < until,
            )
            .order_by(Narrative.size.desc(), Narrative.id)
            .limit(limit)
        )
    )
    return [_view(session, n, labels(rows).get(n.id, []), until, window) for n in rows]


def get_narrative(
    *, session: Session, narrative_id: int, window: timedelta = timedelta(hours=24)
) -> NarrativeView | None:
    narrative = session.get(Narrative, narrative_id)
    if narrative is None:
        return None
    siblings = list(
        session.scalars(
            select(Narrative).where(
                Narrative.brand_id == narrative.brand_id, Narrative.size >= MIN_SIZE
            )
        )
    )
    if narrative not in siblings:
        siblings.append(narrative)
    return _view(session, narrative, labels(siblings)[narrative.id], utcnow(), window)


def _view(
    session: Session, n: Narrative, label: list[str], until: datetime, window: timedelta
) -> NarrativeView:
    recent = narrative_volume(session=session, narrative_id=n.id, since=until - window, until=until)
    previous = narrative_volume(
        session=session, narrative_id=n.id, since=until - 2 * window, until=until - window
    )
    ids = [int(r[0]) for r in n.representatives]
    posts = {p.id: p for p in session.scalars(select(Post).where(Post.id.in_(ids))).unique()}
    return NarrativeView(
        id=n.id,
        size=n.size,
        label=label,
        languages=dict(sorted(n.lang_counts.items(), key=lambda kv: -kv[1])),
        representatives=[posts[i] for i in ids if i in posts],
        recent=recent,
        previous=previous,
        first_seen_at=n.first_seen_at,
        last_seen_at=n.last_seen_at,
    )


def narrative_volume(
    *, session: Session, narrative_id: int, since: datetime, until: datetime
) -> int:
    """Posts of a narrative published in ``[since, until)`` (for the crisis radar)."""
    return int(
        session.scalar(
            select(func.count()).where(
                PostNarrative.narrative_id == narrative_id,
                PostNarrative.post_created_at >= since,
                PostNarrative.post_created_at < until,
            )
        )
        or 0
    )


def narrative_for_posts(*, session: Session, post_ids: Sequence[int]) -> dict[int, list[int]]:
    """The narratives each post belongs to (one per brand it mentions)."""
    found: dict[int, list[int]] = defaultdict(list)
    if post_ids:
        for post_id, narrative_id in session.execute(
            select(PostNarrative.post_id, PostNarrative.narrative_id).where(
                PostNarrative.post_id.in_(list(post_ids))
            )
        ):
            found[post_id].append(narrative_id)
    return found


def narrative_posts(*, session: Session, narrative_id: int, limit: int = 50) -> list[Post]:
    return list(
        session.scalars(
            select(Post)
            .join(PostNarrative, PostNarrative.post_id == Post.id)
            .where(PostNarrative.narrative_id == narrative_id)
            .order_by(PostNarrative.post_created_at.desc())
            .limit(limit)
        ).unique()
    )


def prune_narratives(*, session: Session, now: datetime | None = None) -> int:
    """Delete narratives below :data:`MIN_SIZE` that got no post for :data:`PRUNE_AFTER`."""
    cutoff = (now or utcnow()) - PRUNE_AFTER
    stale = list(
        session.scalars(
            select(Narrative.id).where(Narrative.size < MIN_SIZE, Narrative.updated_at < cutoff)
        )
    )
    if stale:
        session.execute(delete(PostNarrative).where(PostNarrative.narrative_id.in_(stale)))
        session.execute(delete(Narrative).where(Narrative.id.in_(stale)))
    return len(stale)
