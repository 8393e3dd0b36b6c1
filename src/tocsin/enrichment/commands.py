"""CLI: ``tocsin analyze`` (JSON Lines in, enrichments out), ``tocsin eval``, ``tocsin bench
enrich``.

``analyze`` is a stable contract (docs/enrichment.md): one output line per input line, in
order; a bad line becomes ``{"line": N, "error": "…"}`` and the rest goes on.  It needs no store
and no network, and holds one batch in memory at a time.

Example::

    echo '{"id": 1, "text": "Where is my parcel?"}' | tocsin analyze
    tocsin analyze --sentiment-model hf:cardiffnlp/twitter-xlm-roberta-base-sentiment -i in.jsonl
    tocsin eval --data-dir ../shared/data --json
    tocsin bench enrich --n 5000
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Annotated, Any, Literal

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tocsin.config import Settings, SettingsError
from tocsin.enrichment.base import PostInput
from tocsin.enrichment.hf import HF_PREFIX, HuggingFaceError, options_from_settings
from tocsin.enrichment.pipeline import EnrichmentPipeline, PipelineConfig
from tocsin.enrichment.schemas import AnalyzeLine

err = Console(stderr=True)

ParsedLine = tuple[int, AnalyzeLine | None, str | None]


def _describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "line"
    if first["type"] == "missing":
        return f"{where} is missing"
    return f"{where}: {first['msg'].removeprefix('Value error, ')}"


def parse_line(number: int, raw: bytes) -> ParsedLine:
    """Parse one input line into ``(number, line, None)`` or ``(number, None, error)``."""
    try:
        text = raw.decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError:
        return number, None, "not UTF-8"
    except json.JSONDecodeError as exc:
        return number, None, f"not JSON: {exc.msg}"
    if not isinstance(data, dict):
        return number, None, "not a JSON object"
    try:
        return number, AnalyzeLine.model_validate(data), None
    except ValidationError as exc:
        return number, None, _describe(exc)


def _batches(lines: Iterator[tuple[int, bytes]], size: int) -> Iterator[list[ParsedLine]]:
    """Group parsed lines so that each group holds at most ``size`` valid posts."""
    group: list[ParsedLine] = []
    valid = 0
    for number, raw in lines:
        if not raw.strip():
            continue
        parsed = parse_line(number, raw)
        group.append(parsed)
        valid += parsed[1] is not None
        if valid >= size:
            yield group
            group, valid = [], 0
    if group:
        yield group


def analyze_stream(
    source: IO[bytes],
    sink: IO[str],
    *,
    pii: Literal["fast", "full"] = "fast",
    batch_size: int = 256,
    progress: Progress | None = None,
    task: Any = None,
    pipeline: EnrichmentPipeline | None = None,
) -> tuple[int, int]:
    """Enrich every JSON line of ``source`` into ``sink``; return ``(posts, errors)``."""
    if pipeline is None:
        config = PipelineConfig(pii_mode=pii, batch_size=batch_size)
        pipeline = EnrichmentPipeline.from_config(config)
    posts = errors = 0

    def numbered() -> Iterator[tuple[int, bytes]]:
        for number, raw in enumerate(source, start=1):
            if progress is not None:
                progress.advance(task, len(raw))
            yield number, raw

    for group in _batches(numbered(), batch_size):
        inputs: list[PostInput] = [line.to_post() for _, line, _ in group if line is not None]
        enriched = iter(pipeline.run_batch(inputs))
        for number, line, error in group:
            if line is None:
                record: dict[str, Any] = {"line": number, "error": error}
                errors += 1
            else:
                record = next(enriched).to_dict()
                record["id"] = line.id
                posts += 1
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    sink.flush()
    return posts, errors


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    return typer.Exit(2)


def _settings(**overrides: str) -> Settings:
    """The settings from the environment (and ``.env``); a mistake is a one-line error."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise _fail(_describe(exc)) from None
    except SettingsError as exc:
        raise _fail(str(exc)) from None


def _builtin_sentiment_version() -> str:
    from tocsin.enrichment.sentiment import SentimentModel

    return f"builtin {SentimentModel.load().version}"


def _sentiment_model(pipeline: EnrichmentPipeline) -> str:
    """What answered sentiment: ``hf:<name>@<commit>`` or ``builtin <version>``."""
    version = pipeline.versions.get("sentiment", "off")
    return version if version.startswith(HF_PREFIX) else f"builtin {version}"


