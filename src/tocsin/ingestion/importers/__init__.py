"""File importers: canonical JSON Lines, CSV through a column mapping, and the TWCS dataset.

Each format has a reader that streams ``(line, post or reason)`` records; :func:`run_import`
ingests them in batches, one transaction per batch.
"""

from tocsin.ingestion.importers.base import (
    DEFAULT_BATCH_SIZE,
    ImportSummary,
    LineRejection,
    run_import,
)
from tocsin.ingestion.importers.csv_mapping import CsvMapping, CsvMappingReader, MappingError
from tocsin.ingestion.importers.csvfile import CsvFileError
from tocsin.ingestion.importers.jsonl import JsonlReader
from tocsin.ingestion.importers.twcs import TwcsReader, import_twcs, resolve_threads

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "CsvFileError",
    "CsvMapping",
    "CsvMappingReader",
    "ImportSummary",
    "JsonlReader",
    "LineRejection",
    "MappingError",
    "TwcsReader",
    "import_twcs",
    "resolve_threads",
    "run_import",
]
