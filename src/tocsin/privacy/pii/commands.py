"""CLI commands: ``tocsin pii-scan`` (detect and mask one text) and ``tocsin pii-eval``.

Example::

    tocsin pii-scan "Rappelez-moi au 06 12 34 56 78" --lang fr --style partial
    tocsin pii-eval ../shared/data/pii-synthetic/dev.json --part holdout
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tocsin.privacy.pii.detector import Mode, PiiDetector, compile_custom_patterns
from tocsin.privacy.pii.errors import PiiModelMissingError
from tocsin.privacy.pii.evaluate import Part, evaluate_pii
from tocsin.privacy.pii.masking import Style, mask_text


def register(app: typer.Typer) -> None:
    """Add the PII commands to the ``tocsin`` application."""

    @app.command("pii-scan")
    def pii_scan(
        text: Annotated[str, typer.Argument(help="Text to scan.")],
        lang: Annotated[str | None, typer.Option(help="Language code (fr, en…).")] = None,
        mode: Annotated[str, typer.Option(help="fast or full.")] = "fast",
        style: Annotated[str, typer.Option(help="type or partial masking.")] = "type",
        pattern: Annotated[
            list[str] | None,
            typer.Option(help='Brand pattern NAME=REGEX, e.g. ORDER_NUMBER="#?[A-Z]{2}-\\d{4,}".'),
        ] = None,
    ) -> None:
        """Print the personal data found in TEXT, then the masked text."""
        detector = PiiDetector(mode=_mode(mode), custom_patterns=_patterns(pattern or []))
        try:
            spans = detector.detect(text, lang)
        except PiiModelMissingError as err:
            Console(stderr=True).print(f"[red]{err}[/red]")
            raise typer.Exit(2) from err
        for span in spans:
            detail = f" ({span.detail})" if span.detail else ""
            typer.echo(f"{span.type}{detail}\t{span.start}-{span.end}\t{span.source}")
        typer.echo(mask_text(text, spans, style=_style(style)))

    @app.command("pii-eval")
    def pii_eval(
        path: Annotated[Path, typer.Argument(help="presidio-research JSON file.")],
        mode: Annotated[str, typer.Option(help="fast or full.")] = "full",
        part: Annotated[str, typer.Option(help="all, tune or holdout.")] = "all",
        iou: Annotated[float, typer.Option(help="Minimum IoU for a match (0 = overlap).")] = 0.0,
    ) -> None:
        """Print span-level precision, recall and F2 (overall and per type) as JSON."""
        if not path.exists():
            raise typer.BadParameter(f"{path} does not exist; pass the path of a JSON data file")
        if part not in ("all", "tune", "holdout"):
            raise typer.BadParameter("part must be all, tune or holdout")
        part_value: Part = "all" if part == "all" else ("tune" if part == "tune" else "holdout")
        try:
            with Console(stderr=True).status(f"evaluating {path.name} in {mode} mode…"):
                figures = evaluate_pii(path, mode=_mode(mode), part=part_value, iou_threshold=iou)
        except (ValueError, PiiModelMissingError) as err:
            Console(stderr=True).print(f"[red]{err}[/red]")
            raise typer.Exit(2) from err
        typer.echo(json.dumps({k: round(v, 4) for k, v in figures.items()}, indent=2))


def _mode(value: str) -> Mode:
    if value == "fast":
        return "fast"
    if value == "full":
        return "full"
    raise typer.BadParameter("mode must be fast or full")


def _style(value: str) -> Style:
    if value == "type":
        return "type"
    if value == "partial":
        return "partial"
    raise typer.BadParameter("style must be type or partial")


def _patterns(items: list[str]) -> dict[str, str]:
    patterns: dict[str, str] = {}
    for item in items:
        name, sep, expression = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r}: write a pattern as NAME=REGEX")
        patterns[name] = expression
    try:
        compile_custom_patterns(patterns)
    except ValueError as err:
        raise typer.BadParameter(str(err)) from err
    return patterns
