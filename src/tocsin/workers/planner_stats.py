"""Keeping PostgreSQL's planner statistics current on tables that grow fast from empty.

PostgreSQL plans every query from per-table statistics that only ``ANALYZE`` writes, normally
run by autovacuum.  A fresh install (or a server with autovacuum off, as some CI images and
managed setups have) fills ``posts``, ``post_brands`` and ``outbox_events`` at hundreds of rows
a second with no statistics at all.  Worse, the driver prepares statements it runs often and
PostgreSQL then caches a *generic plan* chosen while the tables were nearly empty (sequential
scans, a nested loop over every brand); that plan is kept until an ``ANALYZE`` invalidates it.
At 200 posts/s a spike's alert then waited 4-5 s behind a brand-matching query whose cost grew
with the table (issue #5).

The ``db.statistics`` job applies autovacuum's own rule as a backstop: a table whose rows
changed since its last analyze by more than ``MIN_CHANGES`` + ``SCALE`` × its size is analyzed
(at most ``PER_RUN`` tables a run, most changed first).  When autovacuum works it gets there
first and this job finds nothing to do.  ``ANALYZE`` takes no lock that blocks reads or writes.
SQLite keeps its plans without statistics and is left alone.

Example::

    stale_tables([("posts", 12_000, 11_500)])         # -> ["posts"]
    refresh_statistics(session=s)                      # -> ["posts", "post_brands"]
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.workers.registry import Job

#: Autovacuum's defaults are 50 rows + 10 % of the table.
MIN_CHANGES = 50
SCALE = 0.1
PER_RUN = 8
INTERVAL_SECONDS = 5

_STATS = text(
    "SELECT relname, n_live_tup, n_mod_since_analyze FROM pg_stat_user_tables"
    " WHERE schemaname = current_schema()"
)


def stale_tables(rows: Iterable[tuple[str, int, int]]) -> list[str]:
    """Tables (name, live rows, rows changed since analyze) due for ``ANALYZE``, most stale first.

    Tables under ``MIN_CHANGES`` rows (a one-row progress table updated every pass) are skipped.

    Example: ``stale_tables([("posts", 1000, 900), ("brands", 80, 3)])`` → ``["posts"]``.
    """
    due = [
        (changed / max(live, 1), name)
        for name, live, changed in rows
        if live >= MIN_CHANGES and changed > MIN_CHANGES + SCALE * live
    ]
    return [name for _ratio, name in sorted(due, reverse=True)[:PER_RUN]]


def refresh_statistics(*, session: Session) -> list[str]:
    """``ANALYZE`` the tables whose statistics are stale; return their names (PostgreSQL only)."""
    if session.get_bind().dialect.name != "postgresql":
        return []
    rows = [
        (str(name), int(live or 0), int(changed or 0))
        for name, live, changed in session.execute(_STATS).tuples()
    ]
    names = stale_tables(rows)
    preparer = session.get_bind().dialect.identifier_preparer
    for name in names:
        session.execute(text(f"ANALYZE {preparer.quote(name)}"))
    return names


def _run(factory: sessionmaker[Session], _settings: Settings) -> str:
    with factory() as session:
        names = refresh_statistics(session=session)
        session.commit()
    return f"analyzed {', '.join(names)}" if names else "statistics current"


def jobs(settings: Settings) -> list[Job]:
    return [Job(name="db.statistics", interval_seconds=INTERVAL_SECONDS, run=_run)]
