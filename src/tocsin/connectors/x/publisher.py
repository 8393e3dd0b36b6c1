"""Replying on X: ``POST /2/tweets`` with a user-context OAuth 2.0 token (``tweet.write``).

Example::

    XPublisher(ctx).publish(OutboundReply(idempotency_key="r1", platform="x",
        in_reply_to="1790000000000000001", text="@ana sorry, we're checking"))
"""

from __future__ import annotations

from typing import Any

from tocsin.connectors.base import OutboundReply, PublishError, PublishResult
from tocsin.connectors.http import ConnectorError, RateLimited, make_client, request_with_retries
from tocsin.connectors.spec import ConnectorContext
from tocsin.connectors.x.connector import API
from tocsin.types import utcnow


class XPublisher:
    platform = "x"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.ctx = ctx
        token = ctx.credential("user_access_token")
        base = str(ctx.setting("api_url", API)).rstrip("/")
        self.client = make_client(
            transport=ctx.transport, base_url=base, headers={"Authorization": f"Bearer {token}"}
        )

    def publish(self, reply: OutboundReply) -> PublishResult:
        if reply.visibility != "public":
            raise PublishError("Tocsin sends X replies publicly only", permanent=True)
        body: dict[str, Any] = {"text": reply.text}
        if reply.in_reply_to:
            body["reply"] = {"in_reply_to_tweet_id": reply.in_reply_to}
        try:
            response = request_with_retries(
                self.client, "POST", "/2/tweets", json=body, sleep=self.ctx.sleep
            )
        except RateLimited as exc:
            raise PublishError(str(exc), retry_after=exc.retry_after) from exc
        except ConnectorError as exc:
            raise PublishError(str(exc), permanent=exc.permanent) from exc
        tweet_id = str(response.json()["data"]["id"])
        return PublishResult(
            external_id=tweet_id, url=f"https://x.com/i/status/{tweet_id}", published_at=utcnow()
        )
