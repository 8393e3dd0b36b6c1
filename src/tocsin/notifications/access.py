"""Who may see and change notification channels, and the audit entry of every change.

Changing channels needs ``settings:manage`` (admins). Seeing them and their recent deliveries
is also open to ``incidents:manage`` (team leads), who must notice a failing Slack hook before
the next crisis; agents get 403.

Example::

    @router.get("/x")
    def view(who: ViewChannels): ...
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from tocsin.accounts.permissions import Permission
from tocsin.notifications.models import NotificationChannel
from tocsin.web.audit import record_change
from tocsin.web.deps import CurrentPrincipal, PermissionDenied, Principal, require

MANAGE = Permission.SETTINGS_MANAGE
VIEW_ALSO = Permission.INCIDENTS_MANAGE


def can_view(principal: Principal | None) -> bool:
    return principal is not None and (principal.can(MANAGE) or principal.can(VIEW_ALSO))


def _viewer(principal: CurrentPrincipal) -> Principal:
    if not can_view(principal):
        raise PermissionDenied(str(MANAGE))
    return principal


ViewChannels = Annotated[Principal, Depends(_viewer)]
ManageChannels = Annotated[Principal, require(MANAGE)]


def audit_channel(
    session: Session,
    who: Principal,
    request: Request,
    action: str,
    channel: NotificationChannel,
    **detail: Any,
) -> None:
    """Record ``action`` on ``channel``; ``detail`` names what changed, never a secret value."""
    record_change(
        request,
        session,
        who,
        action=action,
        target_type="notification_channel",
        target_id=channel.id,
        detail={"name": channel.name, "kind": channel.kind, **detail},
    )
