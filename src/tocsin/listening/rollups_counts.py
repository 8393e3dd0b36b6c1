"""Adding contributions to the rollup rows, and taking them back.

:class:`RollupBatch` sums :class:`~tocsin.listening.contributions.Contribution` objects in
memory; :func:`add_counts` writes a batch with one ``INSERT … ON CONFLICT DO UPDATE`` per table
and chunk (counters add up), and :func:`subtract_counts` takes a batch back with ``UPDATE``
statements, then deletes the rows left at zero, so a rollup after any mix of additions and
retractions holds exactly the rows a rebuild would write (closed days' pruned top items aside).

An author's ``reach`` in the top items is their largest follower count that day: taking a post
back leaves it as it was (the author did have those followers), and the row goes when the
author's last post of the day does.

Example::

    batch = RollupBatch()
    batch.add(contribution)
    add_counts(session, batch)        # and later, after an edit or a deletion:
    subtract_counts(session, batch)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, delete, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tocsin.ingestion.sql import chunked, table_of
from tocsin.listening.contributions import Contribution
from tocsin.listening.rollups_models import DailyRollup, DailyTopItem, HourlyRollup

COUNTERS = ("posts", "reach", "engagement", "complaints")
SLICE = ("brand_id", "bucket", "platform", "lang", "sentiment")
ITEM = ("brand_id", "day", "kind", "value")

CountKey = tuple[int, datetime, str, str, str]
ItemKey = tuple[int, datetime, str, str]


@dataclass
class RollupBatch:
    """Counts accumulated in memory, written with a few statements per table."""

    hourly: dict[CountKey, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * 4))
    daily: dict[CountKey, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * 4))
    items: dict[ItemKey, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, c: Contribution) -> None:
        for table, bucket in ((self.hourly, c.bucket), (self.daily, c.day)):
            slot = table[(c.brand_id, bucket, c.platform, c.lang, c.sentiment)]
            slot[0] += 1
            slot[1] += c.reach
            slot[2] += c.engagement
            slot[3] += int(c.complaint)
        for value in c.items:
            item = self.items[(c.brand_id, c.day, "hashtag" if value[0] == "#" else "term", value)]
            item[0] += 1
            item[1] += c.reach
        if c.handle:
            author = self.items[(c.brand_id, c.day, "author", c.handle)]
            author[0] += 1
            author[1] = max(author[1], c.reach)

    def __bool__(self) -> bool:
        return bool(self.hourly or self.daily or self.items)


def count_rows(counts: dict[CountKey, list[int]]) -> list[dict[str, Any]]:
    """Rows for :class:`HourlyRollup` or :class:`DailyRollup` from accumulated counts."""
    return [
        {**dict(zip(SLICE, k, strict=True)), **dict(zip(COUNTERS, v, strict=True))}
        for k, v in sorted(counts.items())
    ]


def item_rows(items: dict[ItemKey, list[int]]) -> list[dict[str, Any]]:
    """Rows for :class:`DailyTopItem` from accumulated items."""
    return [
        {**dict(zip(ITEM, k, strict=True)), "count": v[0], "reach": v[1]}
        for k, v in sorted(items.items())
    ]


def add_counts(session: Session, batch: RollupBatch) -> None:
    """Add ``batch`` to the rollups (rows are created or their counters increased)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    biggest = func.greatest if dialect == "postgresql" else func.max
    for model, counts in ((HourlyRollup, batch.hourly), (DailyRollup, batch.daily)):
        table = table_of(model)
        for part in chunked(count_rows(counts), 500):
            stmt = insert(table).values(list(part))
            session.execute(
                stmt.on_conflict_do_update(
                    index_elements=list(SLICE),
                    set_={name: table.c[name] + stmt.excluded[name] for name in COUNTERS},
                )
            )
    items = table_of(DailyTopItem)
    for part in chunked(item_rows(batch.items), 500):
        stmt = insert(items).values(list(part))
        reach = case(
            (stmt.excluded.kind == "author", biggest(items.c.reach, stmt.excluded.reach)),
            else_=items.c.reach + stmt.excluded.reach,
        )
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=list(ITEM),
                set_={"count": items.c["count"] + stmt.excluded["count"], "reach": reach},
            )
        )


def subtract_counts(session: Session, batch: RollupBatch) -> None:
    """Take ``batch`` back from the rollups and delete the rows it leaves empty.

    A top item pruned since it was counted is simply not there to update.
    """
    for model, counts in ((HourlyRollup, batch.hourly), (DailyRollup, batch.daily)):
        table = table_of(model)
        rows = count_rows(counts)
        if not rows:
            continue
        stmt = (
            update(table)
            .where(*(table.c[name] == bindparam(f"k_{name}") for name in SLICE))
            .values({name: table.c[name] - bindparam(f"d_{name}") for name in COUNTERS})
        )
        session.execute(stmt, [_prefixed(row, SLICE, COUNTERS) for row in rows])
        _drop_empty(session, table, "posts", "bucket", rows)
    items = table_of(DailyTopItem)
    rows = item_rows(batch.items)
    if not rows:
        return
    stmt = (
        update(items)
        .where(*(items.c[name] == bindparam(f"k_{name}") for name in ITEM))
        .values(
            count=items.c["count"] - bindparam("d_count"),
            reach=case(
                (items.c.kind == "author", items.c.reach),
                else_=items.c.reach - bindparam("d_reach"),
            ),
        )
    )
    session.execute(stmt, [_prefixed(row, ITEM, ("count", "reach")) for row in rows])
    _drop_empty(session, items, "count", "day", rows)


def _prefixed(
    row: dict[str, Any], keys: tuple[str, ...], deltas: tuple[str, ...]
) -> dict[str, Any]:
    # A bound parameter may not share a column's name in an UPDATE run for many rows.
    return {**{f"k_{k}": row[k] for k in keys}, **{f"d_{d}": row[d] for d in deltas}}


def _drop_empty(session: Session, table: Any, counter: str, when: str, rows: list[Any]) -> None:
    brands = sorted({row["brand_id"] for row in rows})
    times = sorted({row[when] for row in rows})
    for part in chunked(times, 500):
        session.execute(
            delete(table).where(
                table.c[counter] <= 0, table.c.brand_id.in_(brands), table.c[when].in_(part)
            )
        )
