"""Done-when: an Instagram mention, delivered as bare ids, gets its text from the Graph API.

The Graph API is a local server shaped as Meta documents it (:mod:`.meta_graph_fake`); the
webhook is the real route; events go through the real subscribers (enrichment, brand matching,
listening, triage).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import drop_database, new_database_url
from tests.connectors.meta_graph_fake import (
    IG_USER,
    TOKEN,
    FakeGraph,
    mention_delivery,
)
from tests.e2e.conftest import local_settings, serving
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.brands.models import Brand
from tocsin.config import Settings
from tocsin.connectors.meta import normalise_meta
from tocsin.connectors.meta.graph import COMMENT_FIELDS, MEDIA_FIELDS, read_usage
from tocsin.connectors.meta.mentions import (
    BUDGET_KEY,
    MAX_ATTEMPTS,
    hydrate_mentions,
    mention_state,
)
from tocsin.connectors.meta.webhook import sign_body
from tocsin.connectors.models import Source
from tocsin.connectors.service import create_source
from tocsin.db import Base, make_engine, make_session_factory
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers, dispatch_pending
from tocsin.inbox.models import Case, PostTriage
from tocsin.ingestion.models import Post, PostVersion
from tocsin.ingestion.service import ingest_posts
from tocsin.listening.models import PostBrand
from tocsin.types import utcnow
from tocsin.web.i18n import Translator
from tocsin.web.templating import make_environment
from tocsin.workers.registry import build_subscribers

APP_SECRET = "meta-app-secret-for-mention-tests"
VERIFY = "verify-mentions"
MEDIA = "17900000000000010"
COMMENT = "17900000000000011"
COMPLAINT = "@lumio worst service ever, my order never arrived and I want a refund now"


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph().start()
    yield fake
    fake.stop()


@pytest.fixture
def meta_source(
    session_factory: sessionmaker[Session], make_source: Callable[..., int], graph: FakeGraph
) -> int:
    return make_source(
        session_factory,
        "meta",
        options={"graph_url": graph.url, "graph_version": "v21.0"},
        credentials={
            "app_secret": APP_SECRET,
            "verify_token": VERIFY,
            "page_access_token": TOKEN,
        },
    )


@pytest.fixture(scope="module")
def subscribers() -> Subscribers:
    """Every domain's real subscribers (the enrichment models load once for the module)."""
    return build_subscribers(Settings(secret_key="test-secret-key-0123456789-abcdefghijklmnop"))


def deliver(web: TestClient, payload: dict[str, Any]) -> httpx.Response:
    body = json.dumps(payload).encode()
    return web.post(
        "/webhooks/meta",
        content=body,
        headers={"X-Hub-Signature-256": sign_body(APP_SECRET, body)},
    )


def dispatch_all(factory: sessionmaker[Session], subscribers: Subscribers) -> None:
    for _ in range(20):
        if dispatch_pending(factory, subscribers) == 0:
            return
    raise AssertionError("events kept coming")


def later(minutes: float) -> Callable[[], datetime]:
    moment = utcnow() + timedelta(minutes=minutes)
    return lambda: moment


def the_post(factory: sessionmaker[Session], external_id: str) -> Post:
    with factory() as s:
        post = s.scalars(
            select(Post).where(Post.platform == "instagram", Post.external_id == external_id)
        ).one()
        s.expunge(post)
        return post


def test_comment_mention_is_read_at_once(
    web: TestClient, meta_source: int, graph: FakeGraph, session_factory: sessionmaker[Session]
) -> None:
    graph.add_comment(COMMENT, COMPLAINT, media_id=MEDIA, likes=185)
    assert deliver(web, mention_delivery(media_id=MEDIA, comment_id=COMMENT)).status_code == 200

    post = the_post(session_factory, COMMENT)
    assert (post.kind, post.text, post.thread_external_id) == ("comment", COMPLAINT, MEDIA)
    assert post.likes == 185 and post.version == 2
    assert (mention_state(post.raw) or {})["state"] == "done"
    assert [(s.path, s.fields, s.authorization) for s in graph.seen] == [
        (
            f"/v21.0/{IG_USER}",
            f"mentioned_comment.comment_id({COMMENT}){{{COMMENT_FIELDS}}}",
            f"Bearer {TOKEN}",
        )
    ]
    with session_factory() as s:
        old = s.scalars(select(PostVersion).where(PostVersion.post_id == post.id)).one()
        assert old.text == ""


