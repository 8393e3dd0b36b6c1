"""Source: one configured connector instance (a Bluesky query, a subreddit list, a feed…)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text
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
