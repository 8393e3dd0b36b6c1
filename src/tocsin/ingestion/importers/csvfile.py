"""Streaming CSV rows with the line each starts on, for the CSV and TWCS importers.

A quoted field may span several lines, so a record's number is the physical line it starts on,
which is what a person sees in an editor.  A record with the wrong number of fields is reported
rather than guessed at.

Example::

    rows = CsvRows(Path("reviews.csv"))
    rows.header                      # ["id", "body", "date"]
    for line, fields in rows: ...    # fields is a list, or the reason the record is malformed
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _csv import _reader

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class CsvFileError(ValueError):
    """The file cannot be read as CSV at all (empty, wrong encoding); the message says why."""


class CsvRows:
    """The data records of a CSV file, streamed; ``bytes_read`` tracks the progress."""

    def __init__(self, path: Path, *, encoding: str = "utf-8", delimiter: str = ",") -> None:
        self.path = path
        self.encoding = "utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding
        self.delimiter = delimiter
        self.header = self._read_header()
        self._binary: io.BufferedReader | None = None

    @property
    def total_bytes(self) -> int:
        return self.path.stat().st_size

    @property
    def bytes_read(self) -> int:
        return self._binary.tell() if self._binary is not None else 0

    def _read_header(self) -> list[str]:
        try:
            with self.path.open(encoding=self.encoding, newline="") as stream:
                header = next(csv.reader(stream, delimiter=self.delimiter), None)
        except UnicodeDecodeError as exc:
            raise CsvFileError(f"{self.path} is not {self.encoding} text ({exc.reason})") from None
        if not header or not any(name.strip() for name in header):
            raise CsvFileError(f"{self.path} has no header line")
        return [name.strip() for name in header]

    def __iter__(self) -> Iterator[tuple[int, list[str] | str]]:
        with self.path.open("rb") as binary:
            self._binary = binary
            text = io.TextIOWrapper(binary, encoding=self.encoding, newline="")
            reader = csv.reader(text, delimiter=self.delimiter)
            try:
                next(reader)
                yield from self._records(reader)
            except UnicodeDecodeError as exc:
                raise CsvFileError(
                    f"line {reader.line_num + 1} of {self.path} is not {self.encoding} text "
                    f"({exc.reason}); try --encoding latin-1"
                ) from None
            finally:
                text.detach()
                self._binary = None

    def _records(self, reader: _reader) -> Iterator[tuple[int, list[str] | str]]:
        width = len(self.header)
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, f"malformed CSV: {exc}"
                continue
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if len(fields) != width:
                yield start, f"{len(fields)} fields where the header has {width}"
                continue
            yield start, fields
