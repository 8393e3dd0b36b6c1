"""Readers for the public sentiment sets used to train and measure the sentiment model.

The sets live outside the package (``../shared/data``) and are never copied into it: these
readers only turn them into ``(texts, labels)`` lists in memory.

* ``sentiment-umsab/<language>/{train,val}_{text,labels}.txt``: one tweet and one label
  (0 negative, 1 neutral, 2 positive) per line; some characters are written as ``\\uXXXX``
  escapes, which are decoded here.
* ``sentiment-nl-political/train.csv``: ``content,polarity`` with the words
  ``negative``/``neutral``/``positive``. It has no validation part, so a fixed, seeded,
  stratified 15 % of it is held out as ``val``.

Example::

    corpus = load_corpus(Path("../shared/data"))
    corpus["fr"].train.texts[:2], corpus["fr"].val.labels[:2]
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

UMSAB_LANGUAGES: dict[str, str] = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "de": "german",
    "it": "italian",
    "pt": "portuguese",
    "ar": "arabic",
    "hi": "hindi",
}
DUTCH_DIR = "sentiment-nl-political"
POLARITY = {"negative": 0, "neutral": 1, "positive": 2}
DUTCH_VAL_FRACTION = 0.15
DUTCH_SPLIT_SEED = 20240611

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


class DataError(ValueError):
    """The data folder is missing or not in the expected shape."""


@dataclass(frozen=True)
class Split:
    """Texts and integer labels (0 negative, 1 neutral, 2 positive) of one split."""

    texts: list[str]
    labels: list[int]


@dataclass(frozen=True)
class LanguageData:
    """The train and validation splits of one language."""

    lang: str
    train: Split
    val: Split


def decode_escapes(text: str) -> str:
    """Turn the ``\\u2019`` escapes of the UMSAB files back into characters."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text).strip()


def _read_lines(path: Path) -> list[str]:
    if not path.is_file():
        raise DataError(f"missing data file {path}")
    return path.read_text(encoding="utf-8").splitlines()


def _umsab_split(folder: Path, split: str) -> Split:
    texts = [decode_escapes(t) for t in _read_lines(folder / f"{split}_text.txt")]
    labels = [int(x) for x in _read_lines(folder / f"{split}_labels.txt") if x.strip()]
    if len(texts) != len(labels):
        raise DataError(f"{folder}: {len(texts)} texts but {len(labels)} labels in {split}")
    return Split(texts, labels)


def _dutch(path: Path) -> LanguageData:
    if not path.is_file():
        raise DataError(f"missing data file {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [(r["content"].strip(), POLARITY[r["polarity"].strip()]) for r in reader]
    rng = np.random.default_rng(DUTCH_SPLIT_SEED)
    labels = np.array([label for _, label in rows])
    val_idx: set[int] = set()
    for label in range(3):
        members = np.flatnonzero(labels == label)
        rng.shuffle(members)
        val_idx.update(int(i) for i in members[: round(len(members) * DUTCH_VAL_FRACTION)])
    train = [rows[i] for i in range(len(rows)) if i not in val_idx]
    val = [rows[i] for i in sorted(val_idx)]
    return LanguageData(
        "nl",
        Split([t for t, _ in train], [y for _, y in train]),
        Split([t for t, _ in val], [y for _, y in val]),
    )


def load_corpus(
    data_dir: Path, *, languages: tuple[str, ...] | None = None
) -> dict[str, LanguageData]:
    """All languages found under ``data_dir`` (UMSAB languages plus Dutch), keyed by ISO code."""
    wanted = languages or (*UMSAB_LANGUAGES, "nl")
    corpus: dict[str, LanguageData] = {}
    for lang in wanted:
        if lang == "nl":
            corpus["nl"] = _dutch(data_dir / DUTCH_DIR / "train.csv")
        elif lang in UMSAB_LANGUAGES:
            folder = data_dir / "sentiment-umsab" / UMSAB_LANGUAGES[lang]
            corpus[lang] = LanguageData(
                lang, _umsab_split(folder, "train"), _umsab_split(folder, "val")
            )
        else:
            raise DataError(f"no sentiment data for language {lang!r}")
    return corpus
