"""Keeping the dashboard rollups equal to the posts as they are now, incrementally.

:func:`rollup_posts` brings some posts' share of the rollups up to date: for each
``(post, brand)`` pair it compares what the post should add now (its
:class:`~tocsin.listening.contributions.Contribution`) with the receipt of what it added before
(:class:`~tocsin.listening.rollups_models.PostRollup`), and adds, replaces or takes back the
difference.  It runs on ``PostIngested``, ``PostsEnriched``, ``PostEdited`` (re-matched,
re-enriched: the sentiment, language or brand may change) and ``PostDeleted`` (a tombstone
counts nothing any more); a replayed event finds nothing to change, so nothing is counted or
subtracted twice.  On PostgreSQL the receipts are locked (``FOR UPDATE``) while they are
compared, so two workers settling the same post take turns.

Matching and enrichment are separate subscribers of ``PostIngested``, so a post may be matched
but not enriched yet: it waits, and :func:`catch_up` (a periodic job) walks ``post_brands``
past a stored cursor to count it later; after ``grace`` it counts as ``unknown`` and moves to
its real sentiment when ``PostsEnriched`` arrives.

Example::

    rollup_posts(session=s, post_ids=[1, 2, 3])          # -> (pairs changed, waiting pairs)
    catch_up(session=s, now=utcnow())                     # from the periodic job
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.orm import Session

from tocsin.ingestion.sql import chunked, insert_new, table_of
from tocsin.listening.contributions import (
    DEFAULT_GRACE,
    Contribution,
    brand_exclusions,
    contribution_of,
    contribution_query,
    from_receipt,
    receipt_row,
)
from tocsin.listening.models import PostBrand
from tocsin.listening.rollups_counts import RollupBatch, add_counts, subtract_counts
from tocsin.listening.rollups_models import DailyTopItem, ListeningCursor, PostRollup
from tocsin.types import utcnow

CURSOR = "rollups"
#: Items kept per brand, day and kind once the day is over.
KEEP_PER_DAY = 300
#: Posts settled per statement group (keeps ``IN`` lists and locks small).
CHUNK = 500

Pair = tuple[int, int]


def rollup_posts(
    *,
    session: Session,
    post_ids: Sequence[int],
    now: datetime | None = None,
    grace: timedelta = DEFAULT_GRACE,
) -> tuple[int, set[Pair]]:
    """Bring the rollups of ``post_ids`` up to date; return (pairs changed, waiting pairs).

    A pair changes when it is counted for the first time, counted differently (edited,
    re-enriched) or taken back (deleted, no longer matched).  A waiting pair is matched but not
    enriched yet and still inside ``grace``; what it counted before, if anything, stays.
    """
    now = now or utcnow()
    exclusions = brand_exclusions(session)
    changed = 0
    waiting: set[Pair] = set()
    for chunk in chunked(list(dict.fromkeys(post_ids)), CHUNK):
        desired: dict[Pair, Contribution] = {}
        for row in session.execute(contribution_query(chunk)):
            contribution = contribution_of(row, exclusions, now=now, grace=grace)
            if contribution is None:
                waiting.add((int(row[0]), int(row[1])))
            else:
                desired[contribution.key] = contribution
        changed += _settle(session, chunk, desired, waiting, now)
    session.flush()
    return changed, waiting


def retract_posts(*, session: Session, post_ids: Sequence[int]) -> int:
    """Take every contribution of ``post_ids`` back (before erasing the posts for good).

    A post deleted from the database cascades to its receipts, and its counts could no longer
    be found: call this first, in the same transaction.
    """
    changed = 0
    for chunk in chunked(list(dict.fromkeys(post_ids)), CHUNK):
        changed += _settle(session, chunk, {}, set(), utcnow())
    session.flush()
    return changed


def _settle(
    session: Session,
    post_ids: Sequence[int],
    desired: dict[Pair, Contribution],
    waiting: set[Pair],
    now: datetime,
    *,
    retry: bool = True,
) -> int:
    """Make the receipts of ``post_ids`` equal ``desired`` and move the counts accordingly."""
    counted = _receipts(session, post_ids)
    stale = [c for key, c in counted.items() if key not in desired and key not in waiting]
    replaced = [
        (old, desired[key])
        for key, old in counted.items()
        if key in desired and desired[key] != old
    ]
    new = [c for key, c in desired.items() if key not in counted]
    claimed = {
        (int(p), int(b))
        for p, b in insert_new(
            session,
            table_of(PostRollup),
            [receipt_row(c, now=now) for c in new],
            conflict=("post_id", "brand_id"),
            returning=("post_id", "brand_id"),
        )
    }
    if stale:
        keys = [c.key for c in stale]
        for part in chunked(keys, CHUNK):
            session.execute(
                delete(PostRollup)
                .where(tuple_(PostRollup.post_id, PostRollup.brand_id).in_(part))
                .execution_options(synchronize_session=False)
            )
    if replaced:
        session.execute(update(PostRollup), [receipt_row(c, now=now) for _old, c in replaced])
    taken, added = RollupBatch(), RollupBatch()
    for c in [*stale, *(old for old, _new in replaced)]:
        taken.add(c)
    for c in [*(c for _old, c in replaced), *(c for c in new if c.key in claimed)]:
        added.add(c)
    if taken:
        subtract_counts(session, taken)
    if added:
        add_counts(session, added)
    changed = len(stale) + len(replaced) + len(claimed)
    lost = {c.key: c for c in new if c.key not in claimed}
    if lost and retry:  # another worker counted them meanwhile: compare with its receipts
        lost_posts = sorted({post_id for post_id, _brand in lost})
        changed += _settle(session, lost_posts, lost, set(), now, retry=False)
    return changed


def _receipts(session: Session, post_ids: Sequence[int]) -> dict[Pair, Contribution]:
    receipts = table_of(PostRollup)
    stmt = (
        select(receipts)
        .where(receipts.c.post_id.in_(post_ids))
        .order_by(receipts.c.post_id, receipts.c.brand_id)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return {(r.post_id, r.brand_id): from_receipt(r) for r in session.execute(stmt)}


def catch_up(
    *,
    session: Session,
    now: datetime | None = None,
    grace: timedelta = DEFAULT_GRACE,
    limit: int = CHUNK,
) -> int:
    """Count matched posts the event path missed; advance the cursor past settled ones.

    One call is one bounded piece of work (``limit`` links): the job commits after each.
    """
    cursor = session.get(ListeningCursor, CURSOR)
    if cursor is None:
        cursor = ListeningCursor(name=CURSOR, value=0)
        session.add(cursor)
    links = session.execute(
        select(PostBrand.id, PostBrand.post_id, PostBrand.brand_id)
        .where(PostBrand.id > cursor.value)
        .order_by(PostBrand.id)
        .limit(limit)
    ).all()
    if not links:
        return 0
    counted, waiting = rollup_posts(
        session=session, post_ids=[link[1] for link in links], now=now, grace=grace
    )
    pending = [link[0] for link in links if (link[1], link[2]) in waiting]
    cursor.value = (min(pending) - 1) if pending else links[-1][0]
    cursor.updated_at = now or utcnow()
    session.flush()
    return counted


def prune_items(*, session: Session, before: datetime, keep: int = KEEP_PER_DAY) -> int:
    """Keep only the ``keep`` most frequent items per brand, day and kind for days < ``before``."""
    groups = session.execute(
        select(DailyTopItem.brand_id, DailyTopItem.day, DailyTopItem.kind)
        .where(DailyTopItem.day < before)
        .group_by(DailyTopItem.brand_id, DailyTopItem.day, DailyTopItem.kind)
        .having(func.count() > keep)
    ).all()
    removed = 0
    for brand_id, day, kind in groups:
        ids = session.scalars(
            select(DailyTopItem.id)
            .where(
                DailyTopItem.brand_id == brand_id,
                DailyTopItem.day == day,
                DailyTopItem.kind == kind,
            )
            .order_by(
                (DailyTopItem.reach if kind == "author" else DailyTopItem.count).desc(),
                DailyTopItem.id,
            )
            .offset(keep)
        ).all()
        for part in chunked(list(ids)):
            session.query(DailyTopItem).filter(DailyTopItem.id.in_(part)).delete(
                synchronize_session=False
            )
        removed += len(ids)
    return removed


def all_matched_post_ids(session: Session, *, chunk: int = 20_000) -> Iterable[list[int]]:
    """Every matched post id, in chunks (for a full rebuild)."""
    last = 0
    while True:
        ids = list(
            session.scalars(
                select(PostBrand.post_id)
                .where(PostBrand.post_id > last)
                .group_by(PostBrand.post_id)
                .order_by(PostBrand.post_id)
                .limit(chunk)
            )
        )
        if not ids:
            return
        yield ids
        last = ids[-1]
