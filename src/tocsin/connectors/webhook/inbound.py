"""The generic inbound webhook: any system can push canonical posts to a source.

``POST /webhooks/inbound/{source_id}`` with a JSON body that is one canonical post or
``{"posts": [...]}``, signed like Tocsin's own outgoing webhooks: ``X-Tocsin-Signature:
t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`` (see
:func:`tocsin.notifications.senders.sign`).  A signature older than five minutes, or one
already used, is refused (replay).  The body is validated before anything is stored.

Example::

    body = json.dumps({"posts": [post]}).encode()
    headers = {"X-Tocsin-Signature": sign(secret, body)}
    httpx.post(f"{base}/webhooks/inbound/{source.id}", content=body, headers=headers)
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.connectors.models import Source
from tocsin.connectors.receipts import remember
from tocsin.ingestion.normalise import CANONICAL, normalise_canonical
from tocsin.ingestion.raw import store_raw
from tocsin.ingestion.service import validation_reason
from tocsin.notifications.senders import SIGNATURE_HEADER, verify_signature
from tocsin.privacy.secrets import SecretBox, SecretError
from tocsin.types import utcnow

PROVIDER = "inbound"
TOLERANCE_SECONDS = 300

__all__ = ["SIGNATURE_HEADER", "Inbound", "accept_inbound"]


@dataclass(frozen=True)
class Inbound:
    status: int
    reason: str = ""
    posts: int = 0


def accept_inbound(
    *,
    session: Session,
    source: Source | None,
    settings: Settings,
    body: bytes,
    signature: str | None,
) -> Inbound:
    """Check and archive one push: 401 for signature problems, 422 for a bad body."""
    if source is None or source.platform != "webhook" or not source.enabled:
        return Inbound(401, "unknown or disabled source")
    try:
        secret = ""
        if source.credentials_encrypted:
            secret = str(
                SecretBox(settings.secret_key)
                .decrypt_json(source.credentials_encrypted)
                .get("secret", "")
            )
    except SecretError:
        return Inbound(401, "the source's secret cannot be decrypted")
    if not secret or not signature:
        return Inbound(401, "missing signature")
    if not verify_signature(secret, signature, body, tolerance=TOLERANCE_SECONDS):
        return Inbound(401, "bad or expired signature")
    given = signature.split("v1=", 1)[-1]
    if not remember(session=session, provider=PROVIDER, keys=[given], source_id=source.id)[0]:
        return Inbound(401, "replayed delivery")
    try:
        payload = json.loads(body)
        if not isinstance(payload, dict):
            raise ValueError("the body must be a JSON object")
        posts = normalise_canonical(payload)
    except ValidationError as exc:
        return Inbound(422, validation_reason(exc))
    except ValueError as exc:
        return Inbound(422, str(exc))
    store_raw(session=session, platform=CANONICAL, payload=payload, source_id=source.id)
    source.last_success_at = utcnow()
    if posts:
        newest = max(p.created_at for p in posts)
        if source.last_item_at is None or newest > source.last_item_at:
            source.last_item_at = newest
    return Inbound(202, "", len(posts))
