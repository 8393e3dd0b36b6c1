from sqlalchemy import select

from tocsin.workers.models import ScheduledJob
from tocsin.workers.registry import Job
from tocsin.workers.scheduler import ensure_jobs, run_due_jobs


def test_due_job_runs_once_per_interval_even_with_two_workers(session, session_factory, settings):
    runs: list[str] = []
    job = Job(name="tick", interval_seconds=3600, run=lambda f, s: runs.append("x") or "ok")
    ensure_jobs(session, [job])

    assert run_due_jobs(session_factory, settings, [job], worker="a") == ["tick"]
    assert run_due_jobs(session_factory, settings, [job], worker="b") == []
    assert runs == ["x"]
    row = session.scalar(select(ScheduledJob).where(ScheduledJob.name == "tick"))
    session.refresh(row)
    assert row.runs == 1 and row.claimed_by == "a" and row.last_error is None


def test_failing_job_records_its_error(session, session_factory, settings):
    def explode(factory, s):
        raise ValueError("bad feed")

    job = Job(name="explode", interval_seconds=60, run=explode)
    ensure_jobs(session, [job])
    assert run_due_jobs(session_factory, settings, [job], worker="a") == ["explode"]
    row = session.get(ScheduledJob, "explode")
    session.refresh(row)
    assert "bad feed" in row.last_error
