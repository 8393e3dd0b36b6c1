"""The web application: API, pages, static files, security middleware, optional workers.

``create_app(settings)`` builds everything from the settings object; nothing is read at import.
Tests pass their own ``session_factory`` (sessions inside a rolled-back transaction).

Example::

    app = create_app(Settings(), run_workers=True)
    uvicorn.run(app, host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tocsin.accounts import password_change
from tocsin.accounts.password_change import PasswordChangeRequired
from tocsin.config import Settings
from tocsin.db import make_engine, make_session_factory
from tocsin.web import problems
from tocsin.web.api import health, posts, tokens
from tocsin.web.deps import NotAuthenticated, PermissionDenied
from tocsin.web.pages import auth, shell
from tocsin.web.pages import posts as posts_pages
from tocsin.web.pages import settings as settings_pages
from tocsin.web.security import BodyLimitMiddleware, CookieSigner, SecurityHeadersMiddleware
from tocsin.web.templating import make_environment, render

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
API_ROUTERS = (health.router, posts.router, tokens.router)
PAGE_ROUTERS = (auth.router, posts_pages.router, settings_pages.router, shell.router)

#: Domain packages that bring their own pages and API: each module exposes ``routers`` (a
#: sequence of ``APIRouter``).  They are included before the shell, so a domain's ``/inbox``
#: replaces the shell's placeholder.  A module not written yet is skipped.
DOMAIN_VIEWS = (
    "tocsin.accounts.views",
    "tocsin.brands.views",
    "tocsin.inbox.views",
    "tocsin.crisis.views",
    "tocsin.listening.views",
    "tocsin.claims.views",
    "tocsin.connectors.views",
    "tocsin.privacy.views",
    "tocsin.enrichment.views",
    "tocsin.notifications.views",
)


def domain_routers() -> list[APIRouter]:
    routers: list[APIRouter] = []
    for name in DOMAIN_VIEWS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            missing = exc.name or ""
            if name == missing or name.startswith(missing + "."):
                continue
            raise
        routers.extend(module.routers)
    return routers


#: Paths anonymous callers may reach (exact paths, or prefixes ending in "/").
PUBLIC_PATHS = ("/api/v1/health", "/login", "/locale", "/docs", "/openapi.json")
#: ``/webhooks/`` are signed by the platforms; ``/shared/`` pages are reached with an
#: unguessable token (the crisis communiqué staff relay).
PUBLIC_PREFIXES = ("/static/", "/webhooks/", "/shared/")
_DOCS_CDN = "https://cdn.jsdelivr.net"


def create_app(
    settings: Settings,
    *,
    run_workers: bool = False,
    session_factory: sessionmaker[Session] | None = None,
) -> FastAPI:
    """Build the FastAPI app for ``settings``; start the in-process workers if asked."""
    engine: Engine | None = None
    if session_factory is None:
        engine = make_engine(settings.database_url)
        session_factory = make_session_factory(engine)
    factory = session_factory

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        workers = _start_workers(settings, factory) if run_workers else None
        _app.state.workers = workers
        streams = _start_streams(settings, factory) if run_workers else None
        try:
            yield
        finally:
            if streams is not None:
                await asyncio.to_thread(streams.stop)  # flushes and joins the consumers
            if workers is not None:
                await asyncio.to_thread(workers.stop)  # joins the worker thread
            if engine is not None:
                engine.dispose()

    app = FastAPI(
        title="Tocsin",
        summary="Listen, understand, answer and protect on social media.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.session_factory = factory
    app.state.cookie_signer = CookieSigner(settings.secret_key)
    app.state.jinja = make_environment()

    problems.install(app, html_error=_html_error)
    app.add_exception_handler(NotAuthenticated, _on_unauthenticated)
    app.add_exception_handler(PermissionDenied, _on_denied)
    app.add_exception_handler(PasswordChangeRequired, _on_password_change_required)

    for router in (*API_ROUTERS, *domain_routers(), *PAGE_ROUTERS):
        app.include_router(router)
    app.add_api_route("/docs", _docs, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.secure_cookies)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _start_workers(settings: Settings, factory: sessionmaker[Session]) -> Any:
    from tocsin.workers import inprocess

    return inprocess.start(settings, factory)


def _start_streams(settings: Settings, factory: sessionmaker[Session]) -> Any:
    """Long-lived consumers (Bluesky Jetstream, Mastodon streaming) for enabled sources."""
    from tocsin.connectors.tasks import start_streams

    return start_streams(settings, factory)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tocsin")
    except PackageNotFoundError:
        return "0.0.0"


def _html_error(request: Request, status: int, detail: str, headers: dict[str, str]) -> Response:
    return render(
        request,
        "errors/error.html",
        {"status": status, "detail": detail},
        status_code=status,
        headers=headers,
    )


async def _on_unauthenticated(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        challenge = 'Bearer realm="tocsin"'
        if request.headers.get("authorization"):
            challenge += ', error="invalid_token"'
        return problems.problem_response(
            request, status=401, detail=str(exc), headers={"WWW-Authenticate": challenge}
        )
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = "/login?next=" + quote(target, safe="/")
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": login})
    return RedirectResponse(login, status_code=303)


async def _on_password_change_required(request: Request, exc: Exception) -> Response:
    """The API refuses with a problem saying how to fix it; pages go to the change page and,
    for a page the user was opening, come back to it afterwards."""
    if request.url.path.startswith("/api/"):
        return problems.problem_response(
            request,
            status=403,
            slug=password_change.PROBLEM_SLUG,
            title=password_change.PROBLEM_TITLE,
            detail=str(exc),
        )
    heading = None
    if request.headers.get("hx-request"):
        current = urlsplit(request.headers.get("hx-current-url", ""))
        heading = current.path + (f"?{current.query}" if current.query else "")
    elif request.method in ("GET", "HEAD"):
        heading = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = password_change.change_password_url(heading or None)
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _on_denied(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PermissionDenied)
    detail = f"this needs the {exc.permission} permission, which your role or token lacks"
    if request.url.path.startswith("/api/"):
        return problems.problem_response(request, status=403, detail=detail)
    return _html_error(request, 403, detail, {})


def _docs(request: Request) -> HTMLResponse:
    """Swagger UI with a CSP that admits its CDN and only its own inline script (nonce)."""
    nonce = secrets.token_urlsafe(16)
    page = get_swagger_ui_html(openapi_url="/openapi.json", title="Tocsin API")
    html = bytes(page.body).decode().replace("<script>", f'<script nonce="{nonce}">')
    csp = (
        f"default-src 'self'; script-src 'self' {_DOCS_CDN} 'nonce-{nonce}'; "
        f"style-src 'self' {_DOCS_CDN}; img-src 'self' data: https://fastapi.tiangolo.com; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description="Errors are application/problem+json (RFC 9457). See docs/api.md.",
        routes=app.routes,
    )
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update(posts.EXTRA_SCHEMAS)
    components["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "tcs_<prefix>_<secret>"}
    }
    schema["security"] = [{"bearer": []}]
    for path, operations in schema.get("paths", {}).items():
        if is_public(path):
            for operation in operations.values():
                operation["security"] = []
    app.openapi_schema = schema
    return schema
