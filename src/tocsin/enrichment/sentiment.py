"""Multilingual sentiment (negative / neutral / positive) for social posts, numpy only.

Two views of a post and a lexicon are combined by a small stacked model:

* **meaning**: the shared USE multilingual embedding (see :mod:`.embedding`) through a linear
  model with one weight set shared by all languages plus one per training language.  The
  shared part transfers across languages, so a language never seen in training (Polish,
  Japanese…) still gets a sensible answer;
* **form**: hashed character and word n-grams (emojis, "!!!", ":(", slang, spelling) through a
  second linear model, with one hashed weight table shared by all languages plus one per
  training language;
* **lexicon**: word valences in the post's language (VADER and its ports, the German Polarity
  Lexicon) with negation, and emoji valences (see :mod:`.lexicons.polarity`).

A third, small logistic regression turns the two sets of log-probabilities and the lexicon
features (weighted per language) into calibrated probabilities.  All weights and the lexicons
live in ``models/sentiment.npz`` (trained by ``tocsin train sentiment``, see
:mod:`.training.sentiment`); scikit-learn is not needed at run time.

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
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from tocsin.enrichment.embedding import Embedder, FloatMatrix, default_embedder
from tocsin.enrichment.lexicons.polarity import FEATURES, PolarityLexicon

Label = Literal["negative", "neutral", "positive"]
NgramBatch = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32]]
LABELS: tuple[Label, Label, Label] = ("negative", "neutral", "positive")
ARTIFACT = "sentiment.npz"

HASH_BITS = 18
CHAR_MIN, CHAR_MAX = 2, 5
MAX_CHARS = 1000
"""Longer posts are cut: sentiment is set in the first lines and the cost stays flat."""
WORD_CACHE_SIZE = 200_000
"""Words whose n-gram hashes are kept (about 40 MB when full; emptied, not evicted, past it)."""
CUE_MIN_LEAN = 0.6
"""A word is named as a cue when its logit for the label exceeds the class mean by this much."""

_URL = re.compile(r"(?:https?://|www\.)\S+|\bhttps?\b", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
_DIGITS = re.compile(r"\d+")
_REPEAT = re.compile(r"(.)\1{3,}")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _valid_utf8(text: str) -> str:
    """Lone surrogates (from broken JSON escapes) become "?": they cannot be encoded."""
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")


def normalize_text(text: str) -> str:
    """Lower-case; links, mentions and numbers become placeholders; "soooooo" becomes "sooo"."""
    text = _valid_utf8(text)
    text = _URL.sub(" ", text[:MAX_CHARS])
    text = _MENTION.sub("@", text)
    text = _DIGITS.sub("0", text)
    text = _REPEAT.sub(r"\1\1\1", text)
    return " ".join(text.lower().split())


def _word_hashes(word: str) -> list[int]:
    """crc32 of the character 2–5-grams of `` word `` (with its padding spaces)."""
    padded = f" {word} "
    size = len(padded)
    grams = [
        "c" + padded[i : i + n]
        for n in range(CHAR_MIN, min(CHAR_MAX, size) + 1)
        for i in range(size - n + 1)
    ]
    return list(map(zlib.crc32, map(str.encode, grams)))


def _hashes(text: str, cache: dict[str, list[int]]) -> list[int]:
    normalized = normalize_text(text)
    hashes: list[int] = []
    for word in normalized.split():
        known = cache.get(word)
        if known is None:
            known = _word_hashes(word)
            if len(cache) >= WORD_CACHE_SIZE:
                cache.clear()
            cache[word] = known
        hashes.extend(known)
    tokens = _TOKEN.findall(normalized)
    words = ["w " + token for token in tokens] + [f"b {a} {b}" for a, b in pairwise(tokens)]
    hashes.extend(map(zlib.crc32, map(str.encode, words)))
    return hashes


def ngram_batch(
    texts: Sequence[str], *, bits: int = HASH_BITS, cache: dict[str, list[int]] | None = None
) -> NgramBatch:
    """Hashed n-gram counts of many texts at once, log-scaled: ``1 + log(count)`` per bucket.

    Character 2–5-grams inside padded words, word unigrams and bigrams (punctuation and emojis
    are tokens).  ``zlib.crc32`` is used because it is fast and the same on every platform and
    in every process, so training and inference agree.  ``cache`` keeps each word's n-gram
    hashes (words repeat a lot in posts: this is most of the speed).  Returns ``(rows, buckets,
    values)`` sorted by row then bucket: a sparse matrix in coordinate form.
    """
    cache = {} if cache is None else cache
    hashes: list[int] = []
    lengths = []
    for text in texts:
        text_hashes = _hashes(text, cache)
        hashes.extend(text_hashes)
        lengths.append(len(text_hashes))
    flat = np.array(hashes, dtype=np.int64)
    rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    keys, counts = np.unique((rows << bits) | (flat & ((1 << bits) - 1)), return_counts=True)
    values = (1.0 + np.log(counts)).astype(np.float32)
    return keys >> bits, keys & ((1 << bits) - 1), values


def language_key(lang: str, bits: int = HASH_BITS) -> int:
    """The XOR mask that moves a bucket into ``lang``'s own n-gram table (stable: crc32)."""
    return zlib.crc32(lang.encode()) & ((1 << bits) - 1)


