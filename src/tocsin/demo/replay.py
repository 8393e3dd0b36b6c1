"""Replaying the demo's last hours "live", faster than real time, while the web app runs.

The replay has its own demo clock: it starts at ``start`` and runs ``speed`` times faster than
the wall clock (``speed=60``: one demo minute per second) until it catches up with real time,
then keeps pace with it.  Each tick, the posts whose time has come are ingested in one small
batch and committed, so the inbox, the charts and the crisis radar see them arrive.

Example::

    replay = Replay(session_factory=factory, posts=live_posts, start=now - timedelta(hours=3),
                    speed=60, source_id=source.id)
    replay.start()      # a daemon thread
    ...
    replay.stop()       # finishes the batch in progress, then returns
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.types import as_utc, utcnow

log = logging.getLogger(__name__)


class Replay:
    """Feeds ``posts`` (any order) into the store as the demo clock passes their time."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        posts: Sequence[CanonicalPost],
        start: datetime,
        speed: float = 60.0,
        source_id: int | None = None,
        tick_seconds: float = 1.0,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._factory = session_factory
        self._posts = sorted(posts, key=lambda p: (p.created_at, p.platform, p.external_id))
        self._start = as_utc(start)
        self._speed = speed
        self._source_id = source_id
        self._tick = tick_seconds
        self._clock = clock
        self._monotonic = monotonic
        self._on_batch = on_batch
        self._began: float | None = None
        self._next = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.ingested = 0
        self.failures = 0

    @property
    def done(self) -> bool:
        return self._next >= len(self._posts)

    @property
    def remaining(self) -> int:
        return len(self._posts) - self._next

    def demo_now(self) -> datetime:
        """The demo clock: ``speed`` times faster than real time until it catches up with it."""
        if self._began is None:
            self._began = self._monotonic()
        elapsed = (self._monotonic() - self._began) * self._speed
        return min(self._start + timedelta(seconds=elapsed), self._clock())

    def step(self) -> int:
        """Ingest every post that is due now; return how many (0 when none is due)."""
        now = self.demo_now()
        end = self._next
        while end < len(self._posts) and self._posts[end].created_at <= now:
            end += 1
        if end == self._next:
            return 0
        batch = self._posts[self._next : end]
        with self._factory() as session:
            ingest_posts(session=session, posts=batch, source_id=self._source_id)
            session.commit()
        self._next = end
        self.ingested += len(batch)
        if self._on_batch is not None:
            self._on_batch(len(batch))
        return len(batch)

    def run(self) -> None:
        """Step every tick until every post is in or :meth:`stop` is called."""
        while not self.done and not self._stop.is_set():
            try:
                self.step()
            except Exception:  # keep the demo alive; the next tick retries the same batch
                self.failures += 1
                log.exception("demo replay: ingesting a batch failed")
            self._stop.wait(self._tick)

    def start(self) -> None:
        """Run in a daemon thread (so a Ctrl-C on the server never hangs on it)."""
        if self._thread is not None:
            raise RuntimeError("the replay is already running")
        self._thread = threading.Thread(target=self.run, name="tocsin-demo-replay", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to stop after the batch in progress, and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
