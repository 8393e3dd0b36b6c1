"""``tocsin user …`` and ``tocsin token …``: manage accounts and API tokens from the shell.

Example::

    tocsin user add ana@example.com --role agent          # asks for the password (Ana replaces
                                                          # it when she first signs in)
    tocsin user list --role agent
    tocsin user set-role ana@example.com manager
    tocsin user deactivate ana@example.com                # ends sessions, revokes tokens
    tocsin token create --user ana@example.com --name importer --scope posts:write
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from tocsin.accounts.admin_service import list_users, update_account
from tocsin.accounts.models import User
from tocsin.accounts.passwords import WeakPasswordError
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.accounts.schemas import UserUpdate
from tocsin.accounts.service import AccountError, create_user, get_user_by_email
from tocsin.accounts.tokens import TokenError, create_token, get_token, list_tokens, revoke_token
from tocsin.errors import AdminError
from tocsin.privacy.audit import record
from tocsin.types import utcnow

err = Console(stderr=True)
user_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(2)


@contextmanager
def _session() -> Iterator[Session]:
    from tocsin.cli import load_settings
    from tocsin.db import make_engine, make_session_factory

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


@user_app.command("add")
def add_user(
    email: Annotated[str, typer.Argument(help="The user's e-mail address (their login).")],
    role: Annotated[str, typer.Option(help="admin, manager, agent or viewer.")] = "agent",
    name: Annotated[str, typer.Option(help="Display name (default: the part before @).")] = "",
    locale: Annotated[str, typer.Option(help="Interface language: en, fr, es or nl.")] = "en",
    generate_password: Annotated[
        bool, typer.Option("--generate-password", help="Generate a password and print it once.")
    ] = False,
) -> None:
    """Create a user. The password comes from TOCSIN_USER_PASSWORD, a prompt, or is generated.

    Whichever it is, the user chooses their own when they first sign in.
    """
    password = os.environ.get("TOCSIN_USER_PASSWORD", "")
    if generate_password:
        password = secrets.token_urlsafe(12)
    elif not password:
        if not sys.stdin.isatty():
            raise _fail("no password: set TOCSIN_USER_PASSWORD or pass --generate-password")
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _session() as session:
        ensure_builtin_roles(session)
        try:
            user = create_user(
                session=session,
                email=email,
                password=password,
                role=role,
                name=name,
                locale=locale,
                password_change_required=True,
            )
        except (AccountError, WeakPasswordError) as exc:
            raise _fail(str(exc)) from None
        record(
            session,
            action="user.created",
            actor_label="cli",
            target_type="user",
            target_id=user.id,
            detail={"role": role, "generated_password": generate_password},
        )
        session.commit()
    typer.echo(f"user created: {user.email} ({role})")
    err.print("they choose their own password when they first sign in", highlight=False)
    if generate_password:
        typer.echo(f"password (shown once): {password}")


@user_app.command("list")
def list_users_command(
    role: Annotated[str, typer.Option(help="Only this role (admin, manager, agent, viewer).")] = "",
    all_: Annotated[bool, typer.Option("--all", help="Include deactivated users.")] = False,
) -> None:
    """List users with their role, skills, capacity and status (tab-separated when piped)."""
    columns = ("email", "name", "role", "languages", "platforms", "capacity", "status")
    with _session() as session:
        users = list_users(session=session, role=role or None, active=None if all_ else True)
        rows = []
        for user in users:
            skills = user.skills or {}
            rows.append(
                (
                    user.email,
                    user.name,
                    user.role_name,
                    " ".join(skills.get("languages") or []) or "any",
                    " ".join(skills.get("platforms") or []) or "any",
                    str(user.capacity),
                    "active" if user.is_active else "deactivated",
                )
            )
    console = Console()
    if not console.is_terminal:
        for row in (columns, *rows):
            typer.echo("\t".join(row))
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _change(email: str, data: UserUpdate) -> User:
    """Apply ``data`` to the user ``email`` with the same rules as the API; audit it."""
    with _session() as session:
        user = get_user_by_email(session=session, email=email)
        if user is None:
            raise _fail(f"no user {email!r}: see `tocsin user list --all` for the exact e-mail")
        try:
            changes = update_account(session=session, user=user, data=data)
        except AdminError as exc:
            raise _fail(str(exc)) from None
        if changes:
            record(
                session,
                action="user.updated",
                actor_label="cli",
                target_type="user",
                target_id=user.id,
                detail=changes,
            )
        session.commit()
        return user


@user_app.command("set-role")
def set_role(
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    role: Annotated[str, typer.Argument(help="admin, manager, agent or viewer.")],
) -> None:
    """Change a user's role (the last active admin cannot be demoted)."""
    user = _change(email, UserUpdate(role=role))
    typer.echo(f"{user.email} is now {user.role_name}")


