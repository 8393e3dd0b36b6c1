"""Opt-in smoke tests against the real platforms; skipped unless credentials are set.

    TOCSIN_LIVE_BLUESKY_HANDLE / TOCSIN_LIVE_BLUESKY_APP_PASSWORD   searchPosts
    TOCSIN_LIVE_MASTODON_INSTANCE [/ TOCSIN_LIVE_MASTODON_TOKEN]    public timeline
    TOCSIN_LIVE_X_BEARER                                            recent search
    TOCSIN_LIVE_RSS_URL                                             a feed
They only read; nothing is posted.
"""

from __future__ import annotations

import os

import pytest

from tocsin.connectors.bluesky.search import SearchPostsConnector
from tocsin.connectors.mastodon.poll import MastodonPoller
from tocsin.connectors.rss.connector import FeedConnector
from tocsin.connectors.spec import ConnectorContext
from tocsin.connectors.x.connector import RecentSearchConnector
from tocsin.ingestion.normalise import get_normaliser


def _env(*names: str) -> list[str]:
    values = [os.environ.get(name, "") for name in names]
    if not all(values):
        pytest.skip("live credentials not set: " + ", ".join(names))
    return values


def _check(platform: str, payloads: list) -> None:
    normalise = get_normaliser(platform)
    for payload in payloads[:20]:
        normalise(dict(payload))


def test_live_bluesky_search() -> None:
    handle, password = _env("TOCSIN_LIVE_BLUESKY_HANDLE", "TOCSIN_LIVE_BLUESKY_APP_PASSWORD")
    ctx = ConnectorContext(
        settings={"search": "bluesky", "max_pages": 1},
        credentials={"handle": handle, "app_password": password},
    )
    result = SearchPostsConnector(ctx).fetch({})
    assert result.payloads
    _check("bluesky", list(result.payloads))


def test_live_mastodon_timeline() -> None:
    [instance] = _env("TOCSIN_LIVE_MASTODON_INSTANCE")
    ctx = ConnectorContext(
        settings={"instance": instance},
        credentials={"access_token": os.environ.get("TOCSIN_LIVE_MASTODON_TOKEN")},
    )
    result = MastodonPoller(ctx).fetch({})
    _check("mastodon", list(result.payloads))


def test_live_x_recent_search() -> None:
    [bearer] = _env("TOCSIN_LIVE_X_BEARER")
    ctx = ConnectorContext(
        settings={"query": "news -is:retweet", "max_pages": 1}, credentials={"bearer_token": bearer}
    )
    _check("x", list(RecentSearchConnector(ctx).fetch({}).payloads))


def test_live_rss_feed() -> None:
    [url] = _env("TOCSIN_LIVE_RSS_URL")
    result = FeedConnector(ConnectorContext(settings={"url": url}, credentials={})).fetch({})
    assert result.payloads
    _check("rss", list(result.payloads))
