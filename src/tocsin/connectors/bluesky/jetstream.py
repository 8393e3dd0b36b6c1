"""The Jetstream consumer: Bluesky's firehose as JSON over a websocket, no authentication.

Subscribing with ``wantedCollections=app.bsky.feed.post`` delivers every post created,
edited or deleted on the network.  Each event carries ``time_us``; reconnecting with
``cursor=<time_us>`` replays from there, so the checkpoint is the last ``time_us`` seen.
Only posts matching the brand queries are kept (see :class:`~tocsin.connectors.streams.
StreamConsumer`).

Example::

    adapter = JetstreamAdapter(ctx)
    adapter.connection({"cursor": 1735689600000000})
    # ('wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=...&cursor=...', {})
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from tocsin.connectors.bluesky.normalise import POST_COLLECTION, post_uri
from tocsin.connectors.spec import ConnectorContext
from tocsin.connectors.stream_types import StreamBatch, StreamItem
from tocsin.connectors.text import from_epoch, safe_lang
from tocsin.listening.query import MatchablePost

DEFAULT_JETSTREAM = "wss://jetstream2.us-east.bsky.network/subscribe"


class JetstreamAdapter:
    post_platform = "bluesky"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.endpoint = str(ctx.setting("endpoint", DEFAULT_JETSTREAM))
        self.filter_by_brands = True

    def connection(self, checkpoint: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
        params: dict[str, Any] = {"wantedCollections": POST_COLLECTION}
        cursor = checkpoint.get("cursor")
        if isinstance(cursor, int) and cursor > 0:
            params["cursor"] = cursor
        return f"{self.endpoint}?{urlencode(params)}", {}

    def catch_up(self, checkpoint: Mapping[str, Any]) -> Iterator[StreamBatch]:
        return iter(())

    def parse(self, message: str | bytes) -> StreamBatch:
        event = json.loads(message)
        if not isinstance(event, dict) or "time_us" not in event:
            return StreamBatch()
        time_us = int(event["time_us"])
        batch = StreamBatch(checkpoint={"cursor": time_us}, position_at=from_epoch(time_us / 1e6))
        commit = event.get("commit") or {}
        if event.get("kind") != "commit" or commit.get("collection") != POST_COLLECTION:
            return batch
        uri = post_uri(str(event["did"]), str(commit["rkey"]))
        if commit.get("operation") == "delete":
            batch.items.append(StreamItem(payload=event, external_id=uri, deletion=True))
            return batch
        record = commit.get("record") or {}
        langs = record.get("langs") or []
        matchable = MatchablePost(
            text=str(record.get("text", "")),
            lang=safe_lang(langs[0]) if langs else None,
            platform="bluesky",
            author_handle=str(event["did"]),
        )
        batch.items.append(StreamItem(payload=event, external_id=uri, matchable=matchable))
        return batch
