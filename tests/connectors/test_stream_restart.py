"""Done-when: Jetstream and Mastodon consumers killed mid-stream resume with no loss, no double."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from fakes.social import FakeJetstream, FakeMastodon, jetstream_post, mastodon_status
from tests.connectors.bluesky_fakes import APPVIEW, FakeAppView, profile
from tocsin.config import Settings
from tocsin.connectors.bluesky.jetstream import JetstreamAdapter
from tocsin.connectors.mastodon.streaming import MastodonStreamAdapter
from tocsin.connectors.models import Source
from tocsin.connectors.registry import context_for
from tocsin.connectors.streams import StreamAdapter, StreamConsumer
from tocsin.ingestion.models import Author, Post, RawPayload


def _wait(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def _count(factory: sessionmaker[Session], platform: str) -> tuple[int, int, int]:
    with factory() as s:
        posts = s.scalar(select(func.count()).select_from(Post).where(Post.platform == platform))
        distinct = s.scalar(
            select(func.count(func.distinct(Post.external_id))).where(Post.platform == platform)
        )
        raws = s.scalar(
            select(func.count()).select_from(RawPayload).where(RawPayload.platform == platform)
        )
    return int(posts or 0), int(distinct or 0), int(raws or 0)


def _consumer(
    factory: sessionmaker[Session],
    settings: Settings,
    source_id: int,
    build: Callable[..., StreamAdapter],
    transport: httpx.BaseTransport | None = None,
) -> StreamConsumer:
    with factory() as s:
        ctx = context_for(source=s.get(Source, source_id), settings=settings, transport=transport)
    return StreamConsumer(
        factory, settings, source_id=source_id, adapter=build(ctx), flush_interval=0.1
    ).start()


def _text(n: int) -> str:
    if n % 2 == 0:
        return f"Order {n} from Acme arrived broken, support please"
    return f"Lovely weather for a walk number {n}"


@pytest.fixture
def jetstream() -> Iterator[FakeJetstream]:
    fake = FakeJetstream(events=[jetstream_post(n, _text(n)) for n in range(1, 61)], delay=0.02)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def mastodon() -> Iterator[FakeMastodon]:
    fake = FakeMastodon(statuses=[mastodon_status(n, _text(n)) for n in range(1, 41)], delay=0.03)
    fake.start()
    yield fake
    fake.stop()


def test_jetstream_consumer_killed_mid_stream_resumes_exactly_once(
    live_factory: sessionmaker[Session], settings: Settings, make_source, jetstream: FakeJetstream
) -> None:
    source_id = make_source(
        live_factory,
        "bluesky",
        options={"mode": "stream", "endpoint": jetstream.url, "query": "acme", "appview": APPVIEW},
    )
    appview = httpx.MockTransport(FakeAppView(profile("did:plc:tester", "tester.bsky.social", "T")))
    first = _consumer(live_factory, settings, source_id, JetstreamAdapter, appview)
    _wait(lambda: jetstream.sent >= 25 and first.flushes >= 2)
    first.kill()
    stored_before = _count(live_factory, "bluesky")[0]
    assert 0 < stored_before < 30
    with live_factory() as s:
        cursor = s.get(Source, source_id).checkpoint["cursor"]
    assert cursor >= jetstream.events[0]["time_us"]

    second = _consumer(live_factory, settings, source_id, JetstreamAdapter, appview)
    _wait(lambda: _count(live_factory, "bluesky")[0] >= 30)
    second.stop()

    assert f"cursor={cursor}" in jetstream.connections[1]
    assert jetstream.sent > 60  # the restart replayed from the checkpoint (overlap)
    assert _count(live_factory, "bluesky") == (30, 30, 30)
    with live_factory() as s:
        texts = s.scalars(select(Post.text).where(Post.platform == "bluesky")).all()
        source = s.get(Source, source_id)
    assert all("Acme" in text for text in texts)  # the brand filter ran before storing
    with live_factory() as s:
        authors = s.scalars(select(Author.handle).where(Author.platform == "bluesky")).all()
    assert authors == ["tester.bsky.social"]  # one author, with its handle, across the restart
    assert source.checkpoint["cursor"] == jetstream.events[-1]["time_us"]
    assert source.last_success_at is not None and source.error_count == 0


def test_mastodon_consumer_killed_mid_stream_catches_up_exactly_once(
    live_factory: sessionmaker[Session], settings: Settings, make_source, mastodon: FakeMastodon
) -> None:
    source_id = make_source(
        live_factory,
        "mastodon",
        options={"mode": "stream", "instance": mastodon.base_url, "query": "acme"},
    )
    first = _consumer(live_factory, settings, source_id, MastodonStreamAdapter)
    _wait(lambda: mastodon.sent >= 15 and first.flushes >= 2)
    first.kill()
    stored_before = _count(live_factory, "mastodon")[0]
    assert 0 < stored_before < 20

    second = _consumer(live_factory, settings, source_id, MastodonStreamAdapter)
    _wait(lambda: _count(live_factory, "mastodon")[0] >= 20)
    second.stop()

    assert any("min_id=" in call for call in mastodon.rest_calls)  # caught up over REST
    assert _count(live_factory, "mastodon") == (20, 20, 20)
    with live_factory() as s:
        ids = set(s.scalars(select(Post.external_id).where(Post.platform == "mastodon")))
    expected = {f"{mastodon.host}/{st['id']}" for st in mastodon.statuses[1::2]}
    assert ids == expected
