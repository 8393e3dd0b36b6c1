"""``/api/v1/posts``: ingest batches of canonical posts, search and read stored posts.

The batch body is parsed here rather than by FastAPI so that the two accepted shapes (a JSON
array, or ``{"posts": [...]}``), the batch-size limit and the error paths (``/posts/3/text``)
are checked in that order and reported precisely; its schema is still published in OpenAPI.

Example::

    curl -X POST $BASE/api/v1/posts -H "Authorization: Bearer $TOKEN" \
         -H "Content-Type: application/json" -d '[{"platform": "x", ...}]'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any, cast

from fastapi import APIRouter, Query, Request
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from tocsin.accounts.permissions import Permission
from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.privacy.disclosure import DisclosedPost, disclose
from tocsin.web.api.schemas import (
    IngestResult,
    ItemOutcomeRead,
    PostBatch,
    PostPageRead,
    PostRead,
)
from tocsin.web.deps import AppSettings, DbSession, Principal, require
from tocsin.web.post_search import (
    MAX_PAGE_SIZE,
    CursorError,
    PostFilters,
    get_post,
    search_posts,
)
from tocsin.web.problems import Problem, validation_errors

router = APIRouter(prefix="/api/v1", tags=["posts"])

_POSTS = TypeAdapter(list[CanonicalPost])
_BODY_SCHEMA = TypeAdapter[Any](cast(Any, list[CanonicalPost] | PostBatch)).json_schema(
    ref_template="#/components/schemas/{model}"
)
#: Component schemas the request body refers to; ``create_app`` merges them into OpenAPI.
EXTRA_SCHEMAS: dict[str, Any] = _BODY_SCHEMA.pop("$defs", {})


def _invalid(detail: str, field: str = "/", message: str | None = None) -> Problem:
    return Problem(
        422,
        "validation",
        "Invalid request",
        detail,
        errors=[{"field": field, "message": message or detail, "type": "value_error"}],
    )


def parse_batch(body: bytes, *, max_batch: int) -> tuple[list[Any], str]:
    """Decode a batch body into its list of items and the JSON Pointer prefix of the items.

    Raises a 422 :class:`Problem` when the body is not JSON, not one of the two accepted
    shapes, or holds more than ``max_batch`` items. Items are validated later.
    """
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, RecursionError):
        raise _invalid("the body is not UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise _invalid(
            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    prefix = ""
    if isinstance(data, dict) and set(data) == {"posts"}:
        data, prefix = data["posts"], "/posts"
    if not isinstance(data, list):
        raise _invalid('expected a JSON array of posts or an object {"posts": [...]}')
    if len(data) > max_batch:
        raise _invalid(
            f"{len(data)} posts in one request; send at most {max_batch} per request",
            field=prefix or "/",
        )
    if b"\\u0000" in body:  # fast path: only walk the items when an escaped NUL may be there
        where = _find_nul(data, prefix)
        if where is not None:
            raise _invalid(
                "text cannot contain the NUL character (\\u0000); remove it and resend",
                field=where,
            )
    return data, prefix


def _find_nul(value: Any, path: str) -> str | None:
    """The JSON Pointer of the first string (value or key) holding U+0000, if any.

    PostgreSQL cannot store NUL in text or JSONB, so it is refused up front, on every backend.
    """
    if isinstance(value, str):
        return (path or "/") if "\x00" in value else None
    if isinstance(value, list):
        items: Any = enumerate(value)
    elif isinstance(value, dict):
        items = value.items()
    else:
        return None
    for key, item in items:
        child = f"{path}/{key}"
        if isinstance(key, str) and "\x00" in key:
            return child
        found = _find_nul(item, child)
        if found is not None:
            return found
    return None


def validate_all(items: list[Any], *, prefix: str) -> list[CanonicalPost]:
    """Validate every item or raise one 422 listing each invalid field (atomic mode)."""
    try:
        return _POSTS.validate_python(items)
    except ValidationError as exc:
        errors = [{**e, "field": prefix + e["field"]} for e in validation_errors(exc.errors())]
        raise Problem(
            422,
            "validation",
            "Invalid request",
            f"{len(errors)} invalid value(s) in the batch; nothing was stored",
            errors=errors,
        ) from None


def _ingest(session: Session, items: list[Any]) -> IngestResult:
    from tocsin.ingestion.service import ingest_posts

    try:
        report = ingest_posts(session=session, posts=items, source_id=None)
        session.commit()
    except DataError as exc:
        session.rollback()
        raise Problem(
            422,
            "validation",
            "Invalid request",
            f"a value cannot be stored: {exc.orig}",
        ) from None
    except IntegrityError:
        session.rollback()
        raise Problem(
            409,
            "conflict",
            "Concurrent write",
            "another request stored some of these posts at the same time; "
            "retry the batch (it is idempotent)",
        ) from None
    return IngestResult(
        received=len(items),
        imported=report.imported,
        updated=report.updated,
        duplicates=report.duplicates,
        rejected=len(report.rejected),
        items=[
            ItemOutcomeRead(index=o.index, status=o.status, post_id=o.post_id, reason=o.reason)
            for o in report.outcomes
        ],
    )


@router.post(
    "/posts",
    summary="Ingest a batch of posts",
    response_model=IngestResult,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _BODY_SCHEMA}},
            "description": 'A JSON array of CanonicalPost, or {"posts": [...]}; '
            "at most settings.max_batch (default 1,000) posts.",
        }
    },
)
async def create_posts(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: Annotated[Principal, require(Permission.POSTS_WRITE)],
    atomic: Annotated[
        bool, Query(description="Refuse the whole batch (422) if any post is invalid.")
    ] = False,
) -> IngestResult:
    """Store new posts, update edited ones, and skip exact duplicates, in one transaction.

    Idempotent: sending the same batch twice stores nothing new the second time. Each item
    gets an outcome (imported, updated, duplicate, or rejected with its reason); with
    ``?atomic=true`` any invalid item refuses the whole batch with 422 and field paths.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise Problem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            "send the batch as JSON with the header Content-Type: application/json",
        )
    items, prefix = parse_batch(await request.body(), max_batch=settings.max_batch)
    if atomic:
        items = validate_all(items, prefix=prefix)
    result = await run_in_threadpool(_ingest, session, items)
    workers = getattr(request.app.state, "workers", None)
    if workers is not None:
        workers.wake()  # enrich, match and watch the new posts now, not at the next poll
    return result


