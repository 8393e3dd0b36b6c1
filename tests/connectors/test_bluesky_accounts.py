"""Jetstream ``account`` events: deleted accounts are erased, deactivated ones hidden.

The websocket is the local :class:`FakeJetstream` replaying from the cursor like the real one;
the events are shaped as Jetstream's README documents them.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from fakes.social import BASE_TIME_US, FakeJetstream, jetstream_post
from tests.connectors.bluesky_fakes import (
    APPVIEW,
    FakeAppView,
    account_event,
    identity_event,
    profile,
)
from tocsin.config import Settings
from tocsin.connectors.bluesky import jetstream as jetstream_module
from tocsin.connectors.bluesky.accounts import account_change_from_event
from tocsin.connectors.bluesky.jetstream import JetstreamAdapter
from tocsin.connectors.models import Source
from tocsin.connectors.registry import context_for
from tocsin.connectors.spec import ConnectorContext
from tocsin.connectors.streams import StreamConsumer
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers, dispatch_pending
from tocsin.inbox import tasks as inbox_tasks
from tocsin.inbox.models import Case, CaseHistory
from tocsin.inbox.triage import triage_posts
from tocsin.ingestion.models import Author, Post
from tocsin.privacy.models import AuditLog
from tocsin.web.post_search import PostFilters, search_posts

ANA = "did:plc:ana00000000000000000000000"
BOB = "did:plc:bob00000000000000000000000"
#: The fake posts are dated 2026-01-01: triage them as if it were that morning.
MORNING = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)


def _wait(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def _uri(did: str, n: int) -> str:
    return f"at://{did}/app.bsky.feed.post/3laaaaaaa{n:04d}"


def _posts(factory: sessionmaker[Session]) -> dict[str, Post]:
    with factory() as s:
        return {p.external_id: p for p in s.scalars(select(Post).where(Post.platform == "bluesky"))}


def _status(factory: sessionmaker[Session], did: str) -> str | None:
    with factory() as s:
        return s.scalar(select(Author.account_status).where(Author.external_id == did))


def _audits(factory: sessionmaker[Session]) -> list[dict[str, Any]]:
    with factory() as s:
        rows = s.scalars(
            select(AuditLog).where(AuditLog.action == "author.account_status").order_by(AuditLog.id)
        )
        return [row.detail for row in rows]


def _dispatch(factory: sessionmaker[Session], settings: Settings) -> None:
    subscribers = Subscribers()
    inbox_tasks.subscribe(subscribers, settings)
    while dispatch_pending(factory, subscribers):
        pass


def _stop(running: list[StreamConsumer]) -> None:
    while running:
        running.pop().stop()  # flushes first: its checkpoint is committed


@pytest.fixture
def stream(
    live_factory: sessionmaker[Session], settings: Settings, make_source
) -> Iterator[
    Callable[..., tuple[FakeJetstream, Callable[[], StreamConsumer], Callable[[], None]]]
]:
    """A fake Jetstream, and functions starting a consumer of it (again: a restart) and
    stopping it."""
    running: list[StreamConsumer] = []
    fakes: list[FakeJetstream] = []
    appview = httpx.MockTransport(
        FakeAppView(profile(ANA, "ana.bsky.social", "Ana"), profile(BOB, "bob.bsky.social", "Bob"))
    )

    def make(
        events: list[dict[str, Any]],
    ) -> tuple[FakeJetstream, Callable[[], StreamConsumer], Callable[[], None]]:
        fake = FakeJetstream(events=events, delay=0.01).start()
        fakes.append(fake)
        options = {"mode": "stream", "endpoint": fake.url, "query": "acme", "appview": APPVIEW}
        source_id = make_source(live_factory, "bluesky", f"bluesky-{len(fakes)}", options=options)

        def start() -> StreamConsumer:
            _stop(running)
            with live_factory() as s:
                ctx = context_for(source=s.get(Source, source_id), settings=settings)
            adapter = JetstreamAdapter(dataclasses.replace(ctx, transport=appview))
            consumer = StreamConsumer(
                live_factory, settings, source_id=source_id, adapter=adapter, flush_interval=0.1
            ).start()
            running.append(consumer)
            return consumer

        return fake, start, lambda: _stop(running)

    yield make
    _stop(running)
    for fake in fakes:
        fake.stop()


def test_account_events_are_read_as_documented() -> None:
    gone = account_change_from_event(account_event(ANA, 5, active=False, status="deleted"))
    assert gone is not None
    assert (gone.external_id, gone.active, gone.status, gone.position) == (
        ANA,
        False,
        "deleted",
        BASE_TIME_US + 5_000_000,
    )
    back = account_event(ANA, 6)
    assert "status" not in back["account"]
    change = account_change_from_event(back)
    assert change is not None and change.active and change.stored_status is None
    assert account_change_from_event({"did": ANA, "time_us": 1, "kind": "account"}) is None
    assert account_change_from_event({**back, "account": {"did": "nope", "active": True}}) is None
    assert account_change_from_event({**back, "account": {"did": ANA, "active": "yes"}}) is None


def test_a_deleted_account_tombstones_its_posts_and_closes_its_cases_once(
    live_factory: sessionmaker[Session], settings: Settings, stream
) -> None:
    events = [
        identity_event(ANA, "ana.bsky.social", 1),
        jetstream_post(2, "My Acme kettle arrived broken", did=ANA),
        jetstream_post(3, "Acme, still no answer about my kettle", did=ANA),
        jetstream_post(4, "Acme support fixed my lamp", did=BOB),
    ]
    fake, start, stop = stream(events)
    start()
    _wait(lambda: len(_posts(live_factory)) == 3)
    with live_factory() as s:  # the inbox opens a case per author
        ids = list(s.scalars(select(Post.id).order_by(Post.id)))
        s.add_all(PostEnrichment(post_id=i, needs_reply=True, priority=40) for i in ids)
        s.flush()
        triage_posts(session=s, post_ids=ids, now=MORNING)
        s.commit()
        cases = {c.author.external_id: c.id for c in s.scalars(select(Case)) if c.author}
    assert set(cases) == {ANA, BOB}

    fake.events.append(account_event(ANA, 5, active=False, status="deleted"))
    fake.events.append(jetstream_post(6, "Acme lamp still works", did=BOB))  # a marker
    start()  # reconnects from the checkpoint: the account event arrives
    _wait(lambda: _uri(BOB, 6) in _posts(live_factory))
    _dispatch(live_factory, settings)

    posts = _posts(live_factory)
    assert all(posts[_uri(ANA, n)].deleted and posts[_uri(ANA, n)].text == "" for n in (2, 3))
    assert not posts[_uri(BOB, 4)].deleted and posts[_uri(BOB, 4)].text
    assert _status(live_factory, ANA) == "deleted"
    with live_factory() as s:
        assert s.get(Case, cases[ANA]).status == "closed"
        assert s.get(Case, cases[BOB]).status == "open"
        reasons = s.scalars(
            select(CaseHistory.details).where(
                CaseHistory.case_id == cases[ANA], CaseHistory.action == "author_gone"
            )
        ).all()
        assert reasons == [{"account_status": "deleted"}]
    assert _audits(live_factory) == [
        {
            "platform": "bluesky",
            "external_id": ANA,
            "status": "deleted",
            "previous": "active",
            "erased": True,
            "posts": 2,
        }
    ]

    stop()
    with live_factory() as s:  # a restart from an old cursor replays everything…
        source = s.scalars(select(Source)).one()
        source.checkpoint = {**source.checkpoint, "cursor": events[0]["time_us"]}
        s.commit()
    sent = fake.sent
    consumer = start()
    _wait(lambda: fake.sent >= sent + len(fake.events))
    flushes = consumer.flushes
    _wait(lambda: consumer.flushes >= flushes + 2)
    _dispatch(live_factory, settings)  # …and nothing happens twice
    assert _posts(live_factory)[_uri(ANA, 2)].deleted
    assert len(_audits(live_factory)) == 1
    with live_factory() as s:
        changed = s.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.name == "author.account_changed")
        )
        assert changed == 1
        assert s.scalar(select(func.count()).select_from(CaseHistory).where(
            CaseHistory.action == "author_gone"
        )) == 1  # fmt: skip


def test_deactivation_hides_reactivation_restores_and_an_older_event_changes_nothing(
    live_factory: sessionmaker[Session], stream
) -> None:
    events = [
        jetstream_post(1, "Acme parcel lost again", did=ANA),
        jetstream_post(2, "Acme parcel found", did=BOB),
    ]
    fake, start, _stop_all = stream(events)
    start()
    _wait(lambda: len(_posts(live_factory)) == 2)
    fake.events += [
        account_event(ANA, 3, active=False, status="deactivated"),
        jetstream_post(4, "Acme is fine", did=BOB),
    ]
    start()
    _wait(lambda: _uri(BOB, 4) in _posts(live_factory))

    def searchable() -> set[str]:
        with live_factory() as s:
            return {p.external_id for p in search_posts(session=s, filters=PostFilters()).items}

    assert _status(live_factory, ANA) == "deactivated"
    assert searchable() == {_uri(BOB, 2), _uri(BOB, 4)}
    assert _posts(live_factory)[_uri(ANA, 1)].text == "Acme parcel lost again"  # kept

    fake.events += [
        account_event(ANA, 6),  # reactivated…
        account_event(ANA, 5, active=False, status="deactivated"),  # …an older event, late
        jetstream_post(7, "Acme marker", did=BOB),
    ]
    start()
    _wait(lambda: _uri(BOB, 7) in _posts(live_factory))
    assert _status(live_factory, ANA) is None
    assert _uri(ANA, 1) in searchable()
    assert [(a["status"], a["posts"]) for a in _audits(live_factory)] == [
        ("deactivated", 1),
        ("active", 1),
    ]


def test_the_checkpoint_waits_for_account_changes_to_be_applied(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = ConnectorContext(
        settings={"appview": APPVIEW}, credentials={}, transport=httpx.MockTransport(FakeAppView())
    )
    adapter = JetstreamAdapter(ctx)
    session.add(Author(platform="bluesky", handle="ana.bsky.social", external_id=ANA))
    session.flush()
    at = BASE_TIME_US

    def cursor(event: dict[str, Any]) -> int:
        return int(adapter.parse(json.dumps(event)).checkpoint["cursor"])

    assert cursor(account_event(ANA, 5, active=False, status="suspended")) == at + 5_000_000
    assert cursor(jetstream_post(6, "Acme", did=BOB)) == at + 5_000_000  # held back

    real = jetstream_module.apply_account_statuses
    calls = []

    def failing_once(**kwargs: Any) -> Any:
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("UPDATE authors", {}, Exception("database is locked"))
        return real(**kwargs)

    monkeypatch.setattr(jetstream_module, "apply_account_statuses", failing_once)
    adapter.on_flush(session)  # fails: kept, and the checkpoint still waits
    assert cursor(jetstream_post(7, "Acme", did=BOB)) == at + 5_000_000
    assert session.scalar(select(Author.account_status)) is None
    adapter.on_flush(session)  # applied at the next flush
    assert cursor(jetstream_post(8, "Acme", did=BOB)) == at + 8_000_000
    session.expire_all()
    assert session.scalar(select(Author.account_status)) == "suspended"
