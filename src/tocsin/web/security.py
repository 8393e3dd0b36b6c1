"""Browser-facing security: signed cookies, CSRF, security headers and the body-size limit.

* The session cookie holds a random id signed with ``settings.secret_key`` (itsdangerous); the
  server keeps the session row (:mod:`tocsin.accounts.sessions`), so logout really ends it.
* Every unsafe request authenticated by cookie must carry the session's CSRF token, in the
  ``csrf_token`` form field or the ``X-CSRF-Token`` header (``static/js/app.js`` makes htmx
  send it). Before login, a signed double-submit cookie protects the login form.
* :class:`SecurityHeadersMiddleware` sends a CSP without inline scripts, ``nosniff``,
  ``frame-ancestors 'none'`` and friends; :class:`BodyLimitMiddleware` answers 413 as soon as
  ``Content-Length`` or the bytes actually streamed exceed ``settings.max_request_bytes``.

Example::

    signer = CookieSigner(settings.secret_key)
    value = signer.sign("abc")          # put in the cookie
    signer.unsign(value, max_age=3600)  # -> "abc", or None when forged or too old
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tocsin.web.problems import PayloadTooLarge, problem_response

SESSION_COOKIE = "tocsin_session"
#: Double-submit CSRF cookie used before a session exists (login form, language switch).
PRE_SESSION_COOKIE = "tocsin_csrf"
LOCALE_COOKIE = "tocsin_locale"
#: How long the chosen interface language is remembered (a year).
LOCALE_MAX_AGE = 365 * 86400
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def remember_locale(response: Response, code: str, *, secure: bool) -> Response:
    """Keep the interface language ``code`` in the browser; return ``response``."""
    response.set_cookie(
        LOCALE_COOKIE, code, max_age=LOCALE_MAX_AGE, samesite="lax", secure=secure, httponly=True
    )
    return response


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class CookieSigner:
    """Signs cookie values with the app's secret key and a purpose-specific salt."""

    def __init__(self, secret_key: str, *, salt: str = "tocsin.session") -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt=salt)

    def sign(self, value: str) -> str:
        return self._serializer.dumps(value)

    def unsign(self, value: str, *, max_age: int) -> str | None:
        try:
            loaded = self._serializer.loads(value, max_age=max_age)
        except BadSignature:
            return None
        return loaded if isinstance(loaded, str) else None


def tokens_match(expected: str, provided: str | None) -> bool:
    """Constant-time comparison of CSRF tokens (an empty token never matches)."""
    if not expected or not provided:
        return False
    return hmac.compare_digest(expected.encode(), provided.encode())


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


async def submitted_csrf_token(request: Request) -> str | None:
    """The token sent with the request: header first, else the form field."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response that does not set its own."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = {
            "content-security-policy": CONTENT_SECURITY_POLICY,
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",
            "x-frame-options": "DENY",
            "cross-origin-opener-policy": "same-origin",
            "permissions-policy": "camera=(), microphone=(), geolocation=()",
        }
        if hsts:
            self.headers["strict-transport-security"] = "max-age=63072000; includeSubDomains"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:
                        headers[name] = value
                if not is_static and "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuses bodies larger than ``max_bytes``, by header and by counting what arrives."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            response = (
                problem_response(
                    Request(scope),
                    status=413,
                    detail=f"the request body exceeds the limit of {self.max_bytes} bytes",
                )
                if declared.isdigit()
                else problem_response(Request(scope), status=400, detail="invalid Content-Length")
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise PayloadTooLarge(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)
