"""An in-memory publisher for tests and the demo: records replies, honours idempotency keys."""

from __future__ import annotations

import itertools
import threading

from tocsin.connectors.base import OutboundReply, PublishError, PublishResult
from tocsin.types import utcnow


class FakePublisher:
    """Publishes nowhere; remembers each idempotency key so a retry returns the first result.

    ``fail_next`` makes the next ``n`` calls raise a transient :class:`PublishError` (to test
    retries).
    """

    def __init__(self, platform: str = "x", *, fail_next: int = 0) -> None:
        self.platform = platform
        self.published: list[OutboundReply] = []
        self._by_key: dict[str, PublishResult] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.fail_next = fail_next

    def publish(self, reply: OutboundReply) -> PublishResult:
        with self._lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                raise PublishError("fake platform unavailable", retry_after=1)
            if reply.idempotency_key in self._by_key:
                first = self._by_key[reply.idempotency_key]
                return PublishResult(first.external_id, first.url, first.published_at, True)
            external_id = f"fake-{self.platform}-{next(self._ids)}"
            result = PublishResult(
                external_id=external_id,
                url=f"https://fake.invalid/{self.platform}/{external_id}",
                published_at=utcnow(),
            )
            self._by_key[reply.idempotency_key] = result
            self.published.append(reply)
            return result
