"""Dependencies shared by every route: the database session, who is calling, and what they may do.

A caller is a :class:`Principal`: a user reached either through a browser session (cookie) or
an API token (``Authorization: Bearer tcs_…``). A token's permissions are its scopes intersected
with the user's role. Routes declare what they need with :func:`require`, which also enforces
CSRF on unsafe methods for cookie-authenticated callers, and keeps a browser whose user must
still replace a password someone else set on the change page
(:mod:`tocsin.accounts.password_change`).

Example::

    @router.get("/posts")
    def list_posts(session: DbSession, who: Annotated[Principal, require(Permission.POSTS_READ)]):
        ...
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from tocsin.accounts.models import ApiToken, User, WebSession
from tocsin.accounts.password_change import PasswordChangeRequired
from tocsin.accounts.permissions import Permission
from tocsin.accounts.sessions import find_session
from tocsin.accounts.tokens import authenticate_token
from tocsin.config import Settings
from tocsin.web.problems import Problem
from tocsin.web.security import (
    SAFE_METHODS,
    SESSION_COOKIE,
    CookieSigner,
    submitted_csrf_token,
    tokens_match,
)


class NotAuthenticated(Exception):  # noqa: N818 - reads as a state
    """No valid credentials: the API answers 401, pages redirect to the login page."""


class PermissionDenied(Exception):  # noqa: N818 - reads as a state
    """Authenticated, but the role or token scopes lack ``permission``."""

    def __init__(self, permission: str) -> None:
        super().__init__(permission)
        self.permission = permission


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user, through a browser session or through an API token."""

    user: User
    web_session: WebSession | None = None
    token: ApiToken | None = None

    @property
    def via_cookie(self) -> bool:
        return self.web_session is not None

    def can(self, permission: str) -> bool:
        if not self.user.can(permission):
            return False
        return self.token is None or permission in self.token.scopes

    @property
    def permissions(self) -> frozenset[str]:
        return frozenset(str(p) for p in Permission if self.can(p))


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    """One session per request; views commit explicitly, anything uncommitted is rolled back."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        yield session


AppSettings = Annotated[Settings, Depends(get_settings)]
DbSession = Annotated[Session, Depends(get_db)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def optional_principal(
    request: Request, session: DbSession, settings: AppSettings
) -> Principal | None:
    """The caller if credentials are valid, else None (bad bearer tokens raise 401)."""
    raw_token = _bearer(request)
    if raw_token is not None:
        token = authenticate_token(session=session, raw=raw_token)
        if token is None:
            raise NotAuthenticated("invalid, expired or revoked API token")
        if session.dirty:
            session.commit()  # last_used_at
        return Principal(user=token.user, token=token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    signer: CookieSigner = request.app.state.cookie_signer
    session_id = signer.unsign(cookie, max_age=settings.session_max_age_seconds)
    if session_id is None:
        return None
    row = find_session(session=session, session_id=session_id)
    if row is None:
        return None
    return Principal(user=row.user, web_session=row)


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


async def signed_in_principal(request: Request, principal: OptionalPrincipal) -> Principal:
    """The authenticated caller, even one who must still replace a password someone else set.

    Unsafe cookie requests must carry the CSRF token. Only the routes such a user may reach use
    this directly (:data:`SignedInPrincipal`): changing the password, signing out, reading
    themselves. Every other route goes through :func:`current_principal`.
    """
    if principal is None:
        raise NotAuthenticated("sign in or send an API token")
    if principal.web_session is not None and request.method not in SAFE_METHODS:
        provided = await submitted_csrf_token(request)
        if not tokens_match(principal.web_session.csrf_token, provided):
            raise Problem(
                403,
                "csrf",
                "CSRF token missing or wrong",
                "reload the page and try again",
            )
    request.state.principal = principal
    return principal


SignedInPrincipal = Annotated[Principal, Depends(signed_in_principal)]


async def current_principal(principal: SignedInPrincipal) -> Principal:
    """The authenticated caller, once their password is their own.

    A browser session whose user has ``password_change_required`` raises
    :class:`PasswordChangeRequired`: pages redirect to the change page, the API answers 403.
    API tokens are not stopped, so an importer set up for the user keeps working.
    """
    if principal.via_cookie and principal.user.password_change_required:
        raise PasswordChangeRequired()
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def current_user(principal: CurrentPrincipal) -> User:
    return principal.user


CurrentUser = Annotated[User, Depends(current_user)]


def require(*permissions: Permission) -> Any:
    """A dependency that admits only callers holding every one of ``permissions``.

    Use as ``who: Annotated[Principal, require(Permission.POSTS_READ)]``.
    """

    def check(principal: CurrentPrincipal) -> Principal:
        for permission in permissions:
            if not principal.can(permission):
                raise PermissionDenied(str(permission))
        return principal

    return Depends(check)
