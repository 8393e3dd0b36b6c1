"""The ``pii-scan`` and ``pii-eval`` CLI commands (fast mode, no model)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from tocsin.privacy.pii.commands import register

app = typer.Typer()
register(app)
runner = CliRunner(env={"COLUMNS": "250", "TERMINAL_WIDTH": "250"})


def test_scan_prints_spans_and_the_masked_text() -> None:
    result = runner.invoke(
        app,
        [
            "pii-scan",
            "Commande #FR-20931, tel 06 12 34 56 78",
            "--lang",
            "fr",
            "--pattern",
            r"ORDER_NUMBER=#?[A-Z]{2}-\d{4,}",
        ],
    )
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "Commande [ORDER_NUMBER], tel [PHONE]"


def test_scan_refuses_a_bad_pattern_with_the_fix() -> None:
    result = runner.invoke(app, ["pii-scan", "x", "--pattern", "ORDER_NUMBER=[A-Z"])
    assert result.exit_code == 2
    assert "valid regular expression" in result.output


def test_eval_prints_figures_as_json(tmp_path: Path) -> None:
    text = "Write to ana@example.org"
    path = tmp_path / "d.json"
    path.write_text(
        json.dumps(
            [
                {
                    "full_text": text,
                    "spans": [
                        {
                            "entity_type": "EMAIL_ADDRESS",
                            "start_position": 9,
                            "end_position": len(text),
                        }
                    ],
                }
            ]
        )
    )
    result = runner.invoke(app, ["pii-eval", str(path), "--mode", "fast"])
    assert result.exit_code == 0
    assert json.loads(result.output)["f2"] == 1.0


def test_eval_reports_a_missing_file() -> None:
    result = runner.invoke(app, ["pii-eval", "/no/such/file.json"])
    assert result.exit_code == 2
    assert "does not exist" in result.output
