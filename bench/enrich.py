"""Throughput of the enrichment pipeline: posts/s in total and per enricher, one process.

Runs the same measurement as ``tocsin bench enrich`` on mixed-language synthetic posts
(en/fr/es/nl/de/it/pt questions, complaints, praise, spam, with e-mails, phones and order
numbers) and writes ``bench/results/enrich.json``.

Usage::

    .venv/bin/python bench/enrich.py --n 5000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from tocsin.enrichment.evaluate import benchmark, benchmark_parallel

RESULTS = Path(__file__).resolve().parent / "results" / "enrich.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--embed-threads", type=int, default=1)
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 2,
        help="also run the full pipeline in this many processes at once (0 to skip)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    report = benchmark(n=args.n, batch_size=args.batch_size, embed_threads=args.embed_threads)
    if args.processes:
        report["parallel"] = benchmark_parallel(
            n=args.n, processes=args.processes, batch_size=args.batch_size
        )
    report["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    report["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for stage, rate in report["posts_per_second"].items():
        print(f"{stage:>10}: {rate:>9,.0f} posts/s")
    if "parallel" in report:
        par = report["parallel"]
        print(
            f"{'pipeline':>10}: {par['posts_per_second']:>9,.0f} posts/s "
            f"with {par['processes']} processes"
        )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
