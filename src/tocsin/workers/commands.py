"""``tocsin worker``: run the pipeline outside the web process."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(
        redis: Annotated[
            bool,
            typer.Option(
                "--redis/--inline",
                help="Consume events from Redis Streams (scale-out) or poll the outbox here.",
            ),
        ] = True,
        once: Annotated[
            bool, typer.Option(help="Do one pass and exit (for cron or tests).")
        ] = False,
        streams: Annotated[
            bool,
            typer.Option(
                "--streams/--no-streams",
                help="Also run the streaming consumers (Jetstream, Mastodon). Run exactly one "
                "worker with --streams: two would compete for each source's checkpoint.",
            ),
        ] = False,
    ) -> None:
        """Run pipeline workers; start as many as you need, on as many machines."""
        from tocsin.cli import fail, load_settings
        from tocsin.db import make_engine, make_session_factory
        from tocsin.migrate import is_initialised

        settings = load_settings()
        if not is_initialised(settings.database_url):
            raise fail("the database is not initialised; run: tocsin init")
        factory = make_session_factory(make_engine(settings.database_url))
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        supervisor = None
        if streams and not once:
            from tocsin.connectors.tasks import start_streams

            supervisor = start_streams(settings, factory)
        try:
            if redis:
                _run_redis(settings, factory, stop, once=once)
            else:
                _run_inline(settings, factory, stop, once=once)
        finally:
            if supervisor is not None:
                supervisor.stop()


def _run_inline(
    settings: Settings, factory: sessionmaker[Session], stop: threading.Event, *, once: bool
) -> None:
    from tocsin.workers.inprocess import InProcessWorkers
    from tocsin.workers.scheduler import ensure_jobs

    inline = InProcessWorkers(settings, factory)
    with factory() as session:
        ensure_jobs(session, inline.jobs)
    while not stop.is_set():
        inline.run_once()
        if once:
            return
        stop.wait(0.5)


def _run_redis(
    settings: Settings, factory: sessionmaker[Session], stop: threading.Event, *, once: bool
) -> None:
    import redis as redis_lib

    from tocsin.cli import err, fail
    from tocsin.workers.redis_streams import RedisStreamsWorker
    from tocsin.workers.registry import build_jobs
    from tocsin.workers.scheduler import ensure_jobs, run_due_jobs

    client = redis_lib.Redis.from_url(settings.redis_url)
    try:
        client.ping()
    except redis_lib.exceptions.ConnectionError:
        raise fail(
            f"cannot reach Redis at {settings.redis_url}; start it or set TOCSIN_REDIS_URL "
            "(or run: tocsin worker --inline)"
        ) from None
    consumer = RedisStreamsWorker(settings, factory, client)
    consumer.ensure_group()
    consumer.subscribers.warm_up()
    jobs = build_jobs(settings)
    with factory() as session:
        ensure_jobs(session, jobs)
    err.print(f"worker {consumer.consumer} consuming {consumer.stream}")
    while not stop.is_set():
        consumer.relay_outbox()
        consumer.consume_once(block_ms=0 if once else 500)
        run_due_jobs(factory, settings, jobs, worker=consumer.consumer)
        if once:
            return
