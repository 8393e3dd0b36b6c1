"""Dashboard response time over 1,000,000 posts on SQLite.

Loads generated posts (three brands: ours and two competitors, seven platforms, five languages,
90 days) with their enrichment and brand links through bulk inserts, builds the rollups in bulk
(``rebuild_rollups``), then times ``build_dashboard`` over varied filters (ranges from one day
to 90 days, platform, language and sentiment filters, each brand) and writes
``bench/results/dashboard.json``.

    .venv/bin/python bench/dashboard.py                  # 1,000,000 posts
    .venv/bin/python bench/dashboard.py --posts 100000   # quicker
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

import tocsin.models  # noqa: F401 - registers every table
from tocsin.brands.models import Brand
from tocsin.db import Base, make_engine, make_session_factory
from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Author, Post
from tocsin.ingestion.sql import table_of
from tocsin.listening.dashboard import DashboardFilters, build_dashboard
from tocsin.listening.models import PostBrand
from tocsin.listening.rollups_bulk import rebuild_rollups

PLATFORMS = ["x", "bluesky", "mastodon", "reddit", "facebook", "review", "news"]
LANGS = ["en", "fr", "es", "nl", "de"]
SENTIMENTS = ["positive", "neutral", "negative"]
WORDS = {
    "en": [
        "parcel",
        "late",
        "refund",
        "support",
        "delivery",
        "broken",
        "app",
        "update",
        "battery",
        "price",
        "order",
    ],
    "fr": [
        "colis",
        "retard",
        "remboursement",
        "service",
        "livraison",
        "panne",
        "appli",
        "prix",
        "commande",
    ],
    "es": [
        "paquete",
        "retraso",
        "reembolso",
        "soporte",
        "entrega",
        "roto",
        "aplicación",
        "precio",
        "pedido",
    ],
    "nl": ["pakket", "vertraging", "terugbetaling", "klantenservice", "levering", "kapot", "prijs"],
    "de": ["paket", "verspätung", "erstattung", "kundendienst", "lieferung", "kaputt", "preis"],
}
TAGS = ["#fail", "#launch", "#summer", "#outage", "#love", "#deal", "#help"]
END = datetime(2026, 3, 31, tzinfo=UTC)
DAYS = 90
CHUNK = 20_000


def load(session_factory, posts: int, seed: int = 7) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    with session_factory() as s:
        ours = Brand(slug="lumio", name="Lumio")
        rivals = [
            Brand(slug="nordel", name="Nordel", competitor_of=ours),
            Brand(slug="brightco", name="Brightco", competitor_of=ours),
        ]
        s.add_all([ours, *rivals])
        s.flush()
        brand_ids = [ours.id, rivals[0].id, rivals[1].id]
        names = ["Lumio", "Nordel", "Brightco"]
        n_authors = max(1000, posts // 20)
        s.execute(
            insert(table_of(Author)),
            [
                {
                    "platform": PLATFORMS[i % len(PLATFORMS)],
                    "handle": f"author{i}",
                    "followers": int(rng.paretovariate(1.2) * 50),
                    "display_name": "",
                }
                for i in range(n_authors)
            ],
        )
        s.commit()
    start = time.perf_counter()
    span = DAYS * 86400
    next_id = 1
    with session_factory() as s:
        for offset in range(0, posts, CHUNK):
            rows, enrich, links = [], [], []
            for _ in range(min(CHUNK, posts - offset)):
                pid = next_id
                next_id += 1
                lang = rng.choices(LANGS, weights=[50, 20, 12, 10, 8])[0]
                which = rng.choices([0, 1, 2], weights=[60, 25, 15])[0]
                words = rng.sample(WORDS[lang], 4)
                text = f"{names[which]} {' '.join(words)} {rng.choice(TAGS)}"
                created = END - timedelta(seconds=int(span * rng.random() ** 0.8))
                author = rng.randrange(1, n_authors + 1)
                mood = rng.choices(SENTIMENTS, weights=[25, 45, 30])[0]
                rows.append(
                    {
                        "id": pid,
                        "platform": PLATFORMS[(author - 1) % len(PLATFORMS)],
                        "external_id": f"b{pid}",
                        "author_id": author,
                        "text": text,
                        "lang": lang,
                        "created_at": created,
                        "received_at": created,
                        "likes": rng.randrange(20),
                    }
                )
                enrich.append(
                    {
                        "post_id": pid,
                        "lang": lang,
                        "sentiment": mood,
                        "complaint": mood == "negative" and rng.random() < 0.5,
                    }
                )
                links.append(
                    {
                        "post_id": pid,
                        "brand_id": brand_ids[which],
                        "post_created_at": created,
                        "is_competitor": which != 0,
                        "matched_terms": [names[which].lower()],
                    }
                )
            s.execute(insert(table_of(Post)), rows)
            s.execute(insert(table_of(PostEnrichment)), enrich)
            s.execute(insert(table_of(PostBrand)), links)
            s.commit()
            print(f"\rloaded {offset + len(rows):,} posts", end="", file=sys.stderr)
    print(f"\nposts loaded in {time.perf_counter() - start:.0f} s", file=sys.stderr)


def filters_to_time(brand_ids: list[int], rng: random.Random) -> list[DashboardFilters]:
    cases: list[DashboardFilters] = []
    for days in (1, 7, 30, 90):
        for brand_id in brand_ids:
            since = END - timedelta(days=days)
            cases.append(DashboardFilters(brand_id=brand_id, since=since, until=END))
            cases.append(
                DashboardFilters(
                    brand_id=brand_id,
                    since=since,
                    until=END,
                    platforms=(rng.choice(PLATFORMS),),
                )
            )
            cases.append(
                DashboardFilters(
                    brand_id=brand_id,
                    since=since,
                    until=END,
                    langs=(rng.choice(LANGS),),
                    sentiments=("negative",),
                )
            )
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--db", default="/tmp/tocsin-bench-dashboard.db")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "dashboard.json"))
    args = parser.parse_args()
    Path(args.db).unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{args.db}")
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    load(factory, args.posts)
    started = time.perf_counter()
    with factory() as s:
        counted = rebuild_rollups(session=s)
        s.commit()
    rollup_seconds = time.perf_counter() - started
    print(f"rollups for {counted:,} pairs built in {rollup_seconds:.0f} s", file=sys.stderr)
    with factory() as s:
        brand_ids = list(s.scalars(Brand.__table__.select().with_only_columns(Brand.id)))
    cases = filters_to_time(brand_ids, random.Random(1))
    timings: list[float] = []
    slowest: tuple[float, str] = (0.0, "")
    for _ in range(args.repeat):
        for case in cases:
            with factory() as s:
                t0 = time.perf_counter()
                board = build_dashboard(session=s, filters=case)
                elapsed = time.perf_counter() - t0
            timings.append(elapsed)
            if elapsed > slowest[0]:
                slowest = (elapsed, f"{case} total={board.total}")
    timings.sort()
    result = {
        "posts": args.posts,
        "database": "sqlite",
        "load_rollups_seconds": round(rollup_seconds, 1),
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1] * 1000, 1),
        "max_ms": round(timings[-1] * 1000, 1),
        "slowest": slowest[1],
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    engine.dispose()


if __name__ == "__main__":
    main()
