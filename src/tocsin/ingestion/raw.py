"""Store raw first, process second: the raw payload archive used by webhooks and pollers.

A webhook handler or poller calls :func:`store_raw` and commits at once, so a crash or a bug
downstream never loses what a platform sent; a re-delivery of the same payload is a no-op
(``(platform, sha256 of its canonical JSON)`` is unique).  :func:`process_pending_raw` later
normalises pending payloads with the platform's normaliser (see :mod:`.normalise`), ingests the
posts and marks each payload ``done`` or ``rejected`` with the error.

Example::

    store_raw(session=session, platform="canonical", payload=body)
    session.commit()
    ...
    report = process_pending_raw(session=session)
    session.commit()
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.ingestion.models import Post, RawPayload
from tocsin.ingestion.normalise import get_normaliser, registered_platforms
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import (
    ERASED,
    IngestReport,
    ItemOutcome,
    ingest_posts,
    validation_reason,
)
from tocsin.ingestion.sql import chunked, insert_ignoring, payload_digest, table_of
from tocsin.types import utcnow

_RAW = table_of(RawPayload)
_MAX_ERROR = 2000


def store_raw(
    *,
    session: Session,
    platform: str,
    payload: dict[str, Any],
    source_id: int | None = None,
    external_id: str | None = None,
) -> RawPayload | None:
    """Archive ``payload`` as pending; return the new row, or ``None`` if already archived."""
    if not isinstance(payload, dict):
        raise TypeError("a raw payload must be a JSON object (a dict)")
    values = {
        "platform": platform,
        "source_id": source_id,
        "external_id": external_id,
        "digest": payload_digest(payload),
        "payload": payload,
        "received_at": utcnow(),
        "status": "pending",
        "error": None,
    }
    stmt = insert_ignoring(session, _RAW, ("platform", "digest")).values(values)
    new_id = session.execute(stmt.returning(_RAW.c.id)).scalar_one_or_none()
    if new_id is None:
        return None
    return session.get(RawPayload, new_id)


def process_pending_raw(*, session: Session, limit: int = 500) -> IngestReport:
    """Normalise and ingest up to ``limit`` pending payloads, oldest first.

    Payloads of a platform without a registered normaliser stay pending.  On PostgreSQL rows
    are claimed with ``FOR UPDATE SKIP LOCKED`` so several workers can share the backlog.
    The report's outcomes are the normalised posts in order, followed by one ``rejected``
    outcome per payload that could not be normalised.  Nothing is committed.
    """
    stmt = (
        select(RawPayload)
        .where(RawPayload.status == "pending", RawPayload.platform.in_(registered_platforms()))
        .order_by(RawPayload.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list(session.scalars(stmt))

    produced: dict[int, list[CanonicalPost]] = {}
    failures: list[tuple[RawPayload, str]] = []
    for row in rows:
        try:
            produced[row.id] = get_normaliser(row.platform)(row.payload)
        except ValidationError as exc:
            failures.append((row, validation_reason(exc)))
        except Exception as exc:  # noqa: BLE001 - a bad payload must not stop the others
            failures.append((row, f"{type(exc).__name__}: {exc}"))

    report = IngestReport()
    by_source: dict[int | None, list[RawPayload]] = defaultdict(list)
    for row in rows:
        if row.id in produced:
            by_source[row.source_id].append(row)
    single: dict[int, RawPayload] = {}
    for source_id, source_rows in by_source.items():
        posts = [post for row in source_rows for post in produced[row.id]]
        part = ingest_posts(session=session, posts=posts, source_id=source_id, archive_raw=False)
        _merge(report, part)
        outcomes = iter(part.outcomes)
        for row in source_rows:
            row_outcomes = [next(outcomes) for _ in produced[row.id]]
            _settle(row, row_outcomes, produced[row.id])
            if len(row_outcomes) == 1 and row_outcomes[0].post_id is not None:
                single[row_outcomes[0].post_id] = row
    _erase_deleted(session, single)
    for row, reason in failures:
        row.status, row.error = "rejected", reason[:_MAX_ERROR]
        report.outcomes.append(
            ItemOutcome(len(report.outcomes), "rejected", reason=f"raw payload {row.id}: {reason}")
        )
    session.flush()
    return report


def _settle(row: RawPayload, outcomes: list[ItemOutcome], posts: list[CanonicalPost]) -> None:
    """Mark a normalised payload done (or rejected if every post it held was rejected)."""
    rejected = [o for o in outcomes if o.status == "rejected"]
    if len(posts) == 1:
        row.external_id = posts[0].external_id
    if rejected and len(rejected) == len(outcomes):
        row.status = "rejected"
    else:
        row.status = "done"
    if rejected:
        details = "; ".join(f"post {o.index}: {o.reason}" for o in rejected)
        row.error = f"{len(rejected)} of {len(outcomes)} posts rejected: {details}"[:_MAX_ERROR]
    else:
        row.error = None


def _erase_deleted(session: Session, rows_by_post: dict[int, RawPayload]) -> None:
    """Blank the archived payload of posts that are tombstones (the digest stays)."""
    if not rows_by_post:
        return
    ids = list(rows_by_post)
    for chunk in chunked(ids):
        stmt = select(Post.id).where(Post.id.in_(chunk), Post.deleted.is_(True))
        for post_id in session.scalars(stmt):
            rows_by_post[post_id].payload = {}
            rows_by_post[post_id].error = ERASED


def _merge(report: IngestReport, part: IngestReport) -> None:
    offset = len(report.outcomes)
    for outcome in part.outcomes:
        report.outcomes.append(
            ItemOutcome(offset + outcome.index, outcome.status, outcome.post_id, outcome.reason)
        )
    report.imported += part.imported
    report.updated += part.updated
    report.duplicates += part.duplicates
    report.edited += part.edited
    report.deleted += part.deleted
