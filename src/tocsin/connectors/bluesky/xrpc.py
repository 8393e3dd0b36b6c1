"""Calling Bluesky's XRPC endpoints with ``httpx`` (app-password sessions, retries).

The ``atproto`` SDK speaks the same endpoints; calling them directly keeps one injectable
``httpx`` transport for tests and lets :mod:`tocsin.connectors.http` handle rate limits.

Example::

    xrpc = Xrpc(ctx)
    xrpc.login()                    # com.atproto.server.createSession with the app password
    xrpc.get("app.bsky.feed.searchPosts", q="acme", sort="latest")
"""

from __future__ import annotations

from typing import Any

from tocsin.connectors.http import ConnectorError, make_client, request_with_retries
from tocsin.connectors.spec import ConnectorContext

DEFAULT_PDS = "https://bsky.social"
PUBLIC_APPVIEW = "https://public.api.bsky.app"


class Xrpc:
    """``timeout`` bounds each request and ``attempts`` the tries of one call (see
    :func:`~tocsin.connectors.http.request_with_retries`); a caller that must not wait, such
    as the handle lookup of the Jetstream consumer, asks for one attempt and a short timeout.
    """

    def __init__(self, ctx: ConnectorContext, *, timeout: float = 20.0, attempts: int = 4) -> None:
        self.ctx = ctx
        self.pds = str(ctx.setting("pds", DEFAULT_PDS)).rstrip("/")
        self.appview = str(ctx.setting("appview", PUBLIC_APPVIEW)).rstrip("/")
        self.client = make_client(transport=ctx.transport, timeout=timeout)
        self.attempts = attempts
        self.access_jwt: str | None = None
        self.did: str | None = None

    @property
    def has_login(self) -> bool:
        return bool(self.ctx.credential("handle") and self.ctx.credential("app_password"))

    def login(self) -> None:
        if self.access_jwt is not None:
            return
        if not self.has_login:
            raise ConnectorError(
                "Bluesky needs 'handle' and 'app_password' credentials for this", permanent=True
            )
        data = self._call(
            "POST",
            f"{self.pds}/xrpc/com.atproto.server.createSession",
            json={
                "identifier": self.ctx.credential("handle"),
                "password": self.ctx.credential("app_password"),
            },
        )
        self.access_jwt, self.did = str(data["accessJwt"]), str(data["did"])

    def get(self, method: str, **params: Any) -> dict[str, Any]:
        """A query: through the user's PDS when logged in, else the public AppView."""
        base = self.pds if self.access_jwt else self.appview
        return self._call("GET", f"{base}/xrpc/{method}", params=params)

    def post(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        self.login()
        return self._call("POST", f"{self.pds}/xrpc/{method}", json=body)

    def _call(self, verb: str, url: str, **kwargs: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.access_jwt}"} if self.access_jwt else {}
        response = request_with_retries(
            self.client,
            verb,
            url,
            headers=headers,
            max_attempts=self.attempts,
            sleep=self.ctx.sleep,
            **kwargs,
        )
        data = response.json()
        if not isinstance(data, dict):
            raise ConnectorError(f"{url}: expected a JSON object")
        return data
