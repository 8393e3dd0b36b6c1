"""Train the stacked sentiment model and write ``models/sentiment.npz``.

Recipe (every choice was made by stratified 5-fold cross-validation, never on a held-out split).
The shipped model is fitted on the train **and** validation splits pooled (18 % more data per
language); the honest estimate of its quality is the 5-fold cross-validated macro-F1 on that
pool. Scoring the validation splits afterwards only checks the fit (they were seen in training):

1. **meaning model**: logistic regression on the USE embedding, with one block of weights shared
   by all languages and one block per language (``x`` concatenated with ``x`` placed in its
   language's slot).  The per-language blocks let each data set keep its own conventions, the
   shared block carries what transfers (C = 0.3).
2. **form model**: logistic regression on hashed, TF-IDF weighted character 2–5-grams and word
   1–2-grams, in one table shared by all languages plus one table per language (each n-gram
   counted in both), C = 4.
3. **lexicon features**: word valences in the post's language with negation, and emoji
   valences (:mod:`tocsin.enrichment.lexicons.polarity`; lexicons from MIT-licensed PyPI
   packages, :mod:`.lexicon_sources`), standardised, once shared and once in the language's block.
4. **stacker**: logistic regression on the two models' out-of-fold log-probabilities (5 folds,
   stratified by language and label) and the lexicon features, then both base models are
   refitted on all the data.  The cross-validated figures score the stacker out-of-fold too
   (nested on the same folds), since it now has about a hundred inputs.

Training is deterministic up to BLAS summation order (weights agree to ~1e-6 between runs).

Example::

    report = train_sentiment(data_dir=Path("../shared/data"), output_dir=Path("models"))
    report.cross_validation["fr"]  # out-of-fold macro-F1 on French train + val
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tocsin.enrichment.embedding import Embedder, FloatMatrix, default_embedder
from tocsin.enrichment.lexicons.polarity import FEATURES, PolarityLexicon
from tocsin.enrichment.sentiment import (
    ARTIFACT,
    HASH_BITS,
    SentimentModel,
    by_language,
    language_key,
    ngram_batch,
)
from tocsin.enrichment.training.data import load_corpus
from tocsin.enrichment.training.metrics import macro_f1

SEED = 13
FOLDS = 5
USE_C = 0.3
NGRAM_C = 4.0
META_C = 1.0
MODEL_VERSION = "sentiment-4"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainingReport:
    """Per-language macro-F1 (0–100).

    ``cross_validation`` is out-of-fold on train + val pooled: the estimate to quote.
    ``validation`` scores the final model on the validation splits, which it was trained on: a
    fit check (a bug shows up as a low figure), not an estimate.
    """

    cross_validation: dict[str, float]
    validation: dict[str, float]
    artifact: Path


def _interaction(x: FloatMatrix, slots: npt.NDArray[np.int64], n_langs: int) -> FloatMatrix:
    """``[x, x in its language's block]``: shared plus per-language weights in one linear model."""
    dim = x.shape[1]
    out = np.zeros((x.shape[0], dim * (1 + n_langs)), dtype=np.float32)
    out[:, :dim] = x
    for row, slot in enumerate(slots):
        out[row, dim * (1 + slot) : dim * (2 + slot)] = x[row]
    return out


def _ngram_matrix(texts: Sequence[str], keys: npt.NDArray[np.int64], bits: int) -> Any:
    """Shared then per-language n-gram counts (``keys``: :func:`language_key` of each post)."""
    from scipy.sparse import csr_matrix

    rows, buckets, values = by_language(ngram_batch(texts, bits=bits), keys, bits=bits)
    return csr_matrix((values, (rows, buckets)), shape=(len(texts), 2 << bits))


def _lexicon_block(scaled: FloatMatrix, slots: npt.NDArray[np.int64], n_langs: int) -> FloatMatrix:
    """``[f, f in its language's block]``, as :meth:`SentimentModel._lexicon_block` builds it."""
    width = scaled.shape[1]
    out = np.zeros((scaled.shape[0], width * (1 + n_langs)), dtype=np.float32)
    out[:, :width] = scaled
    for row, slot in enumerate(slots):
        out[row, width * (1 + slot) : width * (2 + slot)] = scaled[row]
    return out


def _lexicon_arrays(lexicon: PolarityLexicon) -> dict[str, npt.NDArray[Any]]:
    codes = sorted(lexicon.words)
    words = [word for code in codes for word in sorted(lexicon.words[code])]
    values = [lexicon.words[code][word] for code in codes for word in sorted(lexicon.words[code])]
    emojis = sorted(lexicon.emojis)
    return {
        "lexicon_langs": np.array(codes, dtype=str),
        "lexicon_sizes": np.array([len(lexicon.words[code]) for code in codes], dtype=np.int64),
        "lexicon_words": np.array(words, dtype=str),
        "lexicon_values": np.array(values, dtype=np.float32),
        "emoji_chars": np.array(emojis, dtype=str),
        "emoji_values": np.array([lexicon.emojis[e] for e in emojis], dtype=np.float32),
    }


def _idf(counts: Any) -> npt.NDArray[np.float32]:
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf: npt.NDArray[np.float32] = (np.log((1 + counts.shape[0]) / (1 + df)) + 1).astype(np.float32)
    return idf


def _tfidf(counts: Any, idf: npt.NDArray[np.float32]) -> Any:
    from scipy.sparse import csr_matrix, diags

    weighted = csr_matrix(counts @ diags(idf))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(diags(1.0 / norms) @ weighted)


def _log_proba(model: Any, x: Any) -> npt.NDArray[np.float64]:
    proba = np.asarray(model.predict_proba(x), dtype=np.float64)
    return np.log(np.clip(proba, 1e-6, 1.0))


def train_sentiment(
    *,
    data_dir: Path,
    output_dir: Path,
    embedder: Embedder | None = None,
    languages: tuple[str, ...] | None = None,
    hash_bits: int = HASH_BITS,
    lexicon: PolarityLexicon | None = None,
    progress: Progress | None = None,
) -> TrainingReport:
    """Fit on train + val of every language under ``data_dir`` (or ``languages``), write, score.

    ``hash_bits`` sets the n-gram table size (2**bits buckets); smaller is only for tests, like
    ``lexicon`` (by default the packaged lexicons of :func:`load_polarity_sources`).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    say = progress or (lambda _message: None)
    if lexicon is None:
        from tocsin.enrichment.training.lexicon_sources import load_polarity_sources

        lexicon = load_polarity_sources()
    corpus = load_corpus(data_dir, languages=languages)
    langs = list(corpus)
    splits = [
        (i, split)
        for i, lang in enumerate(langs)
        for split in (corpus[lang].train, corpus[lang].val)
    ]
    texts = [text for _, split in splits for text in split.texts]
    y = np.array([label for _, split in splits for label in split.labels])
    slots = np.array([i for i, split in splits for _ in split.labels])

    say(f"embedding {len(texts)} training posts")
    embedder = embedder or default_embedder()
    x_use = _interaction(embedder.embed(texts), slots, len(langs))
    say("hashing n-grams, scoring the lexicon")
    keys = np.array([language_key(lang, hash_bits) for lang in langs])[slots]
    counts = _ngram_matrix(texts, keys, hash_bits)
    post_langs = [langs[slot] for slot in slots]
    features = lexicon.batch(texts, post_langs).astype(np.float64)
    lexicon_mean = features.mean(axis=0)
    lexicon_scale = features.std(axis=0) + 1e-6
    lexicon_x = _lexicon_block(
        ((features - lexicon_mean) / lexicon_scale).astype(np.float32), slots, len(langs)
    )

    def fit_use(rows: npt.NDArray[np.int64]) -> Any:
        return LogisticRegression(C=USE_C, max_iter=3000).fit(x_use[rows], y[rows])

    def fit_ngrams(rows: npt.NDArray[np.int64]) -> tuple[Any, npt.NDArray[np.float32]]:
        idf = _idf(counts[rows])
        model = LogisticRegression(C=NGRAM_C, max_iter=3000).fit(_tfidf(counts[rows], idf), y[rows])
        return model, idf

    strata = slots * 3 + y
    splitter = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    folds = list(splitter.split(x_use, strata))
    views = np.zeros((len(y), 6))
    for fold, (train_rows, test_rows) in enumerate(folds, start=1):
        say(f"cross-validation fold {fold}/{FOLDS}")
        views[test_rows, :3] = _log_proba(fit_use(train_rows), x_use[test_rows])
        ngrams, idf = fit_ngrams(train_rows)
        views[test_rows, 3:] = _log_proba(ngrams, _tfidf(counts[test_rows], idf))
    stacked = np.hstack([views, lexicon_x])
    oof = np.zeros(len(y), dtype=np.int64)
    for train_rows, test_rows in folds:
        fold_meta = LogisticRegression(C=META_C, max_iter=3000).fit(
            stacked[train_rows], y[train_rows]
        )
        oof[test_rows] = fold_meta.predict(stacked[test_rows])
    meta = LogisticRegression(C=META_C, max_iter=3000).fit(stacked, y)
    cross_validation = {}
    for i, lang in enumerate(langs):
        cross_validation[lang] = round(100 * macro_f1(y[slots == i], oof[slots == i]), 2)

    say("refitting on train + val")
    use = fit_use(np.arange(len(y)))
    ngrams, idf = fit_ngrams(np.arange(len(y)))
    dim = embedder.dim
    info = {
        "version": MODEL_VERSION,
        "hash_bits": hash_bits,
        "embedder": embedder.name,
        "trained_with": f"scikit-learn {package_version('scikit-learn')}",
        "settings": {
            "use_C": USE_C,
            "ngram_C": NGRAM_C,
            "meta_C": META_C,
            "folds": FOLDS,
            "ngram_tables": "shared+language",
            "lexicon_features": list(FEATURES),
        },
        "lexicon_languages": sorted(lexicon.words),
        "trained_on": "train+val",
        "cross_validation_macro_f1": cross_validation,
    }
    arrays: dict[str, npt.NDArray[Any]] = {
        "langs": np.array(langs),
        "use_coef": use.coef_.T.reshape(1 + len(langs), dim, 3).astype(np.float32),
        "use_bias": np.vstack([use.intercept_, np.zeros((len(langs), 3))]).astype(np.float32),
        "ngram_coef": ngrams.coef_.astype(np.float32),
        "ngram_bias": ngrams.intercept_.astype(np.float32),
        "idf": idf,
        "meta_coef": meta.coef_.astype(np.float32),
        "meta_bias": meta.intercept_.astype(np.float32),
        "lexicon_mean": lexicon_mean.astype(np.float32),
        "lexicon_scale": lexicon_scale.astype(np.float32),
        **_lexicon_arrays(lexicon),
    }
    model = SentimentModel({**arrays, "meta": np.array(json.dumps(info))}, embedder=embedder)
    say("scoring the validation splits (seen in training: a fit check)")
    validation = {}
    for lang in langs:
        val = corpus[lang].val
        validation[lang] = round(100 * score_split(model, val.texts, val.labels, lang), 2)
    info["validation_macro_f1"] = validation
    info["validation_in_training"] = True
    output_dir.mkdir(parents=True, exist_ok=True)
    artifact = output_dir / ARTIFACT
    write_npz(artifact, {"meta": np.array(json.dumps(info, sort_keys=True)), **arrays})
    return TrainingReport(cross_validation, validation, artifact)


def write_npz(path: Path, arrays: dict[str, npt.NDArray[Any]]) -> None:
    """Like ``np.savez_compressed`` but with fixed zip timestamps: same arrays, same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(arrays[name]), allow_pickle=False)
            archive.writestr(entry, buffer.getvalue())


def score_split(model: SentimentModel, texts: list[str], labels: list[int], lang: str) -> float:
    """Macro-F1 (0–1) of ``model`` on one labelled split in one language."""
    results = model.predict(texts, [lang] * len(texts))
    predicted = [("negative", "neutral", "positive").index(r.label) for r in results]
    return macro_f1(labels, predicted)


def evaluate_sentiment(data_dir: Path, *, model: SentimentModel | None = None) -> dict[str, float]:
    """Macro-F1 (0–100) of the packaged model on each language's validation split.

    The language is the data set's own, as a platform's language tag would give it.  The shipped
    model is trained on these splits too, so this is a fit check: quote the cross-validated
    figures stored in ``model.info["cross_validation_macro_f1"]`` as the estimate.
    """
    model = model or SentimentModel.load()
    corpus = load_corpus(data_dir)
    return {
        lang: round(100 * score_split(model, data.val.texts, data.val.labels, lang), 2)
        for lang, data in corpus.items()
    }
