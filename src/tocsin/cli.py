"""The ``tocsin`` command.

Core commands live here (init, migrate, serve, secret-key); each domain package adds its own
through ``<package>/commands.py`` with a ``register(app)`` function listed in
:data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import importlib
import os
import secrets
import sys
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from tocsin.config import Settings, SettingsError, generate_secret_key

app = typer.Typer(
    name="tocsin",
    help="Tocsin: listen, understand, answer and protect on social media.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

COMMAND_MODULES = (
    "tocsin.brands.commands",
    "tocsin.ingestion.commands",
    "tocsin.enrichment.commands",
    "tocsin.enrichment.train_commands",
    "tocsin.listening.query.commands",
    "tocsin.listening.commands",
    "tocsin.privacy.pii.commands",
    "tocsin.inbox.commands",
    "tocsin.crisis.commands",
    "tocsin.connectors.commands",
    "tocsin.accounts.commands",
    "tocsin.demo.commands",
    "tocsin.workers.commands",
)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error (with its fix) and return the Exit to raise."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def load_settings(**overrides: object) -> Settings:
    """Build the settings from the environment, turning mistakes into a one-line error."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except (ValidationError, SettingsError) as exc:
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "settings"
            message = f"{where}: {first['msg']}"
        else:
            message = str(exc)
        raise fail(message) from None


@app.command("secret-key")
def secret_key() -> None:
    """Print a new random value for TOCSIN_SECRET_KEY."""
    typer.echo(generate_secret_key())


@app.command("migrate")
def migrate() -> None:
    """Create or upgrade the database schema to the latest version."""
    from tocsin.migrate import upgrade_database

    settings = load_settings()
    upgrade_database(settings.database_url)
    err.print(f"database ready: {_safe_url(settings.database_url)}")


@app.command("init")
def init(
    admin_email: Annotated[
        str, typer.Option(envvar="TOCSIN_ADMIN_EMAIL", help="E-mail of the first administrator.")
    ] = "admin@example.com",
) -> None:
    """Create the database and the first administrator.

    The password comes from TOCSIN_ADMIN_PASSWORD, or is generated and printed once (and must
    then be replaced at the first sign-in). Running it again changes nothing.
    """
    from tocsin.accounts.passwords import WeakPasswordError
    from tocsin.accounts.roles import ensure_builtin_roles
    from tocsin.accounts.service import AccountError, count_admins, create_user
    from tocsin.db import make_engine, make_session_factory
    from tocsin.migrate import upgrade_database

    settings = load_settings()
    upgrade_database(settings.database_url)
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        ensure_builtin_roles(session)
        if count_admins(session=session):
            session.commit()
            err.print("already initialised: an administrator exists")
            return
        password = os.environ.get("TOCSIN_ADMIN_PASSWORD") or ""
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        try:
            create_user(
                session=session,
                email=admin_email,
                password=password,
                role="admin",
                name="Admin",
                password_change_required=generated,  # a typed password is the operator's own
            )
        except (AccountError, WeakPasswordError) as exc:
            raise fail(f"{exc} (set TOCSIN_ADMIN_EMAIL / TOCSIN_ADMIN_PASSWORD)") from None
        session.commit()
    engine.dispose()
    err.print(f"database ready: {_safe_url(settings.database_url)}")
    typer.echo(f"administrator: {admin_email}")
    if generated:
        typer.echo(f"password (shown once): {password}")


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers_inline: Annotated[
        bool, typer.Option("--inline-workers/--no-inline-workers", help="Run the pipeline here.")
    ] = True,
) -> None:
    """Serve the web app (and, by default, the in-process pipeline workers)."""
    import uvicorn

    from tocsin.web.app import create_app

    settings = load_settings()
    application = create_app(settings, run_workers=workers_inline)
    uvicorn.run(
        application,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        proxy_headers=True,
    )


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _register_domain_commands() -> None:
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            missing = exc.name or ""
            if module_name == missing or module_name.startswith(missing + "."):
                continue  # this domain has no commands (yet)
            raise
        module.register(app)


_register_domain_commands()


def main() -> None:
    """Entry point of the ``tocsin`` console script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
