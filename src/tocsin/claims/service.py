"""The fact sheet, matching posts to it, the misinformed badge and how each claim spreads.

Posts are matched against the active claims of the brands they mention (``post_brands``), so
this runs after brand matching.  Every new match of a false or misleading claim gets a
suggested correction (see :mod:`tocsin.claims.corrections`) waiting for a manager.

Example::

    claim = create_claim(session=s, brand_id=1, statement="Lumio sells your data",
                         verdict="false", corrections={"en": "We never sell data."},
                         source_url="https://lumio.example/privacy")
    match_posts_to_claims(session=s, post_ids=[10, 11])   # -> [ClaimMatch, …]
    misinformed(session=s, post_ids=[10])                  # -> {10: [ClaimMatch]}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tocsin.claims.corrections import suggest_correction
from tocsin.claims.events import ClaimMatched
from tocsin.claims.matching import cached_index
from tocsin.claims.models import VERDICTS, Claim, ClaimMatch
from tocsin.enrichment.embedding import Embedder, default_embedder
from tocsin.events.outbox import emit
from tocsin.ingestion.models import Post
from tocsin.ingestion.sql import insert_new, table_of
from tocsin.listening.models import PostBrand
from tocsin.types import utcnow


class ClaimError(ValueError):
    """A fact-sheet entry is invalid; the message says which field and how to fix it."""


def _check(
    verdict: str, source_url: str, corrections: dict[str, str], threshold: float | None
) -> None:
    if verdict not in VERDICTS:
        raise ClaimError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if not source_url.lower().startswith(("https://", "http://")):
        raise ClaimError("source_url must be an http(s) link to the proof")
    if verdict != "true" and not any(text.strip() for text in corrections.values()):
        raise ClaimError("a false or misleading claim needs a correction in at least one language")
    for lang in corrections:
        if not (2 <= len(lang) <= 8):
            raise ClaimError(f"correction language {lang!r} is not a language code such as 'en'")
    if threshold is not None and not 0.0 < threshold < 1.0:
        raise ClaimError("threshold must be between 0 and 1 (similarity), e.g. 0.5")


def create_claim(
    *,
    session: Session,
    brand_id: int,
    statement: str,
    verdict: str,
    corrections: dict[str, str],
    source_url: str,
    lang: str = "en",
    paraphrases: Sequence[str] = (),
    keywords: Sequence[str] = (),
    threshold: float | None = None,
) -> Claim:
    """Add a claim to a brand's fact sheet (validated before anything is stored)."""
    if not statement.strip():
        raise ClaimError("statement is empty: write the claim as people say it")
    _check(verdict, source_url, corrections, threshold)
    claim = Claim(
        brand_id=brand_id,
        statement=statement.strip(),
        lang=lang,
        verdict=verdict,
        corrections={k: v.strip() for k, v in corrections.items() if v.strip()},
        source_url=source_url,
        paraphrases=[p.strip() for p in paraphrases if p.strip()],
        keywords=[k.strip() for k in keywords if k.strip()],
        threshold=threshold,
        updated_at=utcnow(),
    )
    session.add(claim)
    session.flush()
    return claim


def fact_sheet(*, session: Session, brand_id: int, active_only: bool = False) -> list[Claim]:
    stmt = select(Claim).where(Claim.brand_id == brand_id).order_by(Claim.id)
    if active_only:
        stmt = stmt.where(Claim.active.is_(True))
    return list(session.scalars(stmt))


