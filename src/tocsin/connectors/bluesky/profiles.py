"""Looking up who DIDs are with ``app.bsky.actor.getProfiles``, without holding up the stream.

``GET /xrpc/app.bsky.actor.getProfiles?actors=<did or handle>&actors=...`` takes at most 25
actors and answers ``{"profiles": [profileViewDetailed, ...]}``; an actor it cannot find
(deleted, taken down) is simply absent.  The public AppView (``https://public.api.bsky.app``,
``TOCSIN_BLUESKY_APPVIEW_URL`` or a source's ``appview`` setting) needs no account.

Each round runs on its own short-lived thread, one round at a time: the stream consumer waits
for it at most a moment (:meth:`ProfileLookup.poll`), and what arrives later is collected on a
later poll.  A failed round leaves its actors pending and the lookup backs off — as long as the
AppView asked (``Retry-After``, ``ratelimit-reset``) or with full jitter — so an AppView that is
down costs nothing but a DID shown a little longer.

Example::

    lookup = ProfileLookup(ctx)
    lookup.want(["did:plc:abc"])
    lookup.poll(wait=1.0)          # {'did:plc:abc': Identity(handle='alice.bsky.social', ...)}
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tocsin.connectors.bluesky.identities import Identity, identity_from_profile
from tocsin.connectors.bluesky.xrpc import Xrpc
from tocsin.connectors.http import ConnectorError, RateLimited, backoff_delay
from tocsin.connectors.spec import ConnectorContext
from tocsin.types import utcnow

log = logging.getLogger(__name__)

#: ``app.bsky.actor.getProfiles`` accepts at most this many actors per call.
MAX_ACTORS = 25
#: How far behind the network the AppView may be: a profile is dated this much before the
#: call, so a handle change announced by an identity event just before is not undone.
APPVIEW_LAG = timedelta(minutes=1)


@dataclass
class _Round:
    """One batch of getProfiles calls running on its own thread."""

    batches: list[list[str]]
    started_at: datetime = field(default_factory=utcnow)
    profiles: list[dict[str, Any]] = field(default_factory=list)
    answered_batches: int = 0
    error: ConnectorError | None = None
    done: threading.Event = field(default_factory=threading.Event)


class ProfileLookup:
    """DIDs (or handles) waiting to be looked up, and the round of calls looking them up.

    ``give_up_after`` rounds that answered without an actor drop it (a deleted account); it
    is asked again only when :meth:`want` is called for it again.
    """

    def __init__(
        self,
        ctx: ConnectorContext,
        *,
        timeout: float = 5.0,
        per_round: int = 4 * MAX_ACTORS,
        max_pending: int = 10_000,
        give_up_after: int = 3,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.xrpc = Xrpc(ctx, timeout=timeout, attempts=1)
        self.per_round = per_round
        self.max_pending = max_pending
        self.give_up_after = give_up_after
        self.clock = clock
        #: Actor → rounds that answered without it.
        self._pending: dict[str, int] = {}
        self._round: _Round | None = None
        self._retry_at = 0.0
        self._failures = 0

    @property
    def pending(self) -> int:
        return len(self._pending)

    @property
    def backing_off(self) -> bool:
        return self.clock() < self._retry_at

    def want(self, actors: Iterable[str]) -> None:
        for actor in actors:
            if actor not in self._pending and len(self._pending) < self.max_pending:
                self._pending[actor] = 0

    def poll(self, wait: float = 0.0) -> dict[str, Identity]:
        """Start a round if there is work and no backoff; wait up to ``wait`` seconds for the
        running round; return the identities it brought (an empty dict while it runs)."""
        if self._round is None and self._pending and not self.backing_off:
            self._start()
        current = self._round
        if current is None or not current.done.wait(wait):
            return {}
        self._round = None
        return self._collect(current)

    def _start(self) -> None:
        actors = list(self._pending)[: self.per_round]
        batches = [actors[i : i + MAX_ACTORS] for i in range(0, len(actors), MAX_ACTORS)]
        current = _Round(batches=batches)
        self._round = current
        threading.Thread(
            target=self._run, args=(current,), name="tocsin-bluesky-profiles", daemon=True
        ).start()

    def _run(self, current: _Round) -> None:
        try:
            for batch in current.batches:
                data = self.xrpc.get("app.bsky.actor.getProfiles", actors=batch)
                found = data.get("profiles")
                if isinstance(found, list):
                    current.profiles.extend(p for p in found if isinstance(p, dict))
                current.answered_batches += 1
        except ConnectorError as exc:
            current.error = exc
        except Exception as exc:  # noqa: BLE001 - a bad answer must not kill the lookup
            current.error = ConnectorError(f"getProfiles: {type(exc).__name__}: {exc}")
        finally:
            current.done.set()

    def _collect(self, current: _Round) -> dict[str, Identity]:
        as_of = current.started_at - APPVIEW_LAG
        learned: dict[str, Identity] = {}
        answered: set[str] = set()
        for profile in current.profiles:
            parsed = identity_from_profile(profile, as_of=as_of)
            if parsed is not None:
                did, identity = parsed
                learned[did] = identity
                answered.update((did, identity.handle))
        settled = current.answered_batches
        if current.error is not None and current.error.status == 400:
            settled += 1  # the AppView refused that batch as it is: count it as not found
        for batch in current.batches[:settled]:
            for actor in batch:
                if actor in answered or actor.lower() in answered:
                    self._pending.pop(actor, None)
                elif actor in self._pending:
                    self._pending[actor] += 1
                    if self._pending[actor] >= self.give_up_after:
                        del self._pending[actor]
        self._settle(current.error)
        return learned

    def _settle(self, error: ConnectorError | None) -> None:
        if error is None:
            self._failures = 0
            return
        if isinstance(error, RateLimited):
            wait = error.retry_after
        else:
            wait = backoff_delay(self._failures, base=2.0, cap=300.0)
        self._failures += 1
        self._retry_at = self.clock() + wait
        log.warning("Bluesky handle lookup failed, next try in %.0fs: %s", wait, error)
