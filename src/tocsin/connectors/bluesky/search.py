"""Backfill and polling through ``app.bsky.feed.searchPosts`` (newest first, ``since``).

Each run asks for posts since the newest one already seen (the checkpoint ``since``) and
follows ``cursor`` for at most ``max_pages`` pages.  Searching requires a login on most
deployments today, so give the source an app password.

Example::

    SearchPostsConnector(ctx).fetch({"since": "2026-03-01T09:00:00Z"})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tocsin.connectors.base import FetchResult
from tocsin.connectors.bluesky.xrpc import Xrpc
from tocsin.connectors.spec import ConnectorContext
from tocsin.connectors.text import parse_time

PAGE_SIZE = 100


class SearchPostsConnector:
    platform = "bluesky"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.ctx = ctx
        self.query = str(ctx.setting("search", "") or ctx.setting("query", ""))
        self.max_pages = int(ctx.setting("max_pages", 5))
        if not self.query:
            raise ValueError("a Bluesky search source needs the 'search' setting")

    def fetch(self, checkpoint: Mapping[str, Any]) -> FetchResult:
        xrpc = Xrpc(self.ctx)
        if xrpc.has_login:
            xrpc.login()
        since = checkpoint.get("since")
        params: dict[str, Any] = {"q": self.query, "sort": "latest", "limit": PAGE_SIZE}
        if since:
            params["since"] = since
        posts: list[dict[str, Any]] = []
        for _ in range(self.max_pages):
            page = xrpc.get("app.bsky.feed.searchPosts", **params)
            posts.extend(p for p in page.get("posts", []) if isinstance(p, dict))
            cursor = page.get("cursor")
            if not cursor or not page.get("posts"):
                break
            params["cursor"] = cursor
        newest = since
        for post in posts:
            stamp = str(post.get("indexedAt") or post.get("record", {}).get("createdAt", ""))
            if stamp and (newest is None or parse_time(stamp) > parse_time(str(newest))):
                newest = stamp
        return FetchResult(payloads=posts, checkpoint={"since": newest} if newest else {})