@user_app.command("deactivate")
def deactivate(email: Annotated[str, typer.Argument(help="The user's e-mail address.")]) -> None:
    """Lock a user out: end their sessions, revoke their tokens, hand their open cases on."""
    user = _change(email, UserUpdate(is_active=False))
    typer.echo(f"{user.email} deactivated")


@user_app.command("reactivate")
def reactivate(email: Annotated[str, typer.Argument(help="The user's e-mail address.")]) -> None:
    """Let a deactivated user sign in again (their old API tokens stay revoked)."""
    user = _change(email, UserUpdate(is_active=True))
    typer.echo(f"{user.email} reactivated")


@token_app.command("create")
def create(
    user: Annotated[str, typer.Option("--user", help="E-mail of the token's owner.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")],
    scope: Annotated[
        list[str], typer.Option("--scope", help="A permission, e.g. posts:write (repeatable).")
    ],
    expires_days: Annotated[
        int | None, typer.Option("--expires-days", min=1, max=3650, help="Lifetime in days.")
    ] = None,
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    with _session() as session:
        owner = get_user_by_email(session=session, email=user)
        if owner is None:
            raise _fail(f"no user {user!r}: create it first with `tocsin user add {user}`")
        expires_at = utcnow() + timedelta(days=expires_days) if expires_days else None
        try:
            issued = create_token(
                session=session,
                user=owner,
                name=name,
                scopes=scope,
                expires_at=expires_at,
                issued_by_operator=True,
            )
        except TokenError as exc:
            raise _fail(str(exc)) from None
        record(
            session,
            action="token.created",
            actor_user_id=owner.id,
            actor_label="cli",
            target_type="api_token",
            target_id=issued.token.id,
            detail={"name": issued.token.name, "scopes": issued.token.scopes},
        )
        session.commit()
    err.print(f"token {issued.token.id} created for {owner.email}; it is shown once:")
    typer.echo(issued.secret)


@token_app.command("list")
def list_(user: Annotated[str, typer.Option("--user", help="E-mail of the owner.")]) -> None:
    """List a user's tokens (prefixes only; secrets are never stored)."""
    with _session() as session:
        owner = get_user_by_email(session=session, email=user)
        if owner is None:
            raise _fail(f"no user {user!r}")
        table = Table("id", "name", "prefix", "scopes", "last used", "state")
        for tok in list_tokens(session=session, user_id=owner.id):
            state = (
                "revoked"
                if tok.revoked_at
                else ("expired" if tok.expires_at and tok.expires_at <= utcnow() else "active")
            )
            last = tok.last_used_at.isoformat(timespec="minutes") if tok.last_used_at else "-"
            table.add_row(str(tok.id), tok.name, tok.prefix, " ".join(tok.scopes), last, state)
    Console().print(table)


@token_app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see token list).")],
) -> None:
    """Revoke a token at once."""
    with _session() as session:
        token = get_token(session=session, token_id=token_id)
        if token is None:
            raise _fail(f"no token with id {token_id}: see `tocsin token list --user EMAIL`")
        if revoke_token(session=session, token=token):
            record(
                session,
                action="token.revoked",
                actor_label="cli",
                target_type="api_token",
                target_id=token.id,
            )
            session.commit()
    typer.echo(f"token {token_id} revoked")


def register(app: typer.Typer) -> None:
    """Add the ``user`` and ``token`` command groups to the main CLI."""
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
