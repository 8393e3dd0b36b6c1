"""Which publisher sends a reply on a platform: a small registry that tests and the app inject.

Publishers registered explicitly (tests, the demo) come first; then the connectors' registry
(:func:`tocsin.connectors.registry.publisher_for`, which picks the brand's configured source
and wraps it in its idempotency ledger, or falls back to a fake itself); without it, a
:class:`~tocsin.connectors.fake.FakePublisher` per platform, logged once as "reply recorded,
not published".

Example::

    registry = PublisherRegistry()
    registry.register(FakePublisher("x"))
    registry.publisher_for("x").publish(reply)
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from functools import cache

from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.connectors.base import ReplyPublisher
from tocsin.connectors.fake import FakePublisher

log = logging.getLogger(__name__)

#: ``lookup(session, platform, brand_id, settings=…)``, as the connectors' registry defines it.
ConnectorLookup = Callable[..., ReplyPublisher]


def _connectors_lookup() -> ConnectorLookup | None:
    try:
        module = importlib.import_module("tocsin.connectors.registry")
    except ModuleNotFoundError:
        return None
    lookup = getattr(module, "publisher_for", None)
    return lookup if callable(lookup) else None


class PublisherRegistry:
    """Publishers by platform: registered ones, then the connectors' registry, then a fake."""

    def __init__(
        self,
        *,
        lookup: ConnectorLookup | None = None,
        use_connectors: bool = True,
        settings: Settings | None = None,
    ):
        self.settings = settings
        self._publishers: dict[str, ReplyPublisher] = {}
        self._fallbacks: dict[str, FakePublisher] = {}
        self._lookup = (
            lookup if lookup is not None else (_connectors_lookup() if use_connectors else None)
        )
        self._lock = threading.Lock()

    def register(self, publisher: ReplyPublisher) -> None:
        self._publishers[publisher.platform] = publisher

    def is_fallback(self, platform: str) -> bool:
        return platform in self._fallbacks and platform not in self._publishers

    def publisher_for(
        self, platform: str, *, session: Session | None = None, brand_id: int | None = None
    ) -> ReplyPublisher:
        if platform in self._publishers:
            return self._publishers[platform]
        if self._lookup is not None and session is not None:
            return self._lookup(session, platform, brand_id, settings=self.settings)
        with self._lock:
            if platform not in self._fallbacks:
                log.warning(
                    "no connector configured for %s: reply recorded, not published", platform
                )
                self._fallbacks[platform] = FakePublisher(platform)
            return self._fallbacks[platform]


@cache
def default_registry() -> PublisherRegistry:
    """The process's registry (the fakes remember idempotency keys for its lifetime)."""
    return PublisherRegistry()
