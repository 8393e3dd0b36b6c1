"""The import loop shared by every file format: stream, batch, ingest, count.

A reader yields ``(line number, CanonicalPost | reason)`` one record at a time, so memory stays
constant whatever the file size.  Records are ingested in batches (1,000 by default), each in its
own transaction: a bad line is counted with its number and reason and never blocks the others,
and a batch that was committed is never touched again by a later failure.

Example::

    reader = JsonlReader(Path("posts.jsonl"))
    summary = run_import(session_factory=factory, records=reader)
    summary.imported, summary.rejections[:20]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from tocsin.ingestion.models import Author, Post
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.ingestion.sql import refresh_statistics, table_of

DEFAULT_BATCH_SIZE = 1000
#: How many rejections a summary keeps in full (the rest are only counted).
KEPT_REJECTIONS = 1000

#: After these batches, refresh the planner's statistics (PostgreSQL bulk loads).
_ANALYZE_AFTER = frozenset({1, 4, 16, 64, 256, 1024, 4096})

Record = tuple[int, CanonicalPost | str]
"""A line number and either the post read there or the reason it was rejected."""

BatchHook = Callable[[Session, list[CanonicalPost]], None]


@dataclass(frozen=True)
class LineRejection:
    line: int
    reason: str


@dataclass
class ImportSummary:
    """What an import did, line by line for the rejections (the first ones kept in full)."""

    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    edited: int = 0
    deleted: int = 0
    rejected: int = 0
    rejections: list[LineRejection] = field(default_factory=list)
    #: Format-specific facts worth telling the user ("created brand AcmeHelp").
    notes: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.imported + self.updated + self.duplicates + self.rejected

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.rejections) < KEPT_REJECTIONS:
            self.rejections.append(LineRejection(line, reason))


def run_import(
    *,
    session_factory: sessionmaker[Session],
    records: Iterable[Record],
    batch_size: int = DEFAULT_BATCH_SIZE,
    source_id: int | None = None,
    before_batch: BatchHook | None = None,
    after_batch: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    """Ingest ``records`` in batches of ``batch_size``, one transaction per batch.

    ``before_batch`` runs inside the batch's transaction before its posts are ingested (the
    TWCS importer creates missing brands there); ``after_batch`` is told after each commit
    (progress bars).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    summary = ImportSummary()
    posts: list[CanonicalPost] = []
    lines: list[int] = []
    batches = 0

    def flush() -> None:
        nonlocal batches
        if not posts:
            return
        with session_factory.begin() as session:
            if before_batch is not None:
                before_batch(session, posts)
            report = ingest_posts(session=session, posts=posts, source_id=source_id)
        batches += 1
        if batches in _ANALYZE_AFTER:
            with session_factory.begin() as session:
                refresh_statistics(session, [table_of(Post), table_of(Author)])
        summary.imported += report.imported
        summary.updated += report.updated
        summary.duplicates += report.duplicates
        summary.edited += report.edited
        summary.deleted += report.deleted
        for rejection in report.rejected:
            summary.reject(lines[rejection.index], rejection.reason)
        posts.clear()
        lines.clear()
        if after_batch is not None:
            after_batch(summary)

    for line, item in records:
        if isinstance(item, str):
            summary.reject(line, item)
            continue
        posts.append(item)
        lines.append(line)
        if len(posts) >= batch_size:
            flush()
    flush()
    if after_batch is not None:
        after_batch(summary)
    return summary
