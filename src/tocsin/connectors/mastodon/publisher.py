"""Replying on Mastodon: ``POST /api/v1/statuses`` with an ``Idempotency-Key``.

Mastodon itself refuses to post twice with the same ``Idempotency-Key`` (for an hour), which
covers a crash between the platform call and our ledger's commit.  A reply to a post seen
through another instance is first resolved to a local id with ``/api/v2/search?resolve=true``.
Private replies are ``direct`` statuses addressed to the recipient.

Example::

    MastodonPublisher(ctx).publish(OutboundReply(idempotency_key="r1", platform="mastodon",
        in_reply_to="mastodon.social/1100", text="@ana we're on it"))
"""

from __future__ import annotations

from typing import Any

from tocsin.connectors.base import OutboundReply, PublishError, PublishResult
from tocsin.connectors.http import ConnectorError, RateLimited, request_with_retries
from tocsin.connectors.mastodon.api import MastodonApi
from tocsin.connectors.spec import ConnectorContext
from tocsin.connectors.text import parse_time


class MastodonPublisher:
    platform = "mastodon"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.ctx = ctx
        self.api = MastodonApi(ctx)

    def publish(self, reply: OutboundReply) -> PublishResult:
        body: dict[str, Any] = {
            "status": reply.text,
            "visibility": "direct" if reply.visibility == "private" else "public",
        }
        try:
            if reply.in_reply_to:
                body["in_reply_to_id"] = self._local_id(reply.in_reply_to)
            if reply.visibility == "private" and reply.recipient:
                mention = "@" + reply.recipient.lstrip("@")
                if mention not in reply.text:
                    body["status"] = f"{mention} {reply.text}"
            response = request_with_retries(
                self.api.client,
                "POST",
                "/api/v1/statuses",
                json=body,
                headers={"Idempotency-Key": reply.idempotency_key},
                sleep=self.ctx.sleep,
            )
        except RateLimited as exc:
            raise PublishError(str(exc), retry_after=exc.retry_after) from exc
        except ConnectorError as exc:
            raise PublishError(str(exc), permanent=exc.permanent) from exc
        status = response.json()
        return PublishResult(
            external_id=f"{self.api.host}/{status['id']}",
            url=status.get("url"),
            published_at=parse_time(str(status["created_at"])),
        )

    def _local_id(self, external_id: str) -> str:
        host, _, status_id = external_id.rpartition("/")
        if host == self.api.host:
            return status_id
        url = external_id if external_id.startswith("http") else f"https://{external_id}"
        found = self.api.get("/api/v2/search", q=url, type="statuses", resolve="true").json()
        statuses = found.get("statuses") or []
        if not statuses:
            raise PublishError(f"{self.api.host} cannot find {external_id}", permanent=True)
        return str(statuses[0]["id"])
