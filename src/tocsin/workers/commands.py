"""``tocsin worker``: run the pipeline outside the web process."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer


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
    ) -> None:
        """Run pipeline workers; start as many as you need, on as many machines."""
        from tocsin.cli import err, fail, load_settings
        from tocsin.db import make_engine, make_session_factory
        from tocsin.migrate import is_initialised
        from tocsin.workers.inprocess import InProcessWorkers
        from tocsin.workers.registry import build_jobs
        from tocsin.workers.scheduler import ensure_jobs, run_due_jobs

        settings = load_settings()
        if not is_initialised(settings.database_url):
            raise fail("the database is not initialised; run: tocsin init")
        factory = make_session_factory(make_engine(settings.database_url))
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())

        if not redis:
            inline = InProcessWorkers(settings, factory)
            with factory() as session:
                ensure_jobs(session, inline.jobs)
            while not stop.is_set():
                inline.run_once()
                if once:
                    return
                stop.wait(0.5)
            return

        import redis as redis_lib

        from tocsin.workers.redis_streams import RedisStreamsWorker

        client = redis_lib.Redis.from_url(settings.redis_url)
        try:
            client.ping()
        except redis_lib.exceptions.ConnectionError:
            raise fail(
                f"cannot reach Redis at {settings.redis_url}; start it or set TOCSIN_REDIS_URL "
                "(or run: tocsin worker --inline)"
            ) from None
        streams = RedisStreamsWorker(settings, factory, client)
        streams.ensure_group()
        jobs = build_jobs(settings)
        with factory() as session:
            ensure_jobs(session, jobs)
        err.print(f"worker {streams.consumer} consuming {streams.stream}")
        while not stop.is_set():
            streams.relay_outbox()
            streams.consume_once(block_ms=0 if once else 500)
            run_due_jobs(factory, settings, jobs, worker=streams.consumer)
            if once:
                return
