"""Jetstream posts get their authors' handles: identity events, getProfiles, and later fixes.

The websocket is the local :class:`FakeJetstream`; the AppView is
:class:`~tests.connectors.bluesky_fakes.FakeAppView` behind an ``httpx.MockTransport``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fakes.social import FakeJetstream, jetstream_post
from tests.connectors.bluesky_fakes import (
    APPVIEW,
    FakeAppView,
    account_event,
    identity_event,
    profile,
)
from tocsin.config import Settings
from tocsin.connectors.bluesky.jetstream import JetstreamAdapter
from tocsin.connectors.models import Source
from tocsin.connectors.registry import context_for
from tocsin.connectors.streams import StreamConsumer
from tocsin.ingestion.models import Author, Post
from tocsin.types import utcnow

ALICE = "did:plc:alice0000000000000000000"
BOB = "did:plc:bob00000000000000000000000"
CAROL = "did:plc:carol000000000000000000000"
DAVE = "did:plc:dave0000000000000000000000"


def _wait(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def _authors(factory: sessionmaker[Session]) -> dict[str, list[Author]]:
    """The stored Bluesky authors by DID."""
    with factory() as s:
        found: dict[str, list[Author]] = {}
        for author in s.scalars(select(Author).where(Author.platform == "bluesky")):
            found.setdefault(str(author.external_id), []).append(author)
        return found


def _handles(factory: sessionmaker[Session]) -> dict[str, str]:
    """Each stored post's author handle, by post id (its AT URI)."""
    with factory() as s:
        rows = s.execute(
            select(Post.external_id, Author.handle)
            .join(Author, Author.id == Post.author_id)
            .where(Post.platform == "bluesky")
        )
        return {str(uri): str(handle) for uri, handle in rows}


@pytest.fixture
def start(
    live_factory: sessionmaker[Session], settings: Settings, make_source
) -> Iterator[Callable[..., tuple[StreamConsumer, JetstreamAdapter]]]:
    started: list[tuple[StreamConsumer, FakeJetstream]] = []

    def run(
        events: list[dict[str, Any]],
        appview: FakeAppView,
        *,
        query: str = "acme",
        delay: float = 0.01,
    ) -> tuple[StreamConsumer, JetstreamAdapter]:
        jetstream = FakeJetstream(events=events, delay=delay).start()
        options = {"mode": "stream", "endpoint": jetstream.url, "query": query, "appview": APPVIEW}
        source_id = make_source(live_factory, "bluesky", f"bluesky-{len(started)}", options=options)
        with live_factory() as s:
            ctx = context_for(source=s.get(Source, source_id), settings=settings)
        adapter = JetstreamAdapter(dataclasses.replace(ctx, transport=httpx.MockTransport(appview)))
        consumer = StreamConsumer(
            live_factory, settings, source_id=source_id, adapter=adapter, flush_interval=0.1
        ).start()
        started.append((consumer, jetstream))
        return consumer, adapter

    yield run
    for consumer, jetstream in started:
        consumer.stop()
        jetstream.stop()


def test_an_identity_event_gives_the_handle_and_author_queries_match_it(
    live_factory: sessionmaker[Session], start
) -> None:
    appview = FakeAppView()
    appview.down = True  # the identity event alone must do
    events = [
        identity_event(ALICE, "alice.bsky.social", 1),
        account_event(ALICE, 2),
        jetstream_post(3, "Hello from the seaside", did=ALICE),
        jetstream_post(4, "Hello from the mountains", did=BOB),
        jetstream_post(5, "Last one", did=BOB),
    ]
    consumer, _ = start(events, appview, query="author:@alice.bsky.social")
    _wait(lambda: consumer.flushes >= 3 and bool(_handles(live_factory)))
    time.sleep(0.3)  # bob's posts have been read by now

    assert _handles(live_factory) == {
        f"at://{ALICE}/app.bsky.feed.post/3laaaaaaa0003": "alice.bsky.social"
    }
    [alice] = _authors(live_factory)[ALICE]
    assert (alice.handle, alice.external_id, alice.display_name) == (
        "alice.bsky.social",
        ALICE,
        "",
    )


