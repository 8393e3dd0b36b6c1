"""Measuring claim matching on a labelled set of multilingual paraphrases.

The set (JSON) holds claims in the fact-sheet shape and examples labelled with the claim they
repeat, or none (``kind``: ``topic`` — same subject, another statement; ``correction`` — the
brand's answer restated; ``unrelated``).  A predicted claim that is not the label is a false
positive; a labelled claim not predicted is a false negative.

Example::

    report = evaluate_file(Path("tests/claims/data/paraphrases.json"), default_embedder())
    report.precision, report.recall
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tocsin.claims.matching import ClaimIndex
from tocsin.claims.models import Claim
from tocsin.enrichment.embedding import Embedder


@dataclass
class EvalReport:
    examples: int
    true_positives: int
    false_positives: int
    false_negatives: int
    #: Errors by example kind and language, e.g. ``{"correction/fr": 1}``.
    errors: Counter[str] = field(default_factory=Counter)
    mistakes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "examples": self.examples,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "errors": dict(self.errors),
        }


def claims_from_set(data: dict[str, Any]) -> tuple[list[Claim], dict[int, str]]:
    """Unsaved :class:`Claim` objects for the set's claims, and their keys by id."""
    claims: list[Claim] = []
    keys: dict[int, str] = {}
    for i, raw in enumerate(data["claims"], start=1):
        claim = Claim(
            id=i,
            brand_id=0,
            statement=raw["statement"],
            lang=raw.get("lang", "en"),
            verdict=raw["verdict"],
            paraphrases=raw.get("paraphrases", []),
            keywords=raw.get("keywords", []),
            corrections=raw.get("corrections", {}),
            source_url=raw["source_url"],
            threshold=raw.get("threshold"),
            updated_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        claims.append(claim)
        keys[i] = raw["key"]
    return claims, keys


def evaluate(
    data: dict[str, Any], embedder: Embedder, *, threshold: float | None = None
) -> EvalReport:
    claims, keys = claims_from_set(data)
    index = ClaimIndex.build(claims, embedder, threshold=threshold)
    examples = data["examples"]
    hits = index.match([e["text"] for e in examples])
    report = EvalReport(len(examples), 0, 0, 0)
    for example, found in zip(examples, hits, strict=True):
        predicted = {keys[h.claim_id] for h in found}
        label = example.get("claim")
        where = f"{example.get('kind', '?')}/{example.get('lang', '?')}"
        if label is not None and label in predicted:
            report.true_positives += 1
        elif label is not None:
            report.false_negatives += 1
            report.errors[where] += 1
            report.mistakes.append({"missed": label, "text": example["text"]})
        wrong = predicted - {label}
        report.false_positives += len(wrong)
        if wrong:
            report.errors[where] += len(wrong)
            report.mistakes.append({"wrongly": sorted(wrong), "text": example["text"]})
    return report


def evaluate_file(path: Path, embedder: Embedder, *, threshold: float | None = None) -> EvalReport:
    return evaluate(json.loads(path.read_text(encoding="utf-8")), embedder, threshold=threshold)
