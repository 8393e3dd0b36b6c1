"""``tocsin import`` (JSON Lines, mapped CSV, TWCS) and ``tocsin schema``.

Example::

    tocsin import posts.jsonl
    tocsin import reviews.csv --format csv --map text=body --map created_at=date \\
        --set platform=review --date-format "%d/%m/%Y"
    tocsin import twcs.csv --format twcs
    tocsin schema --output docs/canonical-post.schema.json
"""

from __future__ import annotations

import csv
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from tocsin.ingestion.importers import (
    CsvFileError,
    CsvMapping,
    CsvMappingReader,
    ImportSummary,
    JsonlReader,
    MappingError,
    TwcsReader,
    import_twcs,
    run_import,
)
from tocsin.ingestion.importers.twcs import COLUMNS as TWCS_COLUMNS
from tocsin.ingestion.schemas import canonical_post_json_schema

#: How many rejected lines the summary lists in full.
SHOWN_REJECTIONS = 20


class ImportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    TWCS = "twcs"


Reader = JsonlReader | CsvMappingReader | TwcsReader


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``schema`` to the ``tocsin`` command."""
    app.command("import")(import_file)
    app.command("schema")(schema)


def import_file(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="File to import.")
    ],
    file_format: Annotated[
        ImportFormat | None,
        typer.Option("--format", "-f", help="jsonl, csv or twcs (default: from the file)."),
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option("--map", help="CSV: FIELD=COLUMN, e.g. --map text=body (repeatable)."),
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option("--set", help="CSV: FIELD=VALUE for every row, e.g. --set platform=review."),
    ] = None,
    mapping_file: Annotated[
        Path | None,
        typer.Option("--mapping", exists=True, dir_okay=False, help="CSV: a TOML/JSON mapping."),
    ] = None,
    date_formats: Annotated[
        list[str] | None,
        typer.Option("--date-format", help='CSV: strptime format, e.g. "%d/%m/%Y %H:%M".'),
    ] = None,
    delimiter: Annotated[str, typer.Option(help="CSV: field delimiter.")] = ",",
    encoding: Annotated[str, typer.Option(help="Text encoding of CSV files.")] = "utf-8",
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=10_000, help="Posts per transaction.")
    ] = 1000,
) -> None:
    """Import posts from a file: canonical JSON Lines, a CSV with a column mapping, or TWCS.

    Bad lines are reported with their numbers and never block the others.
    Each batch of posts is its own transaction; importing a file again stores nothing twice.
    """
    from tocsin.cli import fail, load_settings
    from tocsin.db import make_engine, make_session_factory
    from tocsin.migrate import is_initialised

    settings = load_settings()
    if not is_initialised(settings.database_url):
        raise fail("the database is not initialised; run: tocsin init")
    chosen = file_format or _guess_format(file)
    if chosen is None:
        raise fail(f"cannot tell the format of {file.name}; add --format jsonl, csv or twcs")
    if chosen is not ImportFormat.CSV and (maps or sets or mapping_file or date_formats):
        raise fail("--map, --set, --mapping and --date-format only apply to --format csv")
    try:
        reader = _reader(chosen, file, maps, sets, mapping_file, date_formats, delimiter, encoding)
    except (MappingError, CsvFileError, LookupError) as exc:
        raise fail(str(exc)) from None

    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
    latest = ImportSummary()
    task = progress.add_task("importing", total=reader.total_bytes)

    def advance(summary: ImportSummary) -> None:
        nonlocal latest
        latest = summary
        progress.update(task, completed=reader.bytes_read, description=f"{summary.seen:,} posts")

    try:
        with progress:
            if chosen is ImportFormat.TWCS:
                assert isinstance(reader, TwcsReader)
                summary = import_twcs(
                    session_factory=factory,
                    reader=reader,
                    batch_size=batch_size,
                    after_batch=advance,
                )
            else:
                summary = run_import(
                    session_factory=factory,
                    records=reader,
                    batch_size=batch_size,
                    after_batch=advance,
                )
    except CsvFileError as exc:
        raise fail(f"{exc} ({latest.seen:,} posts before it are stored)") from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise fail(f"the database refused a batch: {reason} ({latest.seen:,} stored)") from None
    finally:
        engine.dispose()
    _print_summary(Console(), summary)
    if summary.rejected and summary.rejected == summary.seen:
        raise typer.Exit(1)


def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if --output is not up to date.")
    ] = False,
) -> None:
    """Print or write the JSON Schema of a canonical post (one line of a JSON Lines import)."""
    text = json.dumps(canonical_post_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            Console(stderr=True).print(f"{output} is out of date; run: tocsin schema -o {output}")
            raise typer.Exit(1)
        return
    output.write_text(text, encoding="utf-8")
    Console(stderr=True).print(f"wrote {output}")


def _guess_format(path: Path) -> ImportFormat | None:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return ImportFormat.JSONL
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as stream:
            header = next(csv.reader(stream), [])
        return ImportFormat.TWCS if tuple(header) == TWCS_COLUMNS else ImportFormat.CSV
    return None


def _reader(
    chosen: ImportFormat,
    file: Path,
    maps: list[str] | None,
    sets: list[str] | None,
    mapping_file: Path | None,
    date_formats: list[str] | None,
    delimiter: str,
    encoding: str,
) -> Reader:
    if chosen is ImportFormat.JSONL:
        return JsonlReader(file)
    if chosen is ImportFormat.TWCS:
        return TwcsReader(file, encoding=encoding)
    mapping = CsvMapping.build(
        maps=maps or [],
        sets=sets or [],
        date_formats=date_formats or [],
        mapping_file=mapping_file,
    )
    return CsvMappingReader(file, mapping, encoding=encoding, delimiter=delimiter)


def _print_summary(console: Console, summary: ImportSummary) -> None:
    table = Table(title="import summary", show_header=False)
    table.add_column("outcome")
    table.add_column("posts", justify="right")
    table.add_row("imported", f"{summary.imported:,}")
    changes = f" ({summary.edited:,} edited, {summary.deleted:,} deleted)"
    table.add_row("updated", f"{summary.updated:,}" + (changes if summary.updated else ""))
    table.add_row("duplicates", f"{summary.duplicates:,}")
    table.add_row("rejected", f"{summary.rejected:,}")
    console.print(table)
    for rejection in summary.rejections[:SHOWN_REJECTIONS]:
        console.print(f"line {rejection.line}: {escape(rejection.reason)}", soft_wrap=True)
    hidden = summary.rejected - min(len(summary.rejections), SHOWN_REJECTIONS)
    if hidden > 0:
        console.print(f"… and {hidden:,} more rejected line(s)")
    for note in summary.notes:
        console.print(escape(note), soft_wrap=True)