def test_caption_mention_is_stored_as_a_post_and_read(
    web: TestClient, meta_source: int, graph: FakeGraph, session_factory: sessionmaker[Session]
) -> None:
    graph.add_media(MEDIA, "lumio headquarters! Love the new lamps", username="ana.example")
    assert deliver(web, mention_delivery(media_id=MEDIA)).status_code == 200

    post = the_post(session_factory, MEDIA)
    assert (post.kind, post.text, post.thread_external_id) == (
        "post",
        "lumio headquarters! Love the new lamps",
        None,
    )
    assert post.author is not None and post.author.handle == "ana.example"
    assert (post.likes, post.replies) == (41, 6)
    assert graph.seen[0].fields == f"mentioned_media.media_id({MEDIA}){{{MEDIA_FIELDS}}}"


def test_a_retried_webhook_duplicates_nothing(
    web: TestClient, meta_source: int, graph: FakeGraph, session_factory: sessionmaker[Session]
) -> None:
    graph.add_comment(COMMENT, COMPLAINT, media_id=MEDIA)
    first = mention_delivery(media_id=MEDIA, comment_id=COMMENT)
    assert deliver(web, first).status_code == 200
    assert deliver(web, first).status_code == 401  # the same delivery: a replay
    resent = mention_delivery(media_id=MEDIA, comment_id=COMMENT, at=int(time.time()) + 1)
    assert deliver(web, resent).status_code == 200  # Meta sent it again, later
    hydrate_mentions(session_factory=session_factory, settings=web.app.state.settings)

    with session_factory() as s:
        posts = s.scalars(select(Post).where(Post.platform == "instagram")).all()
        names = [
            e.name
            for e in s.scalars(select(OutboxEvent).order_by(OutboxEvent.id))
            if e.payload.get("post_id") == posts[0].id
        ]
    assert [(p.external_id, p.text, p.version) for p in posts] == [(COMMENT, COMPLAINT, 2)]
    assert names == ["post.ingested", "post.edited"]
    assert len(graph.seen) == 1


def test_graph_down_then_read_later_and_triaged_on_its_text(
    web: TestClient,
    meta_source: int,
    graph: FakeGraph,
    session_factory: sessionmaker[Session],
    subscribers: Subscribers,
) -> None:
    with session_factory() as s:
        s.add(Brand(slug="lumio", name="Lumio", handles=[{"platform": "x", "handle": "lumio"}]))
        s.commit()
    graph.add_comment(COMMENT, COMPLAINT, media_id=MEDIA)
    graph.down = True
    assert deliver(web, mention_delivery(media_id=MEDIA, comment_id=COMMENT)).status_code == 200
    post = the_post(session_factory, COMMENT)
    state = mention_state(post.raw)
    assert post.text == "" and state is not None
    assert (state["state"], state["attempts"]) == ("pending", 1)
    assert "HTTP 500 (#2)" in state["error"]

    dispatch_all(session_factory, subscribers)  # the empty post: enriched, then skipped
    with session_factory() as s:
        assert s.get(PostTriage, post.id).decision == "skipped"  # type: ignore[union-attr]
        assert s.scalars(select(PostBrand).where(PostBrand.post_id == post.id)).all() == []

    settings = web.app.state.settings
    graph.down = False
    report = hydrate_mentions(session_factory=session_factory, settings=settings)
    assert report.fetched == 0  # not due yet: the backoff is at least 30 s
    report = hydrate_mentions(session_factory=session_factory, settings=settings, now=later(2))
    assert report.fetched == 1
    dispatch_all(session_factory, subscribers)

    with session_factory() as s:
        enrichment = s.get(PostEnrichment, post.id)
        assert enrichment is not None
        assert (enrichment.lang, enrichment.sentiment, enrichment.needs_reply) == (
            "en",
            "negative",
            True,
        )
        brand = s.scalars(select(PostBrand).where(PostBrand.post_id == post.id)).one()
        assert brand.brand_id == s.scalars(select(Brand.id)).one()
        triage = s.get(PostTriage, post.id)
        assert triage is not None and triage.decision == "opened"
        case = s.get(Case, triage.case_id)
        assert case is not None and case.first_post_id == post.id


