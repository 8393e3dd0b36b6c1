"""The bulk writes of one ingestion call, planned first and then sent set-wise.

:func:`tocsin.ingestion.service.ingest_posts` decides what happens to each post and gathers the
changes in a :class:`WritePlan`; the functions here send them as a few ``executemany``
statements: updates, old versions, tombstones (whose content is erased, with what enrichment
kept of it), archived raw payloads and outbox events.

Example::

    plan = WritePlan()
    plan.updates.append({"id": 7, "likes": 12})
    write_plan(session=session, plan=plan, now=utcnow())
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, null, select, update
from sqlalchemy.orm import Session

from tocsin.enrichment.models import PostEnrichment
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import emit
from tocsin.events.types import Event
from tocsin.ingestion.models import Author, Post, PostVersion, RawPayload
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.sql import chunked, insert_new, payload_digest, table_of

PostKey = tuple[str, str]
"""``(platform, external_id)``."""

#: Left on an archived payload whose post was deleted: the content goes, the digest stays so
#: that a re-delivery of the same bytes is still recognised.
ERASED = "erased: the post was deleted"
#: Below this many events, :func:`emit` is used one by one.
_BULK_EVENTS = 20
_POSTS = table_of(Post)


@dataclass
class WritePlan:
    """The writes one call will make, gathered before they are sent in bulk."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    versions: list[dict[str, Any]] = field(default_factory=list)
    tombstones: dict[PostKey, int] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    edited: int = 0


def write_plan(*, session: Session, plan: WritePlan, now: datetime) -> None:
    """Send the planned updates, versions and tombstones in bulk."""
    if plan.updates:
        session.execute(update(Post), plan.updates)
    if plan.versions:
        session.execute(table_of(PostVersion).insert(), plan.versions)
    if plan.tombstones:
        ids = list(plan.tombstones.values())
        for id_chunk in chunked(ids):
            session.execute(
                update(_POSTS)
                .where(_POSTS.c.id.in_(id_chunk))
                .values(deleted=True, deleted_at=now, text="", title=None, raw=null())
            )
            session.execute(delete(PostVersion).where(PostVersion.post_id.in_(id_chunk)))
            forget_derived_text(session=session, post_ids=id_chunk)
        by_platform: dict[str, list[str]] = defaultdict(list)
        for platform, external_id in plan.tombstones:
            by_platform[platform].append(external_id)
        for platform, external_ids in by_platform.items():
            for chunk in chunked(external_ids):
                session.execute(
                    update(RawPayload)
                    .where(RawPayload.platform == platform, RawPayload.external_id.in_(chunk))
                    .values(payload={}, status="done", error=ERASED)
                    .execution_options(synchronize_session=False)
                )


def forget_derived_text(*, session: Session, post_ids: Sequence[int]) -> None:
    """Erase what enrichment kept of these posts' text: PII spans, explanations, intent cues
    and priority-reason details (the risky terms found).  Labels and scores stay, so reports
    on past cases still add up."""
    stmt = select(PostEnrichment).where(PostEnrichment.post_id.in_(list(post_ids)))
    for row in session.scalars(stmt):
        row.pii_spans = []
        row.explanations = {}
        row.intents = [_blanked(item, "cue") for item in row.intents or []]
        row.priority_reasons = [_blanked(item, "detail") for item in row.priority_reasons or []]


def _blanked(item: dict[str, Any], key: str) -> dict[str, Any]:
    return {**item, key: ""} if key in item else item


def archive_raw_payloads(
    *,
    session: Session,
    posts: dict[PostKey, CanonicalPost],
    source_id: int | None,
    now: datetime,
) -> None:
    """Archive each post's ``raw`` as a ``done`` :class:`RawPayload` (identical bytes: no-op)."""
    rows: dict[str, dict[str, Any]] = {}
    for (platform, external_id), post in posts.items():
        if post.raw is None or post.deleted:
            continue
        digest = payload_digest(post.raw)
        rows[f"{platform}:{digest}"] = {
            "platform": platform,
            "source_id": source_id,
            "external_id": external_id,
            "digest": digest,
            "payload": post.raw,
            "received_at": now,
            "status": "done",
            "error": None,
        }
    if rows:
        table = table_of(RawPayload)
        insert_new(session, table, list(rows.values()), conflict=("platform", "digest"))


def emit_all(*, session: Session, events: list[Event], now: datetime) -> None:
    """Write ``events`` to the outbox: one ``executemany`` instead of one ORM object each.

    The rows are exactly those :func:`tocsin.events.outbox.emit` writes; a small number goes
    through ``emit`` itself.
    """
    if len(events) < _BULK_EVENTS:
        for event in events:
            emit(session, event)
        return
    rows = [
        {
            "name": event.name,
            "payload": _flat_payload(event),
            "caused_by_automation": False,
            "created_at": now,
            "dispatched_at": None,
            "attempts": 0,
            "last_error": None,
        }
        for event in events
    ]
    insert_new(session, table_of(OutboxEvent), rows)


def _flat_payload(event: Event) -> dict[str, Any]:
    """``event.to_payload()`` without its deep copy: ingestion events hold only scalars."""
    return {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}


def expire_stale(*, session: Session, post_ids: set[int], author_ids: set[int]) -> None:
    """Bulk statements bypass the identity map: expire loaded objects they changed."""
    for obj in list(session.identity_map.values()):
        if (isinstance(obj, Post) and obj.id in post_ids) or (
            isinstance(obj, Author) and obj.id in author_ids
        ):
            session.expire(obj)
