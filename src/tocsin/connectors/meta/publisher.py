"""Replying on Facebook and Instagram through the Graph API.

* a Facebook comment: ``POST /{comment-id}/comments`` (a post: ``/{post-id}/comments``) with
  the Page access token;
* an Instagram comment: ``POST /{ig-comment-id}/replies``;
* an Instagram @mention (in someone else's comment or caption, which the brand's account may
  not answer directly): ``POST /{ig-user-id}/mentions`` with ``media_id`` and, for a comment,
  ``comment_id``.  The ids come from the mention's webhook payload, which the inbox passes as
  ``extra["target_raw"]`` (the answered post's stored raw payload).

Example::

    MetaPublisher(ctx, "instagram").publish(OutboundReply(idempotency_key="r1",
        platform="instagram", in_reply_to="17900000000000001", text="Thanks Ana!"))
"""

from __future__ import annotations

from tocsin.connectors.base import OutboundReply, PublishError, PublishResult
from tocsin.connectors.http import ConnectorError, RateLimited, make_client, request_with_retries
from tocsin.connectors.spec import ConnectorContext
from tocsin.types import utcnow

GRAPH = "https://graph.facebook.com"
DEFAULT_VERSION = "v21.0"


class MetaPublisher:
    def __init__(self, ctx: ConnectorContext, platform: str = "facebook") -> None:
        self.ctx = ctx
        self.platform = platform
        version = str(ctx.setting("graph_version", DEFAULT_VERSION))
        base = str(ctx.setting("graph_url", GRAPH)).rstrip("/")
        self.client = make_client(transport=ctx.transport, base_url=f"{base}/{version}")

    def publish(self, reply: OutboundReply) -> PublishResult:
        if not reply.in_reply_to:
            raise PublishError("Meta replies answer a comment or a post", permanent=True)
        if reply.visibility != "public":
            raise PublishError("private replies on Meta go through Messenger", permanent=True)
        platform = reply.platform if reply.platform in ("facebook", "instagram") else self.platform
        data = {"message": reply.text}
        mention = _mention_ids(reply.extra.get("target_raw")) if platform == "instagram" else None
        if mention is not None:
            # a Facebook User token, as for reading mentions (tocsin.connectors.meta.graph)
            ig_user_id, ids = mention
            path, token = (
                f"/{ig_user_id}/mentions",
                self.ctx.credential("page_access_token")
                or self.ctx.credential("instagram_access_token"),
            )
            data.update(ids)
        elif platform == "instagram":
            path = f"/{reply.in_reply_to}/replies"
            token = self.ctx.credential("instagram_access_token") or self.ctx.credential(
                "page_access_token"
            )
        else:
            path, token = f"/{reply.in_reply_to}/comments", self.ctx.credential("page_access_token")
        try:
            response = request_with_retries(
                self.client,
                "POST",
                path,
                data=data,
                headers={"Authorization": f"Bearer {token}"},
                sleep=self.ctx.sleep,
            )
        except RateLimited as exc:
            raise PublishError(str(exc), retry_after=exc.retry_after) from exc
        except ConnectorError as exc:
            raise PublishError(str(exc), permanent=exc.permanent) from exc
        return PublishResult(
            external_id=str(response.json()["id"]), url=None, published_at=utcnow()
        )


def _mention_ids(raw: object) -> tuple[str, dict[str, str]] | None:
    """``(ig-user-id, {"media_id", "comment_id"?})`` when ``raw`` is a stored mention delivery."""
    if not isinstance(raw, dict) or raw.get("field") != "mentions":
        return None
    value = raw.get("value")
    if not isinstance(value, dict) or not raw.get("entry_id") or not value.get("media_id"):
        return None
    ids = {"media_id": str(value["media_id"])}
    if value.get("comment_id"):
        ids["comment_id"] = str(value["comment_id"])
    return str(raw["entry_id"]), ids
