"""The polarity-lexicon features of the sentiment model, and the lexicons packed in its artifact."""

from __future__ import annotations

import pytest

from tocsin.enrichment.lexicons.polarity import FEATURES, PolarityLexicon
from tocsin.enrichment.sentiment import SentimentModel

LEXICON = PolarityLexicon(
    words={"en": {"good": 0.5, "awful": -0.75}, "fr": {"genial": 0.75, "decu": -0.5}},
    emojis={"😡": -0.6, "😍": 0.8},
)


def feature(text: str, lang: str | None, name: str) -> float:
    return LEXICON.features(text, lang)[FEATURES.index(name)]


def test_words_are_summed_by_sign() -> None:
    values = dict(zip(FEATURES, LEXICON.features("good, good and awful", "en"), strict=True))
    assert values["positive_sum"] == pytest.approx(1.0)
    assert values["negative_sum"] == pytest.approx(-0.75)
    assert (values["positive_words"], values["negative_words"]) == (2.0, 1.0)
    assert (values["max_valence"], values["min_valence"]) == (0.5, -0.75)


def test_a_negator_flips_the_next_three_words_only() -> None:
    assert feature("not good", "en", "negative_sum") == pytest.approx(-0.37)
    assert feature("not really very much good", "en", "positive_sum") == pytest.approx(0.5)
    assert feature("c'est pas génial", "fr", "negative_sum") == pytest.approx(-0.555)


def test_words_are_folded_and_looked_up_in_the_post_language_only() -> None:
    assert feature("GÉNIAL, très DÉÇU", "fr", "positive_words") == 1.0
    assert feature("GÉNIAL, très DÉÇU", "fr", "negative_words") == 1.0
    assert feature("génial", "en", "positive_words") == 0.0
    assert feature("good", None, "positive_words") == 0.0


def test_emojis_count_in_every_language() -> None:
    for lang in ("en", "pl", None):
        assert feature("😍😍😡", lang, "emojis") == 3.0
        assert feature("😍😍😡", lang, "emoji_sum") == pytest.approx(1.0)
    assert feature("no emoji here", "en", "emoji_mean") == 0.0


def test_batch_shape_and_empty_posts() -> None:
    matrix = LEXICON.batch(["", "good 😍", "awful"], ["en", "en", "de"])
    assert matrix.shape == (3, len(FEATURES))
    assert not matrix[0].any()
    assert not matrix[2, :7].any()


def test_the_artifact_carries_the_lexicons() -> None:
    lexicon = SentimentModel.load().lexicon
    assert {"en", "fr", "de", "pt"} <= set(lexicon.words)
    assert lexicon.words["pt"]["maravilhoso"] > 0
    assert lexicon.words["de"]["schrecklich"] < 0
    assert lexicon.words["fr"]["deteste"] < 0
    assert lexicon.emojis["😡"] < 0 < lexicon.emojis["😍"]


def test_misfiring_french_entries_are_left_out() -> None:
    # "plus d'internet" is *no more* internet; "en privé" is a private message
    french = SentimentModel.load().lexicon.words["fr"]
    assert not {"plus", "prive", "blague", "s"} & set(french)
    german = SentimentModel.load().lexicon.words["de"]
    assert german["schlechten"] == german["schlecht"] < 0  # an inflected form inherits
