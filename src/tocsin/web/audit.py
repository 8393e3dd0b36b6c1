"""Audit entries for changes made over HTTP, by a signed-in user or an API token.

Every settings change in the API and the pages records who (user, token, e-mail at the time),
from where (client IP), what (``action``, target) and which fields — never a secret value.
Domains prefix their actions (``inbox.rule.update``, ``crisis.escalation_policy.create``).

Example::

    record_change(request, session, who, action="brand.create", target_type="brand",
                  target_id=brand.id, detail={"slug": brand.slug})
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from tocsin.privacy.audit import record
from tocsin.web.deps import Principal
from tocsin.web.security import client_ip


def record_change(
    request: Request,
    session: Session,
    who: Principal,
    *,
    action: str,
    target_type: str,
    target_id: str | int,
    detail: dict[str, Any] | None = None,
) -> None:
    """One audit entry, in the caller's transaction (it commits with the change)."""
    record(
        session,
        action=action,
        actor_user_id=who.user.id,
        actor_token_id=who.token.id if who.token else None,
        actor_label=who.user.email,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
        ip=client_ip(request),
    )
