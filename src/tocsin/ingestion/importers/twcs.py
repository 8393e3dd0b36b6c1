"""The "Customer Support on Twitter" (TWCS) CSV: customers' tweets and brands' replies.

Columns: ``tweet_id, author_id, inbound, created_at, text, response_tweet_id,
in_response_to_tweet_id``.  Every row is an X post; ``inbound=False`` rows were written by a
brand's support account, so they are stored as ``outbound`` and their author becomes one of that
brand's official accounts (the :class:`Brand` is created if no brand owns the handle yet).
``created_at`` looks like ``Tue Oct 31 22:10:47 +0000 2017``.

Threads are rebuilt from ``in_response_to_tweet_id``: each post gets its parent and, once the
whole file is in, the id of its thread's first tweet (:func:`resolve_threads`), even when a reply
comes before its parent in the file.

Example::

    summary = import_twcs(session_factory=factory, path=Path("twcs.csv"))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, sessionmaker

from tocsin.brands.models import Brand
from tocsin.ingestion.authors import official_accounts
from tocsin.ingestion.importers.base import (
    DEFAULT_BATCH_SIZE,
    ImportSummary,
    Record,
    run_import,
)
from tocsin.ingestion.importers.csvfile import CsvFileError, CsvRows
from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost, Engagement
from tocsin.ingestion.service import validation_reason
from tocsin.ingestion.sql import table_of

COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
DATE_FORMAT = "%a %b %d %H:%M:%S %z %Y"
PLATFORM = "x"
#: A thread deeper than 2**64 tweets does not exist; the cap only guards against cycles.
_MAX_PASSES = 64
_POSTS = table_of(Post)


class TwcsReader:
    """Stream canonical posts out of a TWCS file."""

    def __init__(self, path: Path, *, encoding: str = "utf-8") -> None:
        self.rows = CsvRows(path, encoding=encoding)
        if tuple(self.rows.header) != COLUMNS:
            raise CsvFileError(
                f"{path} is not a TWCS file: its header should be {','.join(COLUMNS)}"
            )

    @property
    def bytes_read(self) -> int:
        return self.rows.bytes_read

    @property
    def total_bytes(self) -> int:
        return self.rows.total_bytes

    def __iter__(self) -> Iterator[Record]:
        for line, fields in self.rows:
            if isinstance(fields, str):
                yield line, fields
                continue
            try:
                yield line, twcs_post(fields)
            except ValidationError as exc:
                yield line, validation_reason(exc)
            except ValueError as exc:
                yield line, str(exc)


def twcs_post(fields: Sequence[str]) -> CanonicalPost:
    """The canonical post of one TWCS row (``ValueError`` with the reason when malformed)."""
    tweet_id, author_id, inbound, created_at, text, responses, parent = (
        value.strip() if i != 4 else value for i, value in enumerate(fields)
    )
    if inbound not in ("True", "False"):
        raise ValueError(f"inbound: expected True or False, found {inbound!r}")
    try:
        created = datetime.strptime(created_at, DATE_FORMAT)
    except ValueError:
        raise ValueError(
            f"created_at: {created_at!r} is not like 'Tue Oct 31 22:10:47 +0000 2017'"
        ) from None
    replies = len([r for r in responses.split(",") if r.strip()])
    return CanonicalPost(
        platform=PLATFORM,
        external_id=tweet_id,
        text=text,
        created_at=created,
        author=CanonicalAuthor(handle=author_id),
        kind="reply" if parent else "post",
        direction="inbound" if inbound == "True" else "outbound",
        engagement=Engagement(replies=replies),
        parent_external_id=parent or None,
        thread_external_id=parent or tweet_id,
    )


def import_twcs(
    *,
    session_factory: sessionmaker[Session],
    path: Path | None = None,
    reader: TwcsReader | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    after_batch: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    """Import a TWCS file: posts, brands for the support accounts, then whole threads."""
    if reader is None:
        if path is None:
            raise ValueError("give a path or a reader")
        reader = TwcsReader(path)
    created: list[str] = []

    def add_brands(session: Session, posts: list[CanonicalPost]) -> None:
        handles = {p.author.handle for p in posts if p.direction == "outbound" and p.author}
        created.extend(ensure_brands(session=session, platform=PLATFORM, handles=handles))

    summary = run_import(
        session_factory=session_factory,
        records=reader,
        batch_size=batch_size,
        before_batch=add_brands,
        after_batch=after_batch,
    )
    with session_factory.begin() as session:
        resolve_threads(session=session, platform=PLATFORM)
    if created:
        summary.notes.append(f"created {len(created)} brand(s): {', '.join(sorted(created))}")
    return summary


def ensure_brands(*, session: Session, platform: str, handles: set[str]) -> list[str]:
    """Create a brand for each handle no brand owns yet; return the handles it created."""
    owned = official_accounts(session=session)
    missing = sorted(h for h in handles if (platform, h.casefold()) not in owned)
    if not missing:
        return []
    taken = set(session.scalars(select(Brand.slug)))
    for handle in missing:
        slug = base = _slug(handle)
        suffix = 2
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(slug)
        session.add(
            Brand(slug=slug, name=handle, handles=[{"platform": platform, "handle": handle}])
        )
    session.flush()
    return missing


def resolve_threads(*, session: Session, platform: str) -> int:
    """Point every reply's ``thread_external_id`` at the first tweet of its thread.

    Replies start out pointing at their parent; each pass replaces a post's thread id with the
    thread id of the post it points at (pointer jumping), so a thread of depth *d* settles in
    about log2(*d*) passes.  Returns the number of rows changed.
    """
    target = _POSTS.alias("target")
    points_further = exists().where(
        target.c.platform == _POSTS.c.platform,
        target.c.external_id == _POSTS.c.thread_external_id,
        target.c.thread_external_id.is_not(None),
        target.c.thread_external_id != _POSTS.c.thread_external_id,
    )
    further = (
        select(target.c.thread_external_id)
        .where(
            target.c.platform == _POSTS.c.platform,
            target.c.external_id == _POSTS.c.thread_external_id,
        )
        .scalar_subquery()
    )
    stmt = (
        update(_POSTS)
        .where(
            _POSTS.c.platform == platform,
            _POSTS.c.parent_external_id.is_not(None),
            points_further,
        )
        .values(thread_external_id=further)
        .execution_options(synchronize_session=False)
    )
    changed = 0
    for _ in range(_MAX_PASSES):
        count = session.execute(stmt).rowcount  # type: ignore[attr-defined]
        changed += count
        if not count:
            break
    return changed


def _slug(handle: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", handle.casefold()).strip("-")[:60] or "brand"
