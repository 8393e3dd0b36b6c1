"""The Mastodon REST calls the stream, the poller and the publisher share.

Example::

    api = MastodonApi(ctx)
    api.timeline({"last_id": "1100"})    # statuses newer than 1100, oldest first
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote, urlparse

import httpx

from tocsin.connectors.http import make_client, request_with_retries
from tocsin.connectors.spec import ConnectorContext

PAGE_SIZE = 40
STREAMS = ("public", "public:local", "hashtag", "user")


def newer(a: str | None, b: str | None) -> str | None:
    """The larger of two status ids (snowflakes compare as numbers)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if (len(a), a) >= (len(b), b) else b


class MastodonApi:
    def __init__(self, ctx: ConnectorContext) -> None:
        self.ctx = ctx
        self.base = str(ctx.setting("instance", "")).rstrip("/")
        if not self.base.startswith(("http://", "https://")):
            raise ValueError("a Mastodon source needs 'instance', e.g. https://mastodon.social")
        self.host = urlparse(self.base).netloc
        self.stream = str(ctx.setting("stream", "public"))
        if self.stream not in STREAMS:
            raise ValueError("stream must be one of " + ", ".join(STREAMS))
        self.tag = str(ctx.setting("tag", "")).lstrip("#")
        if self.stream == "hashtag" and not self.tag:
            raise ValueError("a hashtag stream needs the 'tag' setting")
        token = ctx.credential("access_token")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = make_client(transport=ctx.transport, base_url=self.base, headers=self.headers)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return request_with_retries(self.client, "GET", path, params=params, sleep=self.ctx.sleep)

    def timeline_path(self) -> str:
        if self.stream == "hashtag":
            return f"/api/v1/timelines/tag/{quote(self.tag)}"
        if self.stream == "user":
            return "/api/v1/timelines/home"
        return "/api/v1/timelines/public"

    def timeline(
        self, checkpoint: Mapping[str, Any], *, max_pages: int = 10
    ) -> Iterator[list[dict[str, Any]]]:
        """Pages of statuses newer than ``checkpoint['last_id']``, oldest page first.

        Without a checkpoint only the newest page is read (no unbounded history).
        """
        last = checkpoint.get("last_id")
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if self.stream == "public:local":
            params["local"] = "true"
        if not last:
            page = self.get(self.timeline_path(), **params).json()
            yield sorted(page, key=lambda s: (len(str(s["id"])), str(s["id"])))
            return
        for _ in range(max_pages):
            page = self.get(self.timeline_path(), min_id=last, **params).json()
            if not page:
                return
            ordered = sorted(page, key=lambda s: (len(str(s["id"])), str(s["id"])))
            yield ordered
            last = str(ordered[-1]["id"])
            if len(page) < PAGE_SIZE:
                return