def match_posts_to_claims(
    *,
    session: Session,
    post_ids: Sequence[int],
    embedder: Embedder | None = None,
    now: datetime | None = None,
) -> list[ClaimMatch]:
    """Match the posts to their brands' active claims; store and return the new matches."""
    if not post_ids:
        return []
    links = session.execute(
        select(PostBrand.post_id, PostBrand.brand_id).where(
            PostBrand.post_id.in_(list(post_ids)), PostBrand.by_brand.is_(False)
        )
    ).all()
    brands_of: dict[int, set[int]] = defaultdict(set)
    for post_id, brand_id in links:
        brands_of[post_id].add(brand_id)
    claims = list(
        session.scalars(
            select(Claim).where(
                Claim.active.is_(True),
                Claim.brand_id.in_({b for bs in brands_of.values() for b in bs}),
            )
        )
    )
    if not claims:
        return []
    posts = list(
        session.scalars(
            select(Post).where(
                Post.id.in_(list(brands_of)),
                Post.deleted.is_(False),
                Post.direction == "inbound",
            )
        ).unique()
    )
    if not posts:
        return []
    index = cached_index(claims, embedder or default_embedder())
    brand_of_claim = {c.id: c.brand_id for c in claims}
    texts = [f"{p.title}\n{p.text}" if p.title else p.text for p in posts]
    rows: list[dict[str, object]] = []
    for post, hits in zip(posts, index.match(texts), strict=True):
        for hit in hits:
            if brand_of_claim[hit.claim_id] not in brands_of[post.id]:
                continue
            rows.append(
                {
                    "claim_id": hit.claim_id,
                    "post_id": post.id,
                    "post_created_at": post.created_at,
                    "similarity": hit.similarity,
                    "correction_similarity": hit.correction_similarity,
                    "keywords": list(hit.keywords),
                    "closest": hit.closest,
                    "matched_at": now or utcnow(),
                }
            )
    created = insert_new(
        session,
        table_of(ClaimMatch),
        rows,
        conflict=("claim_id", "post_id"),
        returning=("id",),
    )
    ids = [int(row[0]) for row in created]
    matches = list(session.scalars(select(ClaimMatch).where(ClaimMatch.id.in_(ids)))) if ids else []
    for match in matches:
        emit(
            session, ClaimMatched(match_id=match.id, claim_id=match.claim_id, post_id=match.post_id)
        )
        suggest_correction(session=session, match=match)
    return matches


def misinformed(*, session: Session, post_ids: Sequence[int]) -> dict[int, list[ClaimMatch]]:
    """The claim matches of each post that has any (what the "misinformed" badge shows)."""
    found: dict[int, list[ClaimMatch]] = defaultdict(list)
    if not post_ids:
        return found
    rows = session.scalars(
        select(ClaimMatch)
        .join(Claim, Claim.id == ClaimMatch.claim_id)
        .where(ClaimMatch.post_id.in_(list(post_ids)), Claim.verdict != "true")
        .order_by(ClaimMatch.similarity.desc())
    ).unique()
    for match in rows:
        found[match.post_id].append(match)
    return found


def claim_matches(*, session: Session, claim_id: int, limit: int = 50) -> list[ClaimMatch]:
    return list(
        session.scalars(
            select(ClaimMatch)
            .where(ClaimMatch.claim_id == claim_id)
            .order_by(ClaimMatch.post_created_at.desc(), ClaimMatch.id.desc())
            .limit(limit)
        ).unique()
    )


def spread(
    *, session: Session, claim_id: int, since: datetime, until: datetime
) -> list[tuple[datetime, int]]:
    """Matched posts per day from ``since`` to ``until`` (days with none included)."""
    first = since.replace(hour=0, minute=0, second=0, microsecond=0)
    times = session.scalars(
        select(ClaimMatch.post_created_at).where(
            ClaimMatch.claim_id == claim_id,
            ClaimMatch.post_created_at >= first,
            ClaimMatch.post_created_at < until,
        )
    )
    counts: dict[datetime, int] = defaultdict(int)
    for at in times:
        counts[at.replace(hour=0, minute=0, second=0, microsecond=0)] += 1
    days: list[tuple[datetime, int]] = []
    day = first
    while day < until and len(days) < 400:
        days.append((day, counts.get(day, 0)))
        day += timedelta(days=1)
    return days


def match_counts(*, session: Session, claim_ids: Sequence[int]) -> dict[int, int]:
    if not claim_ids:
        return {}
    rows = session.execute(
        select(ClaimMatch.claim_id, func.count())
        .where(ClaimMatch.claim_id.in_(list(claim_ids)))
        .group_by(ClaimMatch.claim_id)
    )
    return {int(c): int(n) for c, n in rows}