def analyze(
    input_path: Annotated[
        str, typer.Option("--input", "-i", help="JSON Lines file, or - for standard input")
    ] = "-",
    output_path: Annotated[
        str, typer.Option("--output", "-o", help="where to write, or - for standard output")
    ] = "-",
    pii: Annotated[
        str, typer.Option(help="fast: structured data only; full: also names and addresses")
    ] = "fast",
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 256,
    sentiment_model: Annotated[
        str | None,
        typer.Option(
            envvar="TOCSIN_SENTIMENT_MODEL",
            show_envvar=True,
            help="builtin (Tocsin's own model, the default) or hf:<name>\\[@revision] (needs "
            "tocsin\\[transformers], see docs/enrichment.md)",
        ),
    ] = None,
) -> None:
    """Enrich JSON Lines posts ({"id", "text", "lang"?, "platform"?}) without a store.

    Sentiment comes from Tocsin's builtin model unless TOCSIN_SENTIMENT_MODEL (or
    --sentiment-model) names a Hugging Face model; the model used is printed on stderr.
    """
    if pii not in ("fast", "full"):
        raise typer.BadParameter("use --pii fast or --pii full", param_hint="--pii")
    settings = _settings(**({"sentiment_model": sentiment_model} if sentiment_model else {}))
    with ExitStack() as stack:
        if input_path == "-":
            source: IO[bytes] = sys.stdin.buffer
            total = None
        else:
            path = Path(input_path)
            if not path.is_file():
                raise typer.BadParameter(f"no such file: {path}", param_hint="--input")
            source = stack.enter_context(path.open("rb"))
            total = path.stat().st_size
        sink = (
            sys.stdout
            if output_path == "-"
            else stack.enter_context(Path(output_path).open("w", encoding="utf-8"))
        )
        progress = None
        task = None
        if output_path != "-":
            progress = stack.enter_context(
                Progress(
                    TextColumn("analyze"),
                    BarColumn(),
                    TextColumn("{task.percentage:>3.0f}%"),
                    TimeElapsedColumn(),
                    console=err,
                )
            )
            task = progress.add_task("analyze", total=total)
        try:
            config = PipelineConfig(
                pii_mode="full" if pii == "full" else "fast",
                batch_size=batch_size,
                hf_sentiment=options_from_settings(settings),
            )
            pipeline = EnrichmentPipeline.from_config(config)
            posts, errors = analyze_stream(
                source, sink, batch_size=batch_size, progress=progress, task=task, pipeline=pipeline
            )
        except HuggingFaceError as exc:
            raise _fail(str(exc)) from None
        except (FileNotFoundError, ModuleNotFoundError) as exc:
            raise _fail(f"{exc} (reinstall tocsin or train the missing model)") from exc
    if output_path != "-":
        err.print(f"analyzed {posts} post(s), {errors} bad line(s) → {output_path}")
    if output_path != "-" or config.hf_sentiment is not None:
        model = escape(_sentiment_model(pipeline))
        err.print(f"sentiment model: {model}", highlight=False, soft_wrap=True)


def evaluate(
    data_dir: Annotated[Path, typer.Option(help="the shared data folder")] = Path("../shared/data"),
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
) -> None:
    """Measure sentiment, complaint, PII and language-id models on the shared data."""
    from tocsin.enrichment.evaluate import evaluate_all

    if not data_dir.is_dir():
        raise typer.BadParameter(f"{data_dir} is not a folder", param_hint="--data-dir")
    settings = _settings()
    with err.status("evaluating (a few minutes)…"):
        report = evaluate_all(data_dir)
    sentiment = report.get("sentiment")
    if sentiment is not None and "error" not in sentiment:
        sentiment["model"] = _builtin_sentiment_version()
        if settings.sentiment_model != "builtin":
            sentiment["pipeline_model"] = settings.sentiment_model
            err.print(
                f"note: the pipeline uses {escape(settings.sentiment_model)}; the sentiment "
                "figures are the builtin model's (tocsin eval does not run Hugging Face models)",
                highlight=False,
                soft_wrap=True,
            )
    if as_json:
        typer.echo(json.dumps(report, indent=2, default=str))
    else:
        Console().print(_report_table(report))
    if any("error" in part for part in report.values()):
        raise typer.Exit(1)


def _report_table(report: dict[str, dict[str, Any]]) -> Table:
    table = Table(title="Tocsin enrichment models")
    for column in ("model", "measure", "value"):
        table.add_column(column)
    for model, result in report.items():
        if "error" in result:
            table.add_row(model, "error", f"[red]{result['error']}[/red]")
            continue
        for key, value in _flatten(result):
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            table.add_row(model, key, shown)
    return table


def _flatten(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested measures as dotted names; already-dotted keys are per-type details that only
    ``--json`` shows (the table stays readable)."""
    for key, value in data.items():
        if "." in str(key):
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, f"{name}.")
        elif isinstance(value, int | float | str | bool):
            yield name, value


def bench_enrich(
    n: Annotated[int, typer.Option("--n", min=10, help="posts to enrich")] = 5000,
    batch_size: Annotated[int, typer.Option(min=1)] = 256,
    embed_threads: Annotated[int, typer.Option(min=1, help="USE embedder threads")] = 1,
    output: Annotated[Path | None, typer.Option(help="also write the JSON report here")] = None,
) -> None:
    """Posts per second of the enrichment pipeline and of each enricher (one process)."""
    from tocsin.enrichment.evaluate import benchmark

    with err.status(f"enriching {n} synthetic posts…"):
        report = benchmark(n=n, batch_size=batch_size, embed_threads=embed_threads)
    table = Table(title=f"enrichment throughput ({n} posts, batch {batch_size})")
    table.add_column("stage")
    table.add_column("posts/s", justify="right")
    table.add_column("seconds", justify="right")
    table.add_row(
        "pipeline", f"{report['posts_per_second']['pipeline']:,.0f}", str(report["seconds"])
    )
    for name, seconds in report["seconds_per_enricher"].items():
        table.add_row(name, f"{report['posts_per_second'][name]:,.0f}", f"{seconds:.3f}")
    Console().print(table)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def _bench_group(app: typer.Typer) -> typer.Typer:
    """The shared ``tocsin bench`` group: reuse it if another package registered it first."""
    for group in app.registered_groups:
        if group.name == "bench" and group.typer_instance is not None:
            return group.typer_instance
    bench = typer.Typer(help="Benchmarks (single process, this machine).", no_args_is_help=True)
    app.add_typer(bench, name="bench")
    return bench


def register(app: typer.Typer) -> None:
    """Add ``analyze``, ``eval`` and ``bench enrich`` to the ``tocsin`` command."""
    app.command("analyze")(analyze)
    app.command("eval")(evaluate)
    _bench_group(app).command("enrich")(bench_enrich)
