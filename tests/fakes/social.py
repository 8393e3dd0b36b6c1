"""Local fakes of the social platforms' streaming servers, speaking their documented shapes.

* :class:`FakeJetstream` — ``/subscribe?wantedCollections=...&cursor=<time_us>``: replays the
  scripted commit events with ``time_us >= cursor`` then keeps the socket open.
* :class:`FakeMastodon` — ``/api/v1/streaming?stream=public`` sends ``update`` events for
  statuses not yet published (publishing them), and the REST timeline
  ``/api/v1/timelines/public?min_id=`` serves the published ones, as a real instance would
  to a client that reconnects.

Both pace their events (``delay`` seconds apart) so a test can kill a consumer mid-stream.
Every post text here is written for the tests.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

BASE_TIME_US = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z


def jetstream_post(n: int, text: str, *, did: str = "did:plc:tester", op: str = "create"):
    """A Jetstream commit event for an ``app.bsky.feed.post`` record, as documented."""
    time_us = BASE_TIME_US + n * 1_000_000
    rkey = f"3laaaaaaa{n:04d}"
    commit: dict[str, Any] = {
        "rev": f"3laaaaaarev{n:02d}",
        "operation": op,
        "collection": "app.bsky.feed.post",
        "rkey": rkey,
    }
    if op != "delete":
        commit["record"] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}.000Z",
            "langs": ["en"],
        }
        commit["cid"] = f"bafyreifake{n:04d}"
    return {"did": did, "time_us": time_us, "kind": "commit", "commit": commit}


def mastodon_status(n: int, text: str, *, host: str = "fake.social") -> dict[str, Any]:
    """A Mastodon ``Status`` entity with the fields the API documents."""
    status_id = str(110_000_000_000_000_000 + n)
    return {
        "id": status_id,
        "created_at": f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": f"https://{host}/users/tester/statuses/{status_id}",
        "url": f"https://{host}/@tester/{status_id}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": n % 3,
        "edited_at": None,
        "content": f"<p>{text}</p>",
        "reblog": None,
        "account": {
            "id": "42",
            "username": "tester",
            "acct": "tester",
            "display_name": "Test Person",
            "bot": False,
            "followers_count": 12,
            "url": f"https://{host}/@tester",
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [],
    }


@dataclass
class _Paced:
    delay: float = 0.02
    server: Server | None = None
    connections: list[str] = field(default_factory=list)
    sent: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.socket.getsockname()[1])

    def _serve(self, handler: Any, process_request: Any = None) -> None:
        self.server = serve(handler, "127.0.0.1", 0, process_request=process_request)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()


@dataclass
class FakeJetstream(_Paced):
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/subscribe"

    def start(self) -> FakeJetstream:
        self._serve(self._handle)
        return self

    def _handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        query = parse_qs(urlparse(ws.request.path).query)
        self.connections.append(ws.request.path)
        assert query.get("wantedCollections") == ["app.bsky.feed.post"]
        cursor = int(query.get("cursor", ["0"])[0])
        try:
            for event in self.events:
                if event["time_us"] >= cursor:
                    ws.send(json.dumps(event))
                    with self._lock:
                        self.sent += 1
                    time.sleep(self.delay)
            ws.recv()  # hold the socket open until the client leaves
        except ConnectionClosed:
            return


@dataclass
class FakeMastodon(_Paced):
    statuses: list[dict[str, Any]] = field(default_factory=list)
    published: int = 0
    rest_calls: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> FakeMastodon:
        self._serve(self._handle, process_request=self._rest)
        return self

    def _rest(self, ws: ServerConnection, request: Request) -> Response | None:
        if request.path.startswith("/api/v1/streaming"):
            return None
        self.rest_calls.append(request.path)
        parsed = urlparse(request.path)
        if parsed.path != "/api/v1/timelines/public":
            return Response(404, "Not Found", Headers(), b"{}")
        query = parse_qs(parsed.query)
        limit = int(query.get("limit", ["40"])[0])
        with self._lock:
            visible = self.statuses[: self.published]
        if "min_id" in query:
            min_id = int(query["min_id"][0])
            page = [s for s in visible if int(s["id"]) > min_id][:limit]
        else:
            page = visible[-limit:]
        page = sorted(page, key=lambda s: int(s["id"]), reverse=True)  # newest first
        body = json.dumps(page).encode()
        headers = Headers(
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return Response(200, "OK", headers, body)

    def _handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        self.connections.append(ws.request.path)
        try:
            while True:
                with self._lock:
                    if self.published >= len(self.statuses):
                        break
                    status = self.statuses[self.published]
                    self.published += 1
                    self.sent += 1
                event = {"stream": ["public"], "event": "update", "payload": json.dumps(status)}
                ws.send(json.dumps(event))
                time.sleep(self.delay)
            ws.recv()
        except ConnectionClosed:
            return
