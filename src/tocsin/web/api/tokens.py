"""``/api/v1/tokens``: a user lists, creates and revokes their own API tokens.

Example::

    curl -X POST $BASE/api/v1/tokens -H "Authorization: Bearer $TOKEN" \
         -H "Content-Type: application/json" -d '{"name": "ci", "scopes": ["posts:read"]}'
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Request, Response

from tocsin.accounts.models import ApiToken
from tocsin.accounts.permissions import Permission
from tocsin.accounts.tokens import TokenError, create_token, get_token, list_tokens, revoke_token
from tocsin.privacy.audit import record
from tocsin.types import utcnow
from tocsin.web.api.schemas import TokenCreate, TokenCreated, TokenRead
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem
from tocsin.web.security import client_ip

router = APIRouter(prefix="/api/v1", tags=["tokens"])
ManageTokens = Annotated[Principal, require(Permission.TOKENS_MANAGE)]


def token_read(token: ApiToken) -> TokenRead:
    return TokenRead(
        id=token.id,
        name=token.name,
        prefix=token.prefix,
        scopes=list(token.scopes),
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
    )


@router.get("/tokens", summary="List my API tokens", response_model=list[TokenRead])
def list_my_tokens(session: DbSession, who: ManageTokens) -> list[TokenRead]:
    return [token_read(t) for t in list_tokens(session=session, user_id=who.user.id)]


@router.post("/tokens", summary="Create an API token", response_model=TokenCreated, status_code=201)
def create_my_token(
    body: TokenCreate, request: Request, session: DbSession, who: ManageTokens
) -> TokenCreated:
    """The secret is in ``token`` of the answer, once; only its SHA-256 is kept."""
    expires_at = utcnow() + timedelta(days=body.expires_in_days) if body.expires_in_days else None
    if who.token is not None and not set(body.scopes) <= set(who.token.scopes):
        raise Problem(
            403, "forbidden", "Forbidden", "a token cannot create a token with wider scopes"
        )
    try:
        issued = create_token(
            session=session,
            user=who.user,
            name=body.name,
            scopes=body.scopes,
            expires_at=expires_at,
        )
    except TokenError as exc:
        raise Problem(
            422,
            "validation",
            "Invalid request",
            str(exc),
            errors=[{"field": "/scopes", "message": str(exc), "type": "value_error"}],
        ) from None
    record(
        session,
        action="token.created",
        actor_user_id=who.user.id,
        actor_token_id=who.token.id if who.token else None,
        target_type="api_token",
        target_id=issued.token.id,
        detail={"name": issued.token.name, "scopes": issued.token.scopes},
        ip=client_ip(request),
    )
    session.commit()
    return TokenCreated(**token_read(issued.token).model_dump(), token=issued.secret)


@router.delete("/tokens/{token_id}", summary="Revoke an API token", status_code=204)
def revoke_my_token(
    token_id: int, request: Request, session: DbSession, who: ManageTokens
) -> Response:
    token = get_token(session=session, token_id=token_id, user_id=who.user.id)
    if token is None:
        raise Problem(404, "not-found", "Not found", f"you have no token with id {token_id}")
    if revoke_token(session=session, token=token):
        record(
            session,
            action="token.revoked",
            actor_user_id=who.user.id,
            actor_token_id=who.token.id if who.token else None,
            target_type="api_token",
            target_id=token.id,
            ip=client_ip(request),
        )
        session.commit()
    return Response(status_code=204)
