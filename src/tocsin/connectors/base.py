"""The interfaces every platform integration implements.

* :class:`SourceConnector` fetches posts (poll, stream or backfill) and returns raw payloads
  plus the checkpoint to resume from; the caller stores both in one transaction.
* :class:`ReplyPublisher` publishes a reply on the platform.  ``idempotency_key`` is stable
  across retries, so a publisher that is called twice for one reply must not post twice (it
  records the key with the platform's id of the published reply, or asks the platform).

Example::

    publisher = registry.publisher_for(source)
    result = publisher.publish(OutboundReply(
        idempotency_key="reply:42", platform="x", in_reply_to="1790000000000000000",
        text="Hi Ana, we're on it. (automatic message)", visibility="public",
    ))
    result.external_id
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol


@dataclass(frozen=True)
class FetchResult:
    """Raw payloads as the platform sent them, and where to resume next time."""

    payloads: Sequence[Mapping[str, Any]]
    checkpoint: Mapping[str, Any]
    #: Seconds the platform asked us to wait before the next call (rate limits).
    retry_after: float | None = None


class SourceConnector(Protocol):
    platform: str

    def fetch(self, checkpoint: Mapping[str, Any]) -> FetchResult: ...


@dataclass(frozen=True)
class OutboundReply:
    idempotency_key: str
    platform: str
    #: The platform's id of the post answered (None for a new post or a private message
    #: addressed with ``recipient``).
    in_reply_to: str | None
    text: str
    visibility: Literal["public", "private"] = "public"
    recipient: str | None = None
    #: Set on automatic acknowledgements: publishers may add a platform-specific label.
    automatic: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PublishResult:
    external_id: str
    url: str | None
    published_at: datetime
    #: True when the platform (or our record) showed it was already published.
    already_published: bool = False


class PublishError(RuntimeError):
    """Publishing failed; ``permanent`` says whether a retry can help."""

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class ReplyPublisher(Protocol):
    platform: str

    def publish(self, reply: OutboundReply) -> PublishResult: ...
