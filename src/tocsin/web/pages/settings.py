"""Settings: the user's profile and language, and their API tokens (create, revoke).

A new token's secret is rendered in the answer to the POST itself (never in a URL or a
redirect), once, with a copy button; afterwards only its prefix is shown.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tocsin.accounts.permissions import Permission
from tocsin.accounts.tokens import (
    IssuedToken,
    TokenError,
    create_token,
    get_token,
    list_tokens,
    revoke_token,
)
from tocsin.privacy.audit import record
from tocsin.types import utcnow
from tocsin.web.deps import CurrentPrincipal, DbSession, Principal, require
from tocsin.web.security import client_ip
from tocsin.web.templating import render

router = APIRouter(include_in_schema=False)
ManageTokens = Annotated[Principal, require(Permission.TOKENS_MANAGE)]
TOKEN_SCOPES = (Permission.POSTS_READ, Permission.POSTS_WRITE)


def _settings_page(
    request: Request,
    session: DbSession,
    principal: Principal,
    *,
    issued: IssuedToken | None = None,
    error: str = "",
    status_code: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    can_tokens = principal.can(Permission.TOKENS_MANAGE)
    context: dict[str, Any] = {
        "tokens": list_tokens(session=session, user_id=principal.user.id) if can_tokens else [],
        "can_tokens": can_tokens,
        "scopes": [s for s in Permission if principal.can(s)],
        "default_scopes": [str(s) for s in TOKEN_SCOPES],
        "issued": issued,
        "error": error,
        "now": utcnow(),
        **(extra or {}),
    }
    return render(
        request, "settings/index.html", context, active="settings", status_code=status_code
    )


@router.get("/settings")
def settings_page(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    return _settings_page(request, session, principal)


@router.post("/settings/tokens")
def create_token_form(
    request: Request,
    session: DbSession,
    who: ManageTokens,
    name: Annotated[str, Form(max_length=120)] = "",
    scopes: Annotated[list[str] | None, Form()] = None,
    expires_in_days: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    expires_at = None
    if expires_in_days.isdigit() and 0 < int(expires_in_days) <= 3650:
        expires_at = utcnow() + timedelta(days=int(expires_in_days))
    try:
        issued = create_token(
            session=session,
            user=who.user,
            name=name,
            scopes=scopes or [],
            expires_at=expires_at,
        )
    except TokenError as exc:
        return _settings_page(request, session, who, error=str(exc), status_code=422)
    record(
        session,
        action="token.created",
        actor_user_id=who.user.id,
        target_type="api_token",
        target_id=issued.token.id,
        detail={"name": issued.token.name, "scopes": issued.token.scopes},
        ip=client_ip(request),
    )
    session.commit()
    return _settings_page(request, session, who, issued=issued)


@router.post("/settings/tokens/{token_id}/revoke")
def revoke_token_form(
    token_id: int, request: Request, session: DbSession, who: ManageTokens
) -> Response:
    token = get_token(session=session, token_id=token_id, user_id=who.user.id)
    if token is not None and revoke_token(session=session, token=token):
        record(
            session,
            action="token.revoked",
            actor_user_id=who.user.id,
            target_type="api_token",
            target_id=token.id,
            ip=client_ip(request),
        )
        session.commit()
    return RedirectResponse("/settings", status_code=303)
