"""A local Atom feed for the demo: news about the demo brand, one more entry every few seconds.

It answers conditional GETs (``ETag`` / ``If-None-Match``, ``Last-Modified`` /
``If-Modified-Since``) with ``304`` like a well-behaved news site, so the RSS connector's
checkpoint can be seen working.  Entries are written for the demo (fictional brand Lumio).

Example::

    server = DemoFeedServer(port=0, every=5).start()
    server.url        # 'http://127.0.0.1:53121/feed.xml'
    server.stop()
"""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

ENTRIES: tuple[tuple[str, str], ...] = (
    (
        "Lumio recalls a batch of desk lamps after overheating reports",
        "Owners of the Lumio Arc lamp bought in March are asked to stop using it.",
    ),
    (
        "Lumio opens a repair café in Lyon",
        "The brand will fix its lamps for free on Saturdays, it said on Tuesday.",
    ),
    (
        "Review: the Lumio Halo is bright, but the app keeps crashing",
        "Our tester liked the light and disliked the pairing process.",
    ),
    (
        "Lumio customers report late deliveries before the holidays",
        "Several buyers say their orders have not arrived after three weeks.",
    ),
    (
        "Lumio answers: delivery delays caused by a warehouse move",
        "The company promises refunds of shipping costs for late orders.",
    ),
    (
        "Veltra and Lumio compete on smart bulbs prices",
        "Both brands cut prices this week; analysts expect more.",
    ),
)


def render_feed(count: int, *, base: datetime, link: str) -> str:
    """The Atom document holding the first ``count`` entries (newest first)."""
    items = []
    for index in reversed(range(min(count, len(ENTRIES)))):
        title, summary = ENTRIES[index]
        stamp = (base + timedelta(minutes=index)).isoformat()
        items.append(
            "<entry>"
            f"<id>tag:demo.tocsin.invalid,2026:lumio-{index + 1}</id>"
            f"<title>{escape(title)}</title>"
            f'<link href="{escape(link)}#entry-{index + 1}"/>'
            f"<updated>{stamp}</updated><published>{stamp}</published>"
            f"<author><name>Demo Daily</name></author>"
            f"<summary>{escape(summary)}</summary>"
            "</entry>"
        )
    updated = (base + timedelta(minutes=max(count - 1, 0))).isoformat()
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
        f"<title>Demo Daily</title><id>tag:demo.tocsin.invalid,2026:feed</id>"
        f'<link href="{escape(link)}"/><updated>{updated}</updated>' + "".join(items) + "</feed>"
    )


class DemoFeedServer:
    def __init__(self, *, port: int = 0, every: float = 20.0, initial: int = 3) -> None:
        self.port = port
        self.every = every
        self.initial = initial
        self.started = time.monotonic()
        self.base = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
        self.requests = 0
        self.not_modified = 0
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/feed.xml"

    def count(self) -> int:
        grown = int((time.monotonic() - self.started) / self.every) if self.every > 0 else 0
        return min(len(ENTRIES), self.initial + grown)

    def start(self) -> DemoFeedServer:
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                feed.requests += 1
                if self.path.split("?")[0] != "/feed.xml":
                    self.send_error(404)
                    return
                count = feed.count()
                etag = '"' + hashlib.sha256(str(count).encode()).hexdigest()[:16] + '"'
                modified = format_datetime(feed.base + timedelta(minutes=count - 1), usegmt=True)
                if self.headers.get("If-None-Match") == etag:
                    feed.not_modified += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                body = render_feed(count, base=feed.base, link=feed.url).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