def by_language(
    batch: NgramBatch, keys: npt.NDArray[np.int64], *, bits: int = HASH_BITS
) -> NgramBatch:
    """``batch`` plus each n-gram again in its post's language table (buckets ``2**bits`` on).

    ``keys[row]`` is :func:`language_key` of the post's language, or -1 when the language has no
    table of its own (the post then has the shared n-grams only).
    """
    rows, buckets, values = batch
    own = keys[rows] >= 0
    return (
        np.concatenate([rows, rows[own]]),
        np.concatenate([buckets, (buckets[own] ^ keys[rows[own]]) + (1 << bits)]),
        np.concatenate([values, values[own]]),
    )


def ngram_features(text: str, *, bits: int = HASH_BITS) -> dict[int, float]:
    """One text's hashed n-grams as ``{bucket: 1 + log(count)}`` (see :func:`ngram_batch`).

    >>> ngram_features("ok") == ngram_features("OK")
    True
    """
    _, buckets, values = ngram_batch([text], bits=bits)
    return {int(b): float(v) for b, v in zip(buckets, values, strict=True)}


@dataclass(frozen=True)
class SentimentResult:
    """The sentiment of one post.

    ``score`` is P(positive) − P(negative), in [-1, 1]; ``probabilities`` are (negative, neutral,
    positive); ``explanation`` gives the confidence of the stacked model and of its two views
    (e.g. ``"model confidence 0.82 (meaning 0.75, wording 0.88)"``); see
    :meth:`SentimentModel.cues` for the words behind a label.
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
    (3, 2 * 2**bits: the shared table then the per-language one), ``ngram_bias`` (3,), ``idf``
    (2 * 2**bits,), the lexicon (``lexicon_langs``, ``lexicon_sizes``, ``lexicon_words``,
    ``lexicon_values``, ``emoji_chars``, ``emoji_values``) with its feature scaling
    (``lexicon_mean``, ``lexicon_scale``), ``meta_coef`` (3, 6 + len(FEATURES) * (1 +
    len(langs)): the two views' log-probabilities, then the lexicon features shared and in their
    language's block), ``meta_bias`` (3,), and ``meta`` (JSON: version, settings, figures).
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
        self._lang_keys = {code: language_key(code, self.bits) for code in self._lang_index}
        self.lexicon = _lexicon_from_arrays(arrays)
        self._lexicon_mean = arrays["lexicon_mean"].astype(np.float64)
        self._lexicon_scale = arrays["lexicon_scale"].astype(np.float64)
        self._meta_coef = arrays["meta_coef"].astype(np.float64)
        self._meta_bias = arrays["meta_bias"].astype(np.float64)
        self._embedder = embedder
        self._word_cache: dict[str, list[int]] = {}

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
            embedder = self._embedder or default_embedder()
            embeddings = embedder.embed([_valid_utf8(text) for text in texts])
        if embeddings.shape != (len(texts), self._use_coef.shape[1]):
            raise ValueError(
                f"embeddings of shape {embeddings.shape}, expected "
                f"({len(texts)}, {self._use_coef.shape[1]})"
            )
        use_logp = self._use_log_proba(embeddings, langs)
        batch = ngram_batch(texts, bits=self.bits, cache=self._word_cache)
        keys = np.array([self._lang_keys.get((lang or "").lower(), -1) for lang in langs])
        ngram_logp = self._ngram_log_proba(by_language(batch, keys, bits=self.bits), len(texts))
        stacked = np.hstack([use_logp, ngram_logp, self._lexicon_block(texts, langs)])
        proba = _softmax(stacked @ self._meta_coef.T + self._meta_bias)
        results = []
        for p, use_row, ngram_row in zip(proba, use_logp, ngram_logp, strict=True):
            k = int(p.argmax())
            results.append(
                SentimentResult(
                    label=LABELS[k],
                    score=round(float(p[2] - p[0]), 4),
                    probabilities=(float(p[0]), float(p[1]), float(p[2])),
                    explanation=(
                        f"model confidence {p[k]:.2f} (meaning {np.exp(use_row[k]):.2f}, "
                        f"wording {np.exp(ngram_row[k]):.2f})"
                    ),
                )
            )
        return results

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

    def _lexicon_block(
        self, texts: Sequence[str], langs: Sequence[str | None]
    ) -> npt.NDArray[np.float64]:
        """Scaled lexicon features, shared and again in the language's block (zeros elsewhere)."""
        codes = [(lang or "").lower() for lang in langs]
        scaled = (self.lexicon.batch(texts, codes) - self._lexicon_mean) / self._lexicon_scale
        width = len(FEATURES)
        block = np.zeros((len(texts), width * (1 + len(self._lang_index))))
        block[:, :width] = scaled
        for row, code in enumerate(codes):
            slot = self._lang_index.get(code)
            if slot is not None:
                block[row, width * slot : width * (slot + 1)] = scaled[row]
        return block

    def _ngram_log_proba(self, batch: NgramBatch, count: int) -> npt.NDArray[np.float64]:
        rows, buckets, values = batch
        weights = values * self._idf[buckets]
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=count))
        weights = weights / np.where(norms > 0, norms, 1.0)[rows]
        logits = np.tile(self._ngram_bias, (count, 1))
        for label in range(3):
            contribution = weights * self._ngram_coef[label, buckets]
            logits[:, label] += np.bincount(rows, weights=contribution, minlength=count)
        return np.log(np.clip(_softmax(logits), 1e-6, 1.0))

    def cues(self, text: str, label: Label, *, limit: int = 3) -> list[str]:
        """The words of ``text`` whose n-grams lean most towards ``label`` (for a person to read).

        Each word is scored alone through the n-gram model (its character n-grams and itself),
        so this is a hint, not a full account of the decision: the embedding also votes.  It
        costs ~20 µs a word, which is why :meth:`predict` does not call it.
        """
        k = LABELS.index(label)
        found: dict[str, float] = {}
        for token in set(_TOKEN.findall(normalize_text(text))):
            counts = ngram_features(token, bits=self.bits)
            if len(token) < 3 and token.isalnum():
                continue
            buckets = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            weights *= self._idf[buckets]
            weights /= float(np.sqrt(weights @ weights)) or 1.0
            logits = self._ngram_coef[:, buckets] @ weights
            lean = float(logits[k] - logits.mean())
            if lean >= CUE_MIN_LEAN:
                found[token] = lean
        return sorted(found, key=lambda token: (-found[token], token))[:limit]


def _lexicon_from_arrays(arrays: dict[str, npt.NDArray[Any]]) -> PolarityLexicon:
    words: dict[str, dict[str, float]] = {}
    start = 0
    values = arrays["lexicon_values"].astype(float)
    for code, size in zip(arrays["lexicon_langs"], arrays["lexicon_sizes"], strict=True):
        end = start + int(size)
        words[str(code)] = dict(
            zip(
                arrays["lexicon_words"][start:end].tolist(), values[start:end].tolist(), strict=True
            )
        )
        start = end
    emojis = dict(
        zip(
            arrays["emoji_chars"].tolist(),
            arrays["emoji_values"].astype(float).tolist(),
            strict=True,
        )
    )
    return PolarityLexicon(words=words, emojis=emojis)


def evaluate_sentiment(data_dir: Path) -> dict[str, float]:
    """Macro-F1 (0–100) of the packaged model per language on the validation splits."""
    from tocsin.enrichment.training.sentiment import evaluate_sentiment as evaluate

    return evaluate(data_dir)


def evaluate_language(data_dir: Path) -> dict[str, float]:
    """Language-identification accuracy per language (see :mod:`.language`)."""
    from tocsin.enrichment.language import evaluate_language as evaluate

    return evaluate(data_dir)
