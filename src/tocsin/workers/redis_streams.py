"""The scaled-out runtime: Redis Streams consumer groups over the outbox.

* The **relay** claims committed, undispatched outbox rows (``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL), appends their ids to the stream and marks them relayed, in one transaction.
* **Consumers** in the group read new entries (``XREADGROUP``), load the event row, run the
  handlers (the same ones as the in-process runtime), commit, then ``XACK``.
* Entries left pending by a crashed consumer are taken over with ``XAUTOCLAIM`` after
  ``claim_idle_ms``; after ``max_deliveries`` attempts an entry goes to the dead-letter stream.

Delivery is at-least-once; handlers are idempotent (unique keys on everything they create).

Example::

    worker = RedisStreamsWorker(settings, session_factory, redis.Redis.from_url(url))
    worker.ensure_group()
    worker.relay_outbox()
    worker.consume_once()
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from redis import Redis
from redis.exceptions import ResponseError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers, deliver_many
from tocsin.types import utcnow
from tocsin.workers.registry import build_subscribers

log = logging.getLogger(__name__)


class RedisStreamsWorker:
    def __init__(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        redis: Redis,
        *,
        stream: str = "tocsin:events",
        group: str = "tocsin",
        consumer: str | None = None,
        subscribers: Subscribers | None = None,
        claim_idle_ms: int = 60_000,
        max_deliveries: int = 5,
    ) -> None:
        self.settings = settings
        self.session_factory = session_factory
        self.redis = redis
        self.stream = stream
        self.dead_letter = f"{stream}:dead"
        self.group = group
        self.consumer = consumer or f"{socket.gethostname()}:{os.getpid()}"
        self.subscribers = subscribers or build_subscribers(settings)
        self.claim_idle_ms = claim_idle_ms
        self.max_deliveries = max_deliveries

    def ensure_group(self) -> None:
        try:
            self.redis.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def relay_outbox(self, *, limit: int = 1000) -> int:
        """Publish committed, unrelayed events to the stream; return how many."""
        with self.session_factory() as session:
            stmt = (
                select(OutboxEvent)
                .where(OutboxEvent.dispatched_at.is_(None))
                .order_by(OutboxEvent.id)
                .limit(limit)
            )
            if session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            rows = list(session.scalars(stmt))
            if not rows:
                return 0
            pipe = self.redis.pipeline(transaction=False)
            for row in rows:
                pipe.xadd(self.stream, {"event_id": str(row.id), "name": row.name})
            pipe.execute()
            now = utcnow()
            for row in rows:
                row.dispatched_at = now
            session.commit()
            return len(rows)

    def consume_once(self, *, count: int = 100, block_ms: int = 1000) -> int:
        """Handle up to ``count`` entries (new ones, then stale ones of dead consumers).

        ``block_ms=0`` returns at once when nothing is waiting.
        """
        handled = self._handle(self._read_new(count, block_ms))
        handled += self._handle(self._reclaim(count))
        return handled

    def _read_new(self, count: int, block_ms: int) -> list[tuple[str, dict[str, str]]]:
        response: Any = self.redis.xreadgroup(
            self.group,
            self.consumer,
            {self.stream: ">"},
            count=count,
            block=block_ms if block_ms > 0 else None,  # BLOCK 0 would wait forever
        )
        entries: list[tuple[str, dict[str, str]]] = []
        for _stream, items in response or []:
            entries.extend((_text(eid), _fields(f)) for eid, f in items)
        return entries

    def _reclaim(self, count: int) -> list[tuple[str, dict[str, str]]]:
        result: Any = self.redis.xautoclaim(
            self.stream, self.group, self.consumer, self.claim_idle_ms, "0-0", count=count
        )
        claimed = result[1] if result else []
        entries = []
        for eid, fields in claimed:
            if fields is None:  # deleted from the stream meanwhile
                self.redis.xack(self.stream, self.group, eid)
                continue
            entries.append((_text(eid), _fields(fields)))
        return entries

    def _deliveries(self, entry_id: str) -> int:
        info: Any = self.redis.xpending_range(self.stream, self.group, entry_id, entry_id, 1)
        return int(info[0]["times_delivered"]) if info else 1

    def _handle(self, entries: list[tuple[str, dict[str, str]]]) -> int:
        if not entries:
            return 0
        ids = {entry_id: int(fields.get("event_id", "0")) for entry_id, fields in entries}
        with self.session_factory() as session:
            rows = list(
                session.scalars(select(OutboxEvent).where(OutboxEvent.id.in_(set(ids.values()))))
            )
            failed = deliver_many(session, self.subscribers, rows)
            session.commit()
        for entry_id, fields in entries:
            if ids[entry_id] not in failed:  # done, or rolled back before relay
                self.redis.xack(self.stream, self.group, entry_id)
            elif self._deliveries(entry_id) >= self.max_deliveries:
                dead: dict[Any, Any] = {**fields, "entry": entry_id}
                self.redis.xadd(self.dead_letter, dead)
                self.redis.xack(self.stream, self.group, entry_id)
                log.error(
                    "event %s moved to %s after repeated failures", ids[entry_id], self.dead_letter
                )
        return len(entries)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _fields(raw: dict[Any, Any]) -> dict[str, str]:
    return {_text(k): _text(v) for k, v in raw.items()}
