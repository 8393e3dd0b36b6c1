"""A fake Bluesky AppView and Jetstream identity/account events, shaped as documented.

:class:`FakeAppView` is an ``httpx`` transport handler answering
``GET /xrpc/app.bsky.actor.getProfiles`` with ``app.bsky.actor.defs#profileViewDetailed``
objects as the lexicon documents them: at most 25 ``actors`` (400 ``InvalidRequest``
beyond), actors it does not know left out.  The event shapes follow the Jetstream README.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

import httpx

from fakes.social import BASE_TIME_US

APPVIEW = "https://appview.test"


def profile(did: str, handle: str, name: str, followers: int = 12) -> dict[str, Any]:
    """An ``app.bsky.actor.defs#profileViewDetailed``."""
    return {
        "did": did,
        "handle": handle,
        "displayName": name,
        "description": "Written for the tests.",
        "avatar": f"https://cdn.bsky.app/img/avatar/plain/{did}/bafkreiavatar@jpeg",
        "followersCount": followers,
        "followsCount": 3,
        "postsCount": 40,
        "associated": {"lists": 0, "feedgens": 0, "starterPacks": 0, "labeler": False},
        "indexedAt": "2025-06-01T10:00:00.000Z",
        "createdAt": "2024-02-01T10:00:00.000Z",
        "labels": [],
    }


def identity_event(did: str, handle: str, n: int, *, at: datetime | None = None) -> dict[str, Any]:
    """A Jetstream ``identity`` event, as its README documents it (``at``: its ``time``)."""
    stamp = at.isoformat().replace("+00:00", "Z") if at else None
    return {
        "did": did,
        "time_us": BASE_TIME_US + n * 1_000_000,
        "kind": "identity",
        "identity": {
            "did": did,
            "handle": handle,
            "seq": 1_409_752_997 + n,
            "time": stamp or f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}.000Z",
        },
    }


def account_event(
    did: str, n: int, *, active: bool = True, status: str | None = None
) -> dict[str, Any]:
    """A Jetstream ``account`` event, as its README documents it (``status`` only when
    ``active`` is false: ``takendown``, ``suspended``, ``deleted``, ``deactivated``…)."""
    account: dict[str, Any] = {
        "active": active,
        "did": did,
        "seq": 1_409_753_013 + n,
        "time": f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}.000Z",
    }
    if status is not None:
        account["status"] = status
    return {
        "did": did,
        "time_us": BASE_TIME_US + n * 1_000_000,
        "kind": "account",
        "account": account,
    }


class FakeAppView:
    """``GET /xrpc/app.bsky.actor.getProfiles`` on the public AppView."""

    def __init__(self, *profiles: dict[str, Any]) -> None:
        self.profiles = {p["did"]: p for p in profiles}
        self.calls: list[list[str]] = []
        self.down = False
        self.delay = 0.0
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert f"{request.url.scheme}://{request.url.host}" == APPVIEW
        assert request.url.path == "/xrpc/app.bsky.actor.getProfiles"
        actors = request.url.params.get_list("actors")
        with self._lock:
            self.calls.append(actors)
        time.sleep(self.delay)
        if self.down:
            return httpx.Response(503, json={"error": "InternalServerError", "message": "down"})
        if not actors or len(actors) > 25:
            return httpx.Response(400, json={"error": "InvalidRequest", "message": "actors"})
        with self._lock:
            found = [
                p for p in self.profiles.values() if p["did"] in actors or p["handle"] in actors
            ]
        return httpx.Response(200, json={"profiles": found})

    def asked(self) -> set[str]:
        with self._lock:
            return {actor for call in self.calls for actor in call}
