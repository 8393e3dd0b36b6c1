"""Crisis radar commands: run the spike detector over a series file.

Example::

    $ tocsin detect-spikes --input volume.csv --output scored.csv
    15902 rows, 6 alerts -> scored.csv
    $ tocsin detect-spikes --input volume.csv --output scored.csv --config detector.toml
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    @app.command("detect-spikes")
    def detect_spikes(
        input_path: Annotated[
            Path, typer.Option("--input", help="CSV with a header and columns timestamp,value.")
        ],
        output_path: Annotated[
            Path,
            typer.Option("--output", help="Where to write timestamp,value,anomaly_score,alert."),
        ],
        config_path: Annotated[
            Path | None,
            typer.Option("--config", help="JSON or TOML file overriding detector settings."),
        ] = None,
    ) -> None:
        """Score a series with the crisis radar's detector, one row at a time, as it runs live."""
        from tocsin.crisis.detectors import (
            DetectorConfig,
            DetectorConfigError,
            SeriesInputError,
            detect_csv,
            load_config,
        )

        if not input_path.is_file():
            raise typer.BadParameter(f"{input_path} does not exist: pass a timestamp,value CSV")
        if output_path.resolve() == input_path.resolve():
            raise typer.BadParameter("--output must differ from --input (it would overwrite it)")
        try:
            config = load_config(config_path) if config_path else DetectorConfig()
        except DetectorConfigError as exc:
            raise typer.BadParameter(str(exc)) from None
        with input_path.open("rb") as raw:
            total = max(sum(1 for _ in raw) - 1, 0)
        try:
            with Progress(console=err, transient=True) as progress:
                task = progress.add_task("scoring", total=total)
                summary = detect_csv(
                    input_path=input_path,
                    output_path=output_path,
                    config=config,
                    on_row=lambda done: progress.update(task, completed=done),
                )
        except SeriesInputError as exc:
            output_path.unlink(missing_ok=True)
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except OSError as exc:
            typer.echo(f"error: cannot write {output_path}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"{summary.rows} rows, {summary.alerts} alerts -> {output_path}")
