"""The Mastodon streaming API over a websocket (public, local, hashtag or user timeline).

The streaming API has no replay cursor.  On every (re)connection the adapter first reads the
REST timeline for statuses newer than the last id seen (``min_id``), then the live events
that queued on the socket meanwhile; the overlap is absorbed by deduplication.  Events are
``{"stream": [...], "event": "update" | "status.update" | "delete", "payload": "<JSON>"}``.

Example::

    MastodonStreamAdapter(ctx).connection({})
    # ('wss://mastodon.social/api/v1/streaming?stream=public', {'Authorization': 'Bearer …'})
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from tocsin.connectors.mastodon.api import MastodonApi, newer
from tocsin.connectors.mastodon.normalise import external_id, status_text
from tocsin.connectors.spec import ConnectorContext
from tocsin.connectors.stream_types import StreamBatch, StreamItem
from tocsin.connectors.text import parse_time, safe_lang
from tocsin.listening.query import MatchablePost


class MastodonStreamAdapter:
    post_platform = "mastodon"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.api = MastodonApi(ctx)
        wanted = ctx.setting("filter_by_brands")
        if wanted is None:
            self.filter_by_brands = self.api.stream in ("public", "public:local")
        else:
            self.filter_by_brands = str(wanted).strip().lower() in ("1", "true", "yes", "on")
        configured = str(ctx.setting("streaming_url", ""))
        self.streaming_url = configured or (
            self.api.base.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
            + "/api/v1/streaming"
        )
        self._last_id: str | None = None

    def connection(self, checkpoint: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
        last = checkpoint.get("last_id")
        self._last_id = str(last) if last else None
        params = {"stream": self.api.stream}
        if self.api.stream == "hashtag":
            params["tag"] = self.api.tag
        return f"{self.streaming_url}?{urlencode(params)}", dict(self.api.headers)

    def catch_up(self, checkpoint: Mapping[str, Any]) -> Iterator[StreamBatch]:
        """Statuses newer than the checkpoint; on a first start, the newest page."""
        for page in self.api.timeline(checkpoint):
            batch = StreamBatch()
            for status in page:
                self._add_status(batch, "update", status)
            yield batch

    def parse(self, message: str | bytes) -> StreamBatch:
        event = json.loads(message)
        batch = StreamBatch()
        if not isinstance(event, dict):
            return batch
        name, payload = event.get("event"), event.get("payload")
        if name in ("update", "status.update") and isinstance(payload, str):
            self._add_status(batch, str(name), json.loads(payload))
        elif name == "delete" and payload:
            status_id = str(payload)
            envelope = {"instance": self.api.host, "event": "delete", "id": status_id}
            batch.items.append(
                StreamItem(
                    payload=envelope,
                    external_id=external_id(self.api.host, status_id),
                    deletion=True,
                )
            )
        return batch

    def _add_status(self, batch: StreamBatch, event: str, status: dict[str, Any]) -> None:
        envelope = {"instance": self.api.host, "event": event, "status": status}
        shown = status.get("reblog") or status
        matchable = MatchablePost(
            text=status_text(shown),
            lang=safe_lang(shown.get("language")),
            platform="mastodon",
            author_handle=str(shown.get("account", {}).get("acct", "")),
        )
        batch.items.append(
            StreamItem(
                payload=envelope,
                external_id=external_id(self.api.host, str(shown["id"])),
                matchable=matchable,
            )
        )
        if event == "update":
            self._last_id = newer(self._last_id, str(status["id"]))
            batch.checkpoint["last_id"] = self._last_id
        batch.position_at = parse_time(str(status["created_at"]))
