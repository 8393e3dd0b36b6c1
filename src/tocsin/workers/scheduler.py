"""Periodic jobs claimed through the database, so that one worker runs each due job.

Claiming is an ``UPDATE … WHERE next_run_at = :seen`` (compare-and-set): when two workers race,
exactly one update matches a row.  A restart loses nothing: ``next_run_at`` is a row.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.types import utcnow
from tocsin.workers.models import ScheduledJob
from tocsin.workers.registry import Job

log = logging.getLogger(__name__)


def ensure_jobs(session: Session, jobs: list[Job]) -> None:
    now = utcnow()
    for job in jobs:
        row = session.get(ScheduledJob, job.name)
        if row is None:
            session.add(
                ScheduledJob(name=job.name, interval_seconds=job.interval_seconds, next_run_at=now)
            )
        elif row.interval_seconds != job.interval_seconds:
            row.interval_seconds = job.interval_seconds
    session.commit()


def run_due_jobs(
    session_factory: sessionmaker[Session], settings: Settings, jobs: list[Job], *, worker: str
) -> list[str]:
    """Run every job whose time has come and that this worker manages to claim."""
    ran: list[str] = []
    by_name = {job.name: job for job in jobs}
    with session_factory() as session:
        now = utcnow()
        due = list(
            session.scalars(
                select(ScheduledJob).where(
                    ScheduledJob.next_run_at <= now, ScheduledJob.name.in_(list(by_name))
                )
            )
        )
        claimed: list[ScheduledJob] = []
        for row in due:
            result = session.execute(
                update(ScheduledJob)
                .where(ScheduledJob.name == row.name, ScheduledJob.next_run_at == row.next_run_at)
                .values(
                    next_run_at=now + timedelta(seconds=row.interval_seconds),
                    last_started_at=now,
                    claimed_by=worker,
                )
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                claimed.append(row)
        session.commit()
    for row in claimed:
        job = by_name[row.name]
        error: str | None = None
        try:
            job.run(session_factory, settings)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            log.exception("job %s failed", job.name)
        with session_factory() as session:
            session.execute(
                update(ScheduledJob)
                .where(ScheduledJob.name == job.name)
                .values(
                    last_finished_at=utcnow(),
                    last_error=error,
                    runs=ScheduledJob.runs + 1,
                )
            )
            session.commit()
        ran.append(job.name)
    return ran
