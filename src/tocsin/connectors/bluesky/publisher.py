"""Replying on Bluesky with an app password: ``com.atproto.repo.createRecord``.

A reply record needs the parent's and the thread root's ``uri`` and ``cid``; they are read
with ``app.bsky.feed.getPosts``.  Bluesky has no "automated post" flag, so an automatic
reply's text must say it is automatic (the inbox's acknowledgements do).

Example::

    BlueskyPublisher(ctx).publish(OutboundReply(idempotency_key="r1", platform="bluesky",
        in_reply_to="at://did:plc:abc/app.bsky.feed.post/3k", text="We're on it"))
"""

from __future__ import annotations

from typing import Any

from tocsin.connectors.base import OutboundReply, PublishError, PublishResult
from tocsin.connectors.bluesky.normalise import POST_COLLECTION, web_url
from tocsin.connectors.bluesky.xrpc import Xrpc
from tocsin.connectors.http import ConnectorError, RateLimited
from tocsin.connectors.spec import ConnectorContext
from tocsin.types import utcnow

MAX_GRAPHEMES = 300


class BlueskyPublisher:
    platform = "bluesky"

    def __init__(self, ctx: ConnectorContext) -> None:
        self.ctx = ctx

    def publish(self, reply: OutboundReply) -> PublishResult:
        if reply.visibility != "public":
            raise PublishError("Tocsin sends Bluesky replies publicly only", permanent=True)
        if len(reply.text) > MAX_GRAPHEMES:
            raise PublishError(f"Bluesky posts hold {MAX_GRAPHEMES} characters", permanent=True)
        xrpc = Xrpc(self.ctx)
        try:
            xrpc.login()
            record: dict[str, Any] = {
                "$type": POST_COLLECTION,
                "text": reply.text,
                "createdAt": utcnow().isoformat().replace("+00:00", "Z"),
            }
            if reply.in_reply_to:
                record["reply"] = self._reply_refs(xrpc, reply.in_reply_to)
            created = xrpc.post(
                "com.atproto.repo.createRecord",
                {"repo": xrpc.did, "collection": POST_COLLECTION, "record": record},
            )
        except RateLimited as exc:
            raise PublishError(str(exc), retry_after=exc.retry_after) from exc
        except ConnectorError as exc:
            raise PublishError(str(exc), permanent=exc.permanent) from exc
        uri = str(created["uri"])
        handle = self.ctx.credential("handle") or str(xrpc.did)
        return PublishResult(external_id=uri, url=web_url(handle, uri), published_at=utcnow())

    def _reply_refs(self, xrpc: Xrpc, parent_uri: str) -> dict[str, Any]:
        found = xrpc.get("app.bsky.feed.getPosts", uris=parent_uri).get("posts") or []
        if not found:
            raise PublishError(f"the post {parent_uri} no longer exists", permanent=True)
        parent = {"uri": found[0]["uri"], "cid": found[0]["cid"]}
        root = (found[0].get("record", {}).get("reply") or {}).get("root") or parent
        return {"root": root, "parent": parent}
