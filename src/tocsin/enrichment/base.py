"""The enricher interface: what goes in, what comes out, and what a batch shares.

Every enricher (language, sentiment, intent, PII, priority) is a small object with a ``name``,
a ``version`` and one method, ``enrich(batch, results, context)``, which fills its part of the
mutable :class:`Enrichment` of each post in place.  Enrichers run in a fixed order inside one
batch, so a later one reads what an earlier one wrote (sentiment reads the language, priority
reads everything).  The expensive shared work, the USE sentence embeddings, lives in
:class:`BatchContext` and is computed once per batch, on first use, for whoever needs it.

Example::

    batch = [PostInput(id="1", text="Where is my parcel?")]
    results = [Enrichment(post_id="1")]
    context = BatchContext(texts=[p.text for p in batch], embedder=default_embedder())
    for enricher in enrichers:
        enricher.enrich(batch, results, context)
    results[0].needs_reply  # True
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from tocsin.enrichment.embedding import Embedder, FloatMatrix


@dataclass(frozen=True, slots=True)
class PostInput:
    """One post as the enrichers see it: text plus the few facts that drive priority.

    ``age_hours`` is how long the post had been online when its engagement was counted; when
    it is ``None`` it is derived from ``created_at`` and the batch's ``now``.
    """

    id: str
    text: str
    lang: str | None = None
    platform: str | None = None
    author_handle: str | None = None
    author_followers: int = 0
    author_verified: bool = False
    is_vip: bool = False
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    created_at: datetime | None = None
    age_hours: float | None = None

    @property
    def engagement(self) -> int:
        return self.likes + self.reposts + self.replies + self.quotes


@dataclass(slots=True)
class IntentHit:
    """One detected intent with the cue that fired, e.g. ``request/refund: "refund me"``."""

    name: str
    confidence: float
    cue: str
    subtype: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "confidence": round(self.confidence, 3)}


@dataclass(slots=True)
class PriorityReason:
    """One additive term of the priority score."""

    factor: str
    points: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class PiiHit:
    """Where personal data sits in the text; the matched value itself is never kept."""

    type: str
    start: int
    end: int
    score: float = 1.0
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Enrichment:
    """Everything the pipeline learned about one post; enrichers fill it in place."""

    post_id: str
    lang: str | None = None
    lang_confidence: float = 0.0
    sentiment: str | None = None
    sentiment_score: float = 0.0
    intents: list[IntentHit] = field(default_factory=list)
    complaint: bool = False
    complaint_probability: float = 0.0
    needs_reply: bool = False
    priority: int = 0
    priority_reasons: list[PriorityReason] = field(default_factory=list)
    pii: list[PiiHit] = field(default_factory=list)
    explanations: dict[str, list[str]] = field(default_factory=dict)
    model_versions: dict[str, str] = field(default_factory=dict)

    def has_intent(self, name: str) -> bool:
        return any(hit.name == name for hit in self.intents)

    @property
    def intent_names(self) -> list[str]:
        return [hit.name for hit in self.intents]

    def explain(self, enricher: str, message: str) -> None:
        self.explanations.setdefault(enricher, []).append(message)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape used by ``tocsin analyze`` and the API (see docs/enrichment.md)."""
        return {
            "id": self.post_id,
            "lang": self.lang,
            "lang_confidence": round(self.lang_confidence, 3),
            "sentiment": self.sentiment,
            "sentiment_score": round(self.sentiment_score, 3),
            "intents": [hit.to_dict() for hit in self.intents],
            "complaint": self.complaint,
            "needs_reply": self.needs_reply,
            "priority": self.priority,
            "priority_reasons": [reason.to_dict() for reason in self.priority_reasons],
            "pii": [span.to_dict() for span in self.pii],
            "explanations": self.explanations,
            "model_versions": self.model_versions,
        }


class BatchContext:
    """What the enrichers of one batch share: the texts, the clock and lazy embeddings.

    The embeddings are computed on first access and kept for the rest of the batch, so the
    sentiment and intent models pay for USE once.  ``embedding_seconds`` tells the pipeline how
    much of an enricher's time was really the embedder's.
    """

    def __init__(
        self,
        *,
        texts: Sequence[str],
        embedder: Embedder | None,
        now: datetime | None = None,
    ) -> None:
        self.texts = list(texts)
        self.now = now or datetime.now(UTC)
        self.embedding_seconds = 0.0
        self._embedder = embedder
        self._embeddings: FloatMatrix | None = None

    @property
    def has_embedder(self) -> bool:
        return self._embedder is not None

    @property
    def embedder_name(self) -> str | None:
        return self._embedder.name if self._embedder is not None else None

    @property
    def embeddings(self) -> FloatMatrix:
        """USE vectors of the batch's texts, ``(len(texts), dim)``; computed once."""
        if self._embeddings is None:
            if self._embedder is None:
                raise RuntimeError("this batch has no embedder; build the pipeline with one")
            started = time.perf_counter()
            vectors = self._embedder.embed(self.texts)
            self.embedding_seconds += time.perf_counter() - started
            self._embeddings = np.asarray(vectors, dtype=np.float32)
        return self._embeddings


class Enricher(Protocol):
    """One step of the pipeline; fills its fields of each :class:`Enrichment` in place."""

    name: str
    version: str

    def enrich(
        self, batch: Sequence[PostInput], results: list[Enrichment], context: BatchContext
    ) -> None: ...
