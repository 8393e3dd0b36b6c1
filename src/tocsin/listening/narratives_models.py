"""Narratives as rows: a centroid per cluster of posts that say the same thing.

:class:`PostNarrative` links each clustered post to its narrative (one per post and brand), with the
post's time copied so per-narrative volume needs no join (the crisis radar reads it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow


class Narrative(Base):
    """A cluster of a brand's posts, in any language, that say the same thing."""

    __tablename__ = "narratives"
    __table_args__ = (Index("ix_narratives_brand_last", "brand_id", "last_seen_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    #: The normalised mean of the members' embeddings (512 floats).
    centroid: Mapped[list[float]] = mapped_column(JSONType)
    size: Mapped[int] = mapped_column(Integer, default=0)
    #: Term counts of the members (the 60 most frequent), for c-TF-IDF labels.
    term_counts: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    lang_counts: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    #: The posts closest to the centroid: ``[[post_id, similarity], …]``.
    representatives: Mapped[list[list[float]]] = mapped_column(JSONType, default=list)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PostNarrative(Base):
    """Which narrative a post belongs to, and how close it is to its centroid."""

    __tablename__ = "post_narratives"
    __table_args__ = (
        Index("ix_post_narratives_narrative_created", "narrative_id", "post_created_at"),
    )

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    brand_id: Mapped[int] = mapped_column(
        ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True
    )
    narrative_id: Mapped[int] = mapped_column(ForeignKey("narratives.id", ondelete="CASCADE"))
    post_created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    similarity: Mapped[float] = mapped_column(Float)
