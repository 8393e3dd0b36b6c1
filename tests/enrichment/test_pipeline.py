"""The pipeline: order, shared embeddings, timings, configuration, and the stored results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.enrichment.base import BatchContext, Enrichment, PostInput
from tocsin.enrichment.intent import IntentEnricher
from tocsin.enrichment.models import PostEnrichment
from tocsin.enrichment.pipeline import EnrichmentPipeline, PipelineConfig
from tocsin.enrichment.priority import PriorityEnricher
from tocsin.enrichment.service import enrich_posts, get_enrichment
from tocsin.ingestion.models import Author, Post


class CountingEmbedder:
    """Deterministic fake vectors; counts calls to prove the batch embeds once."""

    name = "fake-embedder"
    dim = 512

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        rng = np.random.default_rng(len(texts))
        vectors = rng.normal(size=(len(texts), self.dim)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


class FakeLanguage:
    name = "language"
    version = "fake-lang-1"

    def enrich(
        self, batch: Sequence[PostInput], results: list[Enrichment], context: BatchContext
    ) -> None:
        for result, text in zip(results, context.texts, strict=True):
            french = {"le", "mon", "est", "où"} & set(text.lower().split())
            result.lang = "fr" if french else "en"
            result.lang_confidence = 0.9


class FakeSentiment:
    """Reads the shared embeddings, as the real sentiment model does."""

    name = "sentiment"
    version = "fake-sentiment-1"

    def __init__(self) -> None:
        self.seen_langs: list[str | None] = []

    def enrich(
        self, batch: Sequence[PostInput], results: list[Enrichment], context: BatchContext
    ) -> None:
        assert context.embeddings.shape == (len(batch), 512)
        for result, text in zip(results, context.texts, strict=True):
            self.seen_langs.append(result.lang)
            negative = any(w in text.lower() for w in ("broken", "cassé", "worst"))
            result.sentiment = "negative" if negative else "neutral"
            result.sentiment_score = -0.8 if negative else 0.0


def fake_pipeline(
    embedder: CountingEmbedder, sentiment: FakeSentiment | None = None, *, model: bool = False
) -> EnrichmentPipeline:
    """Fake vectors mean nothing to the complaint model: by default intents come from cues."""
    intent = IntentEnricher.default() if model else IntentEnricher(model=None)
    enrichers = [FakeLanguage(), sentiment or FakeSentiment(), intent, PriorityEnricher()]
    return EnrichmentPipeline(enrichers, embedder=embedder, batch_size=3)


def posts(*texts: str) -> list[PostInput]:
    return [PostInput(id=str(i), text=t) for i, t in enumerate(texts)]


def test_enrichers_run_in_order_and_share_one_embedding_per_batch() -> None:
    embedder = CountingEmbedder()
    sentiment = FakeSentiment()
    pipeline = fake_pipeline(embedder, sentiment, model=True)  # intent reads vectors too
    results = pipeline.run(posts("my kettle is broken", "Où est mon colis ?", "hello", "worst day"))
    assert [r.post_id for r in results] == ["0", "1", "2", "3"]
    assert embedder.calls == 2  # two batches of at most 3; sentiment and intent share them
    assert sentiment.seen_langs == ["en", "fr", "en", "en"]  # language ran first
    assert results[0].priority > results[2].priority
    assert results[0].model_versions["embedding"] == "fake-embedder"
    assert set(pipeline.timings) == {"language", "sentiment", "intent", "priority", "embedding"}


def test_stream_is_lazy_and_ordered() -> None:
    pipeline = fake_pipeline(CountingEmbedder())
    produced = pipeline.stream(iter(posts(*(f"post {i}" for i in range(7)))))
    first = next(produced)
    assert first[0].id == "0" and pipeline.posts_done == 3
    assert [p.id for p, _ in produced] == [str(i) for i in range(1, 7)]


def test_empty_batch_is_fine() -> None:
    assert fake_pipeline(CountingEmbedder()).run([]) == []


def test_config_rejects_unknown_enrichers() -> None:
    with pytest.raises(ValueError, match="choose from"):
        PipelineConfig(enrichers=("language", "horoscope"))


def test_priority_only_pipeline_needs_no_embedder() -> None:
    pipeline = EnrichmentPipeline.from_config(PipelineConfig(enrichers=("priority",)))
    assert pipeline.embedder is None
    [result] = pipeline.run([PostInput(id="1", text="x", author_followers=999)])
    assert result.priority == 12


# --- the real pipeline (needs the language, sentiment and PII modules) ----------------------


@pytest.fixture(scope="module")
def real_pipeline() -> EnrichmentPipeline:
    pytest.importorskip("tocsin.enrichment.language")
    pytest.importorskip("tocsin.enrichment.sentiment")
    pytest.importorskip("tocsin.privacy.pii")
    return EnrichmentPipeline.from_config(PipelineConfig(vip_handles=("bigcritic",)))


def test_real_pipeline_end_to_end(real_pipeline: EnrichmentPipeline) -> None:
    batch = [
        PostInput(id="a", text="Remboursez-moi ou je poste ça partout ! Commande #FR-20931"),
        PostInput(id="b", text="Thanks a lot, the new blender is fantastic!"),
        PostInput(id="c", text="¿Cuándo abrís la tienda de Valencia? Mi correo es ana@example.com"),
    ]
    a, b, c = real_pipeline.run(batch)
    assert a.lang == "fr" and a.needs_reply and a.has_intent("threat")
    assert any(span.type == "ORDER_NUMBER" for span in a.pii)
    assert b.sentiment == "positive" and not b.needs_reply
    assert c.lang == "es" and c.has_intent("question")
    assert any(span.type == "EMAIL" for span in c.pii)
    assert a.priority > c.priority > b.priority
    assert set(a.model_versions) >= {"language", "sentiment", "intent", "pii", "priority"}


# --- storage --------------------------------------------------------------------------------


def make_post(session: Session, text: str, *, lang: str | None = None, n: int = 1) -> Post:
    author = Author(platform="x", handle=f"someone{n}", followers=2500)
    post = Post(
        platform="x",
        external_id=f"ext-{n}",
        text=text,
        lang=lang,
        author=author,
        created_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
        likes=40,
    )
    session.add(post)
    session.flush()
    return post


def test_enrich_posts_upserts_and_fills_language(session: Session) -> None:
    broken = make_post(session, "My kettle is broken, I want a refund", n=1)
    tagged = make_post(session, "Où est mon colis ?", lang="fr-CA", n=2)
    pipeline = fake_pipeline(CountingEmbedder())
    now = datetime(2026, 3, 1, 11, tzinfo=UTC)
    assert (
        enrich_posts(
            session=session, post_ids=[broken.id, tagged.id, 999_999], pipeline=pipeline, now=now
        )
        == 2
    )
    assert broken.lang == "en" and tagged.lang == "fr-CA"
    row = get_enrichment(session=session, post_id=broken.id)
    assert row is not None
    assert row.complaint and row.needs_reply and row.sentiment == "negative"
    assert "request" in row.intent_names
    assert {r["factor"] for r in row.priority_reasons} >= {"intent", "reach", "velocity"}
    assert row.priority == round(sum(r["points"] for r in row.priority_reasons))
    assert row.enriched_at == now

    later = datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert (
        enrich_posts(session=session, post_ids=[broken.id, broken.id], pipeline=pipeline, now=later)
        == 1
    )
    rows = session.scalars(select(PostEnrichment).where(PostEnrichment.post_id == broken.id)).all()
    assert len(rows) == 1
    assert get_enrichment(session=session, post_id=broken.id).enriched_at == later  # type: ignore[union-attr]


def test_deleted_posts_are_skipped(session: Session) -> None:
    post = make_post(session, "gone", n=3)
    post.deleted = True
    session.flush()
    assert (
        enrich_posts(
            session=session, post_ids=[post.id], pipeline=fake_pipeline(CountingEmbedder())
        )
        == 0
    )
