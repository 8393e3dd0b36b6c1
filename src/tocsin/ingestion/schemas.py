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
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tocsin.types import as_utc

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
#: Every platform name, in order (derived from :data:`Platform`, so the two cannot drift).
PLATFORMS: tuple[str, ...] = get_args(Platform)
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

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        """Refuse NUL in the fields people read; strip it from the opaque raw payload.

        PostgreSQL cannot store U+0000 in text, and it carries no meaning in a post.
        """
        if not isinstance(data, dict):
            return data
        for key, value in data.items():
            if key == "raw":
                continue
            if _has_nul(value):
                raise ValueError(f"{key} contains a NUL character (U+0000); remove it")
        if "raw" in data and data["raw"] is not None:
            data = {**data, "raw": _strip_nul(data["raw"])}
        return data

    platform: Platform
    external_id: str = Field(
        min_length=1,
        max_length=200,
        description="The platform's id of the post; with platform, it identifies the post.",
    )
    text: str = Field(
        default="",
        max_length=MAX_TEXT,
        description="The text; a different text on a re-delivery is stored as an edit.",
    )
    created_at: datetime = Field(
        description="When it was published: ISO 8601; without a time zone it is UTC."
    )
    author: CanonicalAuthor | None = None
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(
        default=None, max_length=1000, description="Title of a review, article or thread."
    )
    lang: str | None = Field(
        default=None,
        description="ISO 639 code such as 'en' or 'pt-BR' (stored as 'pt'); may be left out.",
    )
    kind: Literal["post", "comment", "reply", "review", "article", "message"] = "post"
    direction: Literal["inbound", "outbound"] = Field(
        default="inbound",
        description="outbound for what a brand's own account published (set automatically "
        "when the author is one of a brand's handles).",
    )
    engagement: Engagement = Field(
        default_factory=Engagement,
        description="Counts; only the counts present in a re-delivery are updated.",
    )
    parent_external_id: str | None = Field(
        default=None, max_length=200, description="external_id of the post this one answers."
    )
    thread_external_id: str | None = Field(
        default=None, max_length=200, description="external_id of the thread's first post."
    )
    deleted: bool = Field(
        default=False,
        description="The author deleted it: Tocsin keeps a tombstone and erases the content.",
    )
    is_automatic: bool = Field(
        default=False, description="Generated automatically (an auto-acknowledgement)."
    )
    raw: dict[str, Any] | None = Field(
        default=None, description="The platform's payload, archived as received."
    )

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


def canonical_post_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one canonical post, as published in ``docs/``.

    Example::

        json.dumps(canonical_post_json_schema(), indent=2)
    """
    schema = CanonicalPost.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "CanonicalPost",
        "description": (
            "A post as Tocsin stores it, whatever platform it came from; one per line in a "
            "JSON Lines import (tocsin import FILE --format jsonl)."
        ),
    }


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _strip_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_strip_nul(k): _strip_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_nul(v) for v in value]
    return value
