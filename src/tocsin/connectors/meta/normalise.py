"""Meta webhook deliveries → canonical posts (Facebook Page feed, Instagram comments, mentions).

A delivery is ``{"object": "page" | "instagram", "entry": [{"id", "time", "changes":
[{"field", "value"}]}]}``:

* Page ``feed`` changes: ``value.item`` is ``comment``, ``post`` or ``status``, ``value.verb``
  ``add``/``edited``/``remove``, with ``comment_id``/``post_id``/``parent_id``, ``from``
  (``id``, ``name``), ``message`` and ``created_time`` (Unix seconds);
* Instagram ``comments``/``live_comments``: ``value.id``, ``text``, ``from`` (``id``,
  ``username``), ``media`` (``id``), ``parent_id``;
* Instagram ``mentions``: ``value.media_id``, plus ``value.comment_id`` when the mention is in
  a comment (a caption mention has ``media_id`` only).  A comment mention becomes an
  ``instagram`` comment in the media's thread, a caption mention an ``instagram`` post whose
  id is the media's.  Neither carries text: the post is stored without one, its ``raw``
  saying ``"mention": {"state": "pending"}``, and :mod:`tocsin.connectors.meta.mentions`
  reads the text from the Graph API and re-ingests the post (an edit).

Other fields (reactions, likes, messaging) produce no post.

Example::

    normalise_meta({"object": "page", "entry": [{"id": "1", "time": 1767225600, "changes": [
        {"field": "feed", "value": {"item": "comment", "verb": "add", "comment_id": "1_2",
         "post_id": "1_9", "parent_id": "1_9", "message": "Still no refund",
         "from": {"id": "42", "name": "Ana"}, "created_time": 1767225600}}]}]})
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tocsin.connectors.text import from_epoch
from tocsin.ingestion.normalise import register_normaliser
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost

FEED_ITEMS = ("comment", "post", "status", "photo", "video")
#: ``raw["mention"]["state"]`` of a mention whose text has not been read yet.
PENDING = "pending"


def entry_time(entry: dict[str, Any]) -> datetime:
    """``entry.time`` is in seconds (milliseconds on some products)."""
    value = float(entry["time"])
    return from_epoch(value / 1000 if value > 1e12 else value)


@register_normaliser("meta")
def normalise_meta(payload: dict[str, Any]) -> list[CanonicalPost]:
    kind = payload.get("object")
    if kind not in ("page", "instagram"):
        raise ValueError(f"unsupported Meta webhook object {kind!r}")
    posts: list[CanonicalPost] = []
    for entry in payload["entry"]:
        for change in entry.get("changes", []):
            value = change.get("value") or {}
            if kind == "page" and change.get("field") == "feed":
                post = _page_feed(value, entry)
            elif kind == "instagram":
                post = _instagram(str(change.get("field")), value, entry)
            else:
                post = None
            if post is not None:
                posts.append(post)
    return posts


def _page_feed(value: dict[str, Any], entry: dict[str, Any]) -> CanonicalPost | None:
    item = value.get("item")
    if item not in FEED_ITEMS:
        return None
    is_comment = item == "comment"
    external_id = value.get("comment_id") if is_comment else value.get("post_id")
    if not external_id:
        return None
    sender = value.get("from") or {}
    author = None
    if sender.get("id"):
        author = CanonicalAuthor(
            handle=str(sender.get("name") or sender["id"]),
            external_id=str(sender["id"]),
            display_name=str(sender.get("name") or ""),
        )
    created = value.get("created_time")
    parent = value.get("parent_id") if is_comment else None
    return CanonicalPost(
        platform="facebook",
        external_id=str(external_id),
        text=str(value.get("message") or ""),
        created_at=from_epoch(created) if created else entry_time(entry),
        author=author,
        kind="comment" if is_comment else "post",
        parent_external_id=str(parent) if parent else None,
        thread_external_id=str(value["post_id"]) if is_comment and value.get("post_id") else None,
        deleted=value.get("verb") == "remove",
        raw={"object": "page", "entry_id": entry.get("id"), "value": value},
    )


def _instagram(field: str, value: dict[str, Any], entry: dict[str, Any]) -> CanonicalPost | None:
    if field in ("comments", "live_comments"):
        media = value.get("media") or {}
        sender = value.get("from") or {}
        author = None
        if sender.get("username") or sender.get("id"):
            author = CanonicalAuthor(
                handle=str(sender.get("username") or sender["id"]),
                external_id=str(sender["id"]) if sender.get("id") else None,
            )
        parent = value.get("parent_id") or media.get("id")
        return CanonicalPost(
            platform="instagram",
            external_id=str(value["id"]),
            text=str(value.get("text") or ""),
            created_at=entry_time(entry),
            author=author,
            kind="comment",
            parent_external_id=str(parent) if parent else None,
            thread_external_id=str(media["id"]) if media.get("id") else None,
            raw={"object": "instagram", "entry_id": entry.get("id"), "value": value},
        )
    if field == "mentions":
        return _mention(value, entry)
    return None


def _mention(value: dict[str, Any], entry: dict[str, Any]) -> CanonicalPost | None:
    """A mention without its text (``text`` is left unset so a re-delivery keeps one read)."""
    media_id, comment_id = value.get("media_id"), value.get("comment_id")
    if not media_id and not comment_id:
        return None
    raw = {
        "object": "instagram",
        "entry_id": entry.get("id"),
        "field": "mentions",
        "value": value,
        "mention": {"state": PENDING},
    }
    if comment_id:
        return CanonicalPost(
            platform="instagram",
            external_id=str(comment_id),
            created_at=entry_time(entry),
            kind="comment",
            thread_external_id=str(media_id) if media_id else None,
            raw=raw,
        )
    return CanonicalPost(
        platform="instagram",
        external_id=str(media_id),
        created_at=entry_time(entry),
        kind="post",
        raw=raw,
    )
