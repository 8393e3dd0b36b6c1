"""Polling Reddit: new posts and comments in chosen subreddits, and site-wide search.

Listings are newest first and at most 100 items; the checkpoint keeps the newest
``created_utc`` seen per listing and each poll keeps items at or after it (equal times are
absorbed by deduplication).  Poll often enough that fewer than 100 items arrive between two
polls of a busy subreddit.

Example::

    RedditConnector(ctx).fetch({"new": 1767225600.0})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tocsin.connectors.base import FetchResult
from tocsin.connectors.reddit.api import RedditApi
from tocsin.connectors.spec import ConnectorContext


class RedditConnector:
    platform = "reddit"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.api = RedditApi(ctx)
        subs = ctx.setting("subreddits", [])
        self.subreddits = [s.strip().removeprefix("r/") for s in subs if s.strip()]
        self.search = str(ctx.setting("search", ""))
        self.comments = str(ctx.setting("comments", "true")).lower() in ("1", "true", "yes")
        if not self.subreddits and not self.search:
            raise ValueError("a Reddit source needs 'subreddits' or 'search'")

    def listings(self) -> list[tuple[str, str, dict[str, Any]]]:
        found: list[tuple[str, str, dict[str, Any]]] = []
        if self.subreddits:
            joined = "+".join(self.subreddits)
            found.append(("new", f"/r/{joined}/new", {"limit": 100}))
            if self.comments:
                found.append(("comments", f"/r/{joined}/comments", {"limit": 100}))
        if self.search:
            found.append(
                (
                    "search",
                    "/search",
                    {"q": self.search, "sort": "new", "limit": 100, "type": "link"},
                )
            )
        return found

    def fetch(self, checkpoint: Mapping[str, Any]) -> FetchResult:
        payloads: list[dict[str, Any]] = []
        new_checkpoint = dict(checkpoint)
        for key, path, params in self.listings():
            since = float(checkpoint.get(key, 0) or 0)
            listing = self.api.get(path, **params).json()
            children = (listing.get("data") or {}).get("children") or []
            newest = since
            for thing in children:
                created = float(thing.get("data", {}).get("created_utc") or 0)
                if created >= since:
                    payloads.append({"kind": thing["kind"], "data": thing["data"]})
                newest = max(newest, created)
            new_checkpoint[key] = newest
        return FetchResult(payloads=payloads, checkpoint=new_checkpoint)
