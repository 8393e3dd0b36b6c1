"""On SQLite the workers drain a backlog in short transactions and let a web write in.

The backlog is 1,200 ``PostIngested`` events whose handler spends 10 ms of "enrichment" per
post inside the transaction (12 s of work in all; 2 s per transaction at the old fixed 200
events).  The web app's connections get a busy timeout of 5 s, well above the ~1 s the workers
promise and far below the backlog: before the workers were paced, SQLite's busy handler never
caught the lock between two back-to-back worker transactions and the POST failed with
"database is locked".  No timing is asserted beyond that busy timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.accounts.service import create_user
from tocsin.accounts.tokens import create_token
from tocsin.config import Settings
from tocsin.db import Base, make_engine, make_session_factory
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers
from tocsin.events.types import Event, PostIngested
from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.web.app import create_app
from tocsin.workers.inprocess import InProcessWorkers
from tocsin.workers.pacing import BatchSizer, paced

BACKLOG = 1200
WORK_PER_POST = 0.01
WEB_BUSY_TIMEOUT_MS = 5000


def _posts(first: int, count: int) -> list[CanonicalPost]:
    return [
        CanonicalPost(
            platform="bluesky",
            external_id=f"backlog-{n}",
            text=f"Backlog post {n} about the parcel",
            created_at=datetime(2026, 3, 1, 10, tzinfo=UTC),
        )
        for n in range(first, first + count)
    ]


def test_a_web_write_gets_in_while_the_workers_drain_a_backlog(
    tmp_path: Path, settings: Settings
) -> None:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    with factory() as s:
        ensure_builtin_roles(s)
        user = create_user(session=s, email="writer@example.com", password="x" * 12, role="manager")
        token = create_token(session=s, user=user, name="t", scopes=["posts:write"]).secret
        for n in range(0, BACKLOG, 400):
            ingest_posts(session=s, posts=_posts(n, 400))
        s.commit()

    handled: list[int] = []
    working = threading.Event()

    def enrich_slowly(session: Session, events: Sequence[Event]) -> None:
        ids = [e.post_id for e in events if isinstance(e, PostIngested)]
        working.set()
        time.sleep(WORK_PER_POST * len(ids))  # stands for the CPU time of enrichment
        session.execute(update(Post).where(Post.id.in_(ids)).values(hidden=False))
        handled.extend(ids)

    subscribers = Subscribers()
    subscribers.subscribe_batch(PostIngested.name, enrich_slowly)
    workers = InProcessWorkers(settings, factory, subscribers=subscribers, jobs=[])

    web_engine = make_engine(url)

    @event.listens_for(web_engine, "connect")
    def _impatient(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout={WEB_BUSY_TIMEOUT_MS}")

    app = create_app(settings, session_factory=make_session_factory(web_engine))
    payload = {
        "platform": "x",
        "external_id": "web-1",
        "text": "Posted through the API while the workers are busy",
        "created_at": "2026-03-01T11:00:00Z",
    }
    workers.start()
    try:
        assert working.wait(30)
        with TestClient(app) as client:
            response = client.post(
                "/api/v1/posts", json=[payload], headers={"Authorization": f"Bearer {token}"}
            )
        with factory() as s:
            pending = s.scalar(select(func.count()).where(OutboxEvent.dispatched_at.is_(None)))
    finally:
        workers.stop(timeout=60)
    web_engine.dispose()

    assert response.status_code == 200, response.text
    assert response.json()["imported"] == 1
    assert pending and pending > 1  # the backlog was still draining when the write got in

    while workers.run_once():  # the rest of the backlog, then the web post's own event
        pass
    with factory() as s:
        every = sorted(s.scalars(select(Post.id)))
    assert sorted(handled) == every  # each event delivered once, whatever the batch sizes
    engine.dispose()


def test_batch_size_follows_the_time_budget() -> None:
    sizer = BatchSizer(budget=0.75, size=200)
    assert sizer.record(200, seconds=3.0) == 45  # 15 ms an event: 45 fit in 0.75 s × 0.9
    assert sizer.record(45, seconds=0.2) == 67  # fast again: grow by half
    assert sizer.record(10, seconds=0.01) == 67  # a short batch says nothing about the size
    assert sizer.record(0, seconds=0.0) == 67
    assert BatchSizer(size=20).record(20, seconds=60.0) == 10  # never below ``least``


def test_paced_sessions_pause_after_each_transaction_only(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'paced.db'}")
    Base.metadata.create_all(engine)
    now = [0.0]
    pauses: list[float] = []

    def clock() -> float:
        now[0] += 0.03  # every reading of the clock is 30 ms later
        return now[0]

    factory = paced(make_session_factory(engine), sleep=pauses.append, clock=clock)
    with factory() as s:
        with s.begin_nested():
            s.execute(select(1))
        assert pauses == []  # a savepoint keeps the lock: no pause yet
        s.commit()
    assert len(pauses) == 1 and 0 < pauses[0] <= 0.1
    with factory() as s:
        s.execute(select(1))  # a read closed without commit held the lock too
    assert len(pauses) == 2
    engine.dispose()
