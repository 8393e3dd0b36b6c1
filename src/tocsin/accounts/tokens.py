"""API tokens: ``tcs_<prefix>_<secret>``, of which only the SHA-256 of the secret is stored.

The prefix is public (it finds the row and shows in listings); the secret is shown once at
creation and compared in constant time. A token's effective permissions are its scopes
intersected with its owner's *current* role, so demoting a user narrows their tokens at once.
A user who must still replace a password someone else set cannot be issued a token (except by an
operator from the shell: ``tocsin token create``).

Example::

    issued = create_token(session=s, user=ana, name="importer", scopes=["posts:write"])
    print(issued.secret)                       # tcs_3f9a1c0b2e7d_Jx…  (shown once)
    token = authenticate_token(session=s, raw=issued.secret)   # -> ApiToken | None
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.accounts.models import ApiToken, User
from tocsin.accounts.password_change import PasswordChangeRequired
from tocsin.accounts.permissions import Permission
from tocsin.types import utcnow

TOKEN_PREFIX = "tcs"  # noqa: S105 - a public marker, not a secret
#: ``last_used_at`` is written at most this often per token, to keep reads cheap.
LAST_USED_RESOLUTION = timedelta(seconds=60)
_DUMMY_HASH = hashlib.sha256(b"tocsin-dummy-token").hexdigest()


class TokenError(ValueError):
    """A token cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class IssuedToken:
    """A freshly created token: ``secret`` is the full bearer value, never stored."""

    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(scopes: Iterable[str]) -> list[str]:
    """Validate scope names against :class:`Permission`; return them sorted and unique."""
    known = {str(p) for p in Permission}
    wanted = {s.strip() for s in scopes if s.strip()}
    unknown = sorted(wanted - known)
    if unknown:
        raise TokenError(f"unknown scope {unknown[0]!r}: use one of {', '.join(sorted(known))}")
    if not wanted:
        raise TokenError("a token needs at least one scope, for example posts:read")
    return sorted(wanted)


def create_token(
    *,
    session: Session,
    user: User,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
    issued_by_operator: bool = False,
) -> IssuedToken:
    """Create a token for ``user``; scopes beyond the user's role are refused.

    Raises :class:`PasswordChangeRequired` while ``user`` still has a password someone else set,
    unless ``issued_by_operator`` (the shell, where whoever runs it already holds the database).
    """
    if user.password_change_required and not issued_by_operator:
        raise PasswordChangeRequired("creating an API token")
    name = name.strip()
    if not name or len(name) > 120:
        raise TokenError("a token needs a name of 1 to 120 characters")
    wanted = parse_scopes(scopes)
    beyond = [s for s in wanted if not user.can(s)]
    if beyond:
        raise TokenError(
            f"the {user.role_name} role does not include {beyond[0]!r}; choose narrower scopes"
        )
    if expires_at is not None and expires_at <= utcnow():
        raise TokenError("the expiry date must be in the future")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=prefix,
        token_hash=hash_secret(secret),
        scopes=wanted,
        created_at=utcnow(),
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    return IssuedToken(token=token, secret=f"{TOKEN_PREFIX}_{prefix}_{secret}")


def is_usable(token: ApiToken) -> bool:
    now = utcnow()
    if token.revoked_at is not None or not token.user.is_active:
        return False
    return token.expires_at is None or token.expires_at > now


def authenticate_token(*, session: Session, raw: str) -> ApiToken | None:
    """Return the live token matching the bearer value ``raw``, else None.

    Updates ``last_used_at`` (at most once a minute); the caller commits.
    """
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.prefix == parts[1]))
    expected = token.token_hash if token is not None else _DUMMY_HASH
    if not hmac.compare_digest(hash_secret(parts[2]), expected) or token is None:
        return None
    if not is_usable(token):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token


def list_tokens(*, session: Session, user_id: int) -> list[ApiToken]:
    stmt = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


def get_token(*, session: Session, token_id: int, user_id: int | None = None) -> ApiToken | None:
    """The token ``token_id``; restricted to ``user_id``'s tokens when given."""
    token = session.get(ApiToken, token_id)
    if token is None or (user_id is not None and token.user_id != user_id):
        return None
    return token


def revoke_token(*, session: Session, token: ApiToken) -> bool:
    """Revoke ``token``; return False when it was already revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    session.flush()
    return True
