"""Alert latency: from ingesting the post that tips a series over the threshold to the alert
reaching a local webhook receiver, while 200 posts/s are being ingested.

Setup (fresh database): ``--targets`` brands with three days of quiet history (bucket rows fed
through the radar), background brands, a signed-webhook channel to a local HTTP receiver.
Then, for ``--seconds``: one thread ingests ``--rate`` posts/s (background mentions stamped
"now"; every 100 ms as many as are due at that rate) while one target brand at a time gets a
burst of negative mentions until its alert arrives; the in-process workers (interval 0.5 s,
as in ``tocsin serve``) run matching, series, detectors, alerts and notifications.  For each
alert, the latency is the receiver's arrival time minus the commit time of the *earliest*
post of that brand handled by the dispatch that fired it: the tipping post is one of those
(the previous dispatch counted fewer posts and did not fire), so this is an upper bound.

    .venv/bin/python bench/alert_latency.py                       # SQLite file, 200 posts/s
    .venv/bin/python bench/alert_latency.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Writes bench/results/alert_latency.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import tocsin.models  # noqa: F401 - registers every table
from tocsin.brands.models import Brand
from tocsin.config import Environment, Settings
from tocsin.crisis import radar
from tocsin.crisis import tasks as crisis_tasks
from tocsin.crisis.models import Alert, MetricBucket
from tocsin.crisis.series import BUCKET, bucket_of
from tocsin.db import Base, make_engine, make_session_factory
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.listening import tasks as listening_tasks
from tocsin.listening.matching import match_posts
from tocsin.listening.models import PostBrand
from tocsin.notifications import tasks as notification_tasks
from tocsin.notifications.service import create_channel
from tocsin.types import utcnow
from tocsin.workers import planner_stats
from tocsin.workers.inprocess import InProcessWorkers

RESULTS = Path(__file__).parent / "results" / "alert_latency.json"
SECRET = "bench-webhook-signing-secret-0123"
WORDS = ("delivery", "app", "price", "support", "order", "update", "store", "account")


class Receiver:
    """A local webhook receiver recording when each alert's first message arrived."""

    def __init__(self) -> None:
        self.arrivals: dict[int, float] = {}
        self.brands: set[int] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                at = time.time()
                data = json.loads(body).get("data", {})
                if "alert_id" in data:
                    receiver.arrivals.setdefault(int(data["alert_id"]), at)
                    receiver.brands.add(int(data["brand_id"]))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/hook"


class StandInDetector:
    """Used only when the product detector is not installed: 4× the running mean."""

    def __init__(self, state: dict[str, Any] | None) -> None:
        self.n = int((state or {}).get("n", 0))
        self.mean = float((state or {}).get("mean", 0.0))

    def update(self, timestamp: datetime, value: float) -> Any:
        expected = self.mean
        alert = self.n >= 6 and value > 4 * max(expected, 1.0)
        self.n += 1
        self.mean += (value - self.mean) / min(self.n, 50)
        return type(
            "Out",
            (),
            {
                "alert": alert,
                "score": 1.0 if alert else 0.0,
                "expected": expected,
                "explanation": "stand-in",
            },
        )()

    def to_state(self) -> dict[str, Any]:
        return {"n": self.n, "mean": self.mean}


def tipping_commit(session: Session, alert: Alert, committed: dict[int, float]) -> float | None:
    """Commit time of the earliest post of the alert's brand in the dispatch that fired it.

    Every event of one dispatch gets the same ``dispatched_at``, written after its handlers ran;
    the firing dispatch is the first one marked at or after the alert's creation.  Its brand
    posts are the ones the previous dispatch had not counted: the tipping post is among them.
    """
    marked = session.scalar(
        select(func.min(OutboxEvent.dispatched_at)).where(
            OutboxEvent.dispatched_at >= alert.created_at
        )
    )
    if marked is None:
        return None
    payloads = session.scalars(
        select(OutboxEvent.payload).where(
            OutboxEvent.dispatched_at == marked, OutboxEvent.name == "post.ingested"
        )
    )
    post_ids = [int(p["post_id"]) for p in payloads]
    brand_posts = set(
        session.scalars(
            select(PostBrand.post_id).where(
                PostBrand.brand_id == alert.brand_id, PostBrand.post_id.in_(post_ids)
            )
        )
    )
    times = [committed[pid] for pid in brand_posts if pid in committed]
    return min(times) if times else None


def detector_name() -> str:
    try:
        import tocsin.crisis.detectors  # noqa: F401
    except ModuleNotFoundError:
        radar.detector_factory = lambda metric, state: StandInDetector(state)  # type: ignore[assignment]
        return "stand-in threshold (tocsin.crisis.detectors not installed)"
    return "tocsin.crisis.detectors.SpikeDetector (fixed defaults)"


def brand_name(kind: str, index: int) -> str:
    letters = "".join(chr(ord("a") + int(d)) for d in f"{index:03d}")
    return f"{kind}{letters}".capitalize()


