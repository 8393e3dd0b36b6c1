"""The scale-out runtime against the local Redis."""

import uuid

import pytest
import redis as redis_lib

from tocsin.events.outbox import Subscribers, emit
from tocsin.events.types import PostIngested
from tocsin.workers.redis_streams import RedisStreamsWorker

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_client():
    client = redis_lib.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        client.ping()
    except redis_lib.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield client
    client.close()


@pytest.fixture
def stream(redis_client):
    name = f"test:{uuid.uuid4().hex}"
    yield name
    redis_client.delete(name, f"{name}:dead")


def make_worker(settings, session_factory, redis_client, stream, subscribers, consumer, **kw):
    worker = RedisStreamsWorker(
        settings,
        session_factory,
        redis_client,
        stream=stream,
        consumer=consumer,
        subscribers=subscribers,
        **kw,
    )
    worker.ensure_group()
    return worker


def test_two_consumers_share_the_events_without_duplicates(
    session, session_factory, settings, redis_client, stream
):
    seen: list[int] = []
    subscribers = Subscribers()
    subscribers.subscribe("post.ingested", lambda s, e, r: seen.append(e.post_id))
    for i in range(20):
        emit(session, PostIngested(post_id=i, platform="x"))
    session.commit()

    a = make_worker(settings, session_factory, redis_client, stream, subscribers, "a")
    b = make_worker(settings, session_factory, redis_client, stream, subscribers, "b")
    assert a.relay_outbox() == 20
    assert b.relay_outbox() == 0  # already relayed
    handled = a.consume_once(count=7, block_ms=0) + b.consume_once(count=100, block_ms=0)
    handled += a.consume_once(count=100, block_ms=0)
    assert handled == 20
    assert sorted(seen) == list(range(20))
    assert redis_client.xpending(stream, "tocsin")["pending"] == 0


def test_a_crashed_consumers_entries_are_reclaimed_and_poison_goes_to_dead_letter(
    session, session_factory, settings, redis_client, stream
):
    attempts = {"n": 0}

    def flaky(s, e, r):
        attempts["n"] += 1
        raise RuntimeError("downstream unavailable")

    subscribers = Subscribers()
    subscribers.subscribe("post.ingested", flaky)
    emit(session, PostIngested(post_id=1, platform="x"))
    session.commit()

    worker = make_worker(
        settings,
        session_factory,
        redis_client,
        stream,
        subscribers,
        "a",
        claim_idle_ms=0,
        max_deliveries=3,
    )
    worker.relay_outbox()
    for _ in range(4):
        worker.consume_once(block_ms=0)
    assert redis_client.xlen(f"{stream}:dead") == 1
    assert redis_client.xpending(stream, "tocsin")["pending"] == 0
    assert attempts["n"] >= 3
