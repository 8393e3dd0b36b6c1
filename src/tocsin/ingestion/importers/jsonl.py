"""Canonical JSON Lines: one :class:`CanonicalPost` object per line.

The format is the one ``docs/canonical-post.schema.json`` describes; blank lines are skipped,
and a line that is not valid JSON or not a valid post is rejected with its number and reason.

Example::

    reader = JsonlReader(Path("posts.jsonl"))   # lines such as
    # {"platform": "x", "external_id": "1", "text": "Where is my parcel?",
    #  "created_at": "2026-01-05T10:00:00Z", "author": {"handle": "jane"}}
    summary = run_import(session_factory=factory, records=reader)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from tocsin.ingestion.importers.base import Record
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import validation_reason

_BOM = b"\xef\xbb\xbf"


class JsonlReader:
    """Stream canonical posts from a ``.jsonl`` file; ``bytes_read`` tracks the progress."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bytes_read = 0

    @property
    def total_bytes(self) -> int:
        return self.path.stat().st_size

    def __iter__(self) -> Iterator[Record]:
        with self.path.open("rb") as stream:
            for number, line in enumerate(stream, start=1):
                self.bytes_read += len(line)
                if number == 1:
                    line = line.removeprefix(_BOM)
                if not line.strip():
                    continue
                try:
                    yield number, CanonicalPost.model_validate_json(line)
                except ValidationError as exc:
                    yield number, validation_reason(exc)
