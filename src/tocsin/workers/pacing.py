"""Keeping the in-process workers' transactions short and leaving the SQLite lock to others.

On SQLite every transaction takes the one write lock (``BEGIN IMMEDIATE``, see
:mod:`tocsin.db`); the web app and the importer wait for it up to the busy timeout.  Two
things can keep them waiting through a long backlog (a first pass over a freshly loaded demo
week holds about a minute of work):

* **long transactions**: :class:`BatchSizer` picks how many outbox events the next
  transaction delivers so that it takes about ``budget`` seconds, shrinking at once after a
  slow batch and growing back slowly;
* **starvation**: SQLite's busy handler polls for the lock (every 100 ms once a wait has gone
  on), so a worker that commits and begins again within microseconds keeps it almost every
  time.  :func:`paced` returns a session factory whose sessions, after each transaction, leave
  the lock free for as long as they held it, up to ``pause`` seconds: a waiter gets in within
  one worker transaction plus one pause.

Results do not change: the same events are delivered, in smaller batches, and every handler is
idempotent and works per post.

Example::

    factory = paced(session_factory)                   # the workers' sessions yield the lock
    sizer = BatchSizer(budget=0.75)
    handled = dispatch_pending(factory, subscribers, limit=sizer.size)
    sizer.record(handled, seconds=elapsed)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

#: Longest pause after a transaction: one poll of SQLite's busy handler, so a waiter gets in.
PAUSE = 0.1
_BEGAN = "tocsin.pacing.began"


@dataclass
class BatchSizer:
    """How many events the next transaction should take to last about ``budget`` seconds."""

    budget: float = 0.75
    least: int = 10
    most: int = 200
    size: int = 50

    def record(self, handled: int, *, seconds: float) -> int:
        """Learn from a batch of ``handled`` events that took ``seconds``; return the new size.

        Example: ``BatchSizer(size=200).record(200, seconds=3.0)`` → 45 (3 s was 4× too long).
        """
        if handled <= 0:
            return self.size
        if seconds > self.budget:
            per_event = seconds / handled
            self.size = max(self.least, min(self.size, int(0.9 * self.budget / per_event)))
        elif handled >= self.size and seconds < self.budget / 2:
            self.size = min(self.most, self.size + max(1, self.size // 2))
        return self.size


def paced(
    factory: sessionmaker[Session],
    *,
    pause: float = PAUSE,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> sessionmaker[Session]:
    """A copy of ``factory`` whose sessions leave the database alone briefly after each
    transaction (on SQLite; other databases have row locks and get ``factory`` back)."""
    bind = factory.kw.get("bind")
    if bind is None or bind.dialect.name != "sqlite":
        return factory
    own: sessionmaker[Session] = sessionmaker(class_=factory.class_, **factory.kw)

    def began(session: Session, _transaction: SessionTransaction, _connection: Any) -> None:
        session.info.setdefault(_BEGAN, clock())

    def ended(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is not None:
            return  # a savepoint or a subtransaction: the lock is still held
        start = session.info.pop(_BEGAN, None)
        if start is not None:
            sleep(min(pause, clock() - start))

    event.listen(own, "after_begin", began)
    event.listen(own, "after_transaction_end", ended)
    return own
