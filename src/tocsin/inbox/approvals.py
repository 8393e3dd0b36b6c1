"""Which replies need a manager's approval, and recording the decision.

Rules (each one a reason stored on the reply): the post is negative and the author has a
large audience; the post contains a legal threat or blackmail; the case is linked to a crisis
(tagged ``crisis``).  An agent holding ``replies:approve`` approves their own reply by sending.

Example::

    approval_reasons(session=s, case=case)   # -> ["negative_high_reach"]
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tocsin.accounts.models import User
from tocsin.accounts.permissions import Permission
from tocsin.enrichment.models import PostEnrichment
from tocsin.inbox.models import Case
from tocsin.inbox.reply_models import Reply

#: Followers from which a negative post is answered only with approval.
HIGH_REACH = 10_000


class ApprovalError(PermissionError):
    """The user may not approve, or the reply is not waiting for approval."""


def approval_reasons(*, session: Session, case: Case, post_id: int | None = None) -> list[str]:
    reasons: list[str] = []
    enrichment = session.get(PostEnrichment, post_id or case.first_post_id or 0)
    followers = case.author.followers if case.author else 0
    if enrichment is not None:
        if enrichment.sentiment == "negative" and followers >= HIGH_REACH:
            reasons.append("negative_high_reach")
        for intent in enrichment.intents:
            if intent.get("name") == "threat" and intent.get("subtype") in ("legal", "blackmail"):
                reasons.append(f"{intent['subtype']}_threat")
                break
    if "crisis" in case.tags:
        reasons.append("crisis")
    return reasons


def decide(*, reply: Reply, user: User, approve: bool, now: datetime) -> None:
    """Approve or reject a reply waiting for approval (needs ``replies:approve``)."""
    if not user.can(Permission.REPLIES_APPROVE):
        raise ApprovalError("approving replies needs the replies:approve permission")
    if reply.status != "pending_approval":
        raise ApprovalError(f"reply {reply.id} is {reply.status}, not waiting for approval")
    reply.status = "approved" if approve else "rejected"
    reply.approved_by_id = user.id
    reply.decided_at = now
