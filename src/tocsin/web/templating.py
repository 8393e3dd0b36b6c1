"""Rendering pages: one Jinja2 environment (autoescape on), the navigation and page context.

Every page gets ``t`` (the translator), ``locale``, ``csrf_token``, ``user``, ``nav`` (the items
the user may see) and ``active`` (the current nav key). Add an area to the sidebar by appending
a :class:`NavItem` to :data:`NAV`.

Example::

    return render(request, "posts/index.html", {"page": page}, active="posts")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from tocsin.accounts.permissions import Permission
from tocsin.web.i18n import LOCALE_NAMES, SUPPORTED_LOCALES, Translator, resolve_locale
from tocsin.web.security import LOCALE_COOKIE, PRE_SESSION_COOKIE

TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class NavItem:
    key: str
    href: str
    label_key: str
    #: Shown only to users holding this permission (None: every signed-in user).
    permission: Permission | None
    icon: str


NAV: list[NavItem] = [
    NavItem("inbox", "/inbox", "nav.inbox", Permission.CASES_READ, "inbox"),
    NavItem("listening", "/listening", "nav.listening", Permission.LISTENING_READ, "ear"),
    NavItem("crisis", "/crisis", "nav.crisis", Permission.ALERTS_READ, "bell"),
    NavItem("posts", "/posts", "nav.posts", Permission.POSTS_READ, "list"),
    NavItem("settings", "/settings", "nav.settings", None, "gear"),
]


def safe_url(value: str | None) -> str | None:
    """``value`` if it is an http(s) URL, else None: never render ``javascript:`` links."""
    if value and value.lower().startswith(("http://", "https://")):
        return value
    return None


def iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


_ICONS = {
    "inbox": "M4 4h16v10h-5l-2 3h-2l-2-3H4z M4 14v6h16v-6",
    "ear": "M8 10a4 4 0 1 1 8 0c0 3-3 4-3 7a3 3 0 0 1-6 0 M12 10v1",
    "bell": "M6 16V11a6 6 0 0 1 12 0v5l2 2H4z M10 21h4",
    "list": "M8 6h12 M8 12h12 M8 18h12 M4 6h.01 M4 12h.01 M4 18h.01",
    "gear": "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z M12 2v3 M12 19v3 M2 12h3 M19 12h3",
    "logout": "M15 4h4v16h-4 M10 8l-4 4 4 4 M6 12h10",
    "link": "M10 14l4-4 M8 12l-2 2a3 3 0 0 0 4 4l2-2 M16 12l2-2a3 3 0 0 0-4-4l-2 2",
}


def icon(name: str) -> Markup:
    """An inline SVG icon from a fixed table (never from user input)."""
    path = _ICONS.get(name, "")
    return Markup(
        '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
        '<path d="{}"/></svg>'
    ).format(path)


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["iso"] = iso
    env.globals["icon"] = icon
    env.globals["locales"] = [(code, LOCALE_NAMES[code]) for code in SUPPORTED_LOCALES]
    return env


def request_locale(request: Request) -> str:
    principal = getattr(request.state, "principal", None)
    settings = request.app.state.settings
    return resolve_locale(
        user_locale=principal.user.locale if principal is not None else None,
        cookie=request.cookies.get(LOCALE_COOKIE),
        accept_language=request.headers.get("accept-language"),
        default=settings.default_locale,
    )


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    active: str = "",
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    env: Environment = request.app.state.jinja
    principal = getattr(request.state, "principal", None)
    locale = request_locale(request)
    if principal is not None and principal.web_session is not None:
        csrf = principal.web_session.csrf_token
    else:
        csrf = getattr(request.state, "pre_session_csrf", None) or ""
    nav = [
        item
        for item in NAV
        if principal is not None and (item.permission is None or principal.can(item.permission))
    ]
    full = {
        "request": request,
        "t": Translator.for_locale(locale),
        "locale": locale,
        "csrf_token": csrf,
        "user": principal.user if principal is not None else None,
        "principal": principal,
        "nav": nav,
        "active": active,
        "current_path": request.url.path,
        **(context or {}),
    }
    html = env.get_template(template).render(full)
    return HTMLResponse(html, status_code=status_code, headers=headers)


def pre_session_cookie_value(request: Request) -> str | None:
    return request.cookies.get(PRE_SESSION_COOKIE)
