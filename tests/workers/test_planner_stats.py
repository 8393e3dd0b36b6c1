"""Planner statistics kept current by the workers, and due jobs not starved by a backlog."""

from sqlalchemy import text

from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers, emit
from tocsin.events.types import PostIngested
from tocsin.workers import planner_stats
from tocsin.workers.inprocess import InProcessWorkers
from tocsin.workers.registry import Job, build_jobs
from tocsin.workers.scheduler import ensure_jobs


def test_stale_tables_follow_autovacuums_rule_most_changed_first():
    rows = [
        ("posts", 10_000, 1_051),  # > 50 + 10 % of 10,000
        ("post_brands", 10_000, 1_050),  # exactly at the threshold: not yet
        ("outbox_events", 2_000, 1_800),
        ("radar_progress", 1, 5_000),  # a one-row table updated every pass
        ("brands", 80, 3),
    ]
    assert planner_stats.stale_tables(rows) == ["outbox_events", "posts"]


def test_stale_tables_are_capped_per_run():
    rows = [(f"t{i}", 100, 1_000 + i) for i in range(20)]
    assert len(planner_stats.stale_tables(rows)) == planner_stats.PER_RUN


def test_refresh_analyzes_on_postgres_and_does_nothing_on_sqlite(session, is_postgres, monkeypatch):
    monkeypatch.setattr(planner_stats, "stale_tables", lambda rows: ["brands"])
    analyzed = planner_stats.refresh_statistics(session=session)
    if not is_postgres:
        assert analyzed == []
        return
    assert analyzed == ["brands"]
    reltuples = session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'brands'"))
    assert reltuples is not None and reltuples >= 0  # -1 means "never analyzed"


def test_the_statistics_job_is_registered(settings):
    assert "db.statistics" in {job.name for job in build_jobs(settings)}


def test_due_jobs_run_while_the_backlog_never_empties(session, session_factory, settings):
    ran: list[int] = []
    pending_when_run: list[int] = []

    def tick(factory, _settings):
        ran.append(1)
        with factory() as s:
            pending = s.query(OutboxEvent).filter(OutboxEvent.dispatched_at.is_(None)).count()
            pending_when_run.append(pending)
        return "ok"

    def chain(s, event, _row):  # every event causes another until the job has run (or 50)
        if not ran and event.post_id < 50:
            emit(s, PostIngested(post_id=event.post_id + 1, platform="x"))

    subscribers = Subscribers()
    subscribers.subscribe(PostIngested.name, chain)
    job = Job(name="tick", interval_seconds=3600, run=tick)
    ensure_jobs(session, [job])
    emit(session, PostIngested(post_id=1, platform="x"))
    session.commit()

    workers = InProcessWorkers(
        settings, session_factory, subscribers=subscribers, jobs=[job], jobs_every=0.0
    )
    handled = workers.run_once()

    assert ran == [1]  # once: the interval is an hour
    assert pending_when_run[0] >= 1  # it ran before the backlog was drained
    assert handled >= 2
