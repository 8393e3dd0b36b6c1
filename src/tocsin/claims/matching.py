"""Deciding whether a text repeats a known claim, in any language, with the evidence.

Each claim is embedded once (its statement and paraphrases, and separately its corrections)
with the multilingual sentence encoder.  A text matches a claim when

* its similarity to the closest claim text reaches the threshold (``claim.threshold`` or
  :data:`DEFAULT_THRESHOLD`), and
* it is closer to the claim than to the claim's correction by :data:`MARGIN` (someone
  repeating the correction, "no, the app does not sell your data", is not misinformed), and
* either a keyword of the claim appears in it (accent- and case-folded), or the similarity
  clears the threshold by :data:`STRONG_BONUS` (a paraphrase with none of the words).

The numbers were chosen on ``tests/claims/data/paraphrases.json``; ``tocsin claims evaluate``
prints precision and recall on it (docs/claims.md).

Example::

    index = ClaimIndex.build(claims, embedder)
    hits = index.match(["Leur appli revend vos données !"])[0]
    hits[0].claim_id, hits[0].similarity, hits[0].keywords
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tocsin.claims.models import Claim
from tocsin.enrichment.embedding import Embedder, FloatMatrix
from tocsin.listening.terms import fold

DEFAULT_THRESHOLD = 0.5
MARGIN = 0.03
STRONG_BONUS = 0.12


@dataclass(frozen=True)
class ClaimHit:
    """Why a text matched (or nearly matched) one claim."""

    claim_id: int
    similarity: float
    correction_similarity: float
    keywords: tuple[str, ...]
    closest: str
    threshold: float

    @property
    def matched(self) -> bool:
        if self.similarity < self.threshold:
            return False
        if self.similarity < self.correction_similarity + MARGIN:
            return False
        return bool(self.keywords) or self.similarity >= self.threshold + STRONG_BONUS

    def explain(self) -> str:
        words = ", ".join(self.keywords) or "none"
        return (
            f"similarity {self.similarity:.2f} (threshold {self.threshold:.2f}), "
            f"to the correction {self.correction_similarity:.2f}, keywords: {words}"
        )


@dataclass
class _Entry:
    claim_id: int
    threshold: float
    texts: list[str]
    vectors: FloatMatrix
    corrections: FloatMatrix
    keywords: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)


def _keyword_pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(fold(word)) + r"(?!\w)")


class ClaimIndex:
    """The embedded claims of a fact sheet, ready to match many texts at once."""

    def __init__(self, entries: list[_Entry], embedder: Embedder) -> None:
        self._entries = entries
        self._embedder = embedder

    @classmethod
    def build(
        cls, claims: Sequence[Claim], embedder: Embedder, *, threshold: float | None = None
    ) -> ClaimIndex:
        entries: list[_Entry] = []
        for claim in claims:
            texts = [claim.statement, *[p for p in claim.paraphrases if p.strip()]]
            corrections = [c for c in claim.corrections.values() if c.strip()]
            entries.append(
                _Entry(
                    claim_id=claim.id,
                    threshold=claim.threshold or threshold or DEFAULT_THRESHOLD,
                    texts=texts,
                    vectors=embedder.embed(texts),
                    corrections=embedder.embed(corrections),
                    keywords=[(k, _keyword_pattern(k)) for k in claim.keywords if k.strip()],
                )
            )
        return cls(entries, embedder)

    def __len__(self) -> int:
        return len(self._entries)

    def match(
        self,
        texts: Sequence[str],
        *,
        vectors: FloatMatrix | None = None,
        everything: bool = False,
    ) -> list[list[ClaimHit]]:
        """For each text, the claims it matches, best first (pass ``vectors`` if embedded).

        With ``everything`` every claim's evidence is returned, matched or not.
        """
        if not texts or not self._entries:
            return [[] for _ in texts]
        embedded = self._embedder.embed(list(texts)) if vectors is None else vectors
        folded = [fold(t) for t in texts]
        results: list[list[ClaimHit]] = [[] for _ in texts]
        for entry in self._entries:
            sims = embedded @ entry.vectors.T
            best = sims.argmax(axis=1)
            if entry.corrections.shape[0]:
                csims = (embedded @ entry.corrections.T).max(axis=1)
            else:
                csims = np.zeros(len(texts), dtype=np.float32)
            for i in range(len(texts)):
                hit = ClaimHit(
                    claim_id=entry.claim_id,
                    similarity=round(float(sims[i, best[i]]), 4),
                    correction_similarity=round(float(csims[i]), 4),
                    keywords=tuple(k for k, p in entry.keywords if p.search(folded[i])),
                    closest=entry.texts[int(best[i])],
                    threshold=entry.threshold,
                )
                if everything or hit.matched:
                    results[i].append(hit)
        for hits in results:
            hits.sort(key=lambda h: -h.similarity)
        return results

    def score(self, text: str) -> list[ClaimHit]:
        """Every claim's evidence for one text, matched or not (for explaining a near miss)."""
        return self.match([text], everything=True)[0]


_cache: dict[tuple[object, ...], ClaimIndex] = {}
_lock = threading.Lock()


def cached_index(claims: Sequence[Claim], embedder: Embedder) -> ClaimIndex:
    """The index for these claims as they are now (rebuilt when one changes)."""
    key = (embedder.name, *sorted((c.id, c.updated_at.isoformat()) for c in claims))
    with _lock:
        index = _cache.get(key)
        if index is None:
            if len(_cache) > 16:
                _cache.clear()
            index = _cache[key] = ClaimIndex.build(claims, embedder)
        return index
