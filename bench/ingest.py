"""Ingestion throughput: import N canonical posts, then the same file again.

Generates N realistic canonical posts (several platforms and languages, authors who post many
times, reply threads, engagement, some raw payloads), writes them as JSON Lines, and imports
the file with the same code as ``tocsin import`` into a fresh SQLite file and a fresh
PostgreSQL database (created on the server, dropped afterwards).  The import must store exactly
N posts; the re-import must store none and report N duplicates.

Usage::

    .venv/bin/python bench/ingest.py                      # N = 100,000, SQLite and PostgreSQL
    .venv/bin/python bench/ingest.py --n 20000 --no-postgres
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

import tocsin.models  # noqa: F401  - registers every table
from tocsin.db import Base, make_engine, make_session_factory
from tocsin.ingestion.importers import JsonlReader, run_import
from tocsin.ingestion.models import Post

PLATFORMS = ["x", "x", "x", "bluesky", "mastodon", "reddit", "facebook", "review", "news"]
OPENINGS = {
    "en": ["My order", "The delivery", "Your app", "The refund", "Customer service"],
    "fr": ["Ma commande", "La livraison", "Votre appli", "Le remboursement", "Le service client"],
    "es": ["Mi pedido", "La entrega", "Vuestra app", "El reembolso", "La atención al cliente"],
    "de": ["Meine Bestellung", "Die Lieferung", "Eure App", "Die Erstattung", "Der Kundendienst"],
    "nl": ["Mijn bestelling", "De levering", "Jullie app", "De terugbetaling", "De klantenservice"],
}
ENDINGS = {
    "en": ["is late again", "was perfect, thanks!", "keeps crashing", "never arrived", "is slow"],
    "fr": ["est encore en retard", "était parfaite", "plante sans arrêt", "n'est jamais arrivé"],
    "es": ["llega tarde otra vez", "fue perfecta", "se cierra sola", "nunca llegó"],
    "de": ["ist schon wieder spät", "war perfekt", "stürzt ständig ab", "kam nie an"],
    "nl": ["is weer te laat", "was perfect", "crasht steeds", "is nooit aangekomen"],
}
LANGS = ["en", "en", "en", "fr", "fr", "es", "de", "nl"]


def generate(path: Path, n: int, seed: int = 7) -> None:
    """Write ``n`` canonical posts to ``path`` (JSON Lines)."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    authors = max(10, n // 8)
    roots: dict[str, list[str]] = {p: [] for p in set(PLATFORMS)}
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            platform_name = rng.choice(PLATFORMS)
            lang = rng.choice(LANGS)
            author = int(rng.paretovariate(1.2)) % authors
            post: dict[str, Any] = {
                "platform": platform_name,
                "external_id": f"{platform_name}-{i}",
                "text": f"{rng.choice(OPENINGS[lang])} #{rng.randint(1000, 99999)} "
                f"{rng.choice(ENDINGS[lang])}",
                "created_at": (start + timedelta(seconds=i * 7)).isoformat(),
                "lang": lang,
                "author": {
                    "handle": f"user{author}",
                    "display_name": f"User {author}",
                    "followers": (author * 37) % 5000,
                    "verified": author % 97 == 0,
                },
                "engagement": {"likes": rng.randint(0, 40), "reposts": rng.randint(0, 5)},
            }
            pool = roots[platform_name]
            if pool and rng.random() < 0.3:
                parent = rng.choice(pool)
                post.update(kind="reply", parent_external_id=parent, thread_external_id=parent)
            else:
                pool.append(post["external_id"])
                del pool[:-500]
            if platform_name == "review":
                post["title"] = "Review"
            if rng.random() < 0.1:
                post["raw"] = {"id": post["external_id"], "body": post["text"], "v": 1}
            out.write(json.dumps(post, ensure_ascii=False) + "\n")


def run(database_url: str, path: Path, n: int, batch_size: int) -> dict[str, Any]:
    """Import ``path`` twice into ``database_url`` and return the timings."""
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    result: dict[str, Any] = {}
    for label in ("first_import", "reimport"):
        began, cpu_began = time.perf_counter(), time.process_time()
        summary = run_import(
            session_factory=factory, records=JsonlReader(path), batch_size=batch_size
        )
        seconds = time.perf_counter() - began
        cpu = time.process_time() - cpu_began
        with factory() as session:
            stored = session.scalar(select(func.count()).select_from(Post))
        result[label] = {
            "seconds": round(seconds, 2),
            "posts_per_second": round(n / seconds),
            # CPU time of this process (SQLite works in-process; PostgreSQL's server time is
            # not included): what one idle core would do, whatever the machine's load.
            "cpu_seconds": round(cpu, 2),
            "posts_per_cpu_second": round(n / cpu),
            "imported": summary.imported,
            "updated": summary.updated,
            "duplicates": summary.duplicates,
            "rejected": summary.rejected,
            "posts_stored": stored,
        }
        print(
            f"  {label:13} {seconds:7.1f} s  {n / seconds:9,.0f} posts/s "
            f"({n / cpu:,.0f} per CPU-second)  "
            f"imported={summary.imported:,} duplicates={summary.duplicates:,} "
            f"rejected={summary.rejected:,} stored={stored:,}"
        )
    engine.dispose()
    first, again = result["first_import"], result["reimport"]
    result["exact"] = (
        first["imported"] == n
        and first["posts_stored"] == n
        and again["imported"] == 0
        and again["duplicates"] == n
        and again["posts_stored"] == n
    )
    return result


def fresh_postgres(server_url: str) -> str:
    base = make_url(server_url)
    name = f"tocsin_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_postgres(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--output", type=Path, default=Path("bench/results/ingest.json"))
    args = parser.parse_args()

    results: dict[str, Any] = {
        "benchmark": "ingest",
        "n": args.n,
        "batch_size": args.batch_size,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            # Other work on the machine slows every figure down: compare runs at similar load.
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts.jsonl"
        began = time.perf_counter()
        generate(path, args.n)
        print(
            f"generated {args.n:,} posts ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - began:.1f} s"
        )
        print("sqlite")
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        results["sqlite"] = run(sqlite_url, path, args.n, args.batch_size)
        if not args.no_postgres:
            url = fresh_postgres(args.postgres_url)
            try:
                with create_engine(url).connect() as conn:
                    version = conn.scalar(text("SHOW server_version"))
                results["machine"]["postgresql"] = version
                print("postgresql")
                results["postgresql"] = run(url, path, args.n, args.batch_size)
            finally:
                drop_postgres(url)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    exact = all(results[db]["exact"] for db in ("sqlite", "postgresql") if db in results)
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
