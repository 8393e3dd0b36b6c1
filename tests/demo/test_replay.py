"""The live replay: a demo clock faster than real time, small batches, a clean stop."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tocsin.demo.replay import Replay
from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost

START = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)


def _post(n: int, minutes: float) -> CanonicalPost:
    return CanonicalPost(
        platform="x",
        external_id=f"replay-{n}",
        text=f"Lumio test post {n}",
        created_at=START + timedelta(minutes=minutes),
        author=CanonicalAuthor(handle=f"tester{n}"),
    )


class FakeTime:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


def _count(session) -> int:
    return session.scalar(
        select(func.count()).select_from(Post).where(Post.external_id.like("replay-%"))
    )


def test_posts_arrive_as_the_accelerated_clock_reaches_them(session_factory, session):
    ticks = FakeTime()
    replay = Replay(
        session_factory=session_factory,
        posts=[_post(3, 10), _post(1, 1), _post(2, 5)],
        start=START,
        speed=60,
        clock=lambda: START + timedelta(days=1),
        monotonic=ticks,
    )
    assert replay.step() == 0
    ticks.seconds = 1  # one demo minute
    assert replay.step() == 1
    ticks.seconds = 6
    assert replay.step() == 1
    assert _count(session) == 2 and not replay.done
    ticks.seconds = 60
    assert replay.step() == 1
    assert replay.done and replay.remaining == 0 and _count(session) == 3


def test_the_clock_never_runs_ahead_of_real_time(session_factory):
    ticks = FakeTime()
    replay = Replay(
        session_factory=session_factory,
        posts=[_post(1, 1), _post(2, 30)],
        start=START,
        speed=600,
        clock=lambda: START + timedelta(minutes=2),
        monotonic=ticks,
    )
    replay.step()
    ticks.seconds = 3600
    assert replay.demo_now() == START + timedelta(minutes=2)
    assert replay.step() == 1
    assert replay.remaining == 1


def test_the_thread_feeds_everything_then_ends(session_factory, session):
    replay = Replay(
        session_factory=session_factory,
        posts=[_post(n, n) for n in range(5)],
        start=START,
        speed=1e6,
        clock=lambda: START + timedelta(days=1),
        tick_seconds=0.01,
    )
    replay.start()
    deadline = time.monotonic() + 10
    while not replay.done and time.monotonic() < deadline:
        time.sleep(0.02)
    replay.stop()
    assert replay.done and replay.failures == 0
    assert _count(session) == 5


def test_stop_ends_a_waiting_replay_promptly(session_factory):
    replay = Replay(
        session_factory=session_factory,
        posts=[_post(1, 600)],
        start=START,
        speed=1,
        clock=lambda: START,
        tick_seconds=30,
    )
    replay.start()
    began = time.monotonic()
    replay.stop()
    assert time.monotonic() - began < 5
    assert replay._thread is not None and not replay._thread.is_alive()
    with pytest.raises(RuntimeError):
        replay.start()
    with pytest.raises(ValueError, match="speed"):
        Replay(session_factory=session_factory, posts=[], start=START, speed=0)
