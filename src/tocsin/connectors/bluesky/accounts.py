"""Account status changes from Jetstream ``account`` events.

Jetstream sends every subscriber the network's ``account`` events (whatever
``wantedCollections`` says): an account's hosting status changed.  As its README and the
``com.atproto.sync.subscribeRepos#account`` lexicon document them::

    {"did": "did:plc:l4jb3hkq7lrblferbywxkiol", "time_us": 1736451745611273, "kind": "account",
     "account": {"active": false, "did": "did:plc:l4jb3hkq7lrblferbywxkiol",
                 "seq": 3040939563, "status": "deactivated", "time": "2025-01-09T19:42:22.035Z"}}

``status`` (``takendown``, ``suspended``, ``deleted``, ``deactivated``, …) is present only when
``active`` is false.  The change is ordered by ``time_us`` — the stream position a replay
delivers again unchanged — and applied by :mod:`tocsin.ingestion.account_status`.

Example::

    change = account_change_from_event(event)
    change.external_id, change.active, change.status   # ('did:plc:…', False, 'deactivated')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tocsin.connectors.bluesky.identities import valid_did
from tocsin.ingestion.account_status import AccountStatusChange


def account_change_from_event(event: Mapping[str, Any]) -> AccountStatusChange | None:
    """The change an ``account`` event announces, or None if it is not usable."""
    body = event.get("account")
    if not isinstance(body, Mapping):
        return None
    did = valid_did(body.get("did") or event.get("did"))
    active = body.get("active")
    position = event.get("time_us")
    if did is None or not isinstance(active, bool):
        return None
    if not isinstance(position, int) or isinstance(position, bool) or position <= 0:
        return None
    status = body.get("status")
    return AccountStatusChange(
        external_id=did,
        active=active,
        status=status if isinstance(status, str) and not active else None,
        position=position,
    )
