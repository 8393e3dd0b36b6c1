"""The shapes a streaming platform adapter speaks (see :mod:`tocsin.connectors.streams`).

Kept apart from the consumer so platform packages can import them without importing the
service layer.

Example::

    StreamBatch(items=[StreamItem(payload=event, external_id=uri, matchable=post)],
                checkpoint={"cursor": event["time_us"]})
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.orm import Session

from tocsin.listening.query import MatchablePost, QuerySet


@dataclass(frozen=True)
class StreamItem:
    payload: dict[str, Any]
    #: The canonical post's external id (used to keep deletions of posts we store).
    external_id: str | None = None
    #: What the brand filter reads; None means "not filtered".
    matchable: MatchablePost | None = None
    deletion: bool = False


@dataclass
class StreamBatch:
    items: list[StreamItem] = field(default_factory=list)
    #: Checkpoint keys to update once these items are stored.
    checkpoint: dict[str, Any] = field(default_factory=dict)
    #: The stream position's time (a Jetstream cursor, a status's date), for the lag.
    position_at: datetime | None = None


class StreamAdapter(Protocol):
    #: The platform of the canonical posts produced (``bluesky``, ``mastodon``).
    post_platform: str
    #: Whether posts must match the brand queries to be kept.
    filter_by_brands: bool

    def connection(self, checkpoint: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
        """The websocket URL and headers to connect with, resuming from ``checkpoint``."""
        ...

    def catch_up(self, checkpoint: Mapping[str, Any]) -> Iterator[StreamBatch]:
        """What was missed while disconnected (called once connected); may yield nothing."""
        ...

    def parse(self, message: str | bytes) -> StreamBatch: ...


@runtime_checkable
class StreamHooks(Protocol):
    """Optional adapter methods the consumer calls around each flush.

    Jetstream uses them to learn its authors' handles: the DIDs of the posts about to be
    stored are looked up first (briefly), and what was learned is written with the posts.
    """

    def queries_loaded(self, queries: QuerySet) -> None:
        """The brand filter's queries were loaded (again, every minute); must not block."""
        ...

    def before_flush(self, items: Sequence[StreamItem]) -> None:
        """Called outside any transaction before ``items`` are stored; may wait a moment."""
        ...

    def on_flush(self, session: Session) -> None:
        """Called in the flush's transaction, after the payloads are recorded (a savepoint:
        a failure here is logged and never loses the payloads)."""
        ...
