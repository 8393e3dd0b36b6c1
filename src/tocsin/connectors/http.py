"""The HTTP plumbing every connector shares: one client factory, retries, rate-limit headers.

Platforms tell a client to slow down in different dialects, all honoured here:

* ``Retry-After`` — seconds or an HTTP date (RFC 9110; Mastodon, Reddit, Meta on 429/503);
* ``x-rate-limit-reset`` — a Unix time (X API v2);
* ``ratelimit-reset`` — seconds to wait (IETF draft) or a Unix time (Bluesky PDS);
* ``x-ratelimit-reset`` — seconds (Reddit) or an ISO 8601 time (Mastodon).

Transient failures (429, 5xx, connection errors) are retried with *full jitter* backoff
(``uniform(0, min(cap, base * 2**attempt))``, the AWS Architecture Blog's recommendation) or
exactly as long as the platform asked, whichever is longer.  A wait longer than ``max_wait``
is not slept through: :class:`RateLimited` is raised so a poller can store the time and move
on to other sources.

Tests pass an ``httpx.MockTransport`` (or a local server's URL) through ``transport``.

Example::

    client = make_client(transport=transport, base_url="https://api.x.com")
    response = request_with_retries(client, "GET", "/2/tweets/search/recent",
                                    params={"query": "acme"})
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

log = logging.getLogger(__name__)

USER_AGENT = "Tocsin/0.1 (+https://github.com/tocsin; social media command center)"
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
_EPOCH_THRESHOLD = 1_000_000_000  # a number above this is a Unix time, not a delay


class ConnectorError(RuntimeError):
    """A platform call failed; ``permanent`` says whether retrying later can help."""

    def __init__(self, message: str, *, permanent: bool = False, status: int | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.status = status


class RateLimited(ConnectorError):  # noqa: N818 - reads as a state, like PermissionDenied
    """The platform asked us to wait ``retry_after`` seconds (longer than we sleep through)."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message, status=429)
        self.retry_after = retry_after


def make_client(
    *,
    transport: httpx.BaseTransport | None = None,
    base_url: str = "",
    headers: Mapping[str, str] | None = None,
    timeout: float = 20.0,
) -> httpx.Client:
    """An ``httpx.Client`` with Tocsin's user agent; ``transport`` is for tests."""
    merged = {"User-Agent": USER_AGENT, **(headers or {})}
    return httpx.Client(
        transport=transport,
        base_url=base_url,
        headers=merged,
        timeout=timeout,
        follow_redirects=True,
    )


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """How long the platform asked us to wait, from whichever header it used; None if none.

    Example::

        >>> retry_after_seconds({"Retry-After": "7"})
        7.0
        >>> retry_after_seconds({"x-rate-limit-reset": "1700000060"}, now=1700000000)
        60.0
    """
    current = time.time() if now is None else now
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in ("retry-after", "x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset"):
        value = lowered.get(name)
        if value is None:
            continue
        seconds = _parse_wait(value.strip(), current)
        if seconds is not None:
            return max(0.0, seconds)
    return None


def _parse_wait(value: str, now: float) -> float | None:
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        return number - now if number > _EPOCH_THRESHOLD else number
    for parse in (_http_date, _iso_date):
        moment = parse(value)
        if moment is not None:
            return moment.timestamp() - now
    return None


def _http_date(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _iso_date(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def backoff_delay(
    attempt: int, *, base: float = 1.0, cap: float = 60.0, rng: random.Random | None = None
) -> float:
    """Full-jitter delay before retry number ``attempt`` (0-based)."""
    ceiling = min(cap, base * (2 ** min(attempt, 30)))
    return (rng or random).uniform(0, ceiling)


def request_with_retries(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    max_attempts: int = 4,
    max_wait: float = 60.0,
    base_delay: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """Send a request, retrying transient failures; return the final successful response.

    Raises :class:`RateLimited` when the platform asks for a wait longer than ``max_wait``
    (or still refuses after the last attempt with a wait), and :class:`ConnectorError` for
    other failures (``permanent`` for 4xx other than 408/425/429).
    """
    last_error = ""
    for attempt in range(max_attempts):
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            last_error = f"{method} {url}: {type(exc).__name__}: {exc}"
            wait = backoff_delay(attempt, base=base_delay, rng=rng)
        else:
            if response.status_code < 400:
                return response
            asked = retry_after_seconds(response.headers)
            last_error = f"{method} {url}: HTTP {response.status_code} {_short(response)}"
            if response.status_code not in RETRYABLE:
                raise ConnectorError(last_error, permanent=True, status=response.status_code)
            if asked is not None and asked > max_wait:
                raise RateLimited(last_error, retry_after=asked)
            wait = max(asked or 0.0, backoff_delay(attempt, base=base_delay, rng=rng))
            if attempt == max_attempts - 1 and response.status_code == 429:
                raise RateLimited(last_error, retry_after=max(asked or 0.0, base_delay))
        if attempt < max_attempts - 1:
            log.info("retrying in %.1fs: %s", wait, last_error)
            sleep(wait)
    raise ConnectorError(last_error or f"{method} {url} failed")


def _short(response: httpx.Response) -> str:
    try:
        text = response.text
    except (UnicodeDecodeError, httpx.ResponseNotRead):
        return ""
    return " ".join(text.split())[:200]
