"""Shapes of the API's responses (requests reuse :mod:`tocsin.ingestion.schemas`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.privacy.disclosure import DisclosedPost


class PostBatch(BaseModel):
    """The object form of a batch; a bare JSON array of posts is accepted too."""

    model_config = ConfigDict(extra="forbid")

    posts: list[CanonicalPost]


class AuthorRead(BaseModel):
    handle: str
    display_name: str
    followers: int
    verified: bool


class EngagementRead(BaseModel):
    likes: int
    reposts: int
    replies: int
    quotes: int
    views: int


class PostRead(BaseModel):
    id: int
    platform: str
    external_id: str
    url: str | None
    direction: str
    kind: str
    text: str
    title: str | None
    lang: str | None
    created_at: datetime
    received_at: datetime
    edited_at: datetime | None
    version: int
    deleted: bool
    is_automatic: bool
    author: AuthorRead | None
    engagement: EngagementRead
    #: Kinds of personal data in the post; ``masked`` says whether they were masked here.
    pii_types: list[str] = []
    masked: bool = False

    @classmethod
    def of(cls, post: Post, shown: DisclosedPost | None = None) -> PostRead:
        author = post.author
        return cls(
            pii_types=list(shown.pii_types) if shown else [],
            masked=shown.masked if shown else False,
            id=post.id,
            platform=post.platform,
            external_id=post.external_id,
            url=post.url,
            direction=post.direction,
            kind=post.kind,
            text=shown.text if shown else post.text,
            title=shown.title if shown else post.title,
            lang=post.lang,
            created_at=post.created_at,
            received_at=post.received_at,
            edited_at=post.edited_at,
            version=post.version,
            deleted=post.deleted,
            is_automatic=post.is_automatic,
            author=(
                AuthorRead(
                    handle=author.handle,
                    display_name=author.display_name,
                    followers=author.followers,
                    verified=author.verified,
                )
                if author is not None
                else None
            ),
            engagement=EngagementRead(
                likes=post.likes,
                reposts=post.reposts,
                replies=post.replies,
                quotes=post.quotes,
                views=post.views,
            ),
        )


class PostPageRead(BaseModel):
    items: list[PostRead]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= to get the next page; null on the last page."
    )


class ItemOutcomeRead(BaseModel):
    index: int
    status: Literal["imported", "updated", "duplicate", "rejected"]
    post_id: int | None
    reason: str | None = None


class IngestResult(BaseModel):
    received: int
    imported: int
    updated: int
    duplicates: int
    rejected: int
    items: list[ItemOutcomeRead]


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    scopes: list[str] = Field(min_length=1, examples=[["posts:read", "posts:write"]])
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class TokenRead(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="The bearer value, shown this once and never again.")


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unavailable"]
    version: str
