"""CLI: ``tocsin train sentiment`` retrains the sentiment model from the shared data.

It rewrites ``src/tocsin/enrichment/models/sentiment.npz`` (fixed seeds and folds: the same
data gives the same figures).  The model is fitted on the train and validation splits pooled;
it prints the per-language 5-fold cross-validated macro-F1 on that pool (the estimate to quote),
the validation-split score as a fit check (those posts were seen in training), and the published
XLM-T figures.

Example::

    tocsin train sentiment --data-dir ../shared/data --output src/tocsin/enrichment/models
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

err = Console(stderr=True)

#: Macro-F1 of fine-tuned XLM-T on the UMSAB test splits (Barbieri et al., 2022).
PUBLISHED_XLMT = {"en": 70.6, "fr": 71.2, "es": 67.9, "de": 77.3, "it": 69.1, "pt": 75.4}
PUBLISHED_XLMT |= {"ar": 66.9, "hi": 56.4}


def _train_group(app: typer.Typer) -> typer.Typer:
    """The shared ``tocsin train`` group: reuse it if another package registered it first."""
    for group in app.registered_groups:
        if group.name == "train" and group.typer_instance is not None:
            return group.typer_instance
    train = typer.Typer(help="Retrain the enrichment models from data.", no_args_is_help=True)
    app.add_typer(train, name="train")
    return train


def train_sentiment_command(
    data_dir: Annotated[Path, typer.Option(help="the shared data folder")] = Path("../shared/data"),
    output: Annotated[Path, typer.Option(help="where to write sentiment.npz")] = Path(
        "src/tocsin/enrichment/models"
    ),
) -> None:
    """Retrain the multilingual sentiment model (a few minutes on two cores)."""
    from rich.markup import escape

    from tocsin.enrichment.training.data import DataError
    from tocsin.enrichment.training.lexicon_sources import LexiconSourceError

    if not (data_dir / "sentiment-umsab").is_dir():
        raise typer.BadParameter(
            f"{data_dir} has no sentiment-umsab folder: point --data-dir at the shared data",
            param_hint="--data-dir",
        )
    try:
        from tocsin.enrichment.training.sentiment import train_sentiment
    except ModuleNotFoundError as exc:  # scikit-learn is a training-only dependency
        err.print(f"[red]error:[/red] {exc}: install the extra with `pip install 'tocsin[train]'`")
        raise typer.Exit(2) from exc
    try:
        with err.status("training…") as status:
            report = train_sentiment(
                data_dir=data_dir,
                output_dir=output,
                progress=lambda message: status.update(f"training: {message}…"),
            )
    except LexiconSourceError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    except DataError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))} (check --data-dir)")
        raise typer.Exit(2) from exc
    table = Table(title="sentiment macro-F1 (%)")
    columns = ("language", "5-fold CV (train+val)", "val (seen: fit check)", "XLM-T (published)")
    for column in columns:
        table.add_column(column, justify="right" if column != "language" else "left")
    for lang, score in report.validation.items():
        published = PUBLISHED_XLMT.get(lang)
        table.add_row(
            lang,
            f"{report.cross_validation[lang]:.1f}",
            f"{score:.1f}",
            f"{published:.1f}" if published is not None else "—",
        )
    Console().print(table)
    err.print(f"wrote {report.artifact}")


def register(app: typer.Typer) -> None:
    """Add ``train sentiment`` to the ``tocsin`` command."""
    _train_group(app).command("sentiment")(train_sentiment_command)
