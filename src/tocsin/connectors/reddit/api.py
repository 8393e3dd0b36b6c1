"""Reddit's OAuth JSON API through ``httpx`` (what ``praw`` calls underneath).

A *script* app's client id and secret get an application-only token (reading); with the
account's username and password the token also allows replying.  Reddit requires a
descriptive ``User-Agent``.

Example::

    api = RedditApi(ctx)
    api.get("/r/acme+acmehelp/new", limit=100).json()["data"]["children"]
"""

from __future__ import annotations

from typing import Any

import httpx

from tocsin.connectors.http import ConnectorError, make_client, request_with_retries
from tocsin.connectors.spec import ConnectorContext

TOKEN_URL = "https://www.reddit.com/api/v1/access_token"  # noqa: S105 - a URL
OAUTH_API = "https://oauth.reddit.com"


class RedditApi:
    def __init__(self, ctx: ConnectorContext) -> None:
        self.ctx = ctx
        client_id, secret = ctx.credential("client_id"), ctx.credential("client_secret")
        if not client_id or not secret:
            raise ValueError("a Reddit source needs 'client_id' and 'client_secret' credentials")
        self.auth = (client_id, secret)
        user = ctx.credential("username") or "tocsin"
        agent = f"python:tocsin.{ctx.source_name or 'source'}:v0.1 (by /u/{user})"
        self.token_url = str(ctx.setting("token_url", TOKEN_URL))
        base = str(ctx.setting("api_url", OAUTH_API)).rstrip("/")
        self.client = make_client(
            transport=ctx.transport, base_url=base, headers={"User-Agent": agent}
        )
        self._token: str | None = None

    def token(self) -> str:
        if self._token is None:
            username, password = self.ctx.credential("username"), self.ctx.credential("password")
            data = (
                {"grant_type": "password", "username": username, "password": password}
                if username and password
                else {"grant_type": "client_credentials"}
            )
            response = request_with_retries(
                self.client,
                "POST",
                self.token_url,
                data=data,
                auth=self.auth,
                sleep=self.ctx.sleep,
            )
            token = response.json().get("access_token")
            if not token:
                raise ConnectorError("Reddit refused the credentials", permanent=True)
            self._token = str(token)
        return self._token

    def get(self, path: str, **params: Any) -> httpx.Response:
        return request_with_retries(
            self.client,
            "GET",
            path,
            params={**params, "raw_json": 1},
            headers={"Authorization": f"Bearer {self.token()}"},
            sleep=self.ctx.sleep,
        )

    def post(self, path: str, data: dict[str, Any]) -> httpx.Response:
        return request_with_retries(
            self.client,
            "POST",
            path,
            data=data,
            headers={"Authorization": f"Bearer {self.token()}"},
            sleep=self.ctx.sleep,
        )
