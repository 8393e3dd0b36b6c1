from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from tocsin.accounts.service import create_user
from tocsin.accounts.tokens import (
    TokenError,
    authenticate_token,
    create_token,
    hash_secret,
    parse_scopes,
    revoke_token,
)
from tocsin.types import utcnow


def test_token_round_trip_stores_only_the_hash(session: Session) -> None:
    user = create_user(session=session, email="t1@example.com", password="x" * 12, role="agent")
    issued = create_token(session=session, user=user, name="ci", scopes=["posts:read"])
    prefix, secret = issued.secret.split("_", 2)[1:]
    assert issued.token.prefix == prefix
    assert issued.token.token_hash == hash_secret(secret) != secret
    assert authenticate_token(session=session, raw=issued.secret) is issued.token
    assert issued.token.last_used_at is not None
    assert authenticate_token(session=session, raw=f"tcs_{prefix}_{secret}x") is None
    assert authenticate_token(session=session, raw=f"xyz_{prefix}_{secret}") is None
    assert revoke_token(session=session, token=issued.token)
    assert not revoke_token(session=session, token=issued.token)
    assert authenticate_token(session=session, raw=issued.secret) is None


def test_scopes_are_checked(session: Session) -> None:
    viewer = create_user(session=session, email="t2@example.com", password="x" * 12, role="viewer")
    assert parse_scopes([" posts:read ", "posts:read"]) == ["posts:read"]
    with pytest.raises(TokenError, match="unknown scope"):
        parse_scopes(["root"])
    with pytest.raises(TokenError, match="at least one scope"):
        parse_scopes([])
    with pytest.raises(TokenError, match="viewer role does not include 'posts:write'"):
        create_token(session=session, user=viewer, name="w", scopes=["posts:write"])
    with pytest.raises(TokenError, match="future"):
        create_token(
            session=session,
            user=viewer,
            name="w",
            scopes=["posts:read"],
            expires_at=utcnow() - timedelta(days=1),
        )
    with pytest.raises(TokenError, match="name"):
        create_token(session=session, user=viewer, name=" ", scopes=["posts:read"])
