"""Source: one configured connector instance (a Bluesky query, a subreddit list, a feed…)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow


class Source(Base):
    """A connector instance with its settings, encrypted credentials, checkpoint and health."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    platform: Mapped[str] = mapped_column(String(32), index=True)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="SET NULL"))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    settings: Mapped[dict[str, object]] = mapped_column(JSONType, default=dict)
    #: Fernet token of the JSON credentials (see :mod:`tocsin.privacy.secrets`).
    credentials_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Where a restart resumes: a cursor, a timestamp, an ETag…
    checkpoint: Mapped[dict[str, object]] = mapped_column(JSONType, default=dict)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_item_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookReceipt(Base):
    """One delivery unit a signed webhook accepted: a replay of it is refused.

    ``key`` names what was delivered (a Meta change: entry id, entry time and the comment id;
    a generic webhook: its signature), so a captured request sent again is recognised even
    though its signature is valid.  Rows older than the replay window are pruned.
    """

    __tablename__ = "webhook_receipts"
    __table_args__ = (UniqueConstraint("provider", "key", name="uq_webhook_receipts_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(255))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class PublishedReply(Base):
    """The ledger of replies published on a platform, by idempotency key.

    A publisher looks the key up before calling the platform and records the platform's id
    after, so a retry of the same reply returns the first result instead of posting twice.
    """

    __tablename__ = "published_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    platform: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    external_id: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
