"""Mastodon payloads → canonical posts.

Tocsin archives each ``Status`` entity in a small envelope naming the instance it came from,
because status ids are local to an instance: ``{"instance": "mastodon.social", "event":
"update", "status": {...}}`` (``event`` is the streaming event: ``update``, ``status.update``
for an edit, ``delete`` with ``"id"`` instead of ``"status"``).  A post's external id is
``<instance>/<local id>``; a boost is stored as the boosted status.

Example::

    normalise_mastodon({"instance": "mastodon.social", "event": "update", "status": {
        "id": "1100", "created_at": "2026-03-01T09:00:00.000Z", "content": "<p>hi</p>",
        "account": {"id": "7", "acct": "ana", "username": "ana"}, "url": "https://..."}})
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tocsin.connectors.text import clip, from_epoch, html_to_text, parse_time, safe_lang
from tocsin.ingestion.normalise import register_normaliser
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost, Engagement
from tocsin.types import utcnow


def external_id(instance: str, status_id: str) -> str:
    return f"{instance}/{status_id}"


def snowflake_time(status_id: str) -> datetime | None:
    """Mastodon ids are snowflakes: the top 48 bits are milliseconds since the epoch."""
    if not status_id.isdigit():
        return None
    return from_epoch((int(status_id) >> 16) / 1000)


def status_text(status: dict[str, Any]) -> str:
    text = html_to_text(status.get("content"))
    warning = (status.get("spoiler_text") or "").strip()
    return f"{warning}\n{text}" if warning else text


@register_normaliser("mastodon")
def normalise_mastodon(payload: dict[str, Any]) -> list[CanonicalPost]:
    instance = str(payload["instance"])
    if payload.get("event") == "delete":
        status_id = str(payload["id"])
        return [
            CanonicalPost(
                platform="mastodon",
                external_id=external_id(instance, status_id),
                created_at=snowflake_time(status_id) or utcnow(),
                deleted=True,
            )
        ]
    status = payload["status"]
    if status.get("reblog"):
        status = status["reblog"]
    return [_from_status(instance, status, raw=payload)]


def _from_status(instance: str, status: dict[str, Any], *, raw: dict[str, Any]) -> CanonicalPost:
    account = status["account"]
    author = CanonicalAuthor(
        handle=str(account.get("acct") or account["username"]),
        external_id=str(account["id"]),
        display_name=clip(account.get("display_name") or "", 300) or "",
        followers=max(0, int(account.get("followers_count") or 0)),
        is_automated=bool(account.get("bot")),
    )
    parent = status.get("in_reply_to_id")
    return CanonicalPost(
        platform="mastodon",
        external_id=external_id(instance, str(status["id"])),
        text=status_text(status),
        created_at=parse_time(str(status["created_at"])),
        author=author,
        url=status.get("url") or status.get("uri"),
        lang=safe_lang(status.get("language")),
        kind="reply" if parent else "post",
        parent_external_id=external_id(instance, str(parent)) if parent else None,
        engagement=Engagement(
            likes=status.get("favourites_count") or 0,
            reposts=status.get("reblogs_count") or 0,
            replies=status.get("replies_count") or 0,
        ),
        raw=raw,
    )