def test_a_deleted_mention_is_given_up_and_says_so(
    web: TestClient, meta_source: int, graph: FakeGraph, session_factory: sessionmaker[Session]
) -> None:
    assert deliver(web, mention_delivery(media_id=MEDIA, comment_id=COMMENT)).status_code == 200
    post = the_post(session_factory, COMMENT)
    assert mention_state(post.raw)["state"] == "pending"  # type: ignore[index]
    assert "mention-note" in render_text(post, "en")
    assert "Text being fetched from Instagram" in render_text(post, "en")

    settings = web.app.state.settings
    report = hydrate_mentions(session_factory=session_factory, settings=settings, now=later(3))
    assert report.unavailable == 1
    post = the_post(session_factory, COMMENT)
    state = mention_state(post.raw)
    assert state is not None
    assert (state["state"], state["reason"], state["attempts"]) == ("unavailable", "not_found", 2)
    assert "(#100)" in state["error"] and "fbtrace_id" in state["error"]
    calls = len(graph.seen)
    hydrate_mentions(session_factory=session_factory, settings=settings, now=later(600))
    assert len(graph.seen) == calls  # never asked again

    assert "Text unavailable" in render_text(post, "en")
    assert "Texte indisponible" in render_text(post, "fr")
    assert "Texto no disponible" in render_text(post, "es")
    assert "Tekst niet beschikbaar" in render_text(post, "nl")


@pytest.mark.parametrize("code", [4, 32, 613, 80002])
def test_a_throttled_account_waits_without_using_attempts(
    code: int,
    web: TestClient,
    meta_source: int,
    graph: FakeGraph,
    session_factory: sessionmaker[Session],
) -> None:
    settings = web.app.state.settings
    graph.add_comment(COMMENT, COMPLAINT, media_id=MEDIA)
    graph.throttle, graph.regain_minutes = code, 7
    assert deliver(web, mention_delivery(media_id=MEDIA, comment_id=COMMENT)).status_code == 200
    state = mention_state(the_post(session_factory, COMMENT).raw) or {}
    assert state["state"] == "pending" and not state.get("attempts")
    with session_factory() as s:
        source = s.get(Source, meta_source)
        paused = source.checkpoint[BUDGET_KEY][IG_USER]["paused_until"]  # type: ignore[union-attr]
    assert 400 < paused - time.time() < 440  # estimated_time_to_regain_access: 7 minutes

    graph.throttle = None
    calls = len(graph.seen)
    report = hydrate_mentions(session_factory=session_factory, settings=settings, now=later(3))
    assert (report.fetched, len(graph.seen)) == (0, calls)  # still paused: no call
    report = hydrate_mentions(session_factory=session_factory, settings=settings, now=later(8))
    assert report.fetched == 1
    assert the_post(session_factory, COMMENT).text == COMPLAINT


def stored_mentions(
    factory: sessionmaker[Session], source_id: int, graph: FakeGraph, count: int, *, first: int
) -> list[str]:
    """``count`` comment mentions stored as the webhook stores them (without text)."""
    ids = [str(17900000000000100 + first + n) for n in range(count)]
    with factory() as s:
        for n, comment in enumerate(ids):
            graph.add_comment(comment, f"lumio question {first + n}", media_id=MEDIA)
            payload = mention_delivery(media_id=MEDIA, comment_id=comment)
            ingest_posts(session=s, posts=normalise_meta(payload), source_id=source_id)
        s.commit()
    return ids


def test_the_hourly_budget_holds_calls_back(
    settings: Settings,
    session_factory: sessionmaker[Session],
    make_source: Callable[..., int],
    graph: FakeGraph,
) -> None:
    source_id = make_source(
        session_factory,
        "meta",
        options={"graph_url": graph.url, "mention_calls_per_hour": "2"},
        credentials={"app_secret": APP_SECRET, "verify_token": VERIFY, "page_access_token": TOKEN},
    )
    stored_mentions(session_factory, source_id, graph, 3, first=0)

    def run(minutes: float) -> tuple[int, int]:
        report = hydrate_mentions(
            session_factory=session_factory, settings=settings, now=later(minutes)
        )
        return report.fetched, report.deferred

    assert run(1) == (2, 1)
    assert run(30) == (0, 0)  # put off until the first call is an hour old
    assert run(62) == (1, 0)
    assert len(graph.seen) == 3


def test_usage_near_the_limit_pauses_the_account(
    settings: Settings,
    session_factory: sessionmaker[Session],
    make_source: Callable[..., int],
    graph: FakeGraph,
) -> None:
    source_id = make_source(
        session_factory,
        "meta",
        options={"graph_url": graph.url},
        credentials={"app_secret": APP_SECRET, "verify_token": VERIFY, "page_access_token": TOKEN},
    )
    stored_mentions(session_factory, source_id, graph, 2, first=10)
    graph.usage = 95  # X-App-Usage: the app is at 95 % of its limit
    report = hydrate_mentions(session_factory=session_factory, settings=settings, now=later(1))
    assert (report.fetched, report.deferred, len(graph.seen)) == (1, 1, 1)
    graph.usage = 3
    report = hydrate_mentions(session_factory=session_factory, settings=settings, now=later(10))
    assert (report.fetched, len(graph.seen)) == (0, 1)  # paused for 15 minutes
    report = hydrate_mentions(session_factory=session_factory, settings=settings, now=later(17))
    assert (report.fetched, len(graph.seen)) == (1, 2)


