"""Which brand each post mentions (a post may mention several: ours and competitors)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow


class PostBrand(Base):
    """A post matched a brand's listening query; ``matched_terms`` explains why."""

    __tablename__ = "post_brands"
    __table_args__ = (
        UniqueConstraint("post_id", "brand_id"),
        Index("ix_post_brands_brand_created", "brand_id", "post_created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    #: Copied from the post so per-brand time series need no join.
    post_created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_competitor: Mapped[bool] = mapped_column(Boolean, default=False)
    #: True when the brand's own official account wrote the post.
    by_brand: Mapped[bool] = mapped_column(Boolean, default=False)
    matched_terms: Mapped[list[str]] = mapped_column(JSONType, default=list)
    query_version: Mapped[str] = mapped_column(String(64), default="")
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
