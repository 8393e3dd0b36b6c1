"""``tocsin demo``: a week of generated posts about "Lumio", loaded, then replayed live.

Example::

    tocsin demo                       # load the week, serve on :8000, replay the last 3 hours
    tocsin demo --speed 10 --seed 3   # slower replay, another week
    tocsin demo --no-serve            # load everything up to now and exit
    tocsin demo --reset               # remove the demo data first
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Environment, Settings
from tocsin.connectors.demo_feed import DemoFeedServer
from tocsin.demo.dataset import DemoDataset, DemoStats
from tocsin.demo.generator import DEFAULT_SEED, generate
from tocsin.demo.loader import DemoLoadReport, demo_source, load_demo, reset_demo
from tocsin.demo.replay import Replay
from tocsin.types import utcnow

DEMO_EMAIL = "demo@tocsin.local"
#: The password of the demo administrator outside production (documented in docs/demo.md).
DEMO_PASSWORD = "lumio-demo-2026"  # noqa: S105 - a documented demo credential, refused in production

err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the ``tocsin`` command."""
    app.command("demo")(demo)


def demo(
    seed: Annotated[int, typer.Option(help="Seed of the generated week.")] = DEFAULT_SEED,
    speed: Annotated[
        float, typer.Option(min=0.1, help="Replay speed: 60 = one demo minute per second.")
    ] = 60.0,
    live_hours: Annotated[
        float, typer.Option(min=0, max=24, help="Hours before now held back for the live replay.")
    ] = 3.0,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the web app and replay live.")
    ] = True,
    reset: Annotated[bool, typer.Option(help="Delete the demo's data first.")] = False,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Load a realistic week about the fictional brand Lumio and replay its last hours live.

    Running it again adds nothing twice.

    Sign in as demo@tocsin.local with TOCSIN_DEMO_PASSWORD, or the documented demo password
    outside production.
    """
    from tocsin.cli import fail, load_settings
    from tocsin.db import make_engine, make_session_factory
    from tocsin.migrate import upgrade_database

    settings = load_settings()
    password = _demo_password(settings)
    if password is None:
        raise fail("set TOCSIN_DEMO_PASSWORD (10+ characters) to run the demo in production")
    try:
        upgrade_database(settings.database_url)
    except SQLAlchemyError as exc:
        raise fail(
            f"cannot prepare the database: {exc.__class__.__name__}; check TOCSIN_DATABASE_URL"
        ) from None
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    now = utcnow()
    dataset = generate(seed=seed).ending_on_day_of(now)
    cut = now - timedelta(hours=live_hours) if serve else now
    try:
        with factory() as session:
            signed_in = _ensure_demo_admin(session, password)
            if reset:
                removed = reset_demo(session=session, dataset=dataset)
                session.commit()
                err.print(f"removed {removed:,} demo posts")
            report = _load(session, dataset, cut)
            _ensure_operations(session)
            source = demo_source(session=session)
            source_id = source.id if source is not None else None
            session.commit()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc.__class__.__name__).splitlines()[0]
        raise fail(f"the database refused the demo data ({reason}); run: tocsin migrate") from None
    _print_summary(dataset.stats(), report, live=serve)
    credentials = f"{DEMO_EMAIL} / {password}" if signed_in else f"{DEMO_EMAIL} (your password)"
    if not serve:
        typer.echo(f"Demo loaded. Run `tocsin serve` and sign in as {credentials}")
        engine.dispose()
        return
    _serve(settings, factory, dataset, cut, speed, source_id, credentials, host, port)
    engine.dispose()


def _demo_password(settings: Settings) -> str | None:
    chosen = os.environ.get("TOCSIN_DEMO_PASSWORD", "")
    if chosen:
        return chosen
    return None if settings.environment is Environment.PRODUCTION else DEMO_PASSWORD


def _ensure_demo_admin(session: Session, password: str) -> bool:
    """Create the demo administrator if missing; True when ``password`` signs them in."""
    from tocsin.accounts.passwords import WeakPasswordError, verify_password
    from tocsin.accounts.roles import ensure_builtin_roles
    from tocsin.accounts.service import AccountError, create_user, get_user_by_email
    from tocsin.cli import fail

    ensure_builtin_roles(session)
    user = get_user_by_email(session=session, email=DEMO_EMAIL)
    if user is None:
        try:
            create_user(
                session=session,
                email=DEMO_EMAIL,
                password=password,
                role="admin",
                name="Demo admin",
            )
        except (AccountError, WeakPasswordError) as exc:
            raise fail(f"{exc} (set TOCSIN_DEMO_PASSWORD)") from None
        _ensure_demo_team(session, password)
        session.commit()
        return True
    _ensure_demo_team(session, password)
    session.commit()
    return verify_password(user.password_hash, password)


#: The demo care team: one agent per language, online, so cases are routed as they arrive.
DEMO_AGENTS = (
    ("chloe@tocsin.local", "Chloé", ["fr", "en"]),
    ("daan@tocsin.local", "Daan", ["nl", "en"]),
    ("lucia@tocsin.local", "Lucía", ["es", "en"]),
    ("sam@tocsin.local", "Sam", ["en"]),
)


def _ensure_demo_team(session: Session, password: str) -> None:
    """Agents with language skills, online, and automatic (load-balanced) assignment."""
    from tocsin.accounts.service import create_user, get_user_by_email
    from tocsin.inbox.routing import set_agent_status
    from tocsin.inbox.sla.policies import inbox_settings
    from tocsin.types import utcnow

    for email, name, languages in DEMO_AGENTS:
        agent = get_user_by_email(session=session, email=email)
        if agent is None:
            agent = create_user(
                session=session, email=email, password=password, role="agent", name=name
            )
            agent.skills = {"languages": languages, "platforms": [], "topics": []}
            agent.capacity = 40
        set_agent_status(session=session, user=agent, status="online", now=utcnow())
    inbox_settings(session).routing_mode = "auto"
    session.flush()


def _ensure_operations(session: Session) -> None:
    """The care team, alert channel, escalation and brand voice the settings screens show."""
    from tocsin.accounts.models import User
    from tocsin.demo.operations import ensure_demo_operations

    emails = [DEMO_EMAIL, *(email for email, _, _ in DEMO_AGENTS)]
    users = {u.email: u for u in session.scalars(select(User).where(User.email.in_(emails)))}
    agents = [users[email] for email, _, _ in DEMO_AGENTS if email in users]
    ensure_demo_operations(session=session, admin=users[DEMO_EMAIL], agents=agents)


def _load(session: Session, dataset: DemoDataset, cut: datetime) -> DemoLoadReport:
    total = sum(1 for item in dataset.items if item.post.created_at < cut)
    columns = (
        TextColumn("loading the demo week"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err) as progress:
        task = progress.add_task("load", total=total)
        return load_demo(
            session=session,
            dataset=dataset,
            until=cut,
            on_batch=lambda n: progress.advance(task, n),
        )


def _print_summary(stats: DemoStats, report: DemoLoadReport, *, live: bool) -> None:
    languages = ", ".join(f"{lang} {n:,}" for lang, n in stats.by_lang.items())
    err.print(
        f"demo week: {stats.posts:,} posts by {stats.authors:,} authors ({languages}); "
        f"crisis peak {stats.crisis_peak_ratio:.0f}x the median hour"
    )
    err.print(
        f"stored: {report.imported:,} new, {report.updated:,} updated, "
        f"{report.duplicates:,} already there, {report.rejected:,} rejected; "
        f"{report.held_back:,} {'held back for the live replay' if live else 'dated later today'}"
    )


def _serve(
    settings: Settings,
    factory: sessionmaker[Session],
    dataset: DemoDataset,
    cut: datetime,
    speed: float,
    source_id: int | None,
    credentials: str,
    host: str | None,
    port: int | None,
) -> None:
    """Serve the web app (with the in-process workers) while the replay thread feeds posts."""
    import uvicorn

    from tocsin.cli import fail

    try:
        from tocsin.web.app import create_app
    except ImportError:
        raise fail("the web app is not available in this install; use --no-serve") from None
    _, live = dataset.split(cut)
    replay = Replay(
        session_factory=factory,
        posts=[item.post for item in live],
        start=cut,
        speed=speed,
        source_id=source_id,
    )
    feed = _start_demo_feed(settings, factory)
    application = create_app(settings, run_workers=True)
    address = f"http://{host or settings.host}:{port or settings.port}"
    replay.start()
    typer.echo(f"Open {address} and sign in as {credentials}")
    typer.echo(f"Replaying {len(live):,} posts from the last hours at {speed:g}x; Ctrl-C to stop.")
    try:
        uvicorn.run(
            application,
            host=host or settings.host,
            port=port or settings.port,
            log_level="info",
            proxy_headers=True,
        )
    finally:
        replay.stop()
        feed.stop()


def _start_demo_feed(settings: Settings, factory: sessionmaker[Session]) -> DemoFeedServer:
    """A local Atom feed about Lumio (a new entry every 20 s) polled by a real RSS source,
    so the demo shows a connector at work and its health in Settings → Sources."""
    from sqlalchemy import select

    from tocsin.brands.models import Brand
    from tocsin.connectors.models import Source
    from tocsin.connectors.service import create_source, update_source

    server = DemoFeedServer(port=0, every=20).start()
    options = {"url": server.url, "interval_seconds": 60}
    with factory() as session:
        brand_id = session.scalar(select(Brand.id).where(Brand.slug == "lumio"))
        source = session.scalar(select(Source).where(Source.name == DEMO_FEED_SOURCE))
        if source is None:
            create_source(
                session=session,
                settings=settings,
                name=DEMO_FEED_SOURCE,
                platform="rss",
                options=options,
                brand_id=brand_id,
            )
        else:
            update_source(
                session=session, settings=settings, source=source, options=options, enabled=True
            )
        session.commit()
    return server


DEMO_FEED_SOURCE = "demo-feed (local Atom feed)"
