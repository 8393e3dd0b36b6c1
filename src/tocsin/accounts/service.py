"""Users: creation, lookup, authentication.

A password chosen by anyone but its owner (an admin, an operator, a generator) leaves the user
with ``password_change_required``: they replace it at their next sign-in
(:mod:`tocsin.accounts.password_change`).

Example::

    user = create_user(session=s, email="ana@example.com", password="…", role="agent")
    authenticate(session=s, email="ana@example.com", password="…")  # -> User | None
    set_password(user=user, password="ana's own choice", chosen_by_owner=True)
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tocsin.accounts.models import Role, User
from tocsin.accounts.passwords import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    verify_password,
)
from tocsin.types import utcnow

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise AccountError(f"{email!r} is not a valid e-mail address")
    return email


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    *,
    session: Session,
    email: str,
    password: str,
    role: str = "agent",
    name: str = "",
    locale: str = "en",
    password_change_required: bool = False,
) -> User:
    """Create an active user; ``password_change_required`` when someone else chose the password."""
    email = normalise_email(email)
    if session.get(Role, role) is None:
        raise AccountError(f"unknown role {role!r}: use admin, manager, agent or viewer")
    if get_user_by_email(session=session, email=email) is not None:
        raise AccountError(f"a user with the e-mail {email} already exists")
    user = User(
        email=email,
        name=name or email.split("@")[0],
        password_hash=hash_password(password),
        role_name=role,
        locale=locale,
        password_change_required=password_change_required,
    )
    session.add(user)
    session.flush()
    return user


def set_password(*, user: User, password: str, chosen_by_owner: bool) -> None:
    """Replace ``user``'s password (policy checked); unless they chose it, they must replace it.

    Raises :class:`~tocsin.accounts.passwords.WeakPasswordError` and changes nothing when the
    password is too short.
    """
    user.password_hash = hash_password(password)
    user.password_change_required = not chosen_by_owner


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """Return the active user whose password matches, else None (in constant-ish time)."""
    user = get_user_by_email(session=session, email=email)
    if user is None or not user.is_active:
        verify_password(DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def count_admins(*, session: Session) -> int:
    """Active administrators: a deactivated one can no longer sign in, so it does not count."""
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role_name == "admin", User.is_active.is_(True))
        )
        or 0
    )
