"""The enrichment pipeline: language → sentiment → intent → PII → priority, in batches.

A pure function over batches: it takes :class:`PostInput` values and returns
:class:`Enrichment` values, touching no store (``service.enrich_posts`` does the loading and
saving).  The USE embeddings are computed once per batch in :class:`BatchContext` and shared by
the sentiment and intent models.  Each enricher's time is measured; the embedder's time is
reported on its own line rather than charged to whichever enricher asked first.

Example::

    pipeline = EnrichmentPipeline.from_config(PipelineConfig(vip_handles=("lemonde",)))
    results = pipeline.run([PostInput(id="1", text="Où est ma commande #FR-20931 ?")])
    results[0].lang, results[0].needs_reply, results[0].pii[0].type
    # ('fr', True, 'ORDER_NUMBER')
    pipeline.timings  # {'language': 0.001, 'embedding': 0.004, 'sentiment': …}
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from tocsin.enrichment.base import (
    BatchContext,
    Enricher,
    Enrichment,
    PiiHit,
    PostInput,
)
from tocsin.enrichment.embedding import Embedder, default_embedder
from tocsin.enrichment.intent import IntentEnricher, IntentRules
from tocsin.enrichment.priority import PriorityEnricher, PriorityWeights

if TYPE_CHECKING:
    from tocsin.enrichment.hf import HuggingFaceOptions

ENRICHER_ORDER = ("language", "sentiment", "intent", "pii", "priority")
#: Order numbers such as ``#FR-20931`` or ``AB-12345``: masked like personal data by default.
ORDER_NUMBER_PATTERN = r"#?[A-Z]{2}-\d{4,}"


@dataclass(frozen=True)
class PipelineConfig:
    """Which enrichers run and how; built from settings or CLI options, never read globally."""

    enrichers: tuple[str, ...] = ENRICHER_ORDER
    pii_mode: Literal["fast", "full"] = "fast"
    pii_custom_patterns: Mapping[str, str] = field(
        default_factory=lambda: {"ORDER_NUMBER": ORDER_NUMBER_PATTERN}
    )
    vip_handles: tuple[str, ...] = ()
    risk_terms: tuple[str, ...] = ()
    reply_to_praise: bool = False
    priority_weights: PriorityWeights = field(default_factory=PriorityWeights)
    batch_size: int = 256
    #: A Hugging Face model in place of the builtin sentiment model (``tocsin[transformers]``).
    hf_sentiment: HuggingFaceOptions | None = None

    def __post_init__(self) -> None:
        unknown = [name for name in self.enrichers if name not in ENRICHER_ORDER]
        if unknown:
            raise ValueError(
                f"unknown enricher(s) {', '.join(unknown)}; choose from {', '.join(ENRICHER_ORDER)}"
            )
        if self.batch_size < 1:
            raise ValueError("batch_size must be at least 1")


class LanguageEnricher:
    """Sets ``lang`` and ``lang_confidence``; the post's own language tag is a hint."""

    name = "language"

    def __init__(self) -> None:
        from tocsin.enrichment.language import LanguageIdentifier

        self._identifier = LanguageIdentifier()
        self.version = str(self._identifier.version)

    def enrich(
        self, batch: Sequence[PostInput], results: list[Enrichment], context: BatchContext
    ) -> None:
        guesses = self._identifier.detect_batch(context.texts, [p.lang for p in batch])
        for post, result, guess in zip(batch, results, guesses, strict=True):
            result.lang = guess.lang or post.lang
            result.lang_confidence = float(guess.confidence)
            reliable = "" if guess.reliable else ", unreliable"
            found = guess.lang or "unknown"
            result.explain(self.name, f"{found} p={guess.confidence:.2f}{reliable}")
            result.model_versions[self.name] = self.version


class SentimentEnricher:
    """Sets ``sentiment`` and ``sentiment_score`` from the shared embeddings."""

    name = "sentiment"

    def __init__(self) -> None:
        from tocsin.enrichment.sentiment import SentimentModel

        self._model = SentimentModel.load()
        self.version = str(self._model.version)

    def enrich(
        self, batch: Sequence[PostInput], results: list[Enrichment], context: BatchContext
    ) -> None:
        embeddings = context.embeddings if context.has_embedder else None
        langs = [r.lang.split("-")[0] if r.lang else None for r in results]
        predictions = self._model.predict(context.texts, langs, embeddings=embeddings)
        for result, prediction in zip(results, predictions, strict=True):
            result.sentiment = str(prediction.label)
            result.sentiment_score = float(prediction.score)
            explanation: Any = prediction.explanation
            if isinstance(explanation, str):
                result.explain(self.name, explanation)
            elif explanation:
                for line in explanation:
                    result.explain(self.name, str(line))
            result.model_versions[self.name] = self.version


