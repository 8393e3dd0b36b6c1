"""The platforms Tocsin connects to, and the factories that turn a Source row into objects.

Importing this module imports every platform package, which registers each platform's
normaliser with :mod:`tocsin.ingestion.normalise`.  Lookups go through :data:`PLATFORMS` (a
registry of declared specs), never through ``getattr`` on user-supplied strings.

Example::

    publisher = publisher_for(session, "mastodon", brand_id=1)
    publisher.publish(OutboundReply(idempotency_key="reply:42", platform="mastodon",
                                    in_reply_to="mastodon.social/1100", text="Hello"))
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.connectors.base import ReplyPublisher
from tocsin.connectors.bluesky import SPEC as BLUESKY
from tocsin.connectors.fake import FakePublisher
from tocsin.connectors.ledger import LedgerPublisher
from tocsin.connectors.mastodon import SPEC as MASTODON
from tocsin.connectors.meta import SPEC as META
from tocsin.connectors.models import Source
from tocsin.connectors.reddit import SPEC as REDDIT
from tocsin.connectors.rss import SPEC as RSS
from tocsin.connectors.spec import ConnectorContext, Mode, PlatformSpec
from tocsin.connectors.webhook import SPEC as WEBHOOK
from tocsin.connectors.x import SPEC as X
from tocsin.privacy.secrets import SecretBox, SecretError

log = logging.getLogger(__name__)

PLATFORMS: dict[str, PlatformSpec] = {
    spec.platform: spec for spec in (BLUESKY, MASTODON, REDDIT, RSS, X, META, WEBHOOK)
}


class UnknownSourcePlatformError(ValueError):
    """No connector exists for this platform name."""


def platform_spec(platform: str) -> PlatformSpec:
    try:
        return PLATFORMS[platform]
    except KeyError:
        raise UnknownSourcePlatformError(
            f"unknown source platform {platform!r}; choose one of " + ", ".join(sorted(PLATFORMS))
        ) from None


def source_mode(source: Source) -> Mode:
    """How ``source`` runs: its ``mode`` setting when the platform supports it, else the
    platform's first mode."""
    spec = platform_spec(source.platform)
    wanted = (source.settings or {}).get("mode")
    for mode in spec.modes:
        if mode == wanted:
            return mode
    return spec.default_mode


def context_for(
    *,
    source: Source,
    settings: Settings,
    transport: httpx.BaseTransport | None = None,
) -> ConnectorContext:
    """Decrypt ``source``'s credentials into a :class:`ConnectorContext`."""
    credentials: dict[str, Any] = {}
    if source.credentials_encrypted:
        credentials = SecretBox(settings.secret_key).decrypt_json(source.credentials_encrypted)
    spec = PLATFORMS.get(source.platform)
    defaults = spec.setting_defaults(settings) if spec and spec.setting_defaults else {}
    return ConnectorContext(
        settings=dict(source.settings or {}),
        credentials=credentials,
        source_id=source.id,
        source_name=source.name,
        transport=transport,
        defaults=dict(defaults),
    )


def publisher_for(
    session: Session,
    platform: str,
    brand_id: int | None = None,
    *,
    settings: Settings | None = None,
    transport: httpx.BaseTransport | None = None,
) -> ReplyPublisher:
    """The publisher for replies to ``platform`` posts, wrapped in the idempotency ledger.

    An enabled source of the matching platform with reply credentials is chosen — the
    brand's own source first, then one without a brand.  When none is configured a
    :class:`~tocsin.connectors.fake.FakePublisher` is returned and a warning logged, so
    development and the demo work without platform accounts.  ``settings`` defaults to the
    environment's (``TOCSIN_SECRET_KEY`` decrypts the credentials).
    """
    settings = settings or Settings()
    candidates = [spec for spec in PLATFORMS.values() if spec.answers(platform)]
    names = [spec.platform for spec in candidates]
    rows = session.scalars(
        select(Source)
        .where(Source.platform.in_(names), Source.enabled.is_(True))
        .order_by(Source.id)
    ).all()
    ordered = sorted(rows, key=lambda s: (s.brand_id != brand_id, s.brand_id is not None))
    for source in ordered:
        if source.brand_id not in (brand_id, None):
            continue
        spec = PLATFORMS[source.platform]
        try:
            ctx = context_for(source=source, settings=settings, transport=transport)
        except SecretError as exc:
            log.warning("source %s: %s", source.name, exc)
            continue
        if spec.publisher is None or not spec.can_reply(ctx.credentials):
            continue
        inner = spec.publisher(ctx)
        return LedgerPublisher(inner, session=session, source_id=source.id)
    log.warning(
        "no %s source with reply credentials%s: replies go to the fake publisher",
        platform,
        f" for brand {brand_id}" if brand_id is not None else "",
    )
    return FakePublisher(platform)
