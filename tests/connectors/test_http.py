"""Backoff with full jitter, and every platform's way of saying "wait"."""

from __future__ import annotations

import random

import httpx
import pytest

from tocsin.connectors.http import (
    ConnectorError,
    RateLimited,
    backoff_delay,
    make_client,
    request_with_retries,
    retry_after_seconds,
)

NOW = 1_767_225_600.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "Thu, 01 Jan 2026 00:00:30 GMT"}, 30.0),
        ({"x-rate-limit-reset": str(int(NOW) + 90)}, 90.0),  # X: a Unix time
        ({"ratelimit-reset": "12"}, 12.0),  # IETF draft: seconds
        ({"ratelimit-reset": str(int(NOW) + 40)}, 40.0),  # Bluesky: a Unix time
        ({"x-ratelimit-reset": "2026-01-01T00:05:00Z"}, 300.0),  # Mastodon: ISO 8601
        ({"x-ratelimit-reset": "33"}, 33.0),  # Reddit: seconds
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_dialects(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after_seconds(headers, now=NOW) == expected


def test_full_jitter_stays_under_the_capped_exponential() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(attempt, base=1, cap=10, rng=rng) for attempt in range(12)]
    assert all(0 <= d <= min(10, 2**i) for i, d in enumerate(delays))
    assert len({round(d, 6) for d in delays}) == len(delays)  # jittered, not fixed


def _scripted(*responses: httpx.Response) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    return httpx.MockTransport(handle), seen


def test_retry_after_is_honoured_before_retrying() -> None:
    transport, seen = _scripted(
        httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(200, json={"ok": 1})
    )
    slept: list[float] = []
    with make_client(transport=transport) as client:
        response = request_with_retries(
            client, "GET", "https://api.test/x", sleep=slept.append, rng=random.Random(1)
        )
    assert response.json() == {"ok": 1}
    assert len(seen) == 2
    assert slept and slept[0] >= 3.0


def test_a_long_wait_is_not_slept_through() -> None:
    transport, _ = _scripted(httpx.Response(429, headers={"x-rate-limit-reset": "9999999999"}))
    with make_client(transport=transport) as client, pytest.raises(RateLimited) as caught:
        request_with_retries(client, "GET", "https://api.test/x", sleep=lambda s: None)
    assert caught.value.retry_after > 60


def test_server_errors_are_retried_and_client_errors_are_not() -> None:
    transport, seen = _scripted(
        httpx.Response(503), httpx.Response(502), httpx.Response(200, text="fine")
    )
    with make_client(transport=transport) as client:
        assert (
            request_with_retries(client, "GET", "https://a.test/", sleep=lambda s: None).text
            == "fine"
        )
    assert len(seen) == 3
    transport, seen = _scripted(httpx.Response(401, text="bad token"))
    with make_client(transport=transport) as client, pytest.raises(ConnectorError) as caught:
        request_with_retries(client, "GET", "https://a.test/", sleep=lambda s: None)
    assert caught.value.permanent and len(seen) == 1 and "bad token" in str(caught.value)


def test_connection_errors_are_retried_then_reported() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    slept: list[float] = []
    with (
        make_client(transport=httpx.MockTransport(refuse)) as client,
        pytest.raises(ConnectorError),
    ):
        request_with_retries(client, "GET", "https://a.test/", sleep=slept.append, max_attempts=3)
    assert len(slept) == 2
