"""The span-level scorer behind ``evaluate_pii`` (type-matched overlap, F2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tocsin.privacy.pii import PiiSpan, evaluate_pii
from tocsin.privacy.pii.evaluate import GoldSpan, Scoreboard, gold_spans, in_part


def pred(kind: str, start: int, end: int) -> PiiSpan:
    return PiiSpan(type=kind, start=start, end=end, score=0.9, source="test")


def test_overlap_of_the_same_class_counts_and_wrong_types_do_not() -> None:
    board = Scoreboard()
    gold = [GoldSpan("LOCATION", 0, 20, "STREET_ADDRESS"), GoldSpan("PERSON", 30, 40, "PERSON")]
    board.add(gold, [pred("ADDRESS", 5, 25), pred("LOCATION", 30, 40), pred("EMAIL", 50, 60)])
    figures = board.figures()
    # The address counts for the street annotation; the LOCATION over the person and the
    # stray e-mail are false positives; the person annotation is missed.
    assert figures["recall"] == pytest.approx(0.5)
    assert figures["precision"] == pytest.approx(1 / 3)
    assert figures["f2"] == pytest.approx(5 * (1 / 3) * 0.5 / (4 / 3 + 0.5))
    assert figures["pii_recall"] == pytest.approx(1.0)
    assert figures["dataset.PERSON.recall"] == 0.0


def test_iou_threshold_rejects_a_sliver() -> None:
    loose, strict = Scoreboard(), Scoreboard(iou_threshold=0.5)
    gold = [GoldSpan("PERSON", 0, 20, "PERSON")]
    for board in (loose, strict):
        board.add(gold, [pred("PERSON", 0, 4)])
    assert loose.figures()["recall"] == 1.0
    assert strict.figures()["recall"] == 0.0


def test_one_prediction_covering_two_annotations_is_counted_once() -> None:
    board = Scoreboard()
    gold = [GoldSpan("LOCATION", 0, 10, "STREET_ADDRESS"), GoldSpan("LOCATION", 11, 20, "GPE")]
    board.add(gold, [pred("ADDRESS", 0, 20)])
    figures = board.figures()
    assert (figures["recall"], figures["precision"], figures["predicted"]) == (1.0, 1.0, 1.0)


def test_ignored_dataset_types_are_dropped() -> None:
    item = {
        "full_text": "Dr. Ana Ruiz of Acme",
        "spans": [
            {"entity_type": "TITLE", "start_position": 0, "end_position": 3},
            {"entity_type": "PERSON", "start_position": 4, "end_position": 12},
            {"entity_type": "ORGANIZATION", "start_position": 16, "end_position": 20},
        ],
    }
    assert gold_spans(item) == [GoldSpan("PERSON", 4, 12, "PERSON")]


def test_evaluate_pii_on_a_small_file(tmp_path: Path) -> None:
    texts = [
        ("Write to ana.ruiz@example.org today", "EMAIL_ADDRESS", "ana.ruiz@example.org"),
        ("My number is (415) 555-2671", "PHONE_NUMBER", "(415) 555-2671"),
        ("Nothing personal in this one", None, None),
    ]
    items = []
    for text, kind, value in texts:
        spans = []
        if kind and value:
            start = text.index(value)
            spans.append(
                {
                    "entity_type": kind,
                    "entity_value": value,
                    "start_position": start,
                    "end_position": start + len(value),
                }
            )
        items.append({"full_text": text, "spans": spans})
    path = tmp_path / "pii.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    figures = evaluate_pii(path, mode="fast")
    assert figures["texts"] == 3
    assert figures["f2"] == 1.0
    assert figures["EMAIL.recall"] == 1.0


def test_a_malformed_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"full_text": "x"}', encoding="utf-8")
    with pytest.raises(ValueError, match="expected a JSON list"):
        evaluate_pii(path, mode="fast")


def test_split_is_by_template_and_covers_everything() -> None:
    items = [{"full_text": str(i), "template_id": i % 7} for i in range(50)]
    tune = {i for i, item in enumerate(items) if in_part(item, i, "tune")}
    holdout = {i for i, item in enumerate(items) if in_part(item, i, "holdout")}
    assert tune.isdisjoint(holdout)
    assert tune | holdout == set(range(50))
    assert {items[i]["template_id"] for i in tune}.isdisjoint(
        {items[i]["template_id"] for i in holdout}
    )
