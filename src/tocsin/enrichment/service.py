"""Enrich stored posts: load them, run the pipeline, upsert ``post_enrichments``.

Idempotent: enriching a post again replaces its row (an ``INSERT … ON CONFLICT DO UPDATE``
on SQLite and PostgreSQL), so a worker that redelivers a batch, or two workers that race on
the same post, never leave two rows.  A post without a language gets the detected one.

Example::

    pipeline = EnrichmentPipeline.from_config(PipelineConfig())
    enrich_posts(session=session, post_ids=[1, 2, 3], pipeline=pipeline)  # -> 3
    get_enrichment(session=session, post_id=1).priority
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.enrichment.base import Enrichment, PostInput
from tocsin.enrichment.models import PostEnrichment
from tocsin.enrichment.pipeline import EnrichmentPipeline
from tocsin.ingestion.models import Post
from tocsin.types import utcnow

#: Posts loaded per round trip (the pipeline batches again inside).
LOAD_CHUNK = 500


def post_input(post: Post) -> PostInput:
    """The pipeline's view of a stored post (the title, when any, is read with the text)."""
    author = post.author
    text = f"{post.title}\n{post.text}" if post.title else post.text
    return PostInput(
        id=str(post.id),
        text=text,
        lang=post.lang,
        platform=post.platform,
        author_handle=author.handle if author else None,
        author_followers=author.followers if author else 0,
        author_verified=author.verified if author else False,
        likes=post.likes,
        reposts=post.reposts,
        replies=post.replies,
        quotes=post.quotes,
        created_at=post.created_at,
    )


def _row_values(post_id: int, result: Enrichment, enriched_at: datetime) -> dict[str, Any]:
    return {
        "post_id": post_id,
        "lang": result.lang,
        "lang_confidence": result.lang_confidence,
        "sentiment": result.sentiment,
        "sentiment_score": result.sentiment_score,
        "intents": [hit.to_dict() for hit in result.intents],
        "complaint": result.complaint,
        "needs_reply": result.needs_reply,
        "priority": result.priority,
        "priority_reasons": [reason.to_dict() for reason in result.priority_reasons],
        "pii_spans": [span.to_dict() for span in result.pii],
        "explanations": result.explanations,
        "model_versions": result.model_versions,
        "enriched_at": enriched_at,
    }


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        from sqlalchemy.dialects import postgresql, sqlite

        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        statement = insert(PostEnrichment).values(rows)
        updates = {key: statement.excluded[key] for key in rows[0] if key != "post_id"}
        session.execute(statement.on_conflict_do_update(index_elements=["post_id"], set_=updates))
        return
    for row in rows:
        session.merge(PostEnrichment(**row))


def enrich_posts(
    *,
    session: Session,
    post_ids: Sequence[int],
    pipeline: EnrichmentPipeline,
    now: datetime | None = None,
) -> int:
    """Enrich the posts ``post_ids`` (missing or deleted ones are skipped); return how many.

    The caller owns the transaction: rows are flushed, not committed.
    """
    enriched_at = now or utcnow()
    unique_ids = list(dict.fromkeys(post_ids))
    done = 0
    for start in range(0, len(unique_ids), LOAD_CHUNK):
        chunk = unique_ids[start : start + LOAD_CHUNK]
        posts = (
            session.execute(select(Post).where(Post.id.in_(chunk), Post.deleted.is_(False)))
            .unique()
            .scalars()
            .all()
        )
        if not posts:
            continue
        results = pipeline.run([post_input(p) for p in posts], now=enriched_at)
        rows = []
        for post, result in zip(posts, results, strict=True):
            if not post.lang and result.lang:
                post.lang = result.lang[:8]
            rows.append(_row_values(post.id, result, enriched_at))
        _upsert(session, rows)
        done += len(posts)
    session.flush()
    return done


def get_enrichment(*, session: Session, post_id: int) -> PostEnrichment | None:
    """The stored enrichment of ``post_id``, if it was enriched."""
    return session.get(PostEnrichment, post_id, populate_existing=True)
