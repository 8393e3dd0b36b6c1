"""Polling Mastodon: a timeline (public, local, hashtag, home) or a full-text search.

Full-text search of statuses (``GET /api/v2/search?type=statuses``) needs an access token,
and most servers only search posts whose authors opted in; hashtag timelines need neither.

Example::

    MastodonPoller(ctx).fetch({"last_id": "1100"})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tocsin.connectors.base import FetchResult
from tocsin.connectors.mastodon.api import PAGE_SIZE, MastodonApi, newer
from tocsin.connectors.spec import ConnectorContext


class MastodonPoller:
    platform = "mastodon"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.api = MastodonApi(ctx)
        self.search = str(ctx.setting("search", ""))

    def fetch(self, checkpoint: Mapping[str, Any]) -> FetchResult:
        last = checkpoint.get("last_id")
        statuses: list[dict[str, Any]] = []
        if self.search:
            params: dict[str, Any] = {"q": self.search, "type": "statuses", "limit": PAGE_SIZE}
            if last:
                params["min_id"] = last
            found = self.api.get("/api/v2/search", **params).json()
            statuses = list(found.get("statuses", []))
        else:
            for page in self.api.timeline(checkpoint):
                statuses.extend(page)
        newest = str(last) if last else None
        for status in statuses:
            newest = newer(newest, str(status["id"]))
        payloads = [
            {"instance": self.api.host, "event": "update", "status": status} for status in statuses
        ]
        return FetchResult(payloads=payloads, checkpoint={"last_id": newest} if newest else {})
