"""Sources: create and update them (credentials encrypted), run them, record what happened.

Running a source follows *store raw first, process second*: the fetched payloads are archived
(:func:`tocsin.ingestion.raw.store_raw`) in the same transaction as the new checkpoint and
the health fields, so a crash either keeps all three or none of them — a restart resumes from
the last committed checkpoint and the raw archive's unique digest absorbs the overlap.  The
archived payloads are then normalised and ingested (:func:`ingest_pending`).

Example::

    source = create_source(session=session, settings=settings, name="acme-news",
                           platform="rss", options={"url": "https://example.com/feed.xml"})
    session.commit()
    run_source(session_factory=factory, settings=settings, source_id=source.id)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.connectors.http import ConnectorError, RateLimited
from tocsin.connectors.models import Source
from tocsin.connectors.registry import context_for, platform_spec, source_mode
from tocsin.ingestion.normalise import UnknownPlatformError, get_normaliser
from tocsin.ingestion.raw import process_pending_raw, store_raw
from tocsin.privacy.secrets import SecretBox
from tocsin.types import as_utc, utcnow

log = logging.getLogger(__name__)

_NAME_MAX = 120
_ERROR_MAX = 2000
#: Checkpoint key holding when a rate-limited source may be polled again.
RETRY_AT = "_retry_at"


class SourceError(ValueError):
    """A source cannot be created or run as asked; the message says how to fix it."""


@dataclass(frozen=True)
class RunReport:
    source: str
    fetched: int
    stored: int
    ingested: int
    error: str | None = None


def get_source(*, session: Session, name: str) -> Source | None:
    return session.scalars(select(Source).where(Source.name == name)).first()


def list_sources(*, session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.platform, Source.name)))


def create_source(
    *,
    session: Session,
    settings: Settings,
    name: str,
    platform: str,
    options: Mapping[str, Any] | None = None,
    credentials: Mapping[str, Any] | None = None,
    brand_id: int | None = None,
    enabled: bool = True,
) -> Source:
    """Validate and add a source (flushed, not committed)."""
    spec = platform_spec(platform)
    name = name.strip()
    if not name or len(name) > _NAME_MAX:
        raise SourceError(f"a source needs a name of 1 to {_NAME_MAX} characters")
    if get_source(session=session, name=name) is not None:
        raise SourceError(f"a source named {name!r} exists already; pick another name")
    clean = _clean_options(platform, options or {})
    secrets = {k: v for k, v in (credentials or {}).items() if v not in (None, "")}
    allowed = {f.name for f in spec.credentials}
    unknown = sorted(set(secrets) - allowed)
    if unknown:
        raise SourceError(
            f"unknown credential {unknown[0]!r} for {platform}; expected one of "
            + (", ".join(sorted(allowed)) or "none")
        )
    source = Source(
        name=name,
        platform=platform,
        brand_id=brand_id,
        enabled=enabled,
        settings=clean,
        checkpoint={},
        credentials_encrypted=SecretBox(settings.secret_key).encrypt_json(secrets)
        if secrets
        else None,
    )
    session.add(source)
    session.flush()
    return source


def update_source(
    *,
    session: Session,
    settings: Settings,
    source: Source,
    options: Mapping[str, Any] | None = None,
    credentials: Mapping[str, Any] | None = None,
    enabled: bool | None = None,
    brand_id: int | None = None,
    reset_checkpoint: bool = False,
) -> Source:
    """Change a source; a credential given as ``""`` or left out keeps its stored value."""
    spec = platform_spec(source.platform)
    if options is not None:
        source.settings = _clean_options(source.platform, options)
    if credentials:
        current = source_credentials(source=source, settings=settings)
        allowed = {f.name for f in spec.credentials}
        for key, value in credentials.items():
            if key not in allowed:
                raise SourceError(f"unknown credential {key!r} for {source.platform}")
            if value not in (None, ""):
                current[key] = value
        box = SecretBox(settings.secret_key)
        source.credentials_encrypted = box.encrypt_json(current) if current else None
    if enabled is not None:
        source.enabled = enabled
        if enabled:
            source.error_count = 0
    if brand_id is not None:
        source.brand_id = brand_id or None
    if reset_checkpoint:
        source.checkpoint = {}
    session.flush()
    return source


def source_credentials(*, source: Source, settings: Settings) -> dict[str, Any]:
    """The decrypted credentials (raises :class:`~tocsin.privacy.secrets.SecretError`)."""
    if not source.credentials_encrypted:
        return {}
    return SecretBox(settings.secret_key).decrypt_json(source.credentials_encrypted)


def masked_credentials(*, source: Source, settings: Settings) -> dict[str, str]:
    """Each stored credential as ``••••••wxyz`` (its last four characters at most)."""
    try:
        values = source_credentials(source=source, settings=settings)
    except ValueError:
        return {"error": "cannot be decrypted with the current TOCSIN_SECRET_KEY"}
    return {key: mask(str(value)) for key, value in values.items()}


def mask(value: str) -> str:
    return "••••••" + (value[-4:] if len(value) >= 12 else "")


def _clean_options(platform: str, options: Mapping[str, Any]) -> dict[str, Any]:
    spec = platform_spec(platform)
    known = {f.name: f for f in spec.fields}
    clean: dict[str, Any] = {}
    for key, value in options.items():
        if key not in known:
            raise SourceError(
                f"unknown setting {key!r} for {platform}; expected one of "
                + ", ".join(sorted(known))
            )
        if known[key].is_list and isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if value not in (None, "", []):
            clean[key] = value
    missing = [f.name for f in spec.fields if f.required and f.name not in clean]
    if missing:
        raise SourceError(f"{platform} sources need the setting {missing[0]!r}")
    mode = clean.get("mode")
    if mode is not None and mode not in spec.modes:
        raise SourceError(f"{platform} sources run in mode " + " or ".join(spec.modes))
    interval = clean.get("interval_seconds")
    if interval is not None:
        if not str(interval).isdigit() or int(interval) < spec.min_interval:
            raise SourceError(f"interval_seconds must be a whole number ≥ {spec.min_interval}")
        clean["interval_seconds"] = int(interval)
    return clean


def record_fetch(
    *,
    session: Session,
    source: Source,
    payloads: Sequence[Mapping[str, Any]],
    checkpoint: Mapping[str, Any],
    item_at: datetime | None = None,
) -> int:
    """Archive ``payloads``, move the checkpoint and mark the source healthy; not committed.

    Returns how many payloads were new to the archive.
    """
    raw_platform = platform_spec(source.platform).raw_platform
    stored = 0
    for payload in payloads:
        if store_raw(
            session=session, platform=raw_platform, payload=dict(payload), source_id=source.id
        ):
            stored += 1
    source.checkpoint = {k: v for k, v in checkpoint.items() if k != RETRY_AT}
    source.last_success_at = utcnow()
    if item_at is not None:
        item_at = as_utc(item_at)
        if source.last_item_at is None or item_at > source.last_item_at:
            source.last_item_at = item_at
    source.error_count = 0
    session.flush()
    return stored


def record_failure(
    *, session: Session, source: Source, error: str, retry_after: float | None = None
) -> None:
    """Count a failed run (consecutive errors) and remember the message; not committed."""
    source.error_count = (source.error_count or 0) + 1
    source.last_error = error[:_ERROR_MAX]
    source.last_error_at = utcnow()
    if retry_after is not None:
        until = utcnow() + timedelta(seconds=retry_after)
        source.checkpoint = {**source.checkpoint, RETRY_AT: until.isoformat()}
    session.flush()


def ingest_pending(*, session_factory: sessionmaker[Session], limit: int = 500) -> int:
    """Normalise and ingest archived payloads until none is pending; returns posts handled."""
    handled = 0
    while True:
        with session_factory() as session:
            report = process_pending_raw(session=session, limit=limit)
            session.commit()
        handled += len(report.outcomes)
        if len(report.outcomes) == 0:
            return handled


def newest_item_at(raw_platform: str, payloads: Sequence[Mapping[str, Any]]) -> datetime | None:
    """The creation time of the newest post in ``payloads`` (for the health view's lag)."""
    try:
        normalise = get_normaliser(raw_platform)
    except UnknownPlatformError:
        return None
    newest: datetime | None = None
    for payload in payloads:
        try:
            posts = normalise(dict(payload))
        except Exception:  # noqa: BLE001, S112 - the archive records it when it is processed
            continue
        for post in posts:
            if newest is None or post.created_at > newest:
                newest = post.created_at
    return newest


def run_source(
    *,
    session_factory: sessionmaker[Session],
    settings: Settings,
    source_id: int,
    transport: httpx.BaseTransport | None = None,
    ingest: bool = True,
) -> RunReport:
    """Fetch once from a pollable source, store, checkpoint, then ingest what was stored."""
    with session_factory() as session:
        source = session.get(Source, source_id)
        if source is None:
            raise SourceError(f"no source with id {source_id}")
        spec = platform_spec(source.platform)
        if source_mode(source) != "poll" or spec.connector is None:
            raise SourceError(
                f"{source.name} is a {source_mode(source)} source: it runs continuously, "
                "not on demand"
            )
        name = source.name
        try:
            ctx = context_for(source=source, settings=settings, transport=transport)
            result = spec.connector(ctx).fetch(dict(source.checkpoint))
        except RateLimited as exc:
            record_failure(
                session=session, source=source, error=str(exc), retry_after=exc.retry_after
            )
            session.commit()
            return RunReport(name, 0, 0, 0, error=str(exc))
        except (ConnectorError, ValueError, httpx.HTTPError) as exc:
            message = f"{type(exc).__name__}: {exc}"
            record_failure(session=session, source=source, error=message)
            session.commit()
            log.warning("source %s failed: %s", name, message)
            return RunReport(name, 0, 0, 0, error=message)
        stored = record_fetch(
            session=session,
            source=source,
            payloads=result.payloads,
            checkpoint=result.checkpoint,
            item_at=newest_item_at(spec.raw_platform, result.payloads),
        )
        if result.retry_after:
            until = utcnow() + timedelta(seconds=result.retry_after)
            source.checkpoint = {**source.checkpoint, RETRY_AT: until.isoformat()}
        session.commit()
    ingested = ingest_pending(session_factory=session_factory) if ingest and stored else 0
    return RunReport(name, len(result.payloads), stored, ingested)
