"""Multilingual sentiment (negative / neutral / positive) for social posts, numpy only.

Two views of a post are combined by a small stacked model:

* **meaning**: the shared USE multilingual embedding (see :mod:`.embedding`) through a linear
  model with one weight set shared by all languages plus one per training language.  The
  shared part transfers across languages, so a language never seen in training (Polish,
  Japanese…) still gets a sensible answer;
* **form**: hashed character and word n-grams (emojis, "!!!", ":(", slang, spelling) through a
  second linear model.

A third, tiny logistic regression turns the two sets of log-probabilities into calibrated
probabilities.  All weights live in ``models/sentiment.npz`` (trained by ``tocsin train
sentiment``, see :mod:`.training.sentiment`); scikit-learn is not needed at run time.

Example::

    model = SentimentModel.load()
    [r.label for r in model.predict(["I love it ❤️", "Worst service ever"], langs=["en", "en"])]
    # ['positive', 'negative']
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from tocsin.enrichment.embedding import Embedder, FloatMatrix, default_embedder

Label = Literal["negative", "neutral", "positive"]
LABELS: tuple[Label, Label, Label] = ("negative", "neutral", "positive")
ARTIFACT = "sentiment.npz"

HASH_BITS = 18
CHAR_MIN, CHAR_MAX = 2, 5
MAX_CHARS = 1000
CUE_MIN_LEAN = 1.0
"""A word is named as a cue when its weight for the label exceeds the class mean by this much."""
"""Longer posts are cut: sentiment is set in the first lines and the cost stays flat."""

_URL = re.compile(r"(?:https?://|www\.)\S+|\bhttps?\b", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
_DIGITS = re.compile(r"\d+")
_REPEAT = re.compile(r"(.)\1{3,}")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def normalize_text(text: str) -> str:
    """Lower-case; links, mentions and numbers become placeholders; "soooooo" becomes "sooo"."""
    text = _URL.sub(" ", text[:MAX_CHARS])
    text = _MENTION.sub("@", text)
    text = _DIGITS.sub("0", text)
    text = _REPEAT.sub(r"\1\1\1", text)
    return " ".join(text.lower().split())


def ngram_features(text: str, *, bits: int = HASH_BITS) -> dict[int, float]:
    """Hashed n-gram counts, log-scaled: ``{bucket: 1 + log(count)}``.

    Character 2–5-grams inside padded words, word unigrams and bigrams (punctuation and emojis
    are tokens).  ``zlib.crc32`` is used because it is fast and the same on every platform and
    in every process, so training and inference agree.

    >>> sorted(ngram_features("ok", bits=4).items())[:2]  # doctest: +SKIP
    [(1, 1.0), (5, 1.0)]
    """
    normalized = normalize_text(text)
    mask = (1 << bits) - 1
    grams: list[str] = []
    for word in normalized.split():
        padded = f" {word} "
        size = len(padded)
        for n in range(CHAR_MIN, min(CHAR_MAX, size) + 1):
            grams.extend("c" + padded[i : i + n] for i in range(size - n + 1))
    tokens = _TOKEN.findall(normalized)
    grams.extend("w " + token for token in tokens)
    grams.extend(f"b {a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    counts: dict[int, float] = {}
    for gram in grams:
        bucket = zlib.crc32(gram.encode("utf-8")) & mask
        counts[bucket] = counts.get(bucket, 0.0) + 1.0
    return {bucket: 1.0 + float(np.log(count)) for bucket, count in counts.items()}


def word_bucket(word: str, *, bits: int = HASH_BITS) -> int:
    """The bucket of a word-unigram feature (used to explain a prediction)."""
    return zlib.crc32(f"w {word}".encode()) & ((1 << bits) - 1)


@dataclass(frozen=True)
class SentimentResult:
    """The sentiment of one post.

    ``score`` is P(positive) − P(negative), in [-1, 1]; ``probabilities`` are (negative, neutral,
    positive); ``explanation`` names the words that pushed most towards the label, or the
    model's confidence when no single word stands out.
    """

    label: Label
    score: float
    probabilities: tuple[float, float, float]
    explanation: str


def _softmax(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    out: npt.NDArray[np.float64] = shifted / shifted.sum(axis=1, keepdims=True)
    return out


class SentimentModel:
    """The stacked sentiment model; build it with :meth:`load`.

    ``arrays`` holds: ``langs`` (training languages), ``use_coef`` (1 + len(langs), dim, 3: the
    shared weights then one set per language), ``use_bias`` (1 + len(langs), 3), ``ngram_coef``
    (3, 2**bits), ``ngram_bias`` (3,), ``idf`` (2**bits,), ``meta_coef`` (3, 6), ``meta_bias``
    (3,), and ``meta`` (JSON: version, settings, validation figures).
    """

    def __init__(
        self, arrays: dict[str, npt.NDArray[Any]], *, embedder: Embedder | None = None
    ) -> None:
        self.info: dict[str, Any] = json.loads(str(arrays["meta"]))
        self.version: str = self.info["version"]
        self.bits: int = int(self.info["hash_bits"])
        self._lang_index = {str(code): i + 1 for i, code in enumerate(arrays["langs"])}
        self._use_coef = arrays["use_coef"].astype(np.float32)
        self._use_bias = arrays["use_bias"].astype(np.float64)
        self._ngram_coef = arrays["ngram_coef"].astype(np.float32)
        self._ngram_bias = arrays["ngram_bias"].astype(np.float64)
        self._idf = arrays["idf"].astype(np.float32)
        self._meta_coef = arrays["meta_coef"].astype(np.float64)
        self._meta_bias = arrays["meta_bias"].astype(np.float64)
        self._embedder = embedder

    @classmethod
    def load(cls, path: Path | None = None, *, embedder: Embedder | None = None) -> SentimentModel:
        """The artifact committed in the package (or the one at ``path``)."""
        source = path or files("tocsin.enrichment").joinpath("models", ARTIFACT)
        with source.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        return cls(arrays, embedder=embedder)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages with weights of their own; the others use the shared weights only."""
        return tuple(self._lang_index)

    def predict(
        self,
        texts: Sequence[str],
        langs: Sequence[str | None],
        embeddings: FloatMatrix | None = None,
    ) -> list[SentimentResult]:
        """Label each text; ``langs`` are ISO codes (None when unknown), ``embeddings`` optional."""
        if len(langs) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        if not texts:
            return []
        if embeddings is None:
            embeddings = (self._embedder or default_embedder()).embed(texts)
        if embeddings.shape != (len(texts), self._use_coef.shape[1]):
            raise ValueError(
                f"embeddings of shape {embeddings.shape}, expected "
                f"({len(texts)}, {self._use_coef.shape[1]})"
            )
        use_logp = self._use_log_proba(embeddings, langs)
        features = [ngram_features(text, bits=self.bits) for text in texts]
        ngram_logp = self._ngram_log_proba(features)
        stacked = np.hstack([use_logp, ngram_logp])
        proba = _softmax(stacked @ self._meta_coef.T + self._meta_bias)
        return [self._result(p, text) for p, text in zip(proba, texts, strict=True)]

    def _use_log_proba(
        self, embeddings: FloatMatrix, langs: Sequence[str | None]
    ) -> npt.NDArray[np.float64]:
        x = embeddings.astype(np.float32)
        logits = (x @ self._use_coef[0]).astype(np.float64) + self._use_bias[0]
        index = np.array([self._lang_index.get((lang or "").lower(), 0) for lang in langs])
        for slot in np.unique(index[index > 0]):
            rows = index == slot
            logits[rows] += x[rows] @ self._use_coef[slot] + self._use_bias[slot]
        return np.log(np.clip(_softmax(logits), 1e-6, 1.0))

    def _ngram_log_proba(self, features: list[dict[int, float]]) -> npt.NDArray[np.float64]:
        logits = np.tile(self._ngram_bias, (len(features), 1))
        for row, counts in enumerate(features):
            if not counts:
                continue
            buckets = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            weights *= self._idf[buckets]
            weights /= float(np.sqrt(weights @ weights)) or 1.0
            logits[row] += self._ngram_coef[:, buckets] @ weights
        return np.log(np.clip(_softmax(logits), 1e-6, 1.0))

    def _result(self, proba: npt.NDArray[np.float64], text: str) -> SentimentResult:
        k = int(proba.argmax())
        probabilities = (float(proba[0]), float(proba[1]), float(proba[2]))
        cues = self.cues(text, LABELS[k]) if k != 1 else []
        said = ", ".join(f'"{cue}"' for cue in cues)
        return SentimentResult(
            label=LABELS[k],
            score=round(probabilities[2] - probabilities[0], 4),
            probabilities=probabilities,
            explanation=(f"{said}; " if said else "") + f"model confidence {proba[k]:.2f}",
        )

    def cues(self, text: str, label: Label, *, limit: int = 3) -> list[str]:
        """The words of ``text`` whose n-gram weights lean most towards ``label``.

        Only the word features are read (not the embedding), so this is a hint for a person,
        not a full account of the decision.
        """
        k = LABELS.index(label)
        found: dict[str, float] = {}
        for token in _TOKEN.findall(normalize_text(text)):
            if token in found or token in {"@", "0"}:
                continue
            weights = self._ngram_coef[:, word_bucket(token, bits=self.bits)]
            lean = float(weights[k] - weights.mean())
            if lean >= CUE_MIN_LEAN:
                found[token] = lean
        return sorted(found, key=lambda token: -found[token])[:limit]


def evaluate_sentiment(data_dir: Path) -> dict[str, float]:
    """Macro-F1 (0–100) of the packaged model per language on the validation splits."""
    from tocsin.enrichment.training.sentiment import evaluate_sentiment as evaluate

    return evaluate(data_dir)


def evaluate_language(data_dir: Path) -> dict[str, float]:
    """Language-identification accuracy per language (see :mod:`.language`)."""
    from tocsin.enrichment.language import evaluate_language as evaluate

    return evaluate(data_dir)
