"""Span-level evaluation of the detector on presidio-research style data (F2, recall first).

The data is a JSON list of ``{"full_text", "spans": [{"entity_type", "start_position",
"end_position"}], "template_id"?}``. Dataset types and Tocsin types are both mapped to an
evaluation class (:data:`DATASET_CLASSES`, :data:`TOCSIN_CLASSES`). As in presidio-research,
street addresses and places (``STREET_ADDRESS``, ``GPE``) form one class, ``LOCATION``, which
Tocsin's ``ADDRESS`` and ``LOCATION`` both map to; ``ZIP_CODE`` joins it too because Tocsin
flags postcodes. The types in :data:`IGNORED_DATASET_TYPES` are not personal data for Tocsin's
purpose (organisations, job titles, nationalities, ages, plain dates, domain names) and are
left out, as presidio-research maps unsupported types to ``O``; Tocsin types without a class
(``DATE_OF_BIRTH``, ``URL_WITH_TOKEN``, brand patterns) are left out of the predictions.

Matching rule (presidio-research's span evaluator, with an IoU threshold of 0 by default):

- an annotation is a true positive when predictions *of its mapped type* overlap it; with
  ``iou_threshold > 0`` the union of those predictions must also reach that IoU with it;
- a prediction is counted once; it is correct when it took part in such a match, a false
  positive otherwise (wrong type, or no annotation under it);
- precision = correct predictions / predictions, recall = true positives / annotations,
  F2 = 5PR / (4P + R). ``f2`` is micro-averaged over types; ``pii_f2`` ignores types.

Example::

    figures = evaluate_pii("dev.json", mode="full", part="holdout")
    figures["f2"], figures["PERSON.recall"]
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from tocsin.privacy.pii.detector import Mode, PiiDetector
from tocsin.privacy.pii.spans import (
    ADDRESS,
    CREDIT_CARD,
    EMAIL,
    IBAN,
    IP_ADDRESS,
    LOCATION,
    NATIONAL_ID,
    PERSON,
    PHONE,
    PiiSpan,
)

DATASET_CLASSES: dict[str, str] = {
    "PERSON": PERSON,
    "STREET_ADDRESS": LOCATION,
    "ZIP_CODE": LOCATION,
    "GPE": LOCATION,
    "CREDIT_CARD": CREDIT_CARD,
    "PHONE_NUMBER": PHONE,
    "EMAIL_ADDRESS": EMAIL,
    "IBAN_CODE": IBAN,
    "IP_ADDRESS": IP_ADDRESS,
    "US_SSN": NATIONAL_ID,
    "US_DRIVER_LICENSE": NATIONAL_ID,
}
IGNORED_DATASET_TYPES = frozenset(
    {"ORGANIZATION", "TITLE", "NRP", "AGE", "DATE_TIME", "DOMAIN_NAME"}
)
TOCSIN_CLASSES: dict[str, str] = {
    PERSON: PERSON,
    ADDRESS: LOCATION,
    LOCATION: LOCATION,
    CREDIT_CARD: CREDIT_CARD,
    PHONE: PHONE,
    EMAIL: EMAIL,
    IBAN: IBAN,
    IP_ADDRESS: IP_ADDRESS,
    NATIONAL_ID: NATIONAL_ID,
}
Part = Literal["all", "tune", "holdout"]


@dataclass(frozen=True)
class GoldSpan:
    type: str
    start: int
    end: int
    dataset_type: str = ""


@dataclass
class Counts:
    annotated: int = 0
    predicted: int = 0
    true_positives: int = 0
    false_positives: int = 0

    def figures(self, prefix: str = "") -> dict[str, float]:
        correct = self.predicted - self.false_positives
        precision = correct / self.predicted if self.predicted else 0.0
        recall = self.true_positives / self.annotated if self.annotated else 0.0
        denominator = 4 * precision + recall
        f2 = 5 * precision * recall / denominator if denominator else 0.0
        return {
            f"{prefix}precision": precision,
            f"{prefix}recall": recall,
            f"{prefix}f2": f2,
            f"{prefix}annotated": float(self.annotated),
            f"{prefix}predicted": float(self.predicted),
        }


@dataclass
class Scoreboard:
    """Accumulates counts per type, over all types, and type-agnostic (``PII``)."""

    iou_threshold: float = 0.0
    per_type: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)
    pii: Counts = field(default_factory=Counts)

    by_dataset_type: dict[str, Counts] = field(default_factory=dict)

    def add(self, gold: Sequence[GoldSpan], predicted: Sequence[PiiSpan]) -> None:
        preds = [
            replace(p, type=TOCSIN_CLASSES[p.type]) for p in predicted if p.type in TOCSIN_CLASSES
        ]
        hits = _score(gold, preds, self.iou_threshold, self.per_type, self.overall, typed=True)
        _score(gold, preds, self.iou_threshold, {}, self.pii, typed=False)
        for g, hit in zip(gold, hits, strict=True):
            counts = self.by_dataset_type.setdefault(g.dataset_type, Counts())
            counts.annotated += 1
            counts.true_positives += int(hit)

    def figures(self) -> dict[str, float]:
        """Overall, ``pii_*`` (type-agnostic), ``CLASS.*`` and ``dataset.TYPE.recall``."""
        out = self.overall.figures()
        out.update(self.pii.figures("pii_"))
        for kind in sorted(self.per_type):
            out.update(self.per_type[kind].figures(f"{kind}."))
        for kind in sorted(self.by_dataset_type):
            counts = self.by_dataset_type[kind]
            out[f"dataset.{kind}.recall"] = counts.figures()["recall"]
            out[f"dataset.{kind}.annotated"] = float(counts.annotated)
        return out


def _score(
    gold: Sequence[GoldSpan],
    preds: Sequence[PiiSpan],
    iou_threshold: float,
    per_type: dict[str, Counts],
    overall: Counts,
    *,
    typed: bool,
) -> list[bool]:
    credited: set[int] = set()
    hits: list[bool] = []
    for g in gold:
        same = [
            i
            for i, p in enumerate(preds)
            if (not typed or p.type == g.type) and p.start < g.end and g.start < p.end
        ]
        hit = bool(same) and _iou([preds[i] for i in same], g) >= iou_threshold
        hits.append(hit)
        counts = per_type.setdefault(g.type, Counts())
        counts.annotated += 1
        overall.annotated += 1
        if hit:
            counts.true_positives += 1
            overall.true_positives += 1
            credited.update(same)
    for i, p in enumerate(preds):
        counts = per_type.setdefault(p.type, Counts())
        counts.predicted += 1
        overall.predicted += 1
        if i not in credited:
            counts.false_positives += 1
            overall.false_positives += 1
    return hits


def _iou(preds: Iterable[PiiSpan], gold: GoldSpan) -> float:
    covered: set[int] = set()
    for p in preds:
        covered.update(range(p.start, p.end))
    target = set(range(gold.start, gold.end))
    union = covered | target
    return len(covered & target) / len(union) if union else 0.0


def load_dataset(path: str | Path) -> list[dict[str, Any]]:
    """Read a presidio-research JSON file; raises ``ValueError`` naming what is wrong."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list) or not all(
        isinstance(item, dict) and "full_text" in item for item in data
    ):
        raise ValueError(f"{path}: expected a JSON list of objects with 'full_text' and 'spans'")
    return data


