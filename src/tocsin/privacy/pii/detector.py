"""The PII detector: fast structured detection for every post, full detection where it pays.

``fast`` mode runs only shape-and-checksum finders (e-mails, phones, cards, IBANs, national ids,
IP addresses, secret links, the brand's own patterns): well under a millisecond per post, no
model. ``full`` mode adds spaCy names and places through Presidio, street addresses,
postcodes, names announced by a title or a greeting, and birth dates; it costs a few
milliseconds per text and loads the spaCy models once per process, on first use. It is meant
for inbox cases, outgoing replies and evaluation.

Example::

    detector = PiiDetector(mode="fast", custom_patterns={"ORDER_NUMBER": r"#?[A-Z]{2}-\\d{4,}"})
    detector.detect("Order #FR-20931, call me on 06 12 34 56 78", lang="fr")
    # -> [PiiSpan(type="ORDER_NUMBER", ...), PiiSpan(type="PHONE", ...)]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

from tocsin.privacy.pii.addresses import find_addresses, find_postcodes
from tocsin.privacy.pii.names import (
    find_birth_dates,
    find_cued_names,
    looks_like_organisation,
    propagate_names,
)
from tocsin.privacy.pii.national_ids import find_national_ids
from tocsin.privacy.pii.places import find_cued_places
from tocsin.privacy.pii.spans import LOCATION, PERSON, PiiSpan, resolve_overlaps
from tocsin.privacy.pii.structured import find_structured

Mode = Literal["fast", "full"]

# Phone numbering plans tried for a post in each language; the first goes through
# PhoneNumberMatcher, the others are fallbacks for phone-shaped numbers it did not accept.
_REGIONS: dict[str, tuple[str, ...]] = {
    "en": ("US", "GB", "IE"),
    "fr": ("FR", "BE", "CH", "LU"),
    "es": ("ES",),
    "nl": ("NL", "BE"),
    "de": ("DE", "AT", "CH"),
    "it": ("IT", "CH"),
    "pt": ("PT", "BR"),
}
_ANY_REGION = ("US", "GB", "FR", "ES", "NL", "BE", "DE", "IT", "PT")
_CUSTOM_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")


def regions_for(lang: str | None) -> tuple[str, ...]:
    """Phone regions to try for a post written in ``lang`` (all supported ones if unknown)."""
    if not lang:
        return _ANY_REGION
    return _REGIONS.get(lang.split("-")[0].lower(), _ANY_REGION)


def compile_custom_patterns(
    patterns: Mapping[str, str] | None,
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Validate and compile brand-defined patterns; a bad one raises ``ValueError`` with the fix."""
    compiled: list[tuple[str, re.Pattern[str]]] = []
    for raw_name, expression in (patterns or {}).items():
        name = raw_name.strip().upper()
        if not _CUSTOM_NAME.match(name):
            raise ValueError(
                f"custom PII type {raw_name!r} must be an upper-case name such as ORDER_NUMBER"
            )
        try:
            pattern = re.compile(expression)
        except re.error as err:
            raise ValueError(
                f"custom pattern for {name} is not a valid regular expression ({err}); "
                "check its brackets and escapes"
            ) from err
        if pattern.match(""):
            raise ValueError(
                f"custom pattern for {name} matches the empty string; make it stricter"
            )
        compiled.append((name, pattern))
    return tuple(compiled)


class PiiDetector:
    """Find personal data in short texts (posts, messages, replies).

    Build one detector per brand configuration and reuse it: custom patterns are compiled
    once, and the spaCy models behind ``full`` mode are shared by every detector of the process.
    """

    def __init__(
        self,
        *,
        mode: Mode = "fast",
        custom_patterns: Mapping[str, str] | None = None,
    ) -> None:
        if mode not in ("fast", "full"):
            raise ValueError(f"mode must be 'fast' or 'full', not {mode!r}")
        self.mode: Mode = mode
        self._custom = compile_custom_patterns(custom_patterns)

    def detect(self, text: str, lang: str | None = None) -> list[PiiSpan]:
        """Non-overlapping spans sorted by start offset."""
        return self.detect_batch([text], [lang])[0]

    def detect_batch(
        self, texts: Sequence[str], langs: Sequence[str | None]
    ) -> list[list[PiiSpan]]:
        """Detect in many texts at once; ``full`` mode batches the spaCy work by language."""
        if len(texts) != len(langs):
            raise ValueError(f"got {len(texts)} texts but {len(langs)} languages")
        candidates = [self._rule_based(text, lang) for text, lang in zip(texts, langs, strict=True)]
        if self.mode == "full" and texts:
            from tocsin.privacy.pii.ner import find_named_entities

            entities = find_named_entities(list(texts), list(langs))
            for index, found in enumerate(entities):
                candidates[index] += _clean_entities(texts[index], found)
                candidates[index] += propagate_names(texts[index], candidates[index])
        return [resolve_overlaps(spans) for spans in candidates]

    def _rule_based(self, text: str, lang: str | None) -> list[PiiSpan]:
        spans = find_structured(text, regions=regions_for(lang), custom=self._custom)
        spans += find_national_ids(text)
        if self.mode == "full":
            spans += find_addresses(text)
            spans += find_postcodes(text)
            spans += find_cued_names(text)
            spans += find_birth_dates(text)
            spans += find_cued_places(text)
        return spans


def _clean_entities(text: str, spans: list[PiiSpan]) -> list[PiiSpan]:
    """Drop spaCy entities that cannot be a name or a place: no capital, digits, handles."""
    kept: list[PiiSpan] = []
    for span in spans:
        value = text[span.start : span.end]
        stripped = value.strip(" \t\n.,;:!?\"'()")
        if len(stripped) < 2 or not any(ch.isupper() for ch in stripped):
            continue
        if any(ch.isdigit() for ch in stripped) or "@" in value or "#" in value:
            continue
        if span.type == PERSON and stripped.isupper():
            continue  # acronyms (ATM) and shouting ("CALL NOW") tagged as people
        if looks_like_organisation(stripped):
            continue
        offset = value.find(stripped)
        kept.append(
            PiiSpan(
                type=span.type if span.type in (PERSON, LOCATION) else LOCATION,
                start=span.start + offset,
                end=span.start + offset + len(stripped),
                score=span.score,
                source=span.source,
            )
        )
    return kept
