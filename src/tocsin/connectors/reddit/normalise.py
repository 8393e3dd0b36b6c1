"""Reddit things → canonical posts.

Listings (``/r/{sub}/new``, ``/r/{sub}/comments``, ``/search``) return ``{"kind": "Listing",
"data": {"children": [thing, ...], "after": ...}}``; Tocsin archives each thing:
``{"kind": "t3", "data": {"name": "t3_x", "title", "selftext", "author", "created_utc",
"permalink", "score", "num_comments", "subreddit"}}`` for a link post, ``{"kind": "t1", ...
"body", "link_id", "parent_id"}`` for a comment.  A post's id is its fullname (``t3_x``).
Removed or deleted content (``[removed]``/``[deleted]``) becomes a tombstone.

Example::

    normalise_reddit({"kind": "t3", "data": {"name": "t3_abc", "id": "abc", "title": "Acme?",
        "selftext": "", "author": "ana", "created_utc": 1767225600.0,
        "permalink": "/r/shop/comments/abc/acme/"}})
"""

from __future__ import annotations

from typing import Any

from tocsin.connectors.text import clip, from_epoch
from tocsin.ingestion.normalise import register_normaliser
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost, Engagement

GONE = ("[removed]", "[deleted]")


@register_normaliser("reddit")
def normalise_reddit(payload: dict[str, Any]) -> list[CanonicalPost]:
    kind, data = payload["kind"], payload["data"]
    if kind not in ("t1", "t3"):
        raise ValueError(f"unsupported Reddit thing {kind!r}")
    body = str(data.get("selftext") if kind == "t3" else data.get("body") or "")
    author_name = str(data.get("author") or "")
    author = None
    if author_name and author_name not in GONE:
        author = CanonicalAuthor(
            handle=author_name,
            external_id=data.get("author_fullname"),
        )
    permalink = data.get("permalink")
    is_comment = kind == "t1"
    parent = data.get("parent_id") if is_comment else None
    return [
        CanonicalPost(
            platform="reddit",
            external_id=str(data.get("name") or f"{kind}_{data['id']}"),
            text="" if body in GONE else body,
            title=None if is_comment else clip(data.get("title"), 1000),
            created_at=from_epoch(data["created_utc"]),
            author=author,
            url=f"https://www.reddit.com{permalink}" if permalink else None,
            kind="comment" if is_comment else "post",
            parent_external_id=str(parent) if parent else None,
            thread_external_id=str(data["link_id"]) if is_comment and data.get("link_id") else None,
            engagement=Engagement(
                likes=max(0, int(data.get("score") or 0)),
                replies=int(data.get("num_comments") or 0),
            ),
            deleted=body in GONE and author is None,
            raw=payload,
        )
    ]
