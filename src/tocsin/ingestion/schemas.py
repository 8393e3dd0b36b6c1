"""The canonical post: the one shape every connector and importer produces.

Its JSON Schema is published in ``docs/canonical-post.schema.json`` (``tocsin schema``).

Example::

    CanonicalPost(
        platform="bluesky",
        external_id="at://did:plc:abc/app.bsky.feed.post/3k",
        text="My order #A-1234 never arrived",
        created_at="2026-11-20T09:12:00Z",
        author=CanonicalAuthor(handle="jane.bsky.social", followers=120),
    )
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tocsin.types import as_utc

PLATFORMS = (
    "x",
    "bluesky",
    "mastodon",
    "reddit",
    "facebook",
    "instagram",
    "threads",
    "tiktok",
    "youtube",
    "linkedin",
    "review",
    "news",
    "blog",
    "rss",
    "forum",
    "webhook",
    "other",
)
Platform = Literal[
    "x",
    "bluesky",
    "mastodon",
    "reddit",
    "facebook",
    "instagram",
    "threads",
    "tiktok",
    "youtube",
    "linkedin",
    "review",
    "news",
    "blog",
    "rss",
    "forum",
    "webhook",
    "other",
]
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
MAX_TEXT = 100_000


class CanonicalAuthor(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    handle: str = Field(min_length=1, max_length=200)
    external_id: str | None = Field(default=None, max_length=200)
    display_name: str = Field(default="", max_length=300)
    followers: int = Field(default=0, ge=0)
    verified: bool = False
    is_automated: bool = False

    @field_validator("handle")
    @classmethod
    def _strip_at(cls, value: str) -> str:
        value = value.lstrip("@")
        if not value:
            raise ValueError("handle must not be empty")
        return value


class Engagement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    likes: int = Field(default=0, ge=0)
    reposts: int = Field(default=0, ge=0)
    replies: int = Field(default=0, ge=0)
    quotes: int = Field(default=0, ge=0)
    views: int = Field(default=0, ge=0)


class CanonicalPost(BaseModel):
    """A post as Tocsin stores it, whatever platform it came from."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    platform: Platform
    external_id: str = Field(min_length=1, max_length=200)
    text: str = Field(default="", max_length=MAX_TEXT)
    created_at: datetime
    author: CanonicalAuthor | None = None
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=1000)
    lang: str | None = None
    kind: Literal["post", "comment", "reply", "review", "article", "message"] = "post"
    direction: Literal["inbound", "outbound"] = "inbound"
    engagement: Engagement = Field(default_factory=Engagement)
    parent_external_id: str | None = Field(default=None, max_length=200)
    thread_external_id: str | None = Field(default=None, max_length=200)
    deleted: bool = False
    is_automatic: bool = False
    raw: dict[str, Any] | None = None

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not _LANG.match(value):
            raise ValueError("lang must be an ISO 639 code such as 'en', 'fr' or 'pt-BR'")
        return value.split("-")[0].lower()

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return value or None
