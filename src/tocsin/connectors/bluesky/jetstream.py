"""The Jetstream consumer: Bluesky's firehose as JSON over a websocket, no authentication.

Subscribing with ``wantedCollections=app.bsky.feed.post`` delivers every post created,
edited or deleted on the network.  Each event carries ``time_us``; reconnecting with
``cursor=<time_us>`` replays from there, so the checkpoint is the last ``time_us`` seen.
Only posts matching the brand queries are kept (see :class:`~tocsin.connectors.streams.
StreamConsumer`).

A commit names its author by DID only.  The adapter learns handles from the ``identity``
events Jetstream sends every subscriber and, for the authors of the posts being stored, from
``app.bsky.actor.getProfiles`` (:mod:`.profiles`), waiting for it at most ``resolve_wait``
seconds per flush.  What it learns is written with the posts
(:func:`tocsin.ingestion.identities.apply_identities`): a post whose author could not be
looked up in time is stored under the DID, and its author is renamed when the handle is known
(a later flush, the author's next post, or the hourly sweep of authors still named by DID).

``account`` events say an account was deleted, taken down, suspended, deactivated or is active
again (:mod:`.accounts`).  Those of authors we store are applied in the flush's transaction
(:func:`tocsin.ingestion.account_status.apply_account_statuses`: deleted and taken-down
authors' posts become tombstones, the others are hidden until the account is back).  Until a
change is applied the checkpoint stays at its ``time_us``, so a crash or a failed flush replays
it; applying it twice changes nothing.

Example::

    adapter = JetstreamAdapter(ctx)
    adapter.connection({"cursor": 1735689600000000})
    # ('wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=...&cursor=...', {})
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from tocsin.connectors.bluesky.accounts import account_change_from_event
from tocsin.connectors.bluesky.identities import (
    Identity,
    IdentityCache,
    identity_from_event,
    valid_did,
    valid_handle,
)
from tocsin.connectors.bluesky.normalise import POST_COLLECTION, post_uri
from tocsin.connectors.bluesky.profiles import ProfileLookup
from tocsin.connectors.spec import ConnectorContext
from tocsin.connectors.stream_types import StreamBatch, StreamItem
from tocsin.connectors.text import from_epoch, safe_lang
from tocsin.ingestion.account_status import AccountStatusChange, apply_account_statuses
from tocsin.ingestion.identities import AuthorIdentity, apply_identities, placeholder_authors
from tocsin.listening.query import MatchablePost, QuerySet
from tocsin.types import utcnow

log = logging.getLogger(__name__)

DEFAULT_JETSTREAM = "wss://jetstream2.us-east.bsky.network/subscribe"
#: Authors still named by DID that one sweep asks the AppView about.
SWEEP_SIZE = 500


class JetstreamAdapter:
    post_platform = "bluesky"

    def __init__(
        self,
        ctx: ConnectorContext,
        *,
        resolve_wait: float = 1.0,
        cache_size: int = 50_000,
        sweep_interval: float = 3600.0,
    ) -> None:
        self.endpoint = str(ctx.setting("endpoint", DEFAULT_JETSTREAM))
        self.filter_by_brands = True
        self.resolve_wait = resolve_wait
        self.sweep_interval = sweep_interval
        self.identities = IdentityCache(cache_size)
        self.profiles = ProfileLookup(ctx)
        #: Identities that changed since the last flush, to write to the stored authors.
        self._changed: dict[str, Identity] = {}
        #: DIDs of the authors of the posts being flushed.
        self._authors: set[str] = set()
        #: Handles the listening queries name (``author:@alice.bsky.social``).
        self._watched: set[str] = set()
        #: Account status changes read but not applied yet (they hold the checkpoint back).
        self._accounts: list[AccountStatusChange] = []
        self._sweep_at = 0.0

    def connection(self, checkpoint: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
        params: dict[str, Any] = {"wantedCollections": POST_COLLECTION}
        cursor = checkpoint.get("cursor")
        if isinstance(cursor, int) and cursor > 0:
            params["cursor"] = cursor
        return f"{self.endpoint}?{urlencode(params)}", {}

    def catch_up(self, checkpoint: Mapping[str, Any]) -> Iterator[StreamBatch]:
        return iter(())

    def parse(self, message: str | bytes) -> StreamBatch:
        event = json.loads(message)
        if not isinstance(event, dict) or "time_us" not in event:
            return StreamBatch()
        time_us = int(event["time_us"])
        if event.get("kind") == "account":
            change = account_change_from_event(event)
            if change is not None:
                self._accounts.append(change)
        batch = StreamBatch(
            checkpoint={"cursor": self._resume_at(time_us)},
            position_at=from_epoch(time_us / 1e6),
        )
        if event.get("kind") == "identity":
            learned = identity_from_event(event)
            if learned is not None:
                self._learn(*learned)
            return batch
        commit = event.get("commit") or {}
        if event.get("kind") != "commit" or commit.get("collection") != POST_COLLECTION:
            return batch
        did = str(event["did"])
        uri = post_uri(did, str(commit["rkey"]))
        if commit.get("operation") == "delete":
            batch.items.append(StreamItem(payload=event, external_id=uri, deletion=True))
            return batch
        record = commit.get("record") or {}
        langs = record.get("langs") or []
        known = self.identities.get(did)
        matchable = MatchablePost(
            text=str(record.get("text", "")),
            lang=safe_lang(langs[0]) if langs else None,
            platform="bluesky",
            author_handle=known.handle if known is not None else did,
        )
        batch.items.append(StreamItem(payload=event, external_id=uri, matchable=matchable))
        return batch

    # -- the consumer's hooks (tocsin.connectors.stream_types.StreamHooks) -------------------
    def queries_loaded(self, queries: QuerySet) -> None:
        """Look up the authors the queries name (``author:@x``), so their posts pass the
        filter by handle; they stay in the cache for good."""
        handles: set[str] = set()
        for name in queries:
            for term in queries[name].terms:
                field, _, value = term.partition(":")
                handle = valid_handle(value) if field.lower() == "author" else None
                if handle is not None:
                    handles.add(handle)
        new = sorted(handles - self._watched)
        self._watched |= handles
        if new:  # rare (start, a query edited): worth a moment before posts are filtered
            self.profiles.want(new)
            for did, identity in self.profiles.poll(self.resolve_wait).items():
                self._learn(did, identity)

    def before_flush(self, items: Sequence[StreamItem]) -> None:
        """Look up the authors of ``items`` not known yet, waiting at most ``resolve_wait``."""
        authors: set[str] = set()
        for item in items:
            did = valid_did(item.payload.get("did"))
            if did is not None and not item.deletion:
                authors.add(did)
        self._authors = authors
        known = {did: self.identities.get(did) for did in authors}
        # an identity event gives the handle only: the profile adds the display name
        self.profiles.want(
            sorted(d for d, found in known.items() if found is None or found.display_name is None)
        )
        deadline = time.monotonic() + self.resolve_wait
        for _ in range(2):  # a round already running may not hold these authors: one more
            missing = [did for did in authors if self.identities.get(did) is None]
            left = deadline - time.monotonic() if missing else 0.0
            for did, identity in self.profiles.poll(max(0.0, left)).items():
                self._learn(did, identity)
            if left <= 0 or self.profiles.backing_off:
                break

    def on_flush(self, session: Session) -> None:
        """Apply the account status changes read, then write the handles learned, creating
        the authors of the posts being stored."""
        self._apply_accounts(session)
        writes = {did: _author_identity(identity) for did, identity in self._changed.items()}
        for did in self._authors:
            found = self.identities.get(did)
            if found is not None and did not in writes:
                writes[did] = _author_identity(found)
        apply_identities(
            session=session,
            platform=self.post_platform,
            identities=writes,
            create=self._authors,
            now=utcnow(),
        )
        self._changed.clear()
        self._authors = set()
        if time.monotonic() >= self._sweep_at:
            self._sweep_at = time.monotonic() + self.sweep_interval
            stale = placeholder_authors(
                session=session, platform=self.post_platform, limit=SWEEP_SIZE
            )
            self.profiles.want(did for did in stale if valid_did(did))

    def _resume_at(self, time_us: int) -> int:
        """The cursor to store: never past an account change not applied yet."""
        if not self._accounts:
            return time_us
        return min(time_us, min(change.position for change in self._accounts))

    def _apply_accounts(self, session: Session) -> None:
        if not self._accounts:
            return
        mentioned = {change.external_id for change in self._accounts}
        try:
            with session.begin_nested():
                apply_account_statuses(
                    session=session,
                    platform=self.post_platform,
                    changes=self._accounts,
                    create=self._authors & mentioned,
                    now=utcnow(),
                    actor_label="bluesky jetstream",
                )
        except SQLAlchemyError as exc:
            log.warning("Bluesky account status changes kept for the next flush: %s", exc)
            return
        self._accounts = []

    def _learn(self, did: str, identity: Identity) -> None:
        changed = self.identities.learn(did, identity)
        if changed is None:
            return
        self._changed[did] = changed
        if changed.handle in self._watched:
            self.identities.pin(did)


def _author_identity(identity: Identity) -> AuthorIdentity:
    return AuthorIdentity(
        handle=identity.handle, display_name=identity.display_name, followers=identity.followers
    )
