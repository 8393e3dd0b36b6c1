"""Listening commands: rebuild the rollups, place posts in narratives, measure claim matching.

Example::

    $ tocsin listening-rollups            # recount every rollup from the posts (after an import)
    $ tocsin listening-narratives         # place matched posts in narratives now
    $ tocsin claims-evaluate tests/claims/data/paraphrases.json
    precision 0.974  recall 0.950  (85 examples)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from sqlalchemy.orm import Session, sessionmaker

err = Console(stderr=True)


def _session_factory() -> sessionmaker[Session]:
    from tocsin.cli import load_settings
    from tocsin.db import make_engine, make_session_factory

    settings = load_settings()
    return make_session_factory(make_engine(settings.database_url))


def register(app: typer.Typer) -> None:
    @app.command("listening-rollups")
    def rebuild() -> None:
        """Recount every dashboard rollup from the stored posts (after a bulk import)."""
        from tocsin.listening.rollups_bulk import rebuild_rollups

        factory = _session_factory()
        with Progress(console=err, transient=True) as progress, factory() as session:
            task = progress.add_task("counting posts", total=None)
            counted = rebuild_rollups(
                session=session, progress=lambda n: progress.update(task, completed=n)
            )
            session.commit()
        typer.echo(f"{counted} (post, brand) pairs counted")

    @app.command("listening-narratives")
    def narratives(
        batches: Annotated[int, typer.Option(min=1, help="Batches of 500 posts to place.")] = 200,
    ) -> None:
        """Place matched posts that are in no narrative yet (the worker job does this too)."""
        from tocsin.listening.narratives_tasks import place_new_posts

        with _session_factory()() as session:
            placed = place_new_posts(session=session, batches=batches)
            session.commit()
        typer.echo(f"{placed} posts placed in narratives")

    @app.command("claims-evaluate")
    def evaluate(
        path: Annotated[Path, typer.Argument(help="A labelled paraphrase set (JSON).")],
        threshold: Annotated[float | None, typer.Option(help="Override the threshold.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Measure claim matching (precision, recall) on a labelled set of paraphrases."""
        from tocsin.claims.evaluate import evaluate_file
        from tocsin.enrichment.embedding import default_embedder

        if not path.is_file():
            raise typer.BadParameter(f"{path} does not exist: pass the labelled set's JSON file")
        try:
            report = evaluate_file(path, default_embedder(), threshold=threshold)
        except (KeyError, ValueError) as exc:
            raise typer.BadParameter(f"{path} is not a labelled claim set: {exc}") from None
        if as_json:
            typer.echo(json.dumps(report.to_dict(), indent=2))
            return
        typer.echo(
            f"precision {report.precision:.3f}  recall {report.recall:.3f}  "
            f"({report.examples} examples, {report.true_positives} TP, "
            f"{report.false_positives} FP, {report.false_negatives} FN)"
        )
        for mistake in report.mistakes:
            typer.echo(f"  {mistake}")