class PiiEnricher:
    """Finds personal data; ``fast`` is structured data only (mails, phones, cards, IBANs…)."""

    name = "pii"

    def __init__(
        self, *, mode: Literal["fast", "full"] = "fast", custom_patterns: Mapping[str, str]
    ) -> None:
        from tocsin.privacy.pii import PiiDetector

        self._detector = PiiDetector(mode=mode, custom_patterns=dict(custom_patterns) or None)
        self.version = f"pii-{mode}-{getattr(self._detector, 'version', '1')}"

    def enrich(
        self, batch: Sequence[PostInput], results: list[Enrichment], context: BatchContext
    ) -> None:
        found = self._detector.detect_batch(context.texts, [r.lang for r in results])
        for spans, result in zip(found, results, strict=True):
            result.pii = [
                PiiHit(str(s.type), int(s.start), int(s.end), float(s.score), str(s.source))
                for s in spans
            ]
            if result.pii:
                kinds = ", ".join(dict.fromkeys(h.type for h in result.pii))
                result.explain(self.name, f"{len(result.pii)} span(s): {kinds}")
            result.model_versions[self.name] = self.version


def build_enricher(name: str, config: PipelineConfig) -> Enricher:
    """The enricher called ``name`` set up from ``config``."""
    if name == "language":
        return LanguageEnricher()
    if name == "sentiment" and config.hf_sentiment is not None:
        from tocsin.enrichment.hf import HuggingFaceSentimentEnricher

        return HuggingFaceSentimentEnricher(config.hf_sentiment)
    if name == "sentiment":
        return SentimentEnricher()
    if name == "intent":
        return IntentEnricher.default(rules=IntentRules(reply_to_praise=config.reply_to_praise))
    if name == "pii":
        return PiiEnricher(mode=config.pii_mode, custom_patterns=config.pii_custom_patterns)
    if name == "priority":
        return PriorityEnricher(
            weights=config.priority_weights,
            vip_handles=config.vip_handles,
            risk_terms=config.risk_terms,
        )
    raise ValueError(f"unknown enricher {name!r}")


class EnrichmentPipeline:
    """Runs enrichers in order over batches and keeps per-enricher timings."""

    def __init__(
        self,
        enrichers: Sequence[Enricher],
        *,
        embedder: Embedder | None,
        batch_size: int = 256,
    ) -> None:
        self.enrichers = list(enrichers)
        self.embedder = embedder
        self.batch_size = batch_size
        self.timings: dict[str, float] = {}
        self.posts_done = 0

    @classmethod
    def from_config(
        cls, config: PipelineConfig | None = None, *, embedder: Embedder | None = None
    ) -> EnrichmentPipeline:
        """The standard pipeline; the USE embedder is used unless another is given."""
        config = config or PipelineConfig()
        enrichers = [build_enricher(n, config) for n in ENRICHER_ORDER if n in config.enrichers]
        needs_vectors = {"sentiment", "intent"} & set(config.enrichers)
        chosen = embedder or (default_embedder() if needs_vectors else None)
        return cls(enrichers, embedder=chosen, batch_size=config.batch_size)

    @property
    def versions(self) -> dict[str, str]:
        versions = {e.name: e.version for e in self.enrichers}
        if self.embedder is not None:
            versions["embedding"] = self.embedder.name
        return versions

    def run(self, posts: Sequence[PostInput], *, now: datetime | None = None) -> list[Enrichment]:
        """Enrich ``posts`` (any number) batch by batch; results are in input order."""
        results: list[Enrichment] = []
        for start in range(0, len(posts), self.batch_size):
            results.extend(self.run_batch(posts[start : start + self.batch_size], now=now))
        return results

    def stream(
        self, posts: Iterable[PostInput], *, now: datetime | None = None
    ) -> Iterator[tuple[PostInput, Enrichment]]:
        """Enrich an iterable lazily, holding one batch in memory at a time."""
        batch: list[PostInput] = []
        for post in posts:
            batch.append(post)
            if len(batch) >= self.batch_size:
                yield from zip(batch, self.run_batch(batch, now=now), strict=True)
                batch = []
        if batch:
            yield from zip(batch, self.run_batch(batch, now=now), strict=True)

    def run_batch(
        self, batch: Sequence[PostInput], *, now: datetime | None = None
    ) -> list[Enrichment]:
        """Enrich one batch; every enricher sees the results of those before it."""
        results = [Enrichment(post_id=p.id, lang=p.lang) for p in batch]
        if not batch:
            return results
        context = BatchContext(texts=[p.text for p in batch], embedder=self.embedder, now=now)
        for enricher in self.enrichers:
            embedded_before = context.embedding_seconds
            started = time.perf_counter()
            enricher.enrich(batch, results, context)
            elapsed = time.perf_counter() - started
            embedding = context.embedding_seconds - embedded_before
            self._add_time(enricher.name, elapsed - embedding)
            if embedding:
                self._add_time("embedding", embedding)
        if self.embedder is not None and context.embedding_seconds:
            for result in results:
                result.model_versions["embedding"] = self.embedder.name
        self.posts_done += len(batch)
        return results

    def _add_time(self, name: str, seconds: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + seconds