@router.get("/posts", summary="Search posts", response_model=PostPageRead)
def list_posts(
    session: DbSession,
    who: Annotated[Principal, require(Permission.POSTS_READ)],
    filters: Annotated[PostFilters, Query()],
    request: Request,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    unmask: Annotated[bool, Query(description=UNMASK_HELP)] = False,
) -> PostPageRead:
    """Posts matching every filter given, newest first, with an opaque ``next_cursor``.

    Personal data is masked unless ``unmask=true`` (needs ``pii:unmask``; audited)."""
    try:
        page = search_posts(session=session, filters=filters, cursor=cursor, limit=limit)
    except CursorError as exc:
        raise _invalid(str(exc), field="/cursor") from None
    shown = _disclose(session, who, request, page.items, unmask)
    return PostPageRead(
        items=[PostRead.of(p, shown[p.id]) for p in page.items], next_cursor=page.next_cursor
    )


@router.get("/posts/{post_id}", summary="Read one post", response_model=PostRead)
def read_post(
    post_id: int,
    session: DbSession,
    who: Annotated[Principal, require(Permission.POSTS_READ)],
    request: Request,
    unmask: Annotated[bool, Query(description="Show personal data (needs pii:unmask).")] = False,
) -> PostRead:
    post = get_post(session=session, post_id=post_id)
    if post is None:
        raise Problem(404, "not-found", "Not found", f"no post with id {post_id}")
    shown = _disclose(session, who, request, [post], unmask)
    return PostRead.of(post, shown[post.id])


UNMASK_HELP = "Show personal data unmasked (needs the pii:unmask permission; audited)."


def _disclose(
    session: Session, who: Principal, request: Request, posts: Sequence[Post], unmask: bool
) -> dict[int, DisclosedPost]:
    if unmask and not who.can(Permission.PII_UNMASK):
        raise Problem(
            403,
            "forbidden",
            "Forbidden",
            "unmasking personal data needs the pii:unmask permission (managers and admins)",
        )
    shown = disclose(
        session=session,
        posts=posts,
        reveal=unmask,
        actor_user_id=who.user.id,
        actor_token_id=who.token.id if who.token else None,
        ip=request.client.host if request.client else "",
    )
    if unmask:
        session.commit()  # the audit entry
    return shown
