"""``tocsin brands``: list and add the brands Tocsin listens for."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session


def register(app: typer.Typer) -> None:
    brands = typer.Typer(help="The brands Tocsin listens for (ours and competitors).")
    app.add_typer(brands, name="brands")

    @brands.command("list")
    def list_command() -> None:
        """List brands with their effective listening query."""
        from rich.console import Console
        from rich.table import Table

        from tocsin.brands.service import brand_read, list_brands

        with _session() as session:
            table = Table("slug", "name", "competitor of", "handles", "query")
            for brand in list_brands(session=session):
                read = brand_read(brand)
                table.add_row(
                    read.slug,
                    read.name,
                    read.competitor_of or "",
                    ", ".join(f"{h['platform']}:@{h['handle']}" for h in read.handles),
                    read.effective_query,
                )
            Console().print(table)

    @brands.command("add")
    def add_command(
        slug: Annotated[str, typer.Argument(help="Short name, e.g. lumio.")],
        name: Annotated[str, typer.Option(help="Display name.")],
        alias: Annotated[list[str] | None, typer.Option(help="Another name (repeatable).")] = None,
        handle: Annotated[
            list[str] | None, typer.Option(help="Official account as platform:handle (repeatable).")
        ] = None,
        keyword: Annotated[list[str] | None, typer.Option(help="Keyword (repeatable).")] = None,
        query: Annotated[
            str, typer.Option(help="Listening query (default: names + handles).")
        ] = "",
        lang: Annotated[list[str] | None, typer.Option(help="Language code (repeatable).")] = None,
        time_zone: Annotated[str, typer.Option(help="IANA time zone.")] = "UTC",
        competitor_of: Annotated[
            str | None, typer.Option(help="Slug of our brand this one competes with.")
        ] = None,
    ) -> None:
        """Add a brand, or a competitor of one of ours."""
        from pydantic import ValidationError

        from tocsin.brands.schemas import BrandCreate
        from tocsin.brands.service import BrandError, create_brand
        from tocsin.cli import fail

        handles = []
        for item in handle or []:
            platform, _, value = item.partition(":")
            if not value:
                raise fail(f"--handle {item!r}: write it as platform:handle, e.g. x:LumioCare")
            handles.append({"platform": platform, "handle": value})
        try:
            data = BrandCreate(
                slug=slug,
                name=name,
                aliases=alias or [],
                handles=handles,
                keywords=keyword or [],
                query=query,
                languages=lang or [],
                time_zone=time_zone,
                competitor_of=competitor_of,
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise fail(f"{where}: {first['msg']}") from None
        with _session() as session:
            try:
                brand = create_brand(session=session, data=data)
            except BrandError as exc:
                raise fail(str(exc)) from None
            session.commit()
            typer.echo(f"brand {brand.slug} added")


def _session() -> Session:
    from tocsin.cli import fail, load_settings
    from tocsin.db import make_engine, make_session_factory
    from tocsin.migrate import is_initialised

    settings = load_settings()
    if not is_initialised(settings.database_url):
        raise fail("the database is not initialised; run: tocsin init")
    return make_session_factory(make_engine(settings.database_url))()
