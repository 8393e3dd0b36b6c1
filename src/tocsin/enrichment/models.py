"""The stored result of enriching a post: one row per post, replaced on re-enrichment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow


class PostEnrichment(Base):
    """What the pipeline found in a post (language, sentiment, intents, priority, PII spans).

    Keyed by the post itself, so enriching twice updates the row instead of adding one.  PII
    spans hold offsets and types only, never the matched values.
    """

    __tablename__ = "post_enrichments"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str | None] = mapped_column(String(8), index=True)
    lang_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    sentiment: Mapped[str | None] = mapped_column(String(16), index=True)
    sentiment_score: Mapped[float] = mapped_column(Float, default=0.0)
    #: ``[{"name", "subtype", "confidence", "cue"}, …]``
    intents: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    complaint: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    needs_reply: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    priority: Mapped[int] = mapped_column(Integer, default=0, index=True)
    #: ``[{"factor", "points", "detail"}, …]``, summing to ``priority`` (before clamping).
    priority_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    #: ``[{"type", "start", "end", "score", "source"}, …]``
    pii_spans: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    explanations: Mapped[dict[str, list[str]]] = mapped_column(JSONType, default=dict)
    model_versions: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    enriched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def intent_names(self) -> list[str]:
        return [str(item.get("name")) for item in self.intents]