def setup(
    factory: sessionmaker[Session], settings: Settings, targets: int, receiver: Receiver
) -> tuple[list[Brand], list[Brand]]:
    rng = random.Random(7)
    now = utcnow()
    with factory() as s:
        target_brands = [Brand(slug=f"t{i}", name=brand_name("Zorb", i)) for i in range(targets)]
        background = [Brand(slug=f"b{i}", name=brand_name("Quill", i)) for i in range(20)]
        s.add_all(target_brands + background)
        s.flush()
        create_channel(
            session=s,
            settings=settings,
            name="hook",
            kind="webhook",
            secret={"url": receiver.url, "signing_secret": SECRET},
        )
        first = bucket_of(now) - timedelta(days=3)
        rows = []
        for brand in target_brands:
            at = first
            while at < bucket_of(now) - BUCKET:
                hour = at.hour
                volume = rng.choice((0, 1, 1, 2, 2, 3)) + (1 if 8 <= hour < 22 else 0)
                negative = 1 if volume and rng.random() < 0.1 else 0
                for metric, value in (
                    ("volume", volume),
                    ("negative_volume", negative),
                    ("negative_share", negative / volume if volume else 0.0),
                    ("unique_authors", volume),
                    ("reshares", rng.choice((0, 0, 1))),
                ):
                    rows.append(
                        MetricBucket(brand_id=brand.id, metric=metric, bucket_start=at, value=value)
                    )
                at += BUCKET
        s.add_all(rows)
        seed = _post(0, background[0].name, now - timedelta(minutes=3), "hello")
        result = ingest_posts(session=s, posts=[seed])
        match_posts(session=s, post_ids=[o.post_id for o in result.outcomes if o.post_id])
        s.commit()
        crisis_tasks.sweep(session=s)  # feeds the three days of history to the detectors
        s.commit()
        return target_brands, background


_counter = iter(range(1, 10**9))


def _post(n: int, name: str, at: datetime, text: str) -> CanonicalPost:
    return CanonicalPost.model_validate(
        {
            "platform": "x",
            "external_id": f"bench-{n}-{next(_counter)}",
            "text": f"{name} {text}",
            "created_at": at,
            "author": {"handle": f"u{n % 50_000}-{next(_counter)}"},
            "lang": "en",
        }
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    database_url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    engine = make_engine(database_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    settings = Settings(
        database_url=database_url,
        environment=Environment.TEST,
        secret_key="bench-secret-key-0123456789-abcdefghijkl",
    )
    detector = detector_name()
    receiver = Receiver()
    targets, background = setup(factory, settings, args.targets, receiver)
    subscribers = Subscribers()
    for module in (listening_tasks, crisis_tasks, notification_tasks):
        module.subscribe(subscribers, settings)
    # The domains' periodic jobs stay off (the event path is measured); the store's
    # planner-statistics job runs, as in ``tocsin serve`` (issue #5).
    jobs = planner_stats.jobs(settings)
    workers = InProcessWorkers(settings, factory, subscribers=subscribers, jobs=jobs).start()

    committed: dict[int, float] = {}  # burst post id -> commit time
    sent = 0
    began = last_commit = time.time()
    stop = began + args.seconds
    tick = 0.1
    bursting: list[Brand] = []
    burst_until = 0.0
    rng = random.Random(11)
    with factory() as s:
        while time.time() < stop:
            started = time.time()
            current = bursting[-1] if bursting else None
            done = current is not None and (current.id in receiver.brands or started > burst_until)
            if (current is None or done) and len(bursting) < len(targets):
                bursting.append(targets[len(bursting)])
                burst_until = started + args.max_burst
            elif done:
                bursting.append(current)  # every target used: stop bursting
                stop = min(stop, started + 3)
            now = utcnow()
            posts = []
            burst_brand = (
                bursting[-1] if bursting and bursting[-1].id not in receiver.brands else None
            )
            # Posts owed at the target rate: a tick slowed down by a worker pass catches up.
            due = int(args.rate * (started - began)) - sent
            n_burst = round(due * args.burst_rate / args.rate) if burst_brand is not None else 0
            for i in range(due - n_burst):
                brand = rng.choice(background)
                posts.append(_post(i, brand.name, now, f"my {rng.choice(WORDS)} is fine"))
            for i in range(n_burst):
                assert burst_brand is not None
                posts.append(_post(i, burst_brand.name, now, "is down, outage, refund now"))
            result = ingest_posts(session=s, posts=posts)
            s.commit()
            workers.wake()  # as the API and the connectors do after a commit
            at = last_commit = time.time()
            sent += len(posts)
            for outcome in result.outcomes[len(posts) - n_burst :]:
                if outcome.post_id is not None:
                    committed[outcome.post_id] = at
            time.sleep(max(0.0, tick - (time.time() - started)))
        elapsed = last_commit - began
    time.sleep(3)
    workers.stop()
    with factory() as s:
        alerts = list(s.query(Alert))
        latencies = []
        missing = []
        for alert in alerts:
            arrival = receiver.arrivals.get(alert.id)
            start = tipping_commit(s, alert, committed)
            if arrival is None or start is None:
                missing.append(alert.id)
                continue
            latencies.append(arrival - start)
    engine.dispose()
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 3)
            if latencies
            else float("nan")
        )

    return {
        "command": ".venv/bin/python bench/alert_latency.py "
        + " ".join(f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if v is not None),
        "database": "postgresql" if database_url.startswith("postgresql") else "sqlite",
        "detector": detector,
        "ingest_rate_target": args.rate,
        "ingest_rate_achieved": round(sent / elapsed, 1),
        "bursts": len({b.id for b in bursting}),
        "alerts": len(alerts),
        "alerts_measured": len(latencies),
        "alerts_unmatched": missing,
        "latency_seconds": {
            "p50": pct(0.50),
            "p90": pct(0.90),
            "p99": pct(0.99),
            "max": round(max(latencies), 3) if latencies else None,
            "mean": round(statistics.fmean(latencies), 3) if latencies else None,
        },
        "p99_under_2s": bool(latencies) and pct(0.99) < 2.0,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rate", type=int, default=200, help="posts per second ingested")
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--targets", type=int, default=60, help="brands that will spike")
    parser.add_argument(
        "--burst-rate", type=int, default=50, help="posts/s of one burst (inside --rate)"
    )
    parser.add_argument("--max-burst", type=float, default=30.0, help="seconds a burst may last")
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args()
    output = args.output
    del args.output
    report = run(args)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
