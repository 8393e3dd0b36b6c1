"""Searching stored posts: filters and opaque cursor pagination, shared by the API and the pages.

Posts come newest first, ordered by ``(created_at desc, id desc)``; the cursor encodes the last
``(created_at, id)`` seen, so a page is one index range scan however deep the reader goes and
posts arriving meanwhile never shift the pages.

Filters are fields of :class:`PostFilters`, each applied by one function registered with
:func:`post_filter`. To add one (say ``sentiment`` from ``post_enrichments``), add the field to
:class:`PostFilters` and register its function; the API, the OpenAPI schema and the page get it.

Example::

    page = search_posts(session=s, filters=PostFilters(platform=["x"], q="refund"), limit=50)
    more = search_posts(session=s, filters=..., cursor=page.next_cursor, limit=50)
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from tocsin.ingestion.account_status import author_shown
from tocsin.ingestion.models import Author, Post
from tocsin.ingestion.schemas import Platform
from tocsin.types import as_utc

MAX_PAGE_SIZE = 200


class CursorError(ValueError):
    """The cursor was not produced by this server (or was altered)."""


class PostFilters(BaseModel):
    """What to search for; every field is optional and they combine with AND."""

    model_config = ConfigDict(extra="ignore")

    platform: list[Platform] = Field(default_factory=list, description="One or more platforms.")
    lang: str | None = Field(default=None, max_length=8, description="ISO 639-1 code, e.g. fr.")
    direction: Literal["inbound", "outbound"] | None = None
    since: datetime | None = Field(default=None, description="created_at >= since (ISO 8601).")
    until: datetime | None = Field(default=None, description="created_at < until (ISO 8601).")
    q: str | None = Field(default=None, max_length=200, description="Text contains (any case).")
    author: str | None = Field(default=None, max_length=200, description="Author handle.")
    include_deleted: bool = False

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        # HTML forms send empty fields as "": treat them as "no filter".
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v != "" and v != [""]}
        return data

    @field_validator("since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None

    @field_validator("lang")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.strip().lower() or None if value else None

    @field_validator("author")
    @classmethod
    def _handle(cls, value: str | None) -> str | None:
        return value.strip().lstrip("@") or None if value else None


#: A ``select(Post)`` statement (its type parameter differs across SQLAlchemy 2.0 / 2.1).
PostSelect = Select[Any]
PostFilter = Callable[[PostSelect, PostFilters], PostSelect]
_FILTERS: list[PostFilter] = []


def post_filter(function: PostFilter) -> PostFilter:
    """Register ``function`` as one of the filters applied by :func:`search_posts`."""
    _FILTERS.append(function)
    return function


@post_filter
def _by_platform(stmt: PostSelect, f: PostFilters) -> PostSelect:
    return stmt.where(Post.platform.in_(f.platform)) if f.platform else stmt


@post_filter
def _by_lang(stmt: PostSelect, f: PostFilters) -> PostSelect:
    return stmt.where(Post.lang == f.lang) if f.lang else stmt


@post_filter
def _by_direction(stmt: PostSelect, f: PostFilters) -> PostSelect:
    return stmt.where(Post.direction == f.direction) if f.direction else stmt


@post_filter
def _by_dates(stmt: PostSelect, f: PostFilters) -> PostSelect:
    if f.since is not None:
        stmt = stmt.where(Post.created_at >= f.since)
    if f.until is not None:
        stmt = stmt.where(Post.created_at < f.until)
    return stmt


@post_filter
def _by_text(stmt: PostSelect, f: PostFilters) -> PostSelect:
    if not f.q:
        return stmt
    return stmt.where(func.lower(Post.text).contains(f.q.lower(), autoescape=True))


@post_filter
def _by_author(stmt: PostSelect, f: PostFilters) -> PostSelect:
    if not f.author:
        return stmt
    handles = select(Author.id).where(func.lower(Author.handle) == f.author.lower())
    return stmt.where(Post.author_id.in_(handles))


@post_filter
def _by_deleted(stmt: PostSelect, f: PostFilters) -> PostSelect:
    return stmt if f.include_deleted else stmt.where(Post.deleted.is_(False))


@post_filter
def _by_account_status(stmt: PostSelect, _f: PostFilters) -> PostSelect:
    """Posts of accounts deactivated or suspended on their platform stay out of sight."""
    return stmt.where(author_shown(Post.author_id))


def encode_cursor(post: Post) -> str:
    raw = json.dumps([as_utc(post.created_at).isoformat(), post.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, post_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(post_id, int) or isinstance(post_id, bool):
            raise TypeError("id")
        return as_utc(datetime.fromisoformat(stamp)), post_id
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise CursorError("invalid cursor: pass the next_cursor of a previous page") from exc


@dataclass(frozen=True)
class PostPage:
    items: list[Post]
    next_cursor: str | None


def search_posts(
    *,
    session: Session,
    filters: PostFilters,
    cursor: str | None = None,
    limit: int = 50,
) -> PostPage:
    """One page of posts matching ``filters``, newest first, after ``cursor`` if given."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    stmt = select(Post)
    for apply in _FILTERS:
        stmt = apply(stmt, filters)
    if cursor:
        created_at, post_id = decode_cursor(cursor)
        stmt = stmt.where(
            or_(
                Post.created_at < created_at,
                and_(Post.created_at == created_at, Post.id < post_id),
            )
        )
    stmt = stmt.order_by(Post.created_at.desc(), Post.id.desc()).limit(limit + 1)
    rows = list(session.scalars(stmt).unique())
    has_more = len(rows) > limit
    items = rows[:limit]
    return PostPage(items=items, next_cursor=encode_cursor(items[-1]) if has_more else None)


def get_post(*, session: Session, post_id: int) -> Post | None:
    return session.get(Post, post_id)
