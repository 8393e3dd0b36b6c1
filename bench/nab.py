"""The crisis radar's spike detector on the Numenta Anomaly Benchmark (NAB) Twitter series.

One command reproduces every figure of ``docs/crisis-radar.md``::

    .venv/bin/python bench/nab.py

1. runs ``tocsin detect-spikes``'s service (:func:`detect_csv`) with the product's fixed
   configuration over every series of ``nab-realtweets`` into a results folder (a temporary
   one unless ``--keep-outputs DIR``: the outputs repeat the data, which stays out of the repo);
2. scores the ``alert`` column with the shared NAB scorer (``eval/nab_score.py``), overall and
   for each series alone, in the three NAB profiles;
3. replays the same alert gate at other z thresholds (a curve), checks the threshold rule
   leaving each series out in turn (choose on 4 series, score the 5th), and perturbs the
   structural settings one at a time;
4. measures points/s, and writes everything to ``bench/results/nab.json``.

The threshold rule is the one that chose the default ``alert_z``: the z (grid step 0.05)
whose standard score, averaged with its neighbours within ±0.1, is highest; averaging avoids
sitting on the cliff edge where one more window would be missed.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from tocsin.crisis.detectors import AlertGate, DetectorConfig, SpikeDetector, detect_csv

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "nab.json"
SHARED = ROOT.parent / "shared"
PROFILES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")
GRID = [round(1.5 + 0.05 * i, 2) for i in range(31)]  # z from 1.5 to 3.0
SMOOTH = 2  # grid steps on each side averaged by the threshold rule (±0.1)
#: Published NAB scores on these five series (thresholds tuned by NAB on all 58 series),
#: from the data set's README; reference points, not our measurements.
REFERENCES = {
    "ARTime": (83.8, 73.1, 89.2),
    "earthgecko Skyline": (77.8, 59.9, 85.2),
    "CAD OSE": (76.0, 75.7, 77.5),
    "Numenta HTM": (66.1, 61.2, 69.1),
}
#: One structural setting changed at a time, alert_z kept: how much the figures move.
VARIANTS: dict[str, dict[str, Any]] = {
    "level half-life 48 h": {"level_half_life_hours": 48.0},
    "level half-life 96 h": {"level_half_life_hours": 96.0},
    "daily half-life 4 days": {"daily_half_life_days": 4.0},
    "daily half-life 16 days": {"daily_half_life_days": 16.0},
    "dispersion half-life 72 h": {"dispersion_half_life_hours": 72.0},
    "dispersion half-life 336 h": {"dispersion_half_life_hours": 336.0},
    "clip 2.5 sigma": {"clip_sigmas": 2.5},
    "clip 4 sigma": {"clip_sigmas": 4.0},
    "cooldown 6 h": {"cooldown_hours": 6.0},
    "cooldown 24 h": {"cooldown_hours": 24.0},
    "windows 1 h, 6 h, 24 h": {"window_minutes": (60, 360, 1440)},
}

Trace = list[tuple[datetime, float, bool]]  # (timestamp, mean z, warming up) per row


def load_scorer(eval_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("nab_score", eval_dir / "nab_score.py")
    if spec is None or spec.loader is None:
        sys.exit(f"nab.py: cannot load {eval_dir / 'nab_score.py'} (use --eval)")
    module = importlib.util.module_from_spec(spec)
    sys.modules["nab_score"] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


def read_series(path: Path) -> list[tuple[str, datetime, float]]:
    with path.open(newline="") as f:
        return [
            (r["timestamp"], datetime.fromisoformat(r["timestamp"]), float(r["value"]))
            for r in csv.DictReader(f)
        ]


def trace(config: DetectorConfig, rows: Sequence[tuple[str, datetime, float]]) -> Trace:
    detector = SpikeDetector(config)
    out = []
    for _, at, value in rows:
        o = detector.update(at, value)
        out.append((o.timestamp, o.zscore, o.warming_up))
    return out


def replay(config: DetectorConfig, rows: Trace) -> list[int]:
    """The alert column the detector would write with ``config`` (same gate, no re-run)."""
    gate = AlertGate(config)
    alerts = [0] * len(rows)
    for i, (at, z, warming) in enumerate(rows):
        if z >= config.alert_z and gate.decide(at=at, zscore=z, warming_up=warming):
            alerts[i] = 1
    return alerts


class Scorer:
    """Per-series raw/null/perfect NAB scores, pooled over any subset of series."""

    def __init__(self, nab: ModuleType, windows: dict[str, Any], stamps: dict[str, list[str]]):
        self.nab, self.windows, self.stamps = nab, windows, stamps

    def per_series(self, key: str, alerts: list[int]) -> dict[str, dict[str, Any]]:
        out = {key: {"timestamp": self.stamps[key], "alert": alerts}}
        return {p: self.nab.score(out, self.windows, p) for p in PROFILES}

    @staticmethod
    def pooled(parts: Sequence[dict[str, dict[str, Any]]]) -> dict[str, float]:
        scores = {}
        for p in PROFILES:
            raw = sum(x[p]["raw_score"] for x in parts)
            null = sum(x[p]["null_score"] for x in parts)
            perfect = sum(x[p]["perfect_score"] for x in parts)
            scores[p] = round(100.0 * (raw - null) / (perfect - null), 2)
        return scores


def summary(res: dict[str, Any]) -> dict[str, Any]:
    return {
        "normalised": round(res["normalised_score"], 2),
        "raw": round(res["raw_score"], 4),
        "windows_detected": res["windows_detected"],
        "windows": res["n_windows"],
        "false_positives": res["fp_detections"],
    }


def choose(curve: Sequence[float]) -> int:
    """Index of the grid z whose standard score, averaged over ±SMOOTH steps, is highest."""
    smooth = [
        sum(curve[max(0, i - SMOOTH) : i + SMOOTH + 1])
        / len(curve[max(0, i - SMOOTH) : i + SMOOTH + 1])
        for i in range(len(curve))
    ]
    return max(range(len(curve)), key=lambda i: (smooth[i], curve[i]))


def run(args: argparse.Namespace, log: Callable[[str], None]) -> dict[str, Any]:
    nab = load_scorer(args.eval)
    windows = nab.load_windows(str(args.data / "windows.json"))
    keys = list(windows)
    series = {k: read_series(args.data / "data" / Path(k).name) for k in keys}
    stamps = {k: [r[0] for r in rows] for k, rows in series.items()}
    scorer = Scorer(nab, windows, stamps)
    config = DetectorConfig()

    # 1-2. The product's detector, through the CLI's service, scored by the shared scorer.
    out_dir = args.keep_outputs or Path(tempfile.mkdtemp(prefix="tocsin-nab-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for k in keys:
        detect_csv(input_path=args.data / "data" / Path(k).name, output_path=out_dir / Path(k).name)
    cli_seconds = time.perf_counter() - started
    outputs = nab.load_results_dir(str(out_dir), windows, score_column="alert")
    fixed = {p: nab.score(outputs, windows, p) for p in PROFILES}
    alert_cols = {k: [int(v) for v in outputs[k].values] for k in keys}
    per_series = {}
    for k in keys:
        res = scorer.per_series(k, alert_cols[k])
        per_series[Path(k).stem] = {p: summary(res[p]) for p in PROFILES} | {
            "first_detection_share_of_window": [
                round(w["delay_fraction"], 3) if w["detected"] else None
                for w in res["standard"]["files"][0]["windows"]
            ]
        }
    log(f"fixed configuration: {[round(fixed[p]['normalised_score'], 2) for p in PROFILES]}")

    # 3. Threshold curve and leave-one-series-out, by replaying the gate on the z traces.
    started = time.perf_counter()
    traces = {k: trace(config, rows) for k, rows in series.items()}
    speed_seconds = time.perf_counter() - started
    detector = SpikeDetector(config)
    for _, at, value in series[keys[0]]:
        detector.update(at, value)
    state_bytes = len(json.dumps(detector.to_state()))
    points = sum(len(r) for r in series.values())
    speed = points / speed_seconds
    for k in keys:  # the replay must reproduce the CLI's alert column exactly
        assert replay(config, traces[k]) == alert_cols[k], f"replay differs on {k}"
    table = {  # table[z index][series] = per-profile scores
        i: {
            k: scorer.per_series(k, replay(config.model_copy(update={"alert_z": z}), traces[k]))
            for k in keys
        }
        for i, z in enumerate(GRID)
    }
    curve = [
        {"alert_z": z}
        | scorer.pooled([table[i][k] for k in keys])
        | {
            "windows_detected": sum(table[i][k]["standard"]["windows_detected"] for k in keys),
            "false_positives": sum(table[i][k]["standard"]["fp_detections"] for k in keys),
        }
        for i, z in enumerate(GRID)
    ]
    chosen = GRID[choose([c["standard"] for c in curve])]
    loo_rows, loo_parts, argmax_parts = [], [], []
    for held in keys:
        train = [k for k in keys if k != held]
        train_curve = [scorer.pooled([table[i][k] for k in train])["standard"] for i in table]
        i_rule, i_max = choose(train_curve), max(range(len(GRID)), key=train_curve.__getitem__)
        loo_parts.append(table[i_rule][held])
        argmax_parts.append(table[i_max][held])
        loo_rows.append(
            {
                "held_out": Path(held).stem,
                "alert_z_chosen_on_other_4": GRID[i_rule],
                "held_out_scores": scorer.pooled([table[i_rule][held]]),
                "plain_argmax_z": GRID[i_max],
            }
        )
    log(f"leave-one-out: {scorer.pooled(loo_parts)}")

    # Structural settings, one at a time, at the default alert_z.
    sensitivity = {}
    if not args.quick:
        for name, change in VARIANTS.items():
            cfg = config.model_copy(update=change)
            cfg = DetectorConfig.model_validate(cfg.model_dump())
            parts = [scorer.per_series(k, replay(cfg, trace(cfg, series[k]))) for k in keys]
            sensitivity[name] = scorer.pooled(parts)
            log(f"{name}: {sensitivity[name]}")

    sweep = {
        p: nab.sweep(nab.load_results_dir(str(out_dir), windows), windows, p) for p in PROFILES
    }
    if not args.keep_outputs:
        shutil.rmtree(out_dir)  # the outputs repeat the data: do not leave copies behind
    return {
        "command": ".venv/bin/python bench/nab.py",
        "data": "nab-realtweets (5 series, 16 windows)",
        "configuration": config.model_dump(mode="json"),
        "scored_column": "alert",
        "overall": {p: summary(fixed[p]) for p in PROFILES},
        "per_series": per_series,
        "threshold_rule": {
            "rule": "highest standard score averaged over alert_z ± 0.1 (grid 0.05)",
            "chosen_on_all_5": chosen,
            "default_alert_z": config.alert_z,
        },
        "leave_one_series_out": {
            "folds": loo_rows,
            "pooled_held_out": scorer.pooled(loo_parts),
            "pooled_held_out_plain_argmax": scorer.pooled(argmax_parts),
        },
        "threshold_curve": curve,
        "sensitivity_at_default_alert_z": sensitivity,
        "anomaly_score_nab_sweep_optimistic": {
            p: {
                "threshold": sweep[p]["threshold"],
                "normalised": round(sweep[p]["normalised_score"], 2),
            }
            for p in PROFILES
        },
        "references_published": {
            name: dict(zip(PROFILES, vals, strict=True)) for name, vals in REFERENCES.items()
        },
        "speed": {
            "points": points,
            "detector_points_per_second": round(speed),
            "cli_seconds_all_series": round(cli_seconds, 2),
            "state_json_bytes_after_a_series": state_bytes,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "outputs_dir": str(out_dir) if args.keep_outputs else None,
    }


def markdown(report: dict[str, Any]) -> str:
    def row(name: str, s: dict[str, Any]) -> str:
        cells = [f"{s[p]['normalised']:.1f}" for p in PROFILES]
        st = s["standard"]
        return (
            f"| {name} | {' | '.join(cells)} | {st['windows_detected']}/{st['windows']} "
            f"| {st['false_positives']} |"
        )

    lines = [
        "| series | standard | low FP | low FN | windows found | false alerts |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        row(name.removeprefix("Twitter_volume_"), s) for name, s in report["per_series"].items()
    ]
    lines.append(row("**all 5**", report["overall"]))
    loo = report["leave_one_series_out"]
    lines += [
        "",
        "| held out | alert_z chosen on the other 4 | standard | low FP | low FN |",
        "|---|---|---|---|---|",
    ]
    for f in loo["folds"]:
        s = f["held_out_scores"]
        lines.append(
            f"| {f['held_out'].removeprefix('Twitter_volume_')} "
            f"| {f['alert_z_chosen_on_other_4']} | "
            + " | ".join(f"{s[q]:.1f}" for q in PROFILES)
            + " |"
        )
    p = loo["pooled_held_out"]
    lines.append(
        f"| **pooled** | | {p['standard']:.1f} | {p['reward_low_FP_rate']:.1f} "
        f"| {p['reward_low_FN_rate']:.1f} |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "nab-realtweets")
    parser.add_argument("--eval", type=Path, default=SHARED / "eval")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--keep-outputs", type=Path, help="write the scored CSVs here")
    parser.add_argument("--quick", action="store_true", help="skip the sensitivity runs")
    args = parser.parse_args()
    if not (args.data / "windows.json").is_file():
        sys.exit(f"nab.py: no windows.json under {args.data}; pass --data DIR")
    report = run(args, log=lambda msg: print(msg, file=sys.stderr, flush=True))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(markdown(report))
    print(f"\nwritten to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