def in_part(item: dict[str, Any], index: int, part: Part) -> bool:
    """Deterministic split by template (so held-out sentences come from unseen templates)."""
    if part == "all":
        return True
    key = str(item.get("template_id", f"item-{index}"))
    bucket = hashlib.sha256(key.encode()).digest()[0] % 2
    return bucket == (0 if part == "tune" else 1)


def gold_spans(item: dict[str, Any]) -> list[GoldSpan]:
    """Annotations mapped to evaluation classes; ignored types dropped."""
    spans: list[GoldSpan] = []
    for raw in item.get("spans", []):
        kind = DATASET_CLASSES.get(raw["entity_type"])
        start, end = int(raw["start_position"]), int(raw["end_position"])
        if kind is not None and end > start:
            spans.append(GoldSpan(kind, start, end, raw["entity_type"]))
    return spans


def evaluate_pii(
    path: str | Path,
    *,
    mode: Mode = "full",
    part: Part = "all",
    iou_threshold: float = 0.0,
    lang: str | None = "en",
    detector: PiiDetector | None = None,
) -> dict[str, float]:
    """Precision, recall and F2 overall, type-agnostic (``pii_*``) and per type (``TYPE.*``)."""
    items = [item for i, item in enumerate(load_dataset(path)) if in_part(item, i, part)]
    detector = detector or PiiDetector(mode=mode)
    board = Scoreboard(iou_threshold=iou_threshold)
    texts = [str(item["full_text"]) for item in items]
    for start in range(0, len(texts), 64):
        chunk = texts[start : start + 64]
        predicted = detector.detect_batch(chunk, [lang] * len(chunk))
        for item, preds in zip(items[start : start + 64], predicted, strict=True):
            board.add(gold_spans(item), preds)
    figures = board.figures()
    figures["texts"] = float(len(items))
    return figures
