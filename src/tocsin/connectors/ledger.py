"""Idempotent publishing: a ledger of published replies keyed by idempotency key.

Most platforms have no idempotency key of their own (Mastodon does, and its publisher sends
it too), so :class:`LedgerPublisher` looks the key up in ``published_replies`` before calling
the platform and records the result after.  The row is written in the caller's session (a
savepoint, flushed at once): commit right after publishing, so a retry — by this process or
another worker — finds it.

Example::

    publisher = LedgerPublisher(MastodonPublisher(ctx), session=session, source_id=3)
    first = publisher.publish(reply)
    again = publisher.publish(reply)       # no second call to the platform
    assert again.already_published and again.external_id == first.external_id
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.connectors.base import OutboundReply, PublishResult, ReplyPublisher
from tocsin.connectors.models import PublishedReply
from tocsin.ingestion.sql import insert_ignoring, table_of


def find_published(*, session: Session, idempotency_key: str) -> PublishedReply | None:
    stmt = select(PublishedReply).where(PublishedReply.idempotency_key == idempotency_key)
    return session.scalars(stmt).first()


class LedgerPublisher:
    """Wraps a platform publisher so one idempotency key never posts twice."""

    def __init__(
        self, inner: ReplyPublisher, *, session: Session, source_id: int | None = None
    ) -> None:
        self.inner = inner
        self.platform = inner.platform
        self.session = session
        self.source_id = source_id

    def publish(self, reply: OutboundReply) -> PublishResult:
        known = find_published(session=self.session, idempotency_key=reply.idempotency_key)
        if known is not None:
            return PublishResult(known.external_id, known.url, known.published_at, True)
        result = self.inner.publish(reply)
        values = {
            "idempotency_key": reply.idempotency_key,
            "platform": reply.platform,
            "source_id": self.source_id,
            "external_id": result.external_id,
            "url": result.url,
            "published_at": result.published_at,
        }
        table = table_of(PublishedReply)
        with self.session.begin_nested():
            self.session.execute(
                insert_ignoring(self.session, table, ("idempotency_key",)).values(values)
            )
        return result
