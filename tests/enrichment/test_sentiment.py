"""The packaged sentiment model on hand-written posts, plus training on a tiny made-up corpus."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tocsin.enrichment.lexicons.polarity import PolarityLexicon
from tocsin.enrichment.sentiment import (
    LABELS,
    SentimentModel,
    SentimentResult,
    ngram_features,
    normalize_text,
)

POSITIVE = {
    "en": [
        "I love this phone, best purchase I have made all year! ❤️",
        "Thank you so much, your support team was fantastic and super helpful 😊",
    ],
    "fr": [
        "J'adore ce produit, vraiment génial, merci beaucoup ! 😍",
        "Service client au top, rapide et très sympa, bravo à toute l'équipe",
    ],
    "es": [
        "Me encanta, es el mejor regalo que me han hecho, ¡gracias! 😍",
        "Excelente atención, muy amables y rápidos, ¡muchas gracias!",
    ],
    "nl": [
        "Geweldig product, ik ben er echt heel blij mee, dank jullie wel! 😊",
        "Wat een fantastische service, super vriendelijk en snel geholpen",
    ],
    "de": [
        "Ich liebe es, einfach großartig, vielen herzlichen Dank! 😍",
        "Super Service, sehr freundlich und schnell, absolut empfehlenswert",
    ],
    "it": [
        "Lo adoro, è davvero fantastico, grazie mille! 😍",
        "Servizio eccellente, gentilissimi e velocissimi, bravi!",
    ],
    "pt": [
        "Amei demais, produto maravilhoso, muito obrigada! 😍",
        "Atendimento excelente, super rápido e simpático, adorei",
    ],
}
NEGATIVE = {
    "en": [
        "Worst customer service ever, I am so angry and disappointed 😡",
        "This is terrible, the app crashes all the time and nobody helps. Awful.",
    ],
    "fr": [
        "Service client nul, je suis vraiment déçu et en colère 😡",
        "C'est une honte, toujours en panne et personne ne répond. Horrible.",
    ],
    "es": [
        "El peor servicio del mundo, estoy muy enfadado y decepcionado 😡",
        "Es una vergüenza, siempre falla y nadie responde. Horrible.",
    ],
    "nl": [
        "Slechtste klantenservice ooit, ik ben echt boos en teleurgesteld 😡",
        "Wat een schande, het werkt nooit en niemand helpt. Verschrikkelijk.",
    ],
    "de": [
        "Der schlechteste Kundenservice überhaupt, ich bin so wütend und enttäuscht 😡",
        "Eine Frechheit, ständig kaputt und keiner hilft. Furchtbar.",
    ],
    "it": [
        "Il peggior servizio clienti di sempre, sono arrabbiato e deluso 😡",
        "Una vergogna, non funziona mai e nessuno risponde. Orribile.",
    ],
    "pt": [
        "Pior atendimento do mundo, estou com muita raiva e decepcionado 😡",
        "Que vergonha, vive dando problema e ninguém resolve. Horrível.",
    ],
}
NEUTRAL = {
    "en": ["The store opens at 9 am on Monday according to the website."],
    "fr": ["La réunion du conseil municipal aura lieu jeudi à 18 heures."],
    "de": ["Die Sitzung des Stadtrats findet am Donnerstag um 18 Uhr statt."],
}
CASES = [
    (lang, text, label)
    for label, table in (("positive", POSITIVE), ("negative", NEGATIVE), ("neutral", NEUTRAL))
    for lang, texts in table.items()
    for text in texts
]


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return SentimentModel.load()


@pytest.fixture(scope="module")
def predictions(model: SentimentModel) -> list[SentimentResult]:
    return model.predict([t for _, t, _ in CASES], [lang for lang, _, _ in CASES])


@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=[c[0] for c in CASES])
def test_clear_posts_get_the_right_label(
    predictions: list[SentimentResult], index: int, case: tuple[str, str, str]
) -> None:
    lang, text, label = case
    assert predictions[index].label == label, (lang, text, predictions[index])


def test_results_are_consistent(predictions: list[SentimentResult]) -> None:
    for result in predictions:
        neg, _neutral, pos = result.probabilities
        assert sum(result.probabilities) == pytest.approx(1.0, abs=1e-6)
        assert -1.0 <= result.score <= 1.0
        assert result.score == pytest.approx(pos - neg, abs=1e-3)
        assert result.label == LABELS[int(np.argmax(result.probabilities))]
        assert "model confidence" in result.explanation


def test_cues_name_the_words_behind_a_label(model: SentimentModel) -> None:
    text = "This is terrible and horrible, I hate the new table"
    [result] = model.predict([text], ["en"])
    assert result.label == "negative"
    assert result.explanation.startswith("model confidence ")
    cues = model.cues(text, "negative")
    assert {"terrible", "horrible"} <= set(cues)
    assert "table" not in cues


def test_artifact_loads_with_its_languages_and_version(model: SentimentModel) -> None:
    assert model.version.startswith("sentiment-")
    assert {"en", "fr", "es", "nl", "de", "it", "pt"} <= set(model.languages)
    assert model.info["validation_macro_f1"]["en"] > 50


def test_predictions_are_deterministic_and_batch_independent(model: SentimentModel) -> None:
    texts = [POSITIVE["fr"][0], NEGATIVE["de"][0], NEUTRAL["en"][0]]
    langs = ["fr", "de", "en"]
    first = model.predict(texts, langs)
    assert model.predict(texts, langs) == first
    single = [model.predict([t], [lang])[0] for t, lang in zip(texts, langs, strict=True)]
    for a, b in zip(first, single, strict=True):
        assert a.label == b.label
        assert a.probabilities == pytest.approx(b.probabilities, abs=1e-5)


def test_shared_embeddings_give_the_same_answer(model: SentimentModel) -> None:
    from tocsin.enrichment.embedding import default_embedder

    texts = [POSITIVE["es"][1], NEGATIVE["it"][1]]
    vectors = default_embedder().embed(texts)
    with_vectors = model.predict(texts, ["es", "it"], embeddings=vectors)
    assert with_vectors == model.predict(texts, ["es", "it"])


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("", None),
        ("   ", "en"),
        ("😡😡😡", None),
        ("❤️❤️", "fr"),
        ("ok " * 4000, "en"),
        ("broken \ud83d escape", "en"),
    ],
    ids=["empty", "blank", "angry-emoji", "heart-emoji", "12k-chars", "lone-surrogate"],
)
def test_edge_cases_give_a_valid_result(model: SentimentModel, text: str, lang: str | None) -> None:
    [result] = model.predict([text], [lang])
    assert result.label in LABELS
    assert sum(result.probabilities) == pytest.approx(1.0, abs=1e-6)


def test_emoji_only_posts_follow_the_emoji(model: SentimentModel) -> None:
    angry, love = model.predict(["😡😡😡", "😍😍😍"], [None, None])
    assert angry.score < love.score


def test_an_unknown_language_uses_the_shared_weights(model: SentimentModel) -> None:
    good, bad = model.predict(
        [
            "Dziękuję bardzo, wspaniała obsługa, jestem zachwycona! 😍",
            "Fatalna obsługa, jestem wściekły 😡",
        ],
        ["pl", "pl"],
    )
    assert good.score > bad.score


def test_wrong_inputs_are_refused(model: SentimentModel) -> None:
    assert model.predict([], []) == []
    with pytest.raises(ValueError, match="2 texts but 1 languages"):
        model.predict(["a", "b"], ["en"])
    with pytest.raises(ValueError, match="embeddings of shape"):
        model.predict(["a"], ["en"], embeddings=np.zeros((1, 3), dtype=np.float32))


def test_ngram_hashing_is_stable_across_processes() -> None:
    # the artifact was trained with these buckets: a change here silently breaks the model
    assert normalize_text("@Shop Sooooo GOOD!!! 10/10 https://x.co") == "@ sooo good!!! 0/0"
    features = ngram_features("ok")
    assert zlib.crc32(b"w ok") & ((1 << 18) - 1) in features
    assert features == ngram_features("OK")
    assert len(features) == len({"c o", "cok", "ck ", "c ok", "cok ", "c ok ", "w ok"})


class HashEmbedder:
    """Deterministic stand-in for USE: a seeded random vector per word, averaged."""

    name = "hash-embedder"
    dim = 512

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split() or ["."]:
                seed = int(hashlib.sha256(word.encode()).hexdigest()[:8], 16)
                out[row] += np.random.default_rng(seed).standard_normal(self.dim)
            out[row] /= np.linalg.norm(out[row]) or 1.0
        return out


def _tiny_corpus(root: Path) -> Path:
    words = {
        "english": (
            ["awful", "broken", "hate"],
            ["today", "tuesday", "report"],
            ["great", "love", "thanks"],
        ),
        "french": (
            ["nul", "honte", "déçu"],
            ["mardi", "rapport", "réunion"],
            ["génial", "merci", "bravo"],
        ),
    }
    for language, (neg, neu, pos) in words.items():
        folder = root / "sentiment-umsab" / language
        folder.mkdir(parents=True)
        for split, count in (("train", 10), ("val", 3)):
            texts, labels = [], []
            for i in range(count):
                for label, cue in enumerate((neg, neu, pos)):
                    texts.append(f"{cue[i % 3]} {cue[(i + 1) % 3]} item {i} {split}")
                    labels.append(str(label))
            (folder / f"{split}_text.txt").write_text("\n".join(texts), encoding="utf-8")
            (folder / f"{split}_labels.txt").write_text("\n".join(labels), encoding="utf-8")
    return root


def test_training_is_deterministic_and_learns(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from tocsin.enrichment.training.sentiment import train_sentiment

    data = _tiny_corpus(tmp_path / "data")
    reports = [
        train_sentiment(
            data_dir=data,
            output_dir=tmp_path / name,
            embedder=HashEmbedder(),
            languages=("en", "fr"),
            hash_bits=12,
            lexicon=PolarityLexicon(words={"en": {"love": 0.8, "awful": -0.8}}, emojis={}),
        )
        for name in ("a", "b")
    ]
    assert reports[0].artifact.read_bytes() == reports[1].artifact.read_bytes()
    assert reports[0].validation == {"en": 100.0, "fr": 100.0}
    trained = SentimentModel.load(reports[0].artifact, embedder=HashEmbedder())
    assert trained.languages == ("en", "fr")
    assert [r.label for r in trained.predict(["love thanks", "broken awful"], ["en", "en"])] == [
        "positive",
        "negative",
    ]


def test_train_command_refuses_a_wrong_data_dir(tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from tocsin.enrichment.train_commands import register

    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app)
    result = CliRunner().invoke(app, ["train", "sentiment", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "sentiment-umsab" in result.output


def test_outage_posts_read_as_negative(model: SentimentModel) -> None:
    # "plus d'internet" is *no more* internet: the French lexicon must not read "plus" as praise
    texts = [
        ("Encore en panne, plus d'internet ni de télé depuis ce matin", "fr"),
        ("Outage again, no internet since this morning", "en"),
        ("Schon wieder eine Störung, seit heute Morgen kein Internet", "de"),
        ("Alweer een storing, geen internet sinds vanochtend", "nl"),
    ]
    results = model.predict([t for t, _ in texts], [lang for _, lang in texts])
    assert [r.label for r in results] == ["negative"] * len(texts)
