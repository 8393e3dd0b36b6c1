"""Receiving Meta webhooks: subscription check, signature, staleness and replay refusal.

* ``GET`` — Meta verifies the endpoint with ``hub.mode=subscribe``, ``hub.verify_token`` (the
  token typed in the App Dashboard) and ``hub.challenge``, which we echo.
* ``POST`` — ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>``.  A
  missing or wrong signature (forged or altered body), an entry older than ``max_age``
  seconds, or a delivery whose every change was seen before (replayed) is refused; the
  caller answers 401 and logs the reason.  Accepted deliveries are archived raw.

Example::

    outcome = accept_delivery(session=session, sources=meta_sources, settings=settings,
                              body=raw_body, signature=request.headers.get(SIGNATURE_HEADER))
    outcome.accepted, outcome.reason
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.connectors.meta.normalise import entry_time
from tocsin.connectors.models import Source
from tocsin.connectors.receipts import remember
from tocsin.ingestion.raw import store_raw
from tocsin.privacy.secrets import SecretBox, SecretError
from tocsin.types import utcnow

SIGNATURE_HEADER = "X-Hub-Signature-256"
DEFAULT_MAX_AGE = 36 * 3600  # Meta retries failed deliveries for up to 36 hours
PROVIDER = "meta"


@dataclass(frozen=True)
class Delivery:
    accepted: bool
    reason: str = ""
    source_id: int | None = None
    stored: bool = False


def sign_body(app_secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends for ``body``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    if not header or not app_secret:
        return False
    return hmac.compare_digest(sign_body(app_secret, body), header.strip())


def _credentials(source: Source, settings: Settings) -> dict[str, Any]:
    if not source.credentials_encrypted:
        return {}
    try:
        return SecretBox(settings.secret_key).decrypt_json(source.credentials_encrypted)
    except SecretError:
        return {}


def verify_subscription(
    *, sources: Sequence[Source], settings: Settings, mode: str, token: str, challenge: str
) -> str | None:
    """The challenge to echo if ``token`` is a configured verify token, else None."""
    if mode != "subscribe" or not token:
        return None
    for source in sources:
        expected = str(_credentials(source, settings).get("verify_token", ""))
        if expected and hmac.compare_digest(expected, token):
            return challenge
    return None


def change_keys(payload: dict[str, Any]) -> list[str]:
    """One replay key per change: entry id, entry time, field and the changed object's id."""
    keys: list[str] = []
    for entry in payload.get("entry", []):
        prefix = f"{entry.get('id')}:{entry.get('time')}"
        changes = entry.get("changes") or []
        if not changes:
            digest = hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()
            keys.append(f"{prefix}:{digest[:32]}")
        for change in changes:
            value = change.get("value") or {}
            ident = (
                value.get("comment_id")
                or value.get("id")
                or value.get("post_id")
                or value.get("media_id")
                or ""
            )
            keys.append(f"{prefix}:{change.get('field')}:{ident}:{value.get('verb', '')}")
    return keys


def accept_delivery(
    *,
    session: Session,
    sources: Sequence[Source],
    settings: Settings,
    body: bytes,
    signature: str | None,
) -> Delivery:
    """Check and archive one ``POST``; nothing is committed."""
    source = next(
        (
            s
            for s in sources
            if signature_valid(
                str(_credentials(s, settings).get("app_secret", "")), body, signature
            )
        ),
        None,
    )
    if source is None:
        why = "missing signature" if not signature else "bad signature"
        return Delivery(False, why)
    try:
        payload = json.loads(body)
        entries = payload["entry"]
        times = [entry_time(entry) for entry in entries]
    except (ValueError, KeyError, TypeError):
        return Delivery(False, "not a Meta webhook payload", source.id)
    configured = str((source.settings or {}).get("max_age_seconds", ""))
    max_age = int(configured) if configured.isdigit() else DEFAULT_MAX_AGE
    if any(moment < utcnow() - timedelta(seconds=max_age) for moment in times):
        return Delivery(False, f"stale delivery (older than {max_age} s)", source.id)
    fresh = remember(
        session=session, provider=PROVIDER, keys=change_keys(payload), source_id=source.id
    )
    if fresh and not any(fresh):
        return Delivery(False, "replayed delivery", source.id)
    row = store_raw(session=session, platform="meta", payload=payload, source_id=source.id)
    source.last_success_at = utcnow()
    if times:
        newest = max(times)
        if source.last_item_at is None or newest > source.last_item_at:
            source.last_item_at = newest
    return Delivery(True, "", source.id, stored=row is not None)
