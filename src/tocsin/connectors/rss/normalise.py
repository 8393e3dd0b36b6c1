"""Feed entries → canonical posts (news, blogs, review sites, alert feeds).

The RSS connector archives each entry as JSON: ``{"platform": "news", "feed": {"title",
"link"}, "entry": {"id", "link", "title", "summary", "content", "published", "updated",
"author"}, "fetched_at": ...}``.  An entry's id is its ``<guid>``/``<id>`` (its link when it
has none); ids longer than the canonical limit are hashed.  Links of Google Alerts feeds
(``https://www.google.com/url?...&url=<target>``) are unwrapped to the article itself.

Example::

    normalise_feed_entry({"platform": "blog", "feed": {"title": "A blog"}, "entry": {
        "id": "tag:blog.example,2026:1", "link": "https://blog.example/1",
        "title": "Acme review", "summary": "<p>Good</p>",
        "published": "2026-03-01T09:00:00+00:00"}, "fetched_at": "2026-03-01T10:00:00+00:00"})
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qs, urlparse

from tocsin.connectors.text import clip, html_to_text, parse_time, safe_lang
from tocsin.ingestion.normalise import register_normaliser
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost

FEED_PLATFORMS = ("news", "blog", "review", "rss")
_MAX_ID = 200


def unwrap_link(link: str | None) -> str | None:
    if not link:
        return None
    parsed = urlparse(link)
    if parsed.netloc.endswith("google.com") and parsed.path == "/url":
        target = parse_qs(parsed.query).get("url", [""])[0]
        if target.startswith(("http://", "https://")):
            return target
    return link if link.startswith(("http://", "https://")) else None


def entry_id(entry: dict[str, Any]) -> str:
    value = str(entry.get("id") or entry.get("link") or "")
    if not value:
        raise ValueError("a feed entry needs an id or a link")
    if len(value) > _MAX_ID:
        return "sha256:" + hashlib.sha256(value.encode()).hexdigest()
    return value


@register_normaliser("rss")
def normalise_feed_entry(payload: dict[str, Any]) -> list[CanonicalPost]:
    platform = str(payload.get("platform", "rss"))
    if platform not in FEED_PLATFORMS:
        raise ValueError(f"feed platform must be one of {', '.join(FEED_PLATFORMS)}")
    entry, feed = payload["entry"], payload.get("feed") or {}
    stamp = entry.get("published") or entry.get("updated") or payload["fetched_at"]
    text = html_to_text(entry.get("content") or entry.get("summary") or "")
    url = unwrap_link(entry.get("link"))
    author_name = str(entry.get("author") or feed.get("title") or urlparse(url or "").netloc)
    author = CanonicalAuthor(handle=clip(author_name, 200) or "") if author_name else None
    return [
        CanonicalPost(
            platform=platform,
            external_id=entry_id(entry),
            text=text,
            title=clip(html_to_text(entry.get("title")), 1000) or None,
            created_at=parse_time(str(stamp)),
            author=author,
            url=clip(url, 2000),
            lang=safe_lang(entry.get("language") or feed.get("language")),
            kind="review" if platform == "review" else "article",
            raw=payload,
        )
    ]
