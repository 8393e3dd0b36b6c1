"""Run a detector over a ``timestamp,value`` CSV and write ``timestamp,value,anomaly_score,alert``.

This is the offline twin of the radar, used by ``tocsin detect-spikes`` and the NAB
benchmark: one pass, one row at a time, each decision from the past only.  Input errors
raise :class:`SeriesInputError` naming the line and the fix, before any output is written
past that line.

Example::

    summary = detect_csv(input_path=Path("series.csv"), output_path=Path("out.csv"))
    summary.rows, summary.alerts
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tocsin.crisis.detectors.config import DetectorConfig
from tocsin.crisis.detectors.spike import SpikeDetector

OUTPUT_COLUMNS = ("timestamp", "value", "anomaly_score", "alert")


class SeriesInputError(ValueError):
    """The input series is missing, malformed or out of order; the message says where."""


@dataclass(frozen=True)
class DetectionSummary:
    rows: int
    alerts: int


def detect_csv(
    *,
    input_path: Path,
    output_path: Path,
    config: DetectorConfig | None = None,
    on_row: Callable[[int], None] | None = None,
) -> DetectionSummary:
    """Score every row of ``input_path`` in order and write the outputs CSV.

    ``on_row`` is called with the number of rows done, every 1,000 rows (for a progress bar).
    """
    detector = SpikeDetector(config or DetectorConfig())
    rows = alerts = 0
    try:
        source = input_path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise SeriesInputError(f"cannot read {input_path}: {exc.strerror}") from None
    with source, output_path.open("w", newline="", encoding="utf-8") as sink:
        reader = csv.reader(source)
        header = [h.strip().lower() for h in next(reader, [])]
        if "timestamp" not in header or "value" not in header:
            raise SeriesInputError(
                f"{input_path}: the first line must be a header with columns timestamp,value "
                f"(found {','.join(header) or 'an empty file'})"
            )
        t_col, v_col = header.index("timestamp"), header.index("value")
        writer = csv.writer(sink, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        for record in reader:
            if not record or not any(cell.strip() for cell in record):
                continue
            line = reader.line_num
            stamp, value = _parse(record, t_col, v_col, input_path, line)
            try:
                out = detector.update(stamp, value)
            except ValueError as exc:
                raise SeriesInputError(f"{input_path}, line {line}: {exc}") from None
            writer.writerow(
                (record[t_col].strip(), record[v_col].strip(), f"{out.score:.6f}", int(out.alert))
            )
            rows += 1
            alerts += out.alert
            if on_row is not None and rows % 1000 == 0:
                on_row(rows)
    if rows == 0:
        raise SeriesInputError(f"{input_path}: no data rows after the header")
    return DetectionSummary(rows=rows, alerts=alerts)


def _parse(
    record: list[str], t_col: int, v_col: int, path: Path, line: int
) -> tuple[datetime, float]:
    if len(record) <= max(t_col, v_col):
        raise SeriesInputError(f"{path}, line {line}: expected a timestamp and a value")
    raw_t, raw_v = record[t_col].strip(), record[v_col].strip()
    try:
        stamp = datetime.fromisoformat(raw_t)
    except ValueError:
        raise SeriesInputError(
            f"{path}, line {line}: {raw_t!r} is not an ISO 8601 timestamp "
            "(e.g. 2025-03-04 14:05:00 or 2025-03-04T14:05:00Z)"
        ) from None
    try:
        value = float(raw_v)
    except ValueError:
        raise SeriesInputError(f"{path}, line {line}: value {raw_v!r} is not a number") from None
    return stamp, value
