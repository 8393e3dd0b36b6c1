"""A local Graph API answering the two Instagram mention reads as Meta documents them.

``GET /{version}/{ig-user-id}?fields=mentioned_comment.comment_id({id}){fields}`` answers
``{"mentioned_comment": {...}, "id": "{ig-user-id}"}`` and ``mentioned_media.media_id`` answers
``{"mentioned_media": {...}, ...}`` with only the fields asked for (documented fields only: an
undocumented one is refused with ``(#100)`` as Meta does).  ``like_count`` is left out when the
owner hides it.  Errors use Meta's body ``{"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}``: a missing or deleted object is code 100 subcode 33, a bad
token code 190, throttling code 4, 17, 32, 613 or 80002; ``X-App-Usage`` and
``X-Business-Use-Case-Usage`` carry the usage percentages.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "EAAG-page-token-for-tests"
IG_USER = "17841400000000001"
COMMENT_FIELDS = {"id", "like_count", "media", "text", "timestamp"}
MEDIA_FIELDS = {
    "caption",
    "comments",
    "comments_count",
    "id",
    "like_count",
    "media_type",
    "media_url",
    "owner",
    "timestamp",
    "username",
}
_EXPRESSION = re.compile(r"^mentioned_(comment|media)\.(comment_id|media_id)\(([^)]*)\)\{(.*)\}$")


@dataclass
class Seen:
    path: str
    fields: str
    authorization: str


@dataclass
class FakeGraph:
    """Set ``comments``/``media``, then ``down``, ``delay``, ``throttle`` or ``usage``."""

    comments: dict[str, dict[str, Any]] = field(default_factory=dict)
    media: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Answer 500 with Meta's transient error body.
    down: bool = False
    #: Seconds to wait before answering.
    delay: float = 0.0
    #: A throttling code (4, 17, 32, 613, 80002) to answer with, and the minutes to regain.
    throttle: int | None = None
    regain_minutes: int = 7
    #: The ``call_count`` percentage reported in ``X-App-Usage``.
    usage: int = 3
    seen: list[Seen] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add_comment(
        self, comment_id: str, text: str, *, media_id: str, likes: int | None = 3
    ) -> None:
        self.comments[comment_id] = {
            "id": comment_id,
            "text": text,
            "timestamp": "2026-11-20T09:12:00+0000",
            "like_count": likes,
            "media": {"id": media_id},
        }

    def add_media(self, media_id: str, caption: str, *, username: str = "ana.example") -> None:
        self.media[media_id] = {
            "id": media_id,
            "caption": caption,
            "timestamp": "2026-11-20T08:00:00+0000",
            "username": username,
            "media_type": "IMAGE",
            "media_url": f"https://scontent.cdninstagram.com/v/{media_id}.jpg",
            "like_count": 41,
            "comments_count": 6,
        }

    def start(self) -> FakeGraph:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body, headers = fake.answer(
                    self.path, self.headers.get("Authorization", "")
                )
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def answer(self, path: str, authorization: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        parts = urlsplit(path)
        fields = parse_qs(parts.query).get("fields", [""])[0]
        with self.lock:
            self.seen.append(Seen(parts.path, fields, authorization))
        if self.delay:
            time.sleep(self.delay)
        usage = {"X-App-Usage": json.dumps({"call_count": self.usage, "total_cputime": 1,
                                            "total_time": 1})}  # fmt: skip
        if self.down:
            return 500, error("An unexpected error has occurred. Please retry your request later.",
                              "OAuthException", 2), {}  # fmt: skip
        if self.throttle is not None:
            business = {
                IG_USER: [
                    {
                        "type": "instagram",
                        "call_count": 100,
                        "total_cputime": 12,
                        "total_time": 14,
                        "estimated_time_to_regain_access": self.regain_minutes,
                    }
                ]
            }
            message = {4: "(#4) Application request limit reached",
                       17: "(#17) User request limit reached",
                       32: "(#32) Page request limit reached",
                       613: "(#613) Calls to this api have exceeded the rate limit.",
                       80002: "There have been too many calls to this Instagram account. "
                              "Wait a bit and try again."}[self.throttle]  # fmt: skip
            return (
                400,
                error(message, "OAuthException", self.throttle),
                {"X-Business-Use-Case-Usage": json.dumps(business), **usage},
            )
        if authorization != f"Bearer {TOKEN}":
            return 400, error("Invalid OAuth access token - Cannot parse access token",
                              "OAuthException", 190), {}  # fmt: skip
        node = parts.path.rsplit("/", 1)[-1]
        match = _EXPRESSION.match(fields)
        if node != IG_USER or match is None:
            return 400, missing(node), usage
        kind, _param, ident, wanted = match.groups()
        allowed = COMMENT_FIELDS if kind == "comment" else MEDIA_FIELDS
        asked = split_fields(wanted)
        for name in asked:
            if name.split("{", 1)[0] not in allowed:
                return 400, error(f"(#100) Tried accessing nonexisting field ({name})",
                                  "OAuthException", 100), usage  # fmt: skip
        store = self.comments if kind == "comment" else self.media
        found = store.get(ident)
        if found is None:
            return 400, missing(ident), usage
        picked: dict[str, Any] = {}
        for name in asked:
            key = name.split("{", 1)[0]
            if key in found and found[key] is not None:
                picked[key] = found[key]
        return 200, {f"mentioned_{kind}": picked, "id": IG_USER}, usage


def error(message: str, kind: str, code: int, subcode: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "type": kind, "code": code,
                            "fbtrace_id": "AbCdEfGhIjKlMnO"}  # fmt: skip
    if subcode is not None:
        body["error_subcode"] = subcode
    return {"error": body}


def missing(ident: str) -> dict[str, Any]:
    return error(
        f"Unsupported get request. Object with ID '{ident}' does not exist, cannot be loaded "
        "due to missing permissions, or does not support this operation. Please read the Graph "
        "API documentation at https://developers.facebook.com/docs/graph-api",
        "GraphMethodException",
        100,
        33,
    )


def split_fields(value: str) -> list[str]:
    """``a,b{c,d},e`` → ``["a", "b{c,d}", "e"]``."""
    parts, depth, current = [], 0, ""
    for char in value:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        current += char
    if current:
        parts.append(current)
    return parts


def mention_delivery(
    *, media_id: str, comment_id: str | None = None, at: int | None = None
) -> dict[str, Any]:
    """An Instagram ``mentions`` webhook delivery, shaped as Meta documents it."""
    value: dict[str, Any] = {"media_id": media_id}
    if comment_id is not None:
        value["comment_id"] = comment_id
    return {
        "object": "instagram",
        "entry": [
            {
                "id": IG_USER,
                "time": at or int(time.time()),
                "changes": [{"field": "mentions", "value": value}],
            }
        ],
    }
