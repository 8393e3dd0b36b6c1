"""Bluesky payloads → canonical posts: Jetstream commit events and ``PostView`` objects.

A Jetstream commit event (``kind: "commit"``) carries ``did``, ``time_us`` and ``commit``
(``operation`` create/update/delete, ``collection``, ``rkey``, ``record`` — the
``app.bsky.feed.post`` record with ``text``, ``createdAt``, ``langs``, ``reply``).  It names
the author by DID only: the author is stored with the DID as its handle, which ingestion
attaches to the stored author with that DID, and which the stream consumer replaces by the
handle once known (see :mod:`.jetstream`).  ``app.bsky.feed.searchPosts`` returns
``PostView`` objects (``uri``, ``author`` with ``handle``, ``record``, the counts).  A post's
id is its AT URI.

Example::

    normalise_bluesky({"did": "did:plc:abc", "time_us": 1735689600000000, "kind": "commit",
                       "commit": {"operation": "create", "collection": "app.bsky.feed.post",
                                  "rkey": "3lf2xyz", "record": {"text": "hi",
                                  "createdAt": "2025-01-01T00:00:00Z"}}})
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tocsin.connectors.text import from_epoch, parse_time, safe_lang
from tocsin.ingestion.normalise import register_normaliser
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost, Engagement

POST_COLLECTION = "app.bsky.feed.post"
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def post_uri(did: str, rkey: str) -> str:
    return f"at://{did}/{POST_COLLECTION}/{rkey}"


def web_url(actor: str, uri: str) -> str:
    return f"https://bsky.app/profile/{actor}/post/{uri.rsplit('/', 1)[-1]}"


def tid_time(rkey: str) -> datetime | None:
    """The creation time encoded in a TID record key (13 base32-sortable characters)."""
    if len(rkey) != 13 or any(c not in _TID_ALPHABET for c in rkey):
        return None
    number = 0
    for char in rkey:
        number = number * 32 + _TID_ALPHABET.index(char)
    return from_epoch((number >> 10) / 1_000_000)


@register_normaliser("bluesky")
def normalise_bluesky(payload: dict[str, Any]) -> list[CanonicalPost]:
    if "kind" in payload:
        return _from_jetstream(payload)
    if "uri" in payload and "record" in payload:
        return [_from_post_view(payload)]
    raise ValueError("not a Jetstream event nor a Bluesky PostView")


def _from_jetstream(event: dict[str, Any]) -> list[CanonicalPost]:
    if event["kind"] != "commit" or event["commit"].get("collection") != POST_COLLECTION:
        return []
    did, commit = str(event["did"]), event["commit"]
    uri = post_uri(did, str(commit["rkey"]))
    seen_at = from_epoch(int(event["time_us"]) / 1_000_000)
    author = CanonicalAuthor(handle=did, external_id=did)
    if commit["operation"] == "delete":
        created = tid_time(str(commit["rkey"])) or seen_at
        return [
            CanonicalPost(
                platform="bluesky",
                external_id=uri,
                created_at=created,
                author=author,
                deleted=True,
            )
        ]
    return [_from_record(uri, commit["record"], author, actor=did, fallback=seen_at, raw=event)]


def _from_post_view(view: dict[str, Any]) -> CanonicalPost:
    raw_author = view["author"]
    author = CanonicalAuthor(
        handle=raw_author["handle"],
        external_id=raw_author.get("did"),
        display_name=(raw_author.get("displayName") or "")[:300],
    )
    engagement = Engagement(
        likes=view.get("likeCount") or 0,
        reposts=view.get("repostCount") or 0,
        replies=view.get("replyCount") or 0,
        quotes=view.get("quoteCount") or 0,
    )
    fallback = parse_time(view["indexedAt"]) if view.get("indexedAt") else None
    return _from_record(
        str(view["uri"]),
        view["record"],
        author,
        actor=author.handle,
        fallback=fallback,
        raw=view,
        engagement=engagement,
    )


def _from_record(
    uri: str,
    record: dict[str, Any],
    author: CanonicalAuthor,
    *,
    actor: str,
    fallback: datetime | None,
    raw: dict[str, Any],
    engagement: Engagement | None = None,
) -> CanonicalPost:
    try:
        created = parse_time(str(record["createdAt"]))
    except (KeyError, ValueError):
        if fallback is None:
            raise
        created = fallback
    reply = record.get("reply") or {}
    langs = record.get("langs") or []
    return CanonicalPost(
        platform="bluesky",
        external_id=uri,
        text=str(record.get("text", "")),
        created_at=created,
        author=author,
        url=web_url(actor, uri),
        lang=safe_lang(langs[0]) if langs else None,
        kind="reply" if reply else "post",
        parent_external_id=(reply.get("parent") or {}).get("uri"),
        thread_external_id=(reply.get("root") or {}).get("uri"),
        engagement=engagement or Engagement(),
        raw=raw,
    )
