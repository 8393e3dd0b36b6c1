"""Remembering what signed webhooks delivered, to refuse replays.

A valid signature proves who sent a request, not that it is new: a captured request sent
again verifies too.  Each delivery is therefore described by keys (Meta: one per change;
the generic webhook: its signature) stored in ``webhook_receipts``; a delivery whose keys
were all seen before is a replay.  Keys older than the replay window are pruned, and
deliveries older than the window are refused as stale, so the table stays small.

Example::

    fresh = remember(session=session, provider="meta", keys=["1:1767225600:feed:1_2"])
    if not any(fresh): ...   # a replay
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from tocsin.connectors.models import WebhookReceipt
from tocsin.ingestion.sql import insert_ignoring, table_of
from tocsin.types import utcnow

_RECEIPTS = table_of(WebhookReceipt)


def remember(
    *, session: Session, provider: str, keys: Sequence[str], source_id: int | None = None
) -> list[bool]:
    """Record ``keys``; for each, True if it was new (not committed)."""
    now = utcnow()
    fresh: list[bool] = []
    for key in keys:
        values = {
            "provider": provider,
            "key": key[:255],
            "source_id": source_id,
            "received_at": now,
        }
        stmt = insert_ignoring(session, _RECEIPTS, ("provider", "key")).values(values)
        inserted = session.execute(stmt.returning(_RECEIPTS.c.id)).scalar_one_or_none()
        fresh.append(inserted is not None)
    return fresh


def prune_receipts(*, session: Session, before: datetime) -> int:
    """Forget receipts received before ``before``; returns how many."""
    result = session.execute(delete(WebhookReceipt).where(WebhookReceipt.received_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
