"""The DID → handle cache and the getProfiles lookup, without a stream."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import ValidationError

from tests.connectors.bluesky_fakes import APPVIEW, FakeAppView, identity_event, profile
from tocsin.connectors.bluesky.identities import (
    Identity,
    IdentityCache,
    identity_from_event,
    identity_from_profile,
    valid_handle,
)
from tocsin.connectors.bluesky.profiles import ProfileLookup
from tocsin.connectors.bluesky.xrpc import Xrpc
from tocsin.connectors.models import Source
from tocsin.connectors.registry import context_for
from tocsin.connectors.spec import ConnectorContext

DID = "did:plc:ufbl4k27gp6kzas5glhz7fim"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_identity_events_and_profiles_are_read_as_documented() -> None:
    did, identity = identity_from_event(identity_event(DID, "yohenrique.bsky.social", 5))
    assert (did, identity.handle, identity.display_name) == (DID, "yohenrique.bsky.social", None)
    assert identity.as_of == T0 + timedelta(seconds=5)
    assert identity_from_event(identity_event(DID, "handle.invalid", 5)) is None
    assert (
        identity_from_event({"did": DID, "time_us": 1, "kind": "identity", "identity": {}}) is None
    )

    did, identity = identity_from_profile(profile(DID, "Ana.Example.COM", " Ana  B "), as_of=T0)
    assert (identity.handle, identity.display_name, identity.followers) == (
        "ana.example.com",
        "Ana B",
        12,
    )
    assert [valid_handle(v) for v in ("@a.bsky.social", "nodot", "x.local", 3)] == [
        "a.bsky.social",
        None,
        None,
        None,
    ]


def test_the_cache_is_bounded_keeps_pinned_authors_and_never_goes_back_in_time() -> None:
    cache = IdentityCache(capacity=2)
    cache.learn("did:plc:a", Identity("a.bsky.social", T0))
    cache.pin("did:plc:a")
    for n in range(5):
        cache.learn(f"did:plc:x{n}", Identity(f"x{n}.bsky.social", T0))
    assert len(cache) == 3 and cache.get("did:plc:x0") is None
    assert cache.get("did:plc:a") is not None

    later = T0 + timedelta(hours=1)
    changed = cache.learn("did:plc:a", Identity("a.example.com", later))
    assert changed is not None and changed.handle == "a.example.com"
    # an older profile (an AppView behind the change) brings the name, not the old handle
    older = cache.learn("did:plc:a", Identity("a.bsky.social", T0, display_name="A", followers=3))
    assert older is not None
    assert (older.handle, older.display_name, older.followers) == ("a.example.com", "A", 3)
    assert cache.learn("did:plc:a", Identity("a.example.com", later)) is None  # nothing new


def test_the_lookup_gives_up_on_unknown_actors_and_waits_when_asked() -> None:
    now = [0.0]
    appview = FakeAppView(profile(DID, "ana.bsky.social", "Ana"))
    ctx = ConnectorContext(
        settings={"appview": APPVIEW}, credentials={}, transport=httpx.MockTransport(appview)
    )
    lookup = ProfileLookup(ctx, clock=lambda: now[0])
    lookup.want([DID, "did:plc:gone"])

    found = lookup.poll(wait=5.0)
    assert set(found) == {DID} and lookup.pending == 1
    lookup.poll(wait=5.0)
    lookup.poll(wait=5.0)
    assert lookup.pending == 0  # three answers without it: a deleted account

    appview.down = True
    lookup.want(["did:plc:later"])
    assert lookup.poll(wait=5.0) == {} and lookup.backing_off
    calls = len(appview.calls)
    assert lookup.poll(wait=5.0) == {} and len(appview.calls) == calls  # no call while waiting
    appview.down = False
    now[0] += 3600
    lookup.poll(wait=5.0)
    assert len(appview.calls) == calls + 1 and not lookup.backing_off


def test_the_appview_comes_from_the_settings_unless_the_source_names_one(settings) -> None:
    custom = settings.model_copy(update={"bluesky_appview_url": "https://appview.example"})
    plain = Source(name="b", platform="bluesky", settings={})
    assert Xrpc(context_for(source=plain, settings=custom)).appview == "https://appview.example"
    own = Source(name="c", platform="bluesky", settings={"appview": "https://own.example"})
    assert Xrpc(context_for(source=own, settings=custom)).appview == "https://own.example"
    assert Xrpc(context_for(source=plain, settings=settings)).appview == (
        "https://public.api.bsky.app"
    )
    with pytest.raises(ValidationError, match="TOCSIN_BLUESKY_APPVIEW_URL"):
        type(settings)(bluesky_appview_url="public.api.bsky.app")
