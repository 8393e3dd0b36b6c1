"""Contract tests: each connector against documented response shapes, through MockTransport."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fakes.platform_payloads import (
    ATOM_ALERT,
    RSS_DOCUMENT,
    bluesky_search_page,
    reddit_comment,
    reddit_link,
    reddit_listing,
    x_search_page,
)
from fakes.social import jetstream_post, mastodon_status
from tocsin.config import Settings
from tocsin.connectors.bluesky.normalise import normalise_bluesky, tid_time
from tocsin.connectors.mastodon.normalise import normalise_mastodon
from tocsin.connectors.models import Source
from tocsin.connectors.reddit.normalise import normalise_reddit
from tocsin.connectors.service import run_source
from tocsin.connectors.spec import ConnectorContext
from tocsin.connectors.x.normalise import normalise_x, split_response
from tocsin.ingestion.models import Post

Handler = Callable[[httpx.Request], httpx.Response]


def _run(factory: sessionmaker[Session], settings: Settings, source_id: int, handler: Handler):
    return run_source(
        session_factory=factory,
        settings=settings,
        source_id=source_id,
        transport=httpx.MockTransport(handler),
    )


def _posts(factory: sessionmaker[Session], platform: str) -> list[Post]:
    with factory() as s:
        return list(s.scalars(select(Post).where(Post.platform == platform).order_by(Post.id)))


def test_jetstream_events_map_to_posts_and_tombstones() -> None:
    created = normalise_bluesky(jetstream_post(3, "Acme lamp is great"))[0]
    assert created.external_id == "at://did:plc:tester/app.bsky.feed.post/3laaaaaaa0003"
    assert (created.text, created.lang, created.author.handle) == (
        "Acme lamp is great",
        "en",
        "did:plc:tester",
    )
    assert created.url == "https://bsky.app/profile/did:plc:tester/post/3laaaaaaa0003"
    deleted = normalise_bluesky(jetstream_post(3, "", op="delete"))[0]
    assert deleted.deleted and deleted.external_id == created.external_id
    identity = {"did": "did:plc:x", "time_us": 1, "kind": "identity", "identity": {}}
    assert normalise_bluesky(identity) == []
    assert tid_time("3jzfcijpj2z2a").year >= 2022


def test_mastodon_status_reblog_and_delete() -> None:
    status = mastodon_status(5, "Acme <b>support</b> rocks")
    post = normalise_mastodon({"instance": "fake.social", "event": "update", "status": status})[0]
    assert post.external_id == f"fake.social/{status['id']}"
    assert post.text == "Acme support rocks" and post.author.handle == "tester"
    assert post.created_at == datetime(2026, 1, 1, 0, 0, 5, tzinfo=UTC)
    boost = {**mastodon_status(6, "boost"), "reblog": status}
    boosted = normalise_mastodon({"instance": "fake.social", "event": "update", "status": boost})
    assert boosted[0].external_id == post.external_id
    gone = normalise_mastodon({"instance": "fake.social", "event": "delete", "id": status["id"]})
    assert gone[0].deleted and gone[0].external_id == post.external_id


def test_reddit_things_and_x_tweets() -> None:
    link = normalise_reddit(reddit_link(1, 1_772_355_600.0))[0]
    assert (link.external_id, link.kind, link.title) == ("t3_abc1", "post", "Acme kettle problem 1")
    comment = normalise_reddit(reddit_comment(1, 1_772_355_700.0))[0]
    assert (comment.parent_external_id, comment.thread_external_id) == ("t3_abc1", "t3_abc1")
    tweets = split_response(x_search_page(["1790000000000000002"]))
    tweet = normalise_x(tweets[0])[0]
    assert tweet.author.handle == "ana_example" and tweet.author.followers == 321
    assert tweet.engagement.views == 50
    assert tweet.url == "https://x.com/ana_example/status/1790000000000000002"


def test_rss_conditional_get_and_health(
    live_factory: sessionmaker[Session], settings: Settings, make_source
) -> None:
    source_id = make_source(
        live_factory, "rss", options={"url": "https://news.test/feed", "kind": "news"}
    )
    seen: list[dict[str, str]] = []

    def feed(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.headers))
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(
            200,
            content=RSS_DOCUMENT,
            headers={"ETag": '"v1"', "Last-Modified": "Sun, 01 Mar 2026 09:00:00 GMT"},
        )

    first = _run(live_factory, settings, source_id, feed)
    assert (first.fetched, first.stored, first.error) == (2, 2, None)
    second = _run(live_factory, settings, source_id, feed)
    assert (second.fetched, second.stored) == (0, 0)
    assert seen[1]["if-none-match"] == '"v1"'
    assert seen[1]["if-modified-since"] == "Sun, 01 Mar 2026 09:00:00 GMT"
    posts = _posts(live_factory, "news")
    assert (posts[0].title, posts[0].kind) == ("Acme recalls kettles", "article")
    assert "12,000" in posts[0].text and "<b>" not in posts[0].text
    with live_factory() as s:
        source = s.get(Source, source_id)
        assert source.checkpoint == {
            "etag": '"v1"',
            "last_modified": "Sun, 01 Mar 2026 09:00:00 GMT",
        }
        assert source.last_success_at is not None and source.last_item_at is not None


def test_alert_feed_links_are_unwrapped(
    live_factory: sessionmaker[Session], settings: Settings, make_source
) -> None:
    source_id = make_source(
        live_factory, "rss", options={"url": "https://alerts.test/feed", "kind": "blog"}
    )
    _run(live_factory, settings, source_id, lambda r: httpx.Response(200, content=ATOM_ALERT))
    [post] = _posts(live_factory, "blog")
    assert post.url == "https://blog.test/acme-store" and post.title == "Acme opens a store"


def test_x_recent_search_pages_and_since_id(
    live_factory: sessionmaker[Session], settings: Settings, make_source
) -> None:
    source_id = make_source(
        live_factory,
        "x",
        options={"query": "acme -is:retweet"},
        credentials={"bearer_token": "app-token"},
    )
    calls: list[httpx.QueryParams] = []

    def api(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/2/tweets/search/recent"
        assert request.headers["authorization"] == "Bearer app-token"
        calls.append(request.url.params)
        if "since_id" not in request.url.params:
            return httpx.Response(200, json=x_search_page(["1790000000000000001"]))
        if "next_token" not in request.url.params:
            return httpx.Response(
                200,
                json=x_search_page(["1790000000000000003", "1790000000000000002"], next_token="p2"),
            )
        return httpx.Response(200, json=x_search_page(["1790000000000000004"]))

    assert _run(live_factory, settings, source_id, api).stored == 1
    assert calls[0]["expansions"] == "author_id"
    assert _run(live_factory, settings, source_id, api).stored == 3
    assert calls[1]["since_id"] == "1790000000000000001"
    with live_factory() as s:
        assert s.get(Source, source_id).checkpoint["since_id"] == "1790000000000000004"
    assert len(_posts(live_factory, "x")) == 4


def test_x_rate_limit_postpones_the_source(
    live_factory: sessionmaker[Session], settings: Settings, make_source
) -> None:
    from tocsin.connectors.tasks import due_sources

    source_id = make_source(
        live_factory, "x", options={"query": "acme"}, credentials={"bearer_token": "t"}
    )
    reset = int(datetime.now(UTC).timestamp()) + 900
    report = _run(
        live_factory,
        settings,
        source_id,
        lambda r: httpx.Response(429, headers={"x-rate-limit-reset": str(reset)}),
    )
    assert report.error and "429" in report.error
    with live_factory() as s:
        source = s.get(Source, source_id)
        assert source.error_count == 1 and "_retry_at" in source.checkpoint
        assert source_id not in [x.id for x in due_sources(session=s)]


def test_reddit_token_listings_and_checkpoint(
    live_factory: sessionmaker[Session], settings: Settings, make_source
) -> None:
    source_id = make_source(
        live_factory,
        "reddit",
        options={"subreddits": "acmehelp, acme"},
        credentials={"client_id": "cid", "client_secret": "sec"},
    )
    paths: list[str] = []

    def api(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path == "/api/v1/access_token":
            assert request.headers["authorization"].startswith("Basic ")
            assert b"grant_type=client_credentials" in request.content
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
        assert request.headers["authorization"] == "Bearer tok"
        assert "tocsin" in request.headers["user-agent"]
        if request.url.path.endswith("/new"):
            return httpx.Response(200, json=reddit_listing([reddit_link(1, 1_772_355_600.0)]))
        return httpx.Response(200, json=reddit_listing([reddit_comment(1, 1_772_355_700.0)]))

    assert _run(live_factory, settings, source_id, api).stored == 2
    assert "/r/acmehelp+acme/new" in paths and "/r/acmehelp+acme/comments" in paths
    with live_factory() as s:
        assert s.get(Source, source_id).checkpoint == {
            "new": 1_772_355_600.0,
            "comments": 1_772_355_700.0,
        }
    kinds = sorted(p.kind for p in _posts(live_factory, "reddit"))
    assert kinds == ["comment", "post"]


def test_bluesky_search_posts_with_app_password(
    live_factory: sessionmaker[Session], settings: Settings, make_source
) -> None:
    source_id = make_source(
        live_factory,
        "bluesky",
        options={"mode": "poll", "search": "acme"},
        credentials={"handle": "acme.bsky.social", "app_password": "abcd-efgh-ijkl-mnop"},
    )

    def xrpc(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("createSession"):
            return httpx.Response(
                200,
                json={
                    "accessJwt": "jwt",
                    "refreshJwt": "r",
                    "did": "did:plc:acme",
                    "handle": "acme.bsky.social",
                },
            )
        assert request.url.path.endswith("app.bsky.feed.searchPosts")
        assert request.headers["authorization"] == "Bearer jwt"
        assert request.url.params["sort"] == "latest"
        return httpx.Response(200, json=bluesky_search_page())

    assert _run(live_factory, settings, source_id, xrpc).stored == 2
    posts = {p.external_id: p for p in _posts(live_factory, "bluesky")}
    reply = posts["at://did:plc:ana111/app.bsky.feed.post/3lbbbbbbbbb22"]
    assert reply.kind == "reply" and reply.likes == 4
    assert reply.parent_external_id == "at://did:plc:acme/app.bsky.feed.post/3lroot"
    with live_factory() as s:
        assert s.get(Source, source_id).checkpoint["since"] == "2026-03-01T09:05:01.000Z"


def test_mastodon_hashtag_poll(
    live_factory: sessionmaker[Session], settings: Settings, make_source
) -> None:
    source_id = make_source(
        live_factory,
        "mastodon",
        options={
            "mode": "poll",
            "instance": "https://fake.social",
            "stream": "hashtag",
            "tag": "acme",
        },
    )
    statuses = [mastodon_status(n, f"#acme post {n}") for n in (1, 2, 3)]

    def api(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/v1/timelines/tag/acme"
        if "min_id" in request.url.params:
            return httpx.Response(200, json=[])
        return httpx.Response(200, json=list(reversed(statuses)))

    assert _run(live_factory, settings, source_id, api).stored == 3
    _run(live_factory, settings, source_id, api)
    with live_factory() as s:
        assert s.get(Source, source_id).checkpoint["last_id"] == statuses[-1]["id"]


def test_context_helpers_default_empty_values() -> None:
    ctx = ConnectorContext(settings={"a": "", "b": [], "c": "x"}, credentials={"k": None})
    values: dict[str, Any] = {
        "a": ctx.setting("a", 1),
        "b": ctx.setting("b", 2),
        "c": ctx.setting("c"),
    }
    assert values == {"a": 1, "b": 2, "c": "x"} and ctx.credential("k") == ""
