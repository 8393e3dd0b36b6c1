"""X API v2 tweets → canonical posts.

Tocsin archives one tweet per payload, shaped like a filtered-stream line: ``{"data": tweet,
"includes": {"users": [author]}}`` — the tweet with ``id``, ``text``, ``author_id``,
``created_at``, ``conversation_id``, ``lang``, ``public_metrics``, ``referenced_tweets``, and
the author from the ``expansions=author_id`` include (``username``, ``name``, ``verified``,
``public_metrics.followers_count``).

Example::

    normalise_x({"data": {"id": "1790000000000000001", "text": "@acme where is my order",
                          "author_id": "12", "created_at": "2026-03-01T09:00:00.000Z"},
                 "includes": {"users": [{"id": "12", "username": "ana", "name": "Ana"}]}})
"""

from __future__ import annotations

from typing import Any

from tocsin.connectors.text import parse_time, safe_lang
from tocsin.ingestion.normalise import register_normaliser
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost, Engagement


def split_response(response: dict[str, Any]) -> list[dict[str, Any]]:
    """One archived payload per tweet of a search response, each with its own author."""
    users = {u["id"]: u for u in (response.get("includes") or {}).get("users", [])}
    payloads = []
    for tweet in response.get("data") or []:
        author = users.get(tweet.get("author_id"))
        payloads.append({"data": tweet, "includes": {"users": [author] if author else []}})
    return payloads


@register_normaliser("x")
def normalise_x(payload: dict[str, Any]) -> list[CanonicalPost]:
    tweet = payload["data"]
    users = {u["id"]: u for u in (payload.get("includes") or {}).get("users", [])}
    user = users.get(tweet.get("author_id"))
    author = None
    if user is not None:
        metrics = user.get("public_metrics") or {}
        author = CanonicalAuthor(
            handle=str(user["username"]),
            external_id=str(user["id"]),
            display_name=str(user.get("name") or ""),
            followers=int(metrics.get("followers_count") or 0),
            verified=bool(user.get("verified")),
        )
    parent = next(
        (r["id"] for r in tweet.get("referenced_tweets") or [] if r.get("type") == "replied_to"),
        None,
    )
    metrics = tweet.get("public_metrics") or {}
    handle = user["username"] if user else "i"
    return [
        CanonicalPost(
            platform="x",
            external_id=str(tweet["id"]),
            text=str(tweet.get("note_tweet", {}).get("text") or tweet.get("text", "")),
            created_at=parse_time(str(tweet["created_at"])),
            author=author,
            url=f"https://x.com/{handle}/status/{tweet['id']}",
            lang=safe_lang(tweet.get("lang")),
            kind="reply" if parent else "post",
            parent_external_id=str(parent) if parent else None,
            thread_external_id=str(tweet["conversation_id"])
            if tweet.get("conversation_id")
            else None,
            engagement=Engagement(
                likes=metrics.get("like_count") or 0,
                reposts=metrics.get("retweet_count") or 0,
                replies=metrics.get("reply_count") or 0,
                quotes=metrics.get("quote_count") or 0,
                views=metrics.get("impression_count") or 0,
            ),
            raw=payload,
        )
    ]
