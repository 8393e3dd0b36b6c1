"""``tocsin detect-spikes`` on a bare Typer app (the lead wires it into the main CLI)."""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tocsin.crisis.commands import register
from tocsin.crisis.detectors import DetectorConfigError, load_config


def run(*args: str) -> tuple[int, str, str]:
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps "detect-spikes" as a named sub-command
        """Nothing."""

    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})
    return result.exit_code, result.stdout, result.stderr


def write_series(path: Path, days: int = 4, burst_at: int | None = None) -> list[str]:
    start = datetime(2025, 6, 2, tzinfo=UTC)
    stamps = []
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "value"])
        for i in range(days * 288):
            at = start + timedelta(minutes=5 * i)
            value = round(20 + 10 * math.sin(2 * math.pi * at.hour / 24) + (i * 7919) % 5)
            if burst_at is not None and burst_at <= i < burst_at + 24:
                value *= 15
            stamps.append(at.strftime("%Y-%m-%d %H:%M:%S"))
            w.writerow([stamps[-1], value])
    return stamps


def test_scores_every_row_in_order_and_alerts_on_a_burst(tmp_path: Path) -> None:
    series, out = tmp_path / "s.csv", tmp_path / "out.csv"
    stamps = write_series(series, burst_at=3 * 288 + 100)
    code, stdout, _ = run("detect-spikes", "--input", str(series), "--output", str(out))
    assert code == 0, stdout
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["timestamp", "value", "anomaly_score", "alert"]
    assert [r["timestamp"] for r in rows] == stamps
    assert all(0.0 <= float(r["anomaly_score"]) < 1.0 for r in rows)
    alerts = [i for i, r in enumerate(rows) if r["alert"] == "1"]
    assert len(alerts) == 1
    assert 3 * 288 + 100 <= alerts[0] <= 3 * 288 + 106
    assert f"{len(rows)} rows, 1 alerts" in stdout


def test_config_file_changes_the_decision(tmp_path: Path) -> None:
    series, out = tmp_path / "s.csv", tmp_path / "out.csv"
    write_series(series, burst_at=3 * 288 + 100)
    config = tmp_path / "detector.toml"
    config.write_text("alert_z = 50.0\n")
    code, stdout, _ = run(
        "detect-spikes", "--input", str(series), "--output", str(out), "--config", str(config)
    )
    assert code == 0
    assert ", 0 alerts" in stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("when,count\n2025-01-01 00:00:00,3\n", "header with columns timestamp,value"),
        ("timestamp,value\n2025-01-01 00:00:00,3\n2025-01-01 00:05:00,lots\n", "line 3"),
        ("timestamp,value\nyesterday,3\n", "not an ISO 8601 timestamp"),
        (
            "timestamp,value\n2025-01-01 00:05:00,3\n2025-01-01 00:00:00,4\n",
            "timestamps must increase",
        ),
        ("timestamp,value\n2025-01-01 00:00:00,-2\n", "non-negative"),
        ("timestamp,value\n", "no data rows"),
        ("", "empty file"),
    ],
)
def test_bad_csv_gives_a_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    series, out = tmp_path / "s.csv", tmp_path / "out.csv"
    series.write_text(content)
    code, stdout, stderr = run("detect-spikes", "--input", str(series), "--output", str(out))
    assert code == 2
    assert message in stderr
    assert "Traceback" not in stderr + stdout
    assert len(stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_missing_input_and_bad_config_are_usage_errors(tmp_path: Path) -> None:
    code, _, stderr = run("detect-spikes", "--input", str(tmp_path / "nope.csv"), "--output", "o")
    assert code == 2
    assert "does not exist" in stderr
    series = tmp_path / "s.csv"
    write_series(series, days=1)
    bad = tmp_path / "c.json"
    bad.write_text('{"cooldown_hours": -1}')
    code, _, stderr = run(
        "detect-spikes", "--input", str(series), "--output", str(tmp_path / "o.csv"),
        "--config", str(bad),
    )  # fmt: skip
    assert code == 2
    assert "cooldown_hours" in stderr


def test_load_config_reports_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("cooldown = 3\n")
    with pytest.raises(DetectorConfigError, match="cooldown"):
        load_config(path)
    path.write_text("window_minutes = [60, 240]\ntimezone = 'Europe/Paris'\n")
    config = load_config(path)
    assert config.window_points() == (12, 48)
