"""The optional Hugging Face sentiment enricher: label mapping, scores, versions, batching.

Runs without transformers or the network, on the fakes of :mod:`fakes.huggingface`;
``test_real_tiny_model`` runs the real thing only when ``TOCSIN_HF_SMOKE=1`` and transformers
is installed.  Settings, lazy import, loading and the CLI are in ``test_hf_setup.py``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from fakes.huggingface import COMMIT, THREE, FakeClassifier, Scorer, by_keyword
from tocsin.enrichment.base import BatchContext, Enrichment, PostInput
from tocsin.enrichment.hf import (
    CARDIFFNLP_LABELS,
    MAX_CHARS,
    HuggingFaceError,
    HuggingFaceOptions,
    HuggingFaceSentimentEnricher,
    polarity_of,
    resolve_label_map,
)
from tocsin.enrichment.pipeline import EnrichmentPipeline

CARDIFF = "cardiffnlp/twitter-roberta-base-sentiment"
STARS = {i: f"{i + 1} star{'s' if i else ''}" for i in range(5)}


def run(enricher: HuggingFaceSentimentEnricher, *texts: str) -> list[Enrichment]:
    batch = [PostInput(id=str(i), text=text) for i, text in enumerate(texts)]
    results = [Enrichment(post_id=p.id) for p in batch]
    enricher.enrich(batch, results, BatchContext(texts=list(texts), embedder=None))
    return results


def enricher_for(
    id2label: Mapping[int, str],
    *,
    model: str = CARDIFF,
    scorer: Scorer = by_keyword,
    label_map: Mapping[str, str] | None = None,
    **options: Any,
) -> HuggingFaceSentimentEnricher:
    config = HuggingFaceOptions(model=model, label_map=dict(label_map or {}), **options)
    return HuggingFaceSentimentEnricher(config, classifier=FakeClassifier(id2label, scorer))


# --- label mapping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "polarity"),
    [
        ("negative", "negative"),
        ("NEG", "negative"),
        ("Negative", "negative"),
        ("very_negative", "negative"),
        ("négatif", "negative"),
        ("Neutral", "neutral"),
        ("neu", "neutral"),
        ("POSITIVE", "positive"),
        ("pos", "positive"),
        ("positief", "positive"),
        ("1 star", "negative"),
        ("2 stars", "negative"),
        ("3 stars", "neutral"),
        ("4 stars", "positive"),
        ("5 stars", "positive"),
        ("LABEL_0", None),
        ("joy", None),
        ("6 stars", None),
    ],
)
def test_label_spellings(label: str, polarity: str | None) -> None:
    assert polarity_of(label) == polarity


def test_cardiffnlp_label_n_uses_the_documented_convention() -> None:
    mapping = resolve_label_map(THREE, model="cardiffnlp/twitter-xlm-roberta-base-sentiment")
    assert (
        mapping
        == CARDIFFNLP_LABELS
        == {
            "LABEL_0": "negative",
            "LABEL_1": "neutral",
            "LABEL_2": "positive",
        }
    )


def test_bare_label_n_of_an_unknown_model_is_refused_with_the_fix() -> None:
    with pytest.raises(HuggingFaceError) as caught:
        resolve_label_map({0: "LABEL_0", 1: "LABEL_1"}, model="acme/sst2")
    message = str(caught.value)
    assert "'LABEL_0', 'LABEL_1'" in message and "TOCSIN_HF_LABEL_MAP=" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "override",
    [
        {"LABEL_0": "negative", "LABEL_1": "positive"},
        {"label_0": "negative", "label_1": "positive"},
        {"0": "negative", "1": "positive"},
    ],
)
def test_explicit_label_map_by_label_or_id(override: dict[str, str]) -> None:
    mapping = resolve_label_map({0: "LABEL_0", 1: "LABEL_1"}, model="acme/sst2", override=override)
    assert mapping == {"LABEL_0": "negative", "LABEL_1": "positive"}


def test_explicit_label_map_wins_over_the_spelling() -> None:
    labels = {0: "bad", 1: "meh", 2: "negative"}  # a model whose last label is mislabelled
    override = {"bad": "negative", "meh": "neutral", "negative": "positive"}
    assert resolve_label_map(labels, model="acme/odd", override=override) == override


def test_label_map_naming_a_label_the_model_lacks_is_a_typo() -> None:
    with pytest.raises(HuggingFaceError, match=r"'label_9'.*does not output"):
        resolve_label_map(THREE, model=CARDIFF, override={"LABEL_9": "negative"})


def test_an_emotion_model_is_not_a_sentiment_model() -> None:
    with pytest.raises(HuggingFaceError, match="'joy', 'anger'"):
        resolve_label_map({0: "joy", 1: "anger"}, model="acme/emotions")
    with pytest.raises(HuggingFaceError, match="needs a negative and a positive"):
        resolve_label_map({0: "neutral", 1: "positive"}, model="acme/half")


# --- enriching -----------------------------------------------------------------------------


def test_labels_scores_explanations_and_version() -> None:
    enricher = HuggingFaceSentimentEnricher(
        HuggingFaceOptions(model=CARDIFF),
        classifier=FakeClassifier(THREE, commit=COMMIT),
    )
    broken, love, plain = run(enricher, "My kettle is broken", "I love it", "Opening hours?")
    assert (broken.sentiment, broken.sentiment_score) == ("negative", -0.75)
    assert (love.sentiment, love.sentiment_score) == ("positive", 0.6)
    assert (plain.sentiment, plain.sentiment_score) == ("neutral", 0.0)
    assert enricher.version == f"hf:{CARDIFF}@{COMMIT}"
    assert broken.model_versions == {"sentiment": f"hf:{CARDIFF}@{COMMIT}"}
    assert broken.explanations["sentiment"] == [
        f"hf:{CARDIFF} confidence 0.80 (model label 'LABEL_0' p=0.80)"
    ]


def test_version_falls_back_to_the_revision_then_to_the_name() -> None:
    pinned = enricher_for(THREE, revision="v1.2")
    assert pinned.version == f"hf:{CARDIFF}@v1.2"
    assert run(pinned, "x")[0].explanations["sentiment"][0].startswith(f"hf:{CARDIFF}@v1.2 ")
    assert enricher_for(THREE).version == f"hf:{CARDIFF}"


def test_star_ratings_are_added_up_by_polarity() -> None:
    """The best single label is "3 stars" (0.30) but 1–2 stars together weigh 0.45."""
    enricher = enricher_for(
        STARS,
        model="nlptown/bert-base-multilingual-uncased-sentiment",
        scorer=lambda text: (0.25, 0.20, 0.30, 0.15, 0.10),
    )
    (result,) = run(enricher, "Service moyen, livraison en retard")
    assert result.sentiment == "negative"
    assert result.sentiment_score == pytest.approx(0.25 - 0.45)
    assert "'3 stars' p=0.30" in result.explanations["sentiment"][0]


def test_two_label_models_and_unnormalised_scores() -> None:
    """Sigmoid outputs (multi-label heads) do not sum to one: they are normalised."""
    enricher = enricher_for(
        {0: "NEGATIVE", 1: "POSITIVE"}, model="acme/sst2", scorer=lambda text: (0.9, 0.3)
    )
    (result,) = run(enricher, "meh")
    assert result.sentiment == "negative"
    assert result.sentiment_score == pytest.approx((0.3 - 0.9) / 1.2)


def test_batches_follow_hf_batch_size_and_keep_the_order() -> None:
    classifier = FakeClassifier(THREE)
    enricher = HuggingFaceSentimentEnricher(
        HuggingFaceOptions(model=CARDIFF, batch_size=2), classifier=classifier
    )
    pipeline = EnrichmentPipeline([enricher], embedder=None, batch_size=3)
    texts = ["broken", "love", "hello", "nul", "génial", "hello", "x" * (MAX_CHARS + 50)]
    results = pipeline.run([PostInput(id=str(i), text=t) for i, t in enumerate(texts)])
    assert [r.post_id for r in results] == [str(i) for i in range(7)]
    assert [r.sentiment for r in results] == [
        "negative",
        "positive",
        "neutral",
        "negative",
        "positive",
        "neutral",
        "neutral",
    ]
    assert [len(call["texts"]) for call in classifier.calls] == [3, 3, 1]
    assert classifier.forward_sizes == [2, 1, 2, 1, 1]
    assert all(call["batch_size"] == 2 and call["truncation"] for call in classifier.calls)
    assert len(classifier.calls[-1]["texts"][0]) == MAX_CHARS


class Stuttering:
    """Answers every text twice."""

    def __init__(self) -> None:
        self.inner = FakeClassifier(THREE)
        self.model = self.inner.model

    def __call__(self, inputs: list[str], **kwargs: Any) -> Any:
        return self.inner(inputs + inputs, **kwargs)


def test_a_classifier_answering_the_wrong_count_is_an_error() -> None:
    enricher = HuggingFaceSentimentEnricher(
        HuggingFaceOptions(model=CARDIFF), classifier=Stuttering()
    )
    with pytest.raises(HuggingFaceError, match="2 results for 1 texts"):
        run(enricher, "one")


# --- opt-in: a real model ----------------------------------------------------------------------


@pytest.mark.skipif(os.environ.get("TOCSIN_HF_SMOKE") != "1", reason="set TOCSIN_HF_SMOKE=1")
def test_real_tiny_model(tmp_path: Path) -> None:
    """A real transformers model, never from the network: ``TOCSIN_HF_SMOKE_MODEL`` names one
    already in the local cache; otherwise a tiny random BERT is written to ``tmp_path``."""
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("torch")
    name = os.environ.get("TOCSIN_HF_SMOKE_MODEL") or str(_tiny_model(transformers, tmp_path))
    label_map = json.loads(os.environ.get("TOCSIN_HF_LABEL_MAP") or "{}")
    options = HuggingFaceOptions(model=name, batch_size=2, local_only=True, label_map=label_map)
    enricher = HuggingFaceSentimentEnricher(options)
    texts = ["I love it", "Worst service ever", "Où est mon colis ?", "", "ok " * 600]
    results = run(enricher, *texts)
    assert all(r.sentiment in {"negative", "neutral", "positive"} for r in results)
    assert all(-1.0 <= r.sentiment_score <= 1.0 for r in results)
    assert enricher.version.startswith(f"hf:{name}")
    assert results[0].model_versions["sentiment"] == enricher.version


def _tiny_model(transformers: Any, folder: Path) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "i", "love", "it", "worst", "service", "ever"]
    vocab = {word: i for i, word in enumerate(words)}
    backend = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=backend,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        model_max_length=32,
    )
    labels = {0: "negative", 1: "neutral", 2: "positive"}
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
        id2label=labels,
        label2id={label: i for i, label in labels.items()},
    )
    tokenizer.save_pretrained(folder)
    transformers.BertForSequenceClassification(config).save_pretrained(folder)
    return folder