def test_a_refused_token_is_reported_on_the_source_and_given_up(
    settings: Settings,
    session_factory: sessionmaker[Session],
    make_source: Callable[..., int],
    web: TestClient,
    graph: FakeGraph,
) -> None:
    source_id = make_source(
        session_factory,
        "meta",
        options={"graph_url": graph.url},
        credentials={"app_secret": APP_SECRET, "verify_token": VERIFY, "page_access_token": "x"},
    )
    graph.add_comment(COMMENT, COMPLAINT, media_id=MEDIA)
    assert deliver(web, mention_delivery(media_id=MEDIA, comment_id=COMMENT)).status_code == 200
    with session_factory() as s:
        source = s.get(Source, source_id)
        assert source is not None and "(#190)" in (source.last_error or "")
    for step in range(1, MAX_ATTEMPTS):  # each wait is at most 128 minutes
        hydrate_mentions(session_factory=session_factory, settings=settings, now=later(step * 130))
    state = mention_state(the_post(session_factory, COMMENT).raw) or {}
    assert (state["state"], state["reason"], state["attempts"]) == (
        "unavailable",
        "unreachable",
        MAX_ATTEMPTS,
    )


def test_usage_headers_are_read() -> None:
    business = {"1": [{"type": "instagram", "call_count": 40, "total_time": 92,
                       "estimated_time_to_regain_access": 0}]}  # fmt: skip
    usage = read_usage(httpx.Headers({"X-Business-Use-Case-Usage": json.dumps(business)}))
    assert (usage.percent, usage.exhausted, usage.pause_seconds()) == (92, True, 900.0)
    assert read_usage(httpx.Headers({"X-App-Usage": "not json"})).percent == 0


def test_post_text_stays_escaped() -> None:
    post = Post(platform="instagram", external_id="1", text="<script>alert(1)</script>", raw={})
    post.id = 1
    html = render_text(post, "en")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "mention-note" not in html
    env = make_environment()
    env.get_template("inbox/case.html")  # compiles with the note


def render_text(post: Post, locale: str) -> str:
    env = make_environment()
    return env.get_template("posts/_text.html").render(
        post=post, view=None, t=Translator.for_locale(locale)
    )


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    url = new_database_url(tmp_path)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as s:
        ensure_builtin_roles(s)
        s.commit()
    engine.dispose()
    yield url
    drop_database(url)


def test_a_slow_graph_api_never_delays_the_webhook_answer(live_url: str, graph: FakeGraph) -> None:
    settings = local_settings(live_url, secret_key="test-secret-key-0123456789-abcdefghijklmnop")
    engine = make_engine(live_url)
    factory = make_session_factory(engine)
    with factory() as s:
        create_source(
            session=s,
            settings=settings,
            name="meta-live",
            platform="meta",
            options={"graph_url": graph.url},
            credentials={
                "app_secret": APP_SECRET,
                "verify_token": VERIFY,
                "page_access_token": TOKEN,
            },
        )
        s.commit()
    graph.add_comment(COMMENT, COMPLAINT, media_id=MEDIA)
    graph.delay = 4.0  # under the 5 s the background read waits for
    body = json.dumps(mention_delivery(media_id=MEDIA, comment_id=COMMENT)).encode()
    try:
        with serving(settings):
            warm = httpx.get(
                f"{settings.base_url}/webhooks/meta",
                params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"},
            )
            assert warm.status_code == 200
            started = time.monotonic()
            response = httpx.post(
                f"{settings.base_url}/webhooks/meta",
                content=body,
                headers={"X-Hub-Signature-256": sign_body(APP_SECRET, body)},
                timeout=20,
            )
            answered = time.monotonic() - started
            assert response.status_code == 200
            assert answered < 2.0, f"the webhook answered after {answered:.1f} s"
            deadline = time.monotonic() + 15
            text = ""
            while time.monotonic() < deadline and not text:
                time.sleep(0.2)
                with factory() as s:
                    text = s.scalar(select(Post.text).where(Post.external_id == COMMENT)) or ""
            assert text == COMPLAINT  # read in the background, after the answer
        with factory() as s:
            assert s.scalar(select(func.count()).select_from(Post)) == 1
    finally:
        engine.dispose()
