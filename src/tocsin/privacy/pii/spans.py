"""The span every PII detector returns, and how overlapping candidates are resolved.

Detectors run independently and often disagree at the edges: spaCy may call "Baker Street" a
person inside an address the address recogniser found, and a brand's order-number pattern may
look like a phone number. :func:`resolve_overlaps` keeps one answer per stretch of text so that
masking never has to reason about nested spans.

Example::

    resolve_overlaps([
        PiiSpan(type="ADDRESS", start=10, end=40, score=0.9, source="address"),
        PiiSpan(type="PERSON", start=13, end=17, score=0.85, source="spacy"),
    ])
    # -> [PiiSpan(type="ADDRESS", start=10, end=40, ...)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

EMAIL = "EMAIL"
PHONE = "PHONE"
CREDIT_CARD = "CREDIT_CARD"
IBAN = "IBAN"
NATIONAL_ID = "NATIONAL_ID"
IP_ADDRESS = "IP_ADDRESS"
URL_WITH_TOKEN = "URL_WITH_TOKEN"  # noqa: S105 - a type name, not a secret
PERSON = "PERSON"
ADDRESS = "ADDRESS"
LOCATION = "LOCATION"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
ORDER_NUMBER = "ORDER_NUMBER"

# A candidate that loses an overlap keeps its uncovered part only when that part is at least
# this share of its length; otherwise it is dropped (a trimmed sliver masks nothing useful).
_KEEP_REMAINDER = 0.5


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data found in a text: ``text[start:end]``.

    ``type`` is the coarse kind used for masking and policy (``PHONE``, ``NATIONAL_ID``…);
    ``source`` names the detector that found it; ``detail`` carries a subtype where one exists
    (``FR_NIR``, ``ES_DNI``, ``POSTCODE``…). ``score`` is the detector's confidence in [0, 1].
    """

    type: str
    start: int
    end: int
    score: float
    source: str
    detail: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"invalid span bounds {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start


def resolve_overlaps(spans: Iterable[PiiSpan]) -> list[PiiSpan]:
    """Return non-overlapping spans sorted by start.

    Candidates are taken by descending score, then length; a candidate overlapping one already
    kept is trimmed to its free part when most of it is still free, and dropped otherwise.
    """
    kept: list[PiiSpan] = []
    ranked = sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), s.start))
    for span in ranked:
        candidate: PiiSpan | None = span
        for other in kept:
            if candidate is None:
                break
            candidate = _trim(candidate, other)
        if candidate is not None:
            kept.append(candidate)
    return sorted(kept, key=lambda s: s.start)


def _trim(span: PiiSpan, other: PiiSpan) -> PiiSpan | None:
    if span.end <= other.start or other.end <= span.start:
        return span
    left = other.start - span.start
    right = span.end - other.end
    best = max(left, right)
    if best < _KEEP_REMAINDER * len(span):
        return None
    if left >= right:
        return replace(span, end=other.start)
    return replace(span, start=other.end)
