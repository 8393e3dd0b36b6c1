"""X API v2: recent search with a ``since_id`` checkpoint, optionally the filtered stream.

Each poll first catches up with ``GET /2/tweets/search/recent`` for tweets newer than the
checkpoint's ``since_id`` (following ``next_token``), then — when ``filtered_stream`` is on —
reads ``GET /2/tweets/search/stream`` for ``stream_seconds`` for low latency.  Tweet ids
grow with time, so the largest id seen is a gapless checkpoint: whatever the stream missed
while disconnected, the next search returns.  The stream's rule (tagged ``tocsin:<source>``)
is created from the ``query`` setting when missing.

Example::

    RecentSearchConnector(ctx).fetch({"since_id": "1790000000000000000"})
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx

from tocsin.connectors.base import FetchResult
from tocsin.connectors.http import (
    ConnectorError,
    RateLimited,
    make_client,
    request_with_retries,
    retry_after_seconds,
)
from tocsin.connectors.spec import ConnectorContext
from tocsin.connectors.x.normalise import split_response

log = logging.getLogger(__name__)

API = "https://api.x.com"
TWEET_FIELDS = (
    "created_at,author_id,conversation_id,lang,public_metrics,referenced_tweets,note_tweet"
)
USER_FIELDS = "username,name,verified,public_metrics"


def larger_id(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return a if (len(a), a) >= (len(b), b) else b


class RecentSearchConnector:
    platform = "x"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.ctx = ctx
        self.query = str(ctx.setting("query", ""))
        if not self.query:
            raise ValueError("an X source needs 'query' (X search syntax, e.g. acme -is:retweet)")
        token = ctx.credential("bearer_token")
        if not token:
            raise ValueError("an X source needs the 'bearer_token' credential")
        self.max_pages = int(ctx.setting("max_pages", 3))
        self.stream_seconds = float(ctx.setting("stream_seconds", 50))
        self.use_stream = str(ctx.setting("filtered_stream", "")).lower() in ("1", "true", "yes")
        base = str(ctx.setting("api_url", API)).rstrip("/")
        self.client = make_client(
            transport=ctx.transport, base_url=base, headers={"Authorization": f"Bearer {token}"}
        )
        self.expansions = {
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": USER_FIELDS,
        }

    def fetch(self, checkpoint: Mapping[str, Any]) -> FetchResult:
        since = checkpoint.get("since_id")
        payloads, newest = self._search(str(since) if since else None)
        retry_after = None
        if self.use_stream:
            try:
                streamed = self._stream()
            except RateLimited as exc:
                streamed, retry_after = [], exc.retry_after
            except (ConnectorError, httpx.HTTPError) as exc:
                log.warning("X filtered stream: %s (search results kept)", exc)
                streamed = []
            payloads.extend(streamed)
            for item in streamed:
                newest = larger_id(newest, str(item["data"]["id"]))
        return FetchResult(
            payloads=payloads,
            checkpoint={"since_id": newest} if newest else {},
            retry_after=retry_after,
        )

    def _search(self, since: str | None) -> tuple[list[dict[str, Any]], str | None]:
        params: dict[str, Any] = {"query": self.query, "max_results": 100, **self.expansions}
        if since:
            params["since_id"] = since
        payloads: list[dict[str, Any]] = []
        newest = since
        for _ in range(self.max_pages if since else 1):
            page = self._get("/2/tweets/search/recent", params).json()
            payloads.extend(split_response(page))
            newest = larger_id(newest, (page.get("meta") or {}).get("newest_id"))
            token = (page.get("meta") or {}).get("next_token")
            if not token:
                break
            params["next_token"] = token
        return payloads, newest

    def _get(self, path: str, params: dict[str, Any]) -> httpx.Response:
        return request_with_retries(self.client, "GET", path, params=params, sleep=self.ctx.sleep)

    def _ensure_rule(self) -> None:
        tag = f"tocsin:{self.ctx.source_name or self.ctx.source_id}"
        rules = self._get("/2/tweets/search/stream/rules", {}).json().get("data") or []
        if any(r.get("tag") == tag and r.get("value") == self.query for r in rules):
            return
        stale = [r["id"] for r in rules if r.get("tag") == tag]
        if stale:
            request_with_retries(
                self.client,
                "POST",
                "/2/tweets/search/stream/rules",
                json={"delete": {"ids": stale}},
                sleep=self.ctx.sleep,
            )
        request_with_retries(
            self.client,
            "POST",
            "/2/tweets/search/stream/rules",
            json={"add": [{"value": self.query, "tag": tag}]},
            sleep=self.ctx.sleep,
        )

    def _stream(self) -> list[dict[str, Any]]:
        self._ensure_rule()
        deadline = time.monotonic() + self.stream_seconds
        found: list[dict[str, Any]] = []
        with self.client.stream(
            "GET",
            "/2/tweets/search/stream",
            params=self.expansions,
            timeout=httpx.Timeout(10, read=self.stream_seconds + 20),
        ) as response:
            if response.status_code >= 400:
                response.read()
                message = f"filtered stream: HTTP {response.status_code}"
                if response.status_code == 429:
                    wait = retry_after_seconds(response.headers) or 60.0
                    raise RateLimited(message, retry_after=wait)
                raise ConnectorError(message, status=response.status_code)
            for line in response.iter_lines():
                if line.strip():
                    item = json.loads(line)
                    if isinstance(item, dict) and "data" in item:
                        found.extend(split_response({**item, "data": [item["data"]]}))
                if time.monotonic() >= deadline:
                    break
        return found
