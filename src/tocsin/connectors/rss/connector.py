"""Polling an RSS or Atom feed with a conditional GET, parsed by ``feedparser``.

The bytes are fetched with ``httpx`` (so retries, rate limits and test transports work) and
handed to ``feedparser``, which never touches the network here.  The checkpoint keeps the
``ETag`` and ``Last-Modified`` validators: an unchanged feed answers ``304 Not Modified`` and
costs nothing.

Example::

    FeedConnector(ctx).fetch({"etag": '"abc"'})
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from tocsin.connectors.base import FetchResult
from tocsin.connectors.http import ConnectorError, make_client, request_with_retries
from tocsin.connectors.spec import ConnectorContext
from tocsin.types import utcnow

KIND_PLATFORM = {"news": "news", "blog": "blog", "review": "review", "alert": "news"}


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=UTC).isoformat()


def entry_payload(entry: Any) -> dict[str, Any]:
    """The JSON-safe parts of a feedparser entry."""
    content = entry.get("content") or []
    return {
        "id": entry.get("id"),
        "link": entry.get("link"),
        "title": entry.get("title"),
        "summary": entry.get("summary"),
        "content": content[0].get("value") if content else None,
        "published": _iso(entry.get("published_parsed")),
        "updated": _iso(entry.get("updated_parsed")),
        "author": entry.get("author"),
        "language": (entry.get("title_detail") or {}).get("language"),
    }


class FeedConnector:
    platform = "rss"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.ctx = ctx
        self.url = str(ctx.setting("url", ""))
        if not self.url.startswith(("http://", "https://")):
            raise ValueError("a feed source needs 'url' starting with http:// or https://")
        kind = str(ctx.setting("kind", "news"))
        if kind not in KIND_PLATFORM:
            raise ValueError("kind must be one of " + ", ".join(KIND_PLATFORM))
        self.feed_platform = KIND_PLATFORM[kind]

    def fetch(self, checkpoint: Mapping[str, Any]) -> FetchResult:
        headers = {"Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9"}
        if checkpoint.get("etag"):
            headers["If-None-Match"] = str(checkpoint["etag"])
        if checkpoint.get("last_modified"):
            headers["If-Modified-Since"] = str(checkpoint["last_modified"])
        with make_client(transport=self.ctx.transport) as client:
            response = request_with_retries(
                client, "GET", self.url, headers=headers, sleep=self.ctx.sleep
            )
        if response.status_code == 304:
            return FetchResult(payloads=[], checkpoint=dict(checkpoint))
        parsed = feedparser.parse(response.content)
        if parsed.get("bozo") and not parsed.get("entries"):
            raise ConnectorError(f"{self.url} is not a readable RSS/Atom feed")
        feed = parsed.get("feed") or {}
        fetched_at = utcnow().isoformat()
        payloads = [
            {
                "platform": self.feed_platform,
                "feed": {
                    "title": feed.get("title"),
                    "link": feed.get("link"),
                    "language": feed.get("language"),
                },
                "entry": entry_payload(entry),
                "fetched_at": fetched_at,
            }
            for entry in parsed.get("entries", [])
            if entry.get("id") or entry.get("link")
        ]
        new_checkpoint = {
            key: value
            for key, value in (
                ("etag", response.headers.get("etag")),
                ("last_modified", response.headers.get("last-modified")),
            )
            if value
        }
        return FetchResult(payloads=payloads, checkpoint=new_checkpoint)
