"""Benchmark PII detection: span-level F2 on presidio-research data, and speed per mode.

Usage::

    .venv/bin/python bench/pii.py        # reads ../shared/data/pii-synthetic/dev.json
    .venv/bin/python bench/pii.py --data path/to/test.json --out report.json

Quality is reported on the whole file and on the two halves of a split by template (``tune``
was used while building the recognisers, ``holdout`` much less so), with the matching rule of
``tocsin.privacy.pii.evaluate`` (overlap, and IoU >= 0.5 as a stricter check). Speed is measured
on the file's texts, one text at a time (as the firehose calls it) and in batches of 64.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tocsin.privacy.pii import PiiDetector, evaluate_pii
from tocsin.privacy.pii.evaluate import load_dataset

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/pii-synthetic/dev.json"
# Hand-written firehose-like posts (no personal data in most): the common case in fast mode.
POSTS = [
    "Loving the new autumn menu, the pumpkin latte is back!!",
    "@brand my order #AB-12345 still hasn't shipped, 3 weeks now",
    "Worst customer service ever. Waited 45 minutes on the phone.",
    "Le colis est arrivé le 12/11/2024, merci pour la rapidité",
    "Mi pedido llegó roto, llamadme al +34 612 34 56 78 por favor",
    "Bel me terug op 06-12345678, mijn bestelling is kwijt",
    "Price went from $19.99 to $24.99 overnight?? Not cool",
    "Contact me at jane.doe@example.com about the refund",
    "v2.3.1 of the app keeps crashing on Android 14",
    "Top 10 reasons to visit our store this weekend",
]


def _speed(detector: PiiDetector, texts: list[str], lang: str | None) -> dict[str, float]:
    detector.detect(texts[0], lang)  # load models outside the timing
    start = time.perf_counter()
    for text in texts:
        detector.detect(text, lang)
    single = time.perf_counter() - start
    start = time.perf_counter()
    for offset in range(0, len(texts), 64):
        chunk = texts[offset : offset + 64]
        detector.detect_batch(chunk, [lang] * len(chunk))
    batched = time.perf_counter() - start
    return {
        "texts": float(len(texts)),
        "texts_per_s": len(texts) / single,
        "ms_per_text": 1000 * single / len(texts),
        "batched_texts_per_s": len(texts) / batched,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args(argv)
    err = Console(stderr=True)
    if not args.data.exists():
        err.print(f"[red]no data at {args.data}; pass --data PATH[/red]")
        return 2
    report: dict[str, Any] = {"data": str(args.data), "quality": {}, "speed": {}}
    with err.status("scoring full mode…"):
        for part in ("all", "tune", "holdout"):
            for iou in (0.0, 0.5):
                key = f"{part}/iou{iou}"
                report["quality"][key] = evaluate_pii(
                    args.data, mode="full", part=part, iou_threshold=iou
                )
        report["quality"]["all/fast"] = evaluate_pii(args.data, mode="fast")
    texts = [str(item["full_text"]) for item in load_dataset(args.data)]
    with err.status("timing…"):
        for mode in ("fast", "full"):
            detector = PiiDetector(mode=mode)
            report["speed"][f"{mode}/dataset"] = _speed(detector, texts, "en")
            report["speed"][f"{mode}/posts"] = _speed(detector, POSTS * 50, None)
    _print(report)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, sort_keys=True), encoding="utf-8")
    return 0


def _print(report: dict[str, Any]) -> None:
    console = Console()
    overall = Table(
        title="PII span-level quality (overlap of the same class; F2 = recall-weighted)"
    )
    for column in ("split / rule", "texts", "P", "R", "F2", "type-agnostic F2"):
        overall.add_column(column)
    for key, fig in report["quality"].items():
        overall.add_row(
            key,
            f"{fig['texts']:.0f}",
            f"{fig['precision']:.3f}",
            f"{fig['recall']:.3f}",
            f"{fig['f2']:.3f}",
            f"{fig['pii_f2']:.3f}",
        )
    console.print(overall)
    per_type = Table(title="Per class, whole file, full mode, overlap rule")
    for column in ("class", "annotated", "predicted", "P", "R", "F2"):
        per_type.add_column(column)
    fig = report["quality"]["all/iou0.0"]
    for kind in sorted({k.split(".")[0] for k in fig if k.count(".") == 1}):
        per_type.add_row(
            kind,
            f"{fig[kind + '.annotated']:.0f}",
            f"{fig[kind + '.predicted']:.0f}",
            f"{fig[kind + '.precision']:.3f}",
            f"{fig[kind + '.recall']:.3f}",
            f"{fig[kind + '.f2']:.3f}",
        )
    console.print(per_type)
    recalls = {
        k.split(".")[1]: v
        for k, v in fig.items()
        if k.startswith("dataset.") and k.endswith(".recall")
    }
    console.print(
        "Recall per dataset type: " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(recalls.items()))
    )
    speed = Table(title="Speed (one process, one core)")
    for column in ("mode / texts", "n", "texts/s", "ms/text", "batched texts/s"):
        speed.add_column(column)
    for key, s in report["speed"].items():
        speed.add_row(
            key,
            f"{s['texts']:.0f}",
            f"{s['texts_per_s']:.0f}",
            f"{s['ms_per_text']:.3f}",
            f"{s['batched_texts_per_s']:.0f}",
        )
    console.print(speed)


if __name__ == "__main__":
    sys.exit(main())
