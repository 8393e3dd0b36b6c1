"""The posts page: filters, newest first, "load more" through htmx with the opaque cursor.

``GET /posts`` renders the whole page, or only the results when htmx asks for them after a
filter change (``HX-Target: post-results``); ``GET /posts/more`` returns the next slice and a
new "load more" button. Post text is always escaped; links only when they are http(s).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from tocsin.accounts.permissions import Permission
from tocsin.ingestion.schemas import PLATFORMS
from tocsin.privacy.disclosure import disclose
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.post_search import CursorError, PostFilters, PostPage, get_post, search_posts
from tocsin.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 30
LANGUAGES = ("en", "fr", "es", "nl", "de", "it", "pt")
ReadPosts = Annotated[Principal, require(Permission.POSTS_READ)]


def filters_from_query(params: QueryParams) -> PostFilters:
    """Build filters from the form's query string; a bare date ``until`` includes that day."""
    data: dict[str, Any] = {k: params.get(k) for k in ("lang", "direction", "since", "q", "author")}
    data["platform"] = [p for p in params.getlist("platform") if p]
    filters = PostFilters.model_validate(data)
    until = params.get("until", "")
    if until:
        bound = PostFilters.model_validate({"until": until}).until
        if bound is not None and len(until) == 10:
            bound += timedelta(days=1)
        filters = filters.model_copy(update={"until": bound})
    return filters


def _more_url(params: QueryParams, cursor: str) -> str:
    kept = [(k, v) for k, v in params.multi_items() if k != "cursor" and v]
    return "/posts/more?" + urlencode([*kept, ("cursor", cursor)])


def _search(request: Request, session: DbSession) -> tuple[PostPage | None, str]:
    try:
        filters = filters_from_query(request.query_params)
        page = search_posts(
            session=session,
            filters=filters,
            cursor=request.query_params.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        return None, f"{field}: {first['msg']}"
    except CursorError as exc:
        return None, str(exc)
    return page, ""


def _context(
    request: Request, page: PostPage | None, error: str, session: Session, who: Principal
) -> dict[str, Any]:
    params = request.query_params
    shown = disclose(session=session, posts=page.items, reveal=False) if page else {}
    return {
        "page": page,
        "shown": shown,
        "can_unmask": who.can(Permission.PII_UNMASK),
        "error": error,
        "more_url": _more_url(params, page.next_cursor) if page and page.next_cursor else None,
        "form": {
            "platform": params.get("platform", ""),
            "lang": params.get("lang", ""),
            "direction": params.get("direction", ""),
            "q": params.get("q", ""),
            "author": params.get("author", ""),
            "since": params.get("since", ""),
            "until": params.get("until", ""),
        },
        "platforms": PLATFORMS,
        "languages": LANGUAGES,
    }


@router.get("/posts")
def posts_page(request: Request, session: DbSession, who: ReadPosts) -> Response:
    page, error = _search(request, session)
    context = _context(request, page, error, session, who)
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "post-results":
        return render(request, "posts/_results.html", context)
    return render(request, "posts/index.html", context, active="posts")


@router.get("/posts/more")
def posts_more(request: Request, session: DbSession, who: ReadPosts) -> Response:
    page, error = _search(request, session)
    return render(request, "posts/_page.html", _context(request, page, error, session, who))


@router.get("/posts/{post_id}/reveal")
def reveal_post(
    post_id: int,
    request: Request,
    session: DbSession,
    who: Annotated[Principal, require(Permission.PII_UNMASK)],
) -> Response:
    """The post's text with its personal data shown; audited."""
    post = get_post(session=session, post_id=post_id)
    if post is None:
        return Response(status_code=404)
    shown = disclose(
        session=session,
        posts=[post],
        reveal=True,
        actor_user_id=who.user.id,
        ip=request.client.host if request.client else "",
    )[post.id]
    session.commit()
    return render(request, "posts/_text.html", {"post": post, "view": shown})
