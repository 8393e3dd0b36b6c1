"""``tocsin sources …``: list sources with their health, add one, run one, serve a demo feed.

Example::

    tocsin sources                                            # the table with health
    tocsin sources add acme-news --platform rss --set url=https://news.example/feed.xml
    tocsin sources add acme-x --platform x --set "query=acme -is:retweet" \\
        --secret bearer_token=AAAA...
    tocsin sources run acme-news
    tocsin sources demo-feed --port 8765                      # a local Atom feed for demos
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.connectors.health import duration_text, source_health
from tocsin.connectors.registry import PLATFORMS, UnknownSourcePlatformError, platform_spec
from tocsin.connectors.service import (
    SourceError,
    create_source,
    get_source,
    list_sources,
    run_source,
)
from tocsin.types import utcnow

err = Console(stderr=True)
out = Console()
sources_app = typer.Typer(
    help="Configure and check the sources Tocsin listens to.", invoke_without_command=True
)
_STYLE = {
    "ok": "green",
    "lagging": "yellow",
    "failing": "red",
    "never": "dim",
    "disabled": "dim",
    "unsupported": "magenta",
}


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(2)


@contextmanager
def _factory() -> Iterator[tuple[Settings, sessionmaker[Session]]]:
    from tocsin.cli import load_settings
    from tocsin.db import make_engine, make_session_factory

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        yield settings, make_session_factory(engine)
    finally:
        engine.dispose()


def sources_table(session: Session) -> Table:
    """The rich table ``tocsin sources`` prints."""
    table = Table(title="Sources", header_style="bold")
    for column in (
        "name",
        "platform",
        "mode",
        "status",
        "last success",
        "lag",
        "errors",
        "last error",
    ):
        table.add_column(column, overflow="fold")
    now = utcnow()
    for source in list_sources(session=session):
        health = source_health(source, now=now)
        success = (
            health.last_success_at.strftime("%Y-%m-%d %H:%M") if health.last_success_at else "—"
        )
        table.add_row(
            source.name,
            source.platform,
            health.mode or "—",
            f"[{_STYLE[health.status]}]{health.status}[/]",
            success,
            duration_text(health.lag_seconds),
            str(health.error_count),
            (health.last_error or "")[:80],
        )
    return table


@sources_app.callback()
def show_sources(ctx: typer.Context) -> None:
    """List the configured sources with their health (last success, lag, errors)."""
    if ctx.invoked_subcommand is not None:
        return
    with _factory() as (_settings, factory), factory() as session:
        if not list_sources(session=session):
            err.print(
                "no source yet: add one with  tocsin sources add NAME --platform rss "
                "--set url=https://…"
            )
            return
        out.print(sources_table(session))


def _pairs(values: list[str], what: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise _fail(f"--{what} expects KEY=VALUE, got {item!r}")
        pairs[key.strip()] = value.strip()
    return pairs


@sources_app.command("add")
def add_source(
    name: Annotated[str, typer.Argument(help="A unique name for the source.")],
    platform: Annotated[str, typer.Option(help="One of: " + ", ".join(sorted(PLATFORMS)))],
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="A setting, KEY=VALUE (repeatable).")
    ] = None,
    secret: Annotated[
        list[str] | None,
        typer.Option(help="A credential, KEY=VALUE (repeatable); stored encrypted."),
    ] = None,
    brand_id: Annotated[int | None, typer.Option(help="The brand this source serves.")] = None,
    disabled: Annotated[bool, typer.Option(help="Create it disabled.")] = False,
) -> None:
    """Add a source; see docs/connectors.md for each platform's settings and credentials."""
    options, credentials = _pairs(set_ or [], "set"), _pairs(secret or [], "secret")
    with _factory() as (settings, factory), factory() as session:
        try:
            source = create_source(
                session=session,
                settings=settings,
                name=name,
                platform=platform,
                options=options,
                credentials=credentials,
                brand_id=brand_id,
                enabled=not disabled,
            )
        except (SourceError, UnknownSourcePlatformError) as exc:
            raise _fail(str(exc)) from None
        session.commit()
        mode = options.get("mode") or platform_spec(platform).default_mode
        err.print(f"source {source.name!r} added ({platform}, {mode}); id {source.id}")


@sources_app.command("run")
def run_named_source(
    name: Annotated[str, typer.Argument(help="The source to fetch once now.")],
) -> None:
    """Fetch once from a polling source and ingest what it brought."""
    with _factory() as (settings, factory):
        with factory() as session:
            source = get_source(session=session, name=name)
            if source is None:
                raise _fail(f"no source named {name!r}; list them with: tocsin sources")
            source_id = source.id
        with err.status(f"fetching {name}…"):
            try:
                report = run_source(session_factory=factory, settings=settings, source_id=source_id)
            except SourceError as exc:
                raise _fail(str(exc)) from None
    if report.error:
        raise _fail(f"{name}: {report.error}")
    err.print(
        f"{name}: {report.fetched} fetched, {report.stored} new, {report.ingested} posts ingested"
    )


@sources_app.command("demo-feed")
def demo_feed(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8765,
    every: Annotated[float, typer.Option(help="Seconds between new entries.")] = 20.0,
) -> None:
    """Serve a local Atom feed that gains an entry every few seconds (for demos)."""
    from tocsin.connectors.demo_feed import DemoFeedServer

    server = DemoFeedServer(port=port, every=every).start()
    err.print(
        f"demo feed at {server.url}  (Ctrl-C to stop); add it with:\n"
        f"  tocsin sources add demo-news --platform rss --set url={server.url} "
        "--set interval_seconds=60"
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
