"""Errors as ``application/problem+json`` (RFC 9457) for the API, HTML pages for the browser.

Every failure a client can see has a ``type`` (a stable URI naming the kind of problem), a
human ``title`` and ``detail``, the ``status`` and the ``instance`` (the request path). A 422
adds ``errors``: one ``{"field": "/posts/3/created_at", "message": …, "type": …}`` per invalid
value, so a client can point at the exact item of a batch; a refused change
(:class:`tocsin.errors.AdminError`, see :func:`refusal`) answers the same shape.

Example::

    raise Problem(409, "token-revoked", "Token already revoked", "token 4 was revoked before")
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from tocsin.errors import AdminError, Refusal

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://tocsin.dev/problems/"

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}
_SLUGS = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "payload-too-large",
    422: "validation",
    429: "rate-limited",
    500: "internal",
}


#: Renders an error page: ``(request, status, detail, headers) -> Response``.
HtmlErrorRenderer = Callable[[Request, int, str, dict[str, str]], Response]


class Problem(Exception):  # noqa: N818 - named after the RFC
    """Raise from a view to answer with a problem document."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str = "",
        *,
        errors: Sequence[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.headers = headers or {}


#: The problem type and title of a refused change, by kind.
REFUSALS = {
    Refusal.NOT_FOUND: ("not-found", "Not found"),
    Refusal.CONFLICT: ("conflict", "Conflict"),
    Refusal.INVALID: ("validation", "Invalid request"),
}


def refusal(exc: AdminError) -> Problem:
    """The problem for a change a service refused: 404 missing, 409 conflict, 422 invalid.

    ``detail`` is the refusal's message; ``errors`` (left out when it blames no field) has one
    ``{"field", "message", "type": "value_error"}`` item per blamed field, the shape of a
    request that fails validation.

    Example: ``refusal(ConflictError("the name is taken", field="/name"))`` is a 409 whose
    ``errors`` is ``[{"field": "/name", "message": "the name is taken", "type": "value_error"}]``.
    """
    slug, title = REFUSALS[exc.kind]
    errors = [{**error, "type": error.get("type", "value_error")} for error in exc.errors]
    return Problem(exc.status, slug, title, str(exc), errors=errors or None)


class PayloadTooLarge(StarletteHTTPException):
    """Raised while reading a body that goes past ``settings.max_request_bytes``."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body exceeds the limit of {limit} bytes")


def problem_response(
    request: Request,
    *,
    status: int,
    slug: str | None = None,
    title: str | None = None,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + (slug or _SLUGS.get(status, str(status))),
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_path(loc: Iterable[str | int]) -> str:
    """A JSON Pointer for a Pydantic error location, without FastAPI's ``body``/``query``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def validation_errors(raw: Sequence[Any]) -> list[dict[str, str]]:
    """Turn Pydantic's error list into ``[{"field", "message", "type"}]``."""
    out = []
    for err in raw:
        out.append(
            {
                "field": field_path(err.get("loc", ())),
                "message": str(err.get("msg", "invalid value")),
                "type": str(err.get("type", "value_error")),
            }
        )
    return out


def wants_html(request: Request) -> bool:
    """Pages (not ``/api``) answer errors with HTML; the API always with problem+json."""
    return not request.url.path.startswith("/api/")


def install(app: FastAPI, *, html_error: HtmlErrorRenderer | None = None) -> None:
    """Register the handlers. ``html_error(request, status, detail)`` renders error pages."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        if html_error is not None and wants_html(request):
            return html_error(request, exc.status, exc.detail or exc.title, exc.headers)
        return problem_response(
            request,
            status=exc.status,
            slug=exc.slug,
            title=exc.title,
            detail=exc.detail,
            errors=exc.errors,
            headers=exc.headers,
        )

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else ""
        headers = dict(exc.headers or {})
        if html_error is not None and wants_html(request):
            return html_error(request, exc.status_code, detail, headers)
        return problem_response(request, status=exc.status_code, detail=detail, headers=headers)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = validation_errors(exc.errors())
        if html_error is not None and wants_html(request):
            message = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
            return html_error(request, 422, message, {})
        return problem_response(
            request,
            status=422,
            detail=f"{len(errors)} invalid value(s); see errors",
            errors=errors,
        )

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem_response(
            request, status=500, detail="an unexpected error occurred; it has been logged"
        )

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_crash)
