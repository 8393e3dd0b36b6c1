"""Any CSV export, through a column mapping: ``--map text=body --set platform=review``.

A mapping says which CSV column feeds which canonical field (``text=body``), which fields take a
constant (``platform=review``), and how dates are written (``--date-format "%d/%m/%Y %H:%M"``;
without one, ISO 8601 and Unix timestamps are understood; a date without a time zone is UTC).
It can also live in a TOML or JSON file::

    date_formats = ["%d/%m/%Y %H:%M"]
    [map]
    external_id = "review_id"
    text = "body"
    created_at = "date"
    author = "reviewer"
    [set]
    platform = "review"

When no column maps to ``external_id``, the id is derived from the row's content (platform,
author, date, title and text), so importing the same file twice is still idempotent.

Example::

    mapping = CsvMapping.build(maps=["text=body", "created_at=date"], sets=["platform=review"])
    reader = CsvMappingReader(Path("reviews.csv"), mapping)
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tocsin.ingestion.importers.base import Record
from tocsin.ingestion.importers.csvfile import CsvRows
from tocsin.ingestion.schemas import PLATFORMS, CanonicalPost
from tocsin.ingestion.service import validation_reason

_TOP = (
    "platform",
    "external_id",
    "text",
    "created_at",
    "title",
    "url",
    "lang",
    "kind",
    "direction",
    "parent_external_id",
    "thread_external_id",
    "deleted",
    "is_automatic",
)
_AUTHOR = ("handle", "external_id", "display_name", "followers", "verified", "is_automated")
_ENGAGEMENT = ("likes", "reposts", "replies", "quotes", "views")
#: Every field a mapping may name, as ``(group, name)``; short aliases included.
FIELDS: dict[str, tuple[str, str]] = {
    **{name: ("", name) for name in _TOP},
    **{f"author.{name}": ("author", name) for name in _AUTHOR},
    "author": ("author", "handle"),
    **{f"engagement.{name}": ("engagement", name) for name in _ENGAGEMENT},
    **{name: ("engagement", name) for name in _ENGAGEMENT},
}


class MappingError(ValueError):
    """The mapping does not fit the file or the canonical post; the message says how to fix it."""


@dataclass(frozen=True)
class CsvMapping:
    """Canonical field → CSV column, canonical field → constant, and the date formats."""

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        *,
        maps: Sequence[str] = (),
        sets: Sequence[str] = (),
        date_formats: Sequence[str] = (),
        mapping_file: Path | None = None,
    ) -> CsvMapping:
        """Combine a mapping file (if any) with ``field=value`` options, which win."""
        columns: dict[str, str] = {}
        constants: dict[str, str] = {}
        formats = list(date_formats)
        if mapping_file is not None:
            loaded = _load_file(mapping_file)
            columns.update(_strings(loaded.get("map", {}), f"[map] in {mapping_file}"))
            constants.update(_strings(loaded.get("set", {}), f"[set] in {mapping_file}"))
            formats = formats or list(loaded.get("date_formats", []))
        columns.update(_pairs(maps, "--map"))
        constants.update(_pairs(sets, "--set"))
        for name in (*columns, *constants):
            if name not in FIELDS:
                known = ", ".join(sorted(FIELDS))
                raise MappingError(f"unknown field {name!r}; fields are: {known}")
        platform = constants.get("platform")
        if platform is not None and platform not in PLATFORMS:
            raise MappingError(f"unknown platform {platform!r}; use one of: {', '.join(PLATFORMS)}")
        for required in ("platform", "created_at"):
            if required not in columns and required not in constants:
                raise MappingError(
                    f"nothing gives {required!r}: add --map {required}=COLUMN "
                    f"or --set {required}=VALUE"
                )
        return cls(columns=columns, constants=constants, date_formats=tuple(formats))

    def check_header(self, header: Sequence[str]) -> None:
        """Refuse a mapping that names a column the file does not have."""
        missing = [column for column in self.columns.values() if column not in header]
        if missing:
            raise MappingError(
                f"column(s) {', '.join(map(repr, missing))} not in the file; "
                f"its columns are: {', '.join(header)}"
            )


class CsvMappingReader:
    """Stream canonical posts out of a CSV file through a :class:`CsvMapping`."""

    def __init__(
        self, path: Path, mapping: CsvMapping, *, encoding: str = "utf-8", delimiter: str = ","
    ) -> None:
        self.rows = CsvRows(path, encoding=encoding, delimiter=delimiter)
        mapping.check_header(self.rows.header)
        self.mapping = mapping
        self._index = {column: i for i, column in enumerate(self.rows.header)}

    @property
    def bytes_read(self) -> int:
        return self.rows.bytes_read

    @property
    def total_bytes(self) -> int:
        return self.rows.total_bytes

    def __iter__(self) -> Iterator[Record]:
        for line, fields in self.rows:
            if isinstance(fields, str):
                yield line, fields
                continue
            try:
                yield line, self.post(fields)
            except ValidationError as exc:
                yield line, validation_reason(exc)
            except ValueError as exc:
                yield line, str(exc)

    def post(self, fields: Sequence[str]) -> CanonicalPost:
        """The canonical post for one CSV record (raises ``ValueError`` when it is not one)."""
        values = dict(self.mapping.constants)
        for name, column in self.mapping.columns.items():
            value = fields[self._index[column]].strip()
            if value:
                values[name] = value
        data: dict[str, Any] = {}
        for name, value in values.items():
            group, key = FIELDS[name]
            target = data.setdefault(group, {}) if group else data
            target[key] = value
        if "created_at" in data and self.mapping.date_formats:
            data["created_at"] = _parse_date(data["created_at"], self.mapping.date_formats)
        if "external_id" not in data:
            data["external_id"] = _content_id(data)
        return CanonicalPost.model_validate(data)


def _parse_date(value: str, formats: Sequence[str]) -> datetime:
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ValueError(f"created_at: {value!r} matches no date format ({' | '.join(formats)})")


def _content_id(data: Mapping[str, Any]) -> str:
    author = data.get("author", {}).get("handle", "")
    parts = [data.get("platform", ""), author, str(data.get("created_at", ""))]
    parts += [data.get("title", ""), data.get("text", "")]
    return "sha256:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:40]


def _pairs(items: Sequence[str], option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise MappingError(f"{option} {item!r}: write FIELD=VALUE, e.g. {option} text=body")
        pairs[name.strip()] = value.strip()
    return pairs


def _load_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        loaded = json.loads(raw) if path.suffix == ".json" else tomllib.loads(raw.decode())
    except (OSError, ValueError) as exc:
        raise MappingError(f"cannot read the mapping file {path}: {exc}") from None
    if not isinstance(loaded, dict):
        raise MappingError(f"the mapping file {path} must hold a table (map, set, date_formats)")
    return loaded


def _strings(table: object, where: str) -> dict[str, str]:
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise MappingError(f"{where} must map field names to strings")
    return {str(k): v for k, v in table.items()}