def test_authors_named_by_the_query_are_looked_up_before_their_posts_arrive(
    live_factory: sessionmaker[Session], start
) -> None:
    appview = FakeAppView(profile(ALICE, "alice.bsky.social", "Alice"))
    events = [
        jetstream_post(1, "Morning coffee", did=ALICE),
        jetstream_post(2, "Morning tea", did=BOB),
    ]
    consumer, _ = start(events, appview, query="author:@alice.bsky.social")
    _wait(lambda: consumer.flushes >= 3 and bool(_handles(live_factory)))

    assert _handles(live_factory) == {
        f"at://{ALICE}/app.bsky.feed.post/3laaaaaaa0001": "alice.bsky.social"
    }
    assert appview.calls[0] == ["alice.bsky.social"]


def test_unknown_authors_are_looked_up_with_get_profiles_25_at_most(
    live_factory: sessionmaker[Session], start
) -> None:
    dids = [f"did:plc:author{n:019d}" for n in range(30)]
    appview = FakeAppView(
        *(profile(did, f"person{n}.bsky.social", f"Person {n}", n) for n, did in enumerate(dids))
    )
    events = [
        jetstream_post(n + 1, f"My Acme lamp number {n} broke", did=did)
        for n, did in enumerate(dids)
    ]
    start(events, appview)
    _wait(lambda: len(_handles(live_factory)) == 30)

    assert all(len(call) <= 25 for call in appview.calls)
    assert len(appview.calls) < 30  # batched, not one call per author
    assert appview.asked() >= set(dids)
    handles = _handles(live_factory)
    assert sorted(handles.values()) == sorted(f"person{n}.bsky.social" for n in range(30))
    authors = _authors(live_factory)
    assert all(len(rows) == 1 for rows in authors.values())
    seventh = authors[dids[7]][0]
    assert (seventh.handle, seventh.display_name, seventh.followers) == (
        "person7.bsky.social",
        "Person 7",
        7,
    )


def test_appview_down_stores_the_did_then_the_handle_once_it_answers(
    live_factory: sessionmaker[Session], start
) -> None:
    appview = FakeAppView(profile(CAROL, "carol.example.com", "Carol"))
    appview.down = True
    consumer, adapter = start([jetstream_post(1, "Acme never answers", did=CAROL)], appview)
    uri = f"at://{CAROL}/app.bsky.feed.post/3laaaaaaa0001"
    _wait(lambda: _handles(live_factory).get(uri) == CAROL)  # stored, not lost nor held
    assert appview.calls  # it was asked, and failed

    appview.down = False
    adapter.profiles.clock = lambda: time.monotonic() + 3600  # the backoff is over
    _wait(lambda: _handles(live_factory).get(uri) == "carol.example.com")

    [carol] = _authors(live_factory)[CAROL]
    assert (carol.handle, carol.display_name) == ("carol.example.com", "Carol")
    assert consumer.is_alive()


def test_a_slow_appview_never_holds_the_posts_back(
    live_factory: sessionmaker[Session], start
) -> None:
    appview = FakeAppView(profile(CAROL, "carol.example.com", "Carol"))
    appview.delay = 2.5
    started = time.monotonic()
    start([jetstream_post(1, "Acme is slow today", did=CAROL)], appview)
    uri = f"at://{CAROL}/app.bsky.feed.post/3laaaaaaa0001"

    _wait(lambda: uri in _handles(live_factory))
    assert time.monotonic() - started < 2.5
    assert _handles(live_factory)[uri] == CAROL
    _wait(lambda: _handles(live_factory).get(uri) == "carol.example.com")


def test_a_handle_change_renames_the_author_of_every_stored_post(
    live_factory: sessionmaker[Session], start
) -> None:
    # the AppView has not caught up with the change: the identity event must win
    appview = FakeAppView(profile(DAVE, "dave.bsky.social", "Dave", 99))
    events = [
        jetstream_post(1, "Acme delivery was late", did=DAVE),
        identity_event(DAVE, "dave.example.com", 50, at=utcnow()),
        jetstream_post(51, "Acme delivery was late again", did=DAVE),
    ]
    start(events, appview, delay=0.6)
    _wait(lambda: set(_handles(live_factory).values()) == {"dave.bsky.social"})

    _wait(lambda: len(_handles(live_factory)) == 2)
    _wait(lambda: set(_handles(live_factory).values()) == {"dave.example.com"})
    [dave] = _authors(live_factory)[DAVE]
    assert (dave.handle, dave.display_name, dave.followers) == ("dave.example.com", "Dave", 99)
