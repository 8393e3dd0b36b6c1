"""Who a DID is: a bounded cache of handles and display names, fed by identity events.

A Jetstream commit names its author by DID only.  Jetstream also sends every subscriber the
network's ``identity`` events (whatever ``wantedCollections`` says), each one a DID's current
handle::

    {"did": "did:plc:ufbl4k27gp6kzas5glhz7fim", "time_us": 1725516665234703, "kind": "identity",
     "identity": {"did": "did:plc:ufbl4k27gp6kzas5glhz7fim", "handle": "yohenrique.bsky.social",
                  "seq": 1409752997, "time": "2024-09-05T06:11:04.870Z"}}

and ``app.bsky.actor.getProfiles`` answers with ``profileViewDetailed`` objects (``did``,
``handle``, ``displayName``, ``followersCount``…).  Both feed an :class:`IdentityCache`; an
older fact never replaces a newer one (``as_of``).  A handle that does not verify is sent as
``handle.invalid`` and is ignored, like any value that is not a valid handle.

Example::

    cache = IdentityCache(capacity=1000)
    did, identity = identity_from_event(event)
    cache.learn(did, identity)
    cache.get(did).handle          # 'yohenrique.bsky.social'
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tocsin.connectors.text import from_epoch, parse_time

#: atproto handle syntax: a domain name of at least two labels (https://atproto.com/specs/handle).
_HANDLE = re.compile(
    r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?", re.ASCII
)
#: Top-level domains the spec refuses (``handle.invalid`` is the "no valid handle" marker).
_DISALLOWED_TLDS = frozenset(
    {"alt", "arpa", "example", "internal", "invalid", "local", "localhost", "onion"}
)
_DID = re.compile(r"did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]", re.ASCII)
#: What the authors table holds (``external_id`` and ``display_name`` columns).
_MAX_DID = 200
_MAX_DISPLAY_NAME = 300


def valid_handle(value: object) -> str | None:
    """``value`` as a lower-case handle, or None when it is not a usable handle."""
    if not isinstance(value, str):
        return None
    handle = value.strip().lstrip("@").lower()
    if len(handle) > 253 or not _HANDLE.fullmatch(handle):
        return None
    if handle.rsplit(".", 1)[-1] in _DISALLOWED_TLDS:
        return None
    return handle


def valid_did(value: object) -> str | None:
    """``value`` if it is a DID that fits the authors table, else None."""
    if isinstance(value, str) and len(value) <= _MAX_DID and _DID.fullmatch(value):
        return value
    return None


@dataclass(frozen=True)
class Identity:
    """A DID's handle and, once a profile was read, its display name and follower count."""

    handle: str
    as_of: datetime
    display_name: str | None = None
    followers: int | None = None

    def updated_by(self, newer: Identity) -> Identity:
        """This identity with what ``newer`` knows laid over it (its ``None`` keeps ours)."""
        return replace(
            newer,
            display_name=self.display_name if newer.display_name is None else newer.display_name,
            followers=self.followers if newer.followers is None else newer.followers,
        )

    def same_facts(self, other: Identity) -> bool:
        return (self.handle, self.display_name, self.followers) == (
            other.handle,
            other.display_name,
            other.followers,
        )


class IdentityCache:
    """DID → :class:`Identity`, least recently used first out beyond ``capacity``.

    Pinned DIDs (the authors a listening query names) are never evicted.  Not thread-safe:
    the stream consumer's thread is its only user.
    """

    def __init__(self, capacity: int = 50_000) -> None:
        self.capacity = capacity
        self._recent: OrderedDict[str, Identity] = OrderedDict()
        self._pinned: dict[str, Identity] = {}

    def __len__(self) -> int:
        return len(self._recent) + len(self._pinned)

    def get(self, did: str) -> Identity | None:
        pinned = self._pinned.get(did)
        if pinned is not None:
            return pinned
        found = self._recent.get(did)
        if found is not None:
            self._recent.move_to_end(did)
        return found

    def learn(self, did: str, identity: Identity) -> Identity | None:
        """Record ``identity``; return the entry if a fact changed, None if nothing did.

        An older handle (a replayed event, an AppView not yet aware of a change) never undoes
        a newer one; an older profile still brings the display name and follower count.
        """
        current = self._pinned.get(did) or self._recent.get(did)
        if current is None:
            merged = identity
        elif identity.as_of < current.as_of:
            merged = replace(identity, handle=current.handle, as_of=current.as_of)
            merged = current.updated_by(merged)
        else:
            merged = current.updated_by(identity)
        self._store(did, merged)
        if current is not None and current.same_facts(merged):
            return None
        return merged

    def pin(self, did: str) -> None:
        found = self._recent.pop(did, None)
        if found is not None:
            self._pinned[did] = found

    def _store(self, did: str, identity: Identity) -> None:
        if did in self._pinned:
            self._pinned[did] = identity
            return
        self._recent[did] = identity
        self._recent.move_to_end(did)
        while len(self._recent) > self.capacity:
            self._recent.popitem(last=False)


def identity_from_event(event: Mapping[str, Any]) -> tuple[str, Identity] | None:
    """The DID and handle an ``identity`` event announces, or None if it has no valid one."""
    body = event.get("identity")
    if not isinstance(body, Mapping):
        return None
    did = valid_did(body.get("did") or event.get("did"))
    handle = valid_handle(body.get("handle"))
    if did is None or handle is None:
        return None
    try:
        as_of = parse_time(str(body["time"]))
    except (KeyError, ValueError):
        try:
            as_of = from_epoch(int(event["time_us"]) / 1_000_000)
        except (KeyError, TypeError, ValueError):
            return None
    return did, Identity(handle=handle, as_of=as_of)


def identity_from_profile(
    profile: Mapping[str, Any], *, as_of: datetime
) -> tuple[str, Identity] | None:
    """The identity in an ``app.bsky.actor.defs#profileViewDetailed``, or None if unusable."""
    did = valid_did(profile.get("did"))
    handle = valid_handle(profile.get("handle"))
    if did is None or handle is None:
        return None
    name = profile.get("displayName")
    count = profile.get("followersCount")
    return did, Identity(
        handle=handle,
        as_of=as_of,
        display_name=" ".join(name.split())[:_MAX_DISPLAY_NAME] if isinstance(name, str) else "",
        followers=count if isinstance(count, int) and count >= 0 else None,
    )
