"""Replying on Reddit: ``POST /api/comment`` (needs the account's username and password).

Example::

    RedditPublisher(ctx).publish(OutboundReply(idempotency_key="r1", platform="reddit",
        in_reply_to="t3_abc", text="Hi, Acme support here"))
"""

from __future__ import annotations

from tocsin.connectors.base import OutboundReply, PublishError, PublishResult
from tocsin.connectors.http import ConnectorError, RateLimited
from tocsin.connectors.reddit.api import RedditApi
from tocsin.connectors.spec import ConnectorContext
from tocsin.types import utcnow


class RedditPublisher:
    platform = "reddit"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.api = RedditApi(ctx)

    def publish(self, reply: OutboundReply) -> PublishResult:
        if not reply.in_reply_to or reply.visibility != "public":
            raise PublishError("Reddit replies answer a post or a comment", permanent=True)
        try:
            response = self.api.post(
                "/api/comment",
                {"thing_id": reply.in_reply_to, "text": reply.text, "api_type": "json"},
            )
        except RateLimited as exc:
            raise PublishError(str(exc), retry_after=exc.retry_after) from exc
        except ConnectorError as exc:
            raise PublishError(str(exc), permanent=exc.permanent) from exc
        body = response.json().get("json") or {}
        if body.get("errors"):
            raise PublishError(f"Reddit refused the reply: {body['errors']}", permanent=True)
        thing = body["data"]["things"][0]["data"]
        permalink = thing.get("permalink")
        return PublishResult(
            external_id=str(thing["name"]),
            url=f"https://www.reddit.com{permalink}" if permalink else None,
            published_at=utcnow(),
        )
