"""The embedded runtime: one background thread in the ``tocsin serve`` process.

It loops over the same steps a scaled-out worker performs: dispatch outbox events to their
subscribers, then run the periodic jobs that are due.  State lives in the database, so
stopping and starting the process loses nothing.  Each transaction is kept to about
``budget`` seconds and, on SQLite, followed by a short pause, so the web app and the importer
never wait long for the write lock while a backlog drains (:mod:`tocsin.workers.pacing`).

Example::

    workers = start(settings, session_factory)
    ...
    workers.stop()
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.events.outbox import Subscribers, dispatch_pending
from tocsin.workers.pacing import BatchSizer, paced
from tocsin.workers.registry import Job, build_jobs, build_subscribers
from tocsin.workers.scheduler import ensure_jobs, run_due_jobs

log = logging.getLogger(__name__)


class InProcessWorkers:
    def __init__(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        *,
        interval: float = 0.25,
        subscribers: Subscribers | None = None,
        jobs: list[Job] | None = None,
        budget: float = 0.75,
        jobs_every: float = 1.0,
    ) -> None:
        self.settings = settings
        self.session_factory = paced(session_factory)
        self.sizer = BatchSizer(budget=budget)
        self.interval = interval
        self.jobs_every = jobs_every
        self.subscribers = subscribers or build_subscribers(settings)
        self.jobs = build_jobs(settings) if jobs is None else jobs
        self.name = f"inprocess:{socket.gethostname()}:{os.getpid()}"
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """One pass: dispatch every pending event, then the due jobs. Returns events handled.

        Under a steady stream (200 posts/s) the backlog never empties, so due jobs also run
        between batches every ``jobs_every`` seconds instead of waiting for a quiet moment.
        """
        handled = 0
        jobs_at = time.monotonic()
        while True:
            started = time.monotonic()
            batch = dispatch_pending(self.session_factory, self.subscribers, limit=self.sizer.size)
            self.sizer.record(batch, seconds=time.monotonic() - started)
            handled += batch
            if batch == 0 or self._stop.is_set():
                break
            if time.monotonic() - jobs_at >= self.jobs_every:
                run_due_jobs(self.session_factory, self.settings, self.jobs, worker=self.name)
                jobs_at = time.monotonic()
        run_due_jobs(self.session_factory, self.settings, self.jobs, worker=self.name)
        return handled

    def wake(self) -> None:
        """Ask for a pass now (called after a commit that emitted events)."""
        self._wake.set()

    def _loop(self) -> None:
        try:
            self.subscribers.warm_up()
        except Exception:
            log.exception("warming up the pipeline failed; handlers will load lazily")
        with self.session_factory() as session:
            ensure_jobs(session, self.jobs)
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("in-process worker pass failed")
            self._wake.wait(self.interval)
            self._wake.clear()

    def start(self) -> InProcessWorkers:
        self._thread = threading.Thread(target=self._loop, name="tocsin-workers", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)


def start(settings: Settings, session_factory: sessionmaker[Session]) -> InProcessWorkers:
    return InProcessWorkers(settings, session_factory).start()
