"""Pydantic shapes of the enrichment contract: one ``tocsin analyze`` input line, and a stored
enrichment as the API returns it.

Example::

    AnalyzeLine.model_validate_json('{"id": 7, "text": "Où est mon colis ?", "lang": "fr"}')
    EnrichmentRead.model_validate(row)  # row: PostEnrichment
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from tocsin.enrichment.base import PostInput


class AnalyzeLine(BaseModel):
    """One JSON line read by ``tocsin analyze``; unknown keys are ignored.

    Only ``id`` and ``text`` are required; the optional author and engagement fields feed
    the priority score when the caller has them.
    """

    model_config = ConfigDict(extra="ignore")

    id: StrictStr | int
    text: StrictStr = Field(max_length=100_000)
    lang: str | None = Field(default=None, max_length=16)
    platform: str | None = Field(default=None, max_length=32)
    author: str | None = Field(default=None, max_length=200)
    followers: int = Field(default=0, ge=0)
    verified: bool = False
    vip: bool = False
    likes: int = Field(default=0, ge=0)
    reposts: int = Field(default=0, ge=0)
    replies: int = Field(default=0, ge=0)
    quotes: int = Field(default=0, ge=0)
    created_at: datetime | None = None
    age_hours: float | None = Field(default=None, ge=0)

    def to_post(self) -> PostInput:
        return PostInput(
            id=str(self.id),
            text=self.text,
            lang=self.lang or None,
            platform=self.platform,
            author_handle=self.author,
            author_followers=self.followers,
            author_verified=self.verified,
            is_vip=self.vip,
            likes=self.likes,
            reposts=self.reposts,
            replies=self.replies,
            quotes=self.quotes,
            created_at=self.created_at,
            age_hours=self.age_hours,
        )


class IntentRead(BaseModel):
    name: str
    subtype: str | None = None
    confidence: float
    cue: str


class PriorityReasonRead(BaseModel):
    factor: str
    points: float
    detail: str


class PiiSpanRead(BaseModel):
    type: str
    start: int
    end: int
    score: float = 1.0
    source: str = ""


class EnrichmentRead(BaseModel):
    """A stored :class:`~tocsin.enrichment.models.PostEnrichment` as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    post_id: int
    lang: str | None
    lang_confidence: float
    sentiment: Literal["negative", "neutral", "positive"] | None
    sentiment_score: float
    intents: list[IntentRead]
    complaint: bool
    needs_reply: bool
    priority: int = Field(ge=0, le=100)
    priority_reasons: list[PriorityReasonRead]
    pii_spans: list[PiiSpanRead]
    explanations: dict[str, list[str]]
    model_versions: dict[str, str]
    enriched_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> EnrichmentRead:
        return cls.model_validate(row)
