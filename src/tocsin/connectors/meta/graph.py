"""Reading an Instagram mention from the Graph API, and what Meta said about our rate.

A ``mentions`` webhook carries only ids, and a mentioned comment or caption belongs to someone
else's media, which the account's token cannot read directly: Meta documents two field
expansions on the IG User node for it (Instagram API with Facebook Login, graph.facebook.com):

* ``GET /{ig-user-id}?fields=mentioned_comment.comment_id({comment-id}){id,text,timestamp,
  like_count,media{id}}`` → ``{"mentioned_comment": {...}, "id": "{ig-user-id}"}``;
* ``GET /{ig-user-id}?fields=mentioned_media.media_id({media-id}){id,caption,timestamp,
  username,media_type,like_count,comments_count}`` → ``{"mentioned_media": {...}, ...}``.

Only documented fields are asked for: ``mentioned_comment`` has no author field, and
``mentioned_media`` no ``permalink``.  ``like_count`` is left out when the owner hides it.

One call, no sleeping: the caller stores the outcome and retries later (see
:mod:`tocsin.connectors.meta.mentions`).  A failure is classified from Meta's error body
``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``:

* codes 4, 17, 32, 613, 80002 (or HTTP 429) — throttled: :class:`Throttled`, wait and retry;
* code 100 with subcode 33, or HTTP 404 — the object is gone or hidden from us: ``not_found``;
* codes 102, 190 (token), 10 and 200–299 (permission) — ``denied``: the account is unreachable;
* anything else, 5xx and network errors — ``failed`` (retried with backoff).

The usage headers (``X-App-Usage``, ``X-Business-Use-Case-Usage``) are read on every answer:
above :data:`USAGE_CEILING` percent the account pauses until Meta says access is regained.

Example::

    reader = MentionReader(ctx, timeout=5.0)
    outcome = reader.read(MentionRef(ig_user_id="17841400000000001", media_id="1790",
                                     comment_id="1791"))
    outcome.kind, outcome.node
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from tocsin.connectors.http import make_client, retry_after_seconds
from tocsin.connectors.meta.publisher import DEFAULT_VERSION, GRAPH
from tocsin.connectors.spec import ConnectorContext

COMMENT_FIELDS = "id,text,timestamp,like_count,media{id}"
MEDIA_FIELDS = "id,caption,timestamp,username,media_type,like_count,comments_count"
#: Meta's throttling codes: app (4), user (17), page (32), custom (613), Instagram BUC (80002).
THROTTLE_CODES = frozenset({4, 17, 32, 613, 80002})
DENIED_CODES = frozenset({10, 102, 190, *range(200, 300)})
#: Percent of any usage figure at which the account stops calling until access is regained.
USAGE_CEILING = 90
#: How long to pause when Meta throttles without saying for how long (seconds).
DEFAULT_PAUSE = 900.0
_GRAPH_ID = re.compile(r"^[0-9]{1,40}$")

Kind = Literal["fetched", "not_found", "denied", "failed"]


@dataclass(frozen=True)
class MentionRef:
    """Where a mention is: the mentioned account (webhook ``entry.id``) and the object ids."""

    ig_user_id: str
    media_id: str
    comment_id: str | None = None

    @property
    def is_comment(self) -> bool:
        return self.comment_id is not None

    def valid(self) -> bool:
        """Ids are numeric strings: anything else never reaches the ``fields`` expression."""
        ids = [self.ig_user_id, self.media_id] + ([self.comment_id] if self.comment_id else [])
        return all(_GRAPH_ID.match(value) for value in ids if value is not None)


@dataclass(frozen=True)
class Usage:
    """The highest usage percentage Meta reported and when access comes back (seconds)."""

    percent: int = 0
    regain_seconds: float = 0.0

    @property
    def exhausted(self) -> bool:
        return self.percent >= USAGE_CEILING

    def pause_seconds(self) -> float:
        if not self.exhausted:
            return 0.0
        return self.regain_seconds or DEFAULT_PAUSE


@dataclass(frozen=True)
class ReadOutcome:
    """What one call gave: the mentioned object, or why not."""

    kind: Kind
    node: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    usage: Usage = field(default_factory=Usage)


class Throttled(Exception):  # noqa: N818 - reads as a state, like RateLimited
    """Meta refused the call for the rate: nothing is wrong with the mention."""

    def __init__(self, message: str, *, pause_seconds: float) -> None:
        super().__init__(message)
        self.pause_seconds = pause_seconds


def read_usage(headers: httpx.Headers) -> Usage:
    """The worst figure of ``X-App-Usage`` and ``X-Business-Use-Case-Usage`` (JSON headers).

    Example::

        >>> read_usage(httpx.Headers({"X-App-Usage": '{"call_count": 95, "total_time": 3}'}))
        Usage(percent=95, regain_seconds=0.0)
    """
    percent, regain = 0, 0.0
    figures: list[dict[str, Any]] = []
    app = _json_header(headers.get("x-app-usage"))
    if isinstance(app, dict):
        figures.append(app)
    business = _json_header(headers.get("x-business-use-case-usage"))
    if isinstance(business, dict):
        for entries in business.values():
            if isinstance(entries, list):
                figures.extend(e for e in entries if isinstance(e, dict))
    for figure in figures:
        for name in ("call_count", "total_cputime", "total_time"):
            percent = max(percent, _int(figure.get(name)))
        regain = max(regain, 60.0 * _int(figure.get("estimated_time_to_regain_access")))
    return Usage(percent=percent, regain_seconds=regain)


class MentionReader:
    """One Graph API client per source; :meth:`read` makes exactly one call."""

    def __init__(self, ctx: ConnectorContext, *, timeout: float = 10.0) -> None:
        version = str(ctx.setting("graph_version", DEFAULT_VERSION))
        base = str(ctx.setting("graph_url", GRAPH)).rstrip("/")
        # Mentions are read through Facebook Login (graph.facebook.com): the Page token first.
        self.token = ctx.credential("page_access_token") or ctx.credential("instagram_access_token")
        self.client = make_client(
            transport=ctx.transport, base_url=f"{base}/{version}", timeout=timeout
        )

    def close(self) -> None:
        self.client.close()

    def read(self, ref: MentionRef) -> ReadOutcome:
        """The mentioned comment or media; raises :class:`Throttled` when Meta says wait."""
        if not self.token:
            return ReadOutcome("denied", message="no page_access_token or instagram_access_token")
        if ref.comment_id is not None:
            edge = "mentioned_comment"
            expression = f"mentioned_comment.comment_id({ref.comment_id}){{{COMMENT_FIELDS}}}"
        else:
            edge = "mentioned_media"
            expression = f"mentioned_media.media_id({ref.media_id}){{{MEDIA_FIELDS}}}"
        try:
            response = self.client.get(
                f"/{ref.ig_user_id}",
                params={"fields": expression},
                headers={"Authorization": f"Bearer {self.token}"},
            )
        except httpx.HTTPError as exc:
            return ReadOutcome("failed", message=f"{type(exc).__name__}: {exc}")
        usage = read_usage(response.headers)
        body = _json_body(response)
        error = body.get("error") if isinstance(body.get("error"), dict) else None
        if response.status_code < 400 and error is None:
            node = body.get(edge)
            if not isinstance(node, dict):
                return ReadOutcome("not_found", message=f"no {edge} in the answer", usage=usage)
            return ReadOutcome("fetched", node=node, usage=usage)
        return _failure(response, error or {}, usage)


def _failure(response: httpx.Response, error: dict[str, Any], usage: Usage) -> ReadOutcome:
    code, subcode = _int(error.get("code")), _int(error.get("error_subcode"))
    message = str(error.get("message") or "")[:300]
    trace = str(error.get("fbtrace_id") or "")
    described = f"HTTP {response.status_code} (#{code}) {message}" + (
        f" [fbtrace_id {trace}]" if trace else ""
    )
    if code in THROTTLE_CODES or response.status_code == 429:
        asked = max(retry_after_seconds(response.headers) or 0.0, usage.regain_seconds)
        raise Throttled(described, pause_seconds=max(asked, 60.0) if asked else DEFAULT_PAUSE)
    if response.status_code == 404 or (code == 100 and subcode == 33):
        return ReadOutcome("not_found", message=described, usage=usage)
    if code in DENIED_CODES or response.status_code in (401, 403):
        return ReadOutcome("denied", message=described, usage=usage)
    return ReadOutcome("failed", message=described, usage=usage)


def _json_header(value: str | None) -> object:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def _json_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0
