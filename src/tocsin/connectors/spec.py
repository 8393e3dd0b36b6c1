"""What a platform package declares: its fields, how it runs, and its factories.

Each platform package exposes one :class:`PlatformSpec` named ``SPEC``; the registry
(:mod:`tocsin.connectors.registry`) collects them.  A source runs in one of three modes:

* ``poll`` — a periodic job calls the connector's :meth:`~SourceConnector.fetch`;
* ``stream`` — a long-lived consumer thread reads a websocket (Jetstream, Mastodon);
* ``webhook`` — the platform calls us (Meta, the generic inbound webhook).

Example::

    SPEC = PlatformSpec(
        platform="rss", label="RSS / Atom feed", raw_platform="rss", modes=("poll",),
        fields=(FieldSpec("url", "Feed URL", required=True),),
        connector=lambda ctx: FeedConnector(ctx),
    )
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import httpx

from tocsin.connectors.base import ReplyPublisher, SourceConnector

if TYPE_CHECKING:
    from tocsin.config import Settings
    from tocsin.connectors.stream_types import StreamAdapter

Mode = Literal["poll", "stream", "webhook"]


@dataclass(frozen=True)
class FieldSpec:
    """One setting or credential a user fills in (the form and the CLI are built from it)."""

    name: str
    label: str
    required: bool = False
    help: str = ""
    #: Comma-separated in forms and CLI, stored as a list.
    is_list: bool = False


@dataclass(frozen=True)
class ConnectorContext:
    """Everything a connector or publisher needs, decrypted and resolved by the caller."""

    settings: Mapping[str, Any]
    credentials: Mapping[str, Any]
    source_id: int | None = None
    source_name: str = ""
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    #: Values from Tocsin's own settings that a source's settings override (the platform's
    #: ``setting_defaults``), e.g. Bluesky's ``appview`` from ``TOCSIN_BLUESKY_APPVIEW_URL``.
    defaults: Mapping[str, Any] = field(default_factory=dict)

    def setting(self, name: str, default: Any = None) -> Any:
        value = self.settings.get(name)
        if value in (None, "", []):
            value = self.defaults.get(name)
        return default if value in (None, "", []) else value

    def credential(self, name: str) -> str:
        value = self.credentials.get(name)
        return str(value) if value not in (None, "") else ""


@dataclass(frozen=True)
class PlatformSpec:
    platform: str
    label: str
    #: The normaliser its raw payloads are archived under.
    raw_platform: str
    modes: tuple[Mode, ...]
    fields: tuple[FieldSpec, ...] = ()
    credentials: tuple[FieldSpec, ...] = ()
    #: Canonical post platforms whose replies go through this source (``meta`` answers
    #: ``facebook`` and ``instagram`` posts).
    post_platforms: tuple[str, ...] = ()
    connector: Callable[[ConnectorContext], SourceConnector] | None = None
    stream: Callable[[ConnectorContext], StreamAdapter] | None = None
    publisher: Callable[[ConnectorContext], ReplyPublisher] | None = None
    #: Credentials that must be present for the publisher to work.
    reply_credentials: tuple[str, ...] = ()
    default_interval: int = 300
    #: Minimum seconds between polls the platform tolerates.
    min_interval: int = 30
    #: Setting values taken from Tocsin's settings when a source leaves them empty.
    setting_defaults: Callable[[Settings], Mapping[str, Any]] | None = None
    docs: str = field(default="docs/connectors.md")

    @property
    def default_mode(self) -> Mode:
        return self.modes[0]

    def answers(self, post_platform: str) -> bool:
        return post_platform in (self.post_platforms or (self.platform,))

    def can_reply(self, credentials: Mapping[str, Any]) -> bool:
        if self.publisher is None:
            return False
        return all(credentials.get(name) for name in self.reply_credentials)
