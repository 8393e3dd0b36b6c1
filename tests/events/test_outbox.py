from dataclasses import dataclass
from typing import ClassVar

import pytest
from sqlalchemy import select

from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers, dispatch_pending, emit
from tocsin.events.types import Event, PostIngested


def test_emit_then_dispatch_calls_handler_once(session, session_factory):
    seen: list[int] = []
    subscribers = Subscribers()
    subscribers.subscribe("post.ingested", lambda s, e, row: seen.append(e.post_id))
    emit(session, PostIngested(post_id=7, platform="x"))
    session.commit()

    assert dispatch_pending(session_factory, subscribers) == 1
    assert dispatch_pending(session_factory, subscribers) == 0
    assert seen == [7]


def test_failing_handler_is_isolated_and_retried(session, session_factory):
    calls = {"ok": 0, "bad": 0}

    def ok(s, e, row):
        calls["ok"] += 1

    def bad(s, e, row):
        calls["bad"] += 1
        raise RuntimeError("boom")

    subscribers = Subscribers()
    subscribers.subscribe("post.ingested", bad)
    subscribers.subscribe("post.ingested", ok)
    emit(session, PostIngested(post_id=1, platform="x"))
    session.commit()

    dispatch_pending(session_factory, subscribers, max_attempts=2)
    row = session.scalar(select(OutboxEvent))
    session.refresh(row)
    assert row.dispatched_at is None and "boom" in row.last_error
    dispatch_pending(session_factory, subscribers, max_attempts=2)
    session.refresh(row)
    assert row.dispatched_at is not None  # given up after max_attempts
    assert calls == {"ok": 2, "bad": 2}


def test_unknown_event_names_are_refused():
    with pytest.raises(KeyError):
        Subscribers().subscribe("no.such.event", lambda s, e, r: None)


def test_event_names_are_unique():
    with pytest.raises(TypeError):

        @dataclass(frozen=True)
        class Duplicate(Event):
            name: ClassVar[str] = "post.ingested"


def test_event_round_trips_through_payload():
    event = PostIngested(post_id=3, platform="bluesky", direction="outbound")
    assert PostIngested.from_payload(event.to_payload()) == event


def test_batch_handler_gets_the_whole_pass_and_poison_fails_alone(session, session_factory):
    calls: list[list[int]] = []

    def batch(s, events):
        ids = [e.post_id for e in events]
        calls.append(ids)
        if 3 in ids:
            raise ValueError("poison")

    subscribers = Subscribers()
    subscribers.subscribe_batch("post.ingested", batch)
    for i in range(5):
        emit(session, PostIngested(post_id=i, platform="x"))
    session.commit()

    dispatch_pending(session_factory, subscribers, max_attempts=1)
    assert calls[0] == [0, 1, 2, 3, 4]
    assert calls[1:] == [[0], [1], [2], [3], [4]]
    rows = {r.payload["post_id"]: r for r in session.scalars(select(OutboxEvent))}
    for row in rows.values():
        session.refresh(row)
    assert rows[3].last_error and "poison" in rows[3].last_error
    assert all(rows[i].last_error is None for i in (0, 1, 2, 4))
