"""Recording access and changes in the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tocsin.privacy.models import AuditLog
from tocsin.types import utcnow


def record(
    session: Session,
    *,
    action: str,
    actor_user_id: int | None = None,
    actor_token_id: int | None = None,
    actor_label: str = "",
    target_type: str = "",
    target_id: str | int = "",
    detail: dict[str, Any] | None = None,
    ip: str = "",
) -> AuditLog:
    """Append an audit entry in the caller's transaction."""
    entry = AuditLog(
        at=utcnow(),
        action=action,
        actor_user_id=actor_user_id,
        actor_token_id=actor_token_id,
        actor_label=actor_label,
        target_type=target_type,
        target_id=str(target_id),
        detail=detail or {},
        ip=ip,
    )
    session.add(entry)
    return entry
