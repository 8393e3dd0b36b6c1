"""Masking detected personal data before a text is stored, shown or sent.

Two styles:

- ``type`` replaces each span by its type in brackets: ``[EMAIL]``, ``[PHONE]``. The
  placeholder has the same length whatever the value, so the masked text leaks nothing about
  it, not even its length.
- ``partial`` keeps just enough for an agent to recognise the value with the customer on the
  line: the first letters and the top-level domain of an e-mail (``j***@e***.com``), the last
  two digits of a phone (``+33 6 ** ** ** 78``), the last four of a card, the country and last
  two digits of an IBAN, the initials of a name. Other types fall back to ``[TYPE]``.

Example::

    mask_text("Call 06 12 34 56 78", [PiiSpan("PHONE", 5, 19, 0.9, "phonenumbers")])
    # -> "Call [PHONE]"
    mask_text("Call 06 12 34 56 78", spans, style="partial")
    # -> "Call ** ** ** ** 78"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from tocsin.privacy.pii.spans import (
    CREDIT_CARD,
    EMAIL,
    IBAN,
    PERSON,
    PHONE,
    PiiSpan,
    resolve_overlaps,
)

Style = Literal["type", "partial"]
_STAR = "*"


def mask_text(text: str, spans: Sequence[PiiSpan], *, style: Style = "type") -> str:
    """Return ``text`` with every span masked; overlapping spans are resolved first."""
    if style not in ("type", "partial"):
        raise ValueError(f"style must be 'type' or 'partial', not {style!r}")
    pieces: list[str] = []
    cursor = 0
    for span in resolve_overlaps(s for s in spans if s.end <= len(text)):
        pieces.append(text[cursor : span.start])
        value = text[span.start : span.end]
        pieces.append(f"[{span.type}]" if style == "type" else partial_mask(span.type, value))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def partial_mask(kind: str, value: str) -> str:
    """Mask ``value`` of type ``kind`` while keeping a recognisable hint (see module doc)."""
    if kind == EMAIL and "@" in value:
        return _mask_email(value)
    if kind == PHONE:
        return _mask_digits(value, keep_first=_country_prefix(value), keep_last=2)
    if kind == CREDIT_CARD:
        return _mask_digits(value, keep_first=0, keep_last=4)
    if kind == IBAN:
        return value[:2] + _mask_digits(value[2:], keep_first=0, keep_last=2)
    if kind == PERSON:
        return " ".join(_initial(word) for word in value.split())
    return f"[{kind}]"


def _mask_email(value: str) -> str:
    local, _, domain = value.rpartition("@")
    host, dot, tld = domain.rpartition(".")
    if not dot:
        host, tld = domain, ""
    masked_host = f"{host[:1]}{_STAR * 3}" if host else ""
    return f"{local[:1]}{_STAR * 3}@{masked_host}{dot}{tld}"


def _country_prefix(value: str) -> int:
    """Digits to keep at the start of an international number: "+33 6" -> 3."""
    if not value.startswith("+"):
        return 0
    groups = re.findall(r"\d+", value)
    if not groups or len(groups[0]) > 3:
        return 0
    keep = len(groups[0])
    if len(groups) > 2 and len(groups[1]) == 1:
        keep += 1
    return keep


def _mask_digits(value: str, *, keep_first: int, keep_last: int) -> str:
    total = sum(ch.isdigit() for ch in value)
    if total - keep_first - keep_last < 4:
        keep_first = 0
    if total - keep_last < 4:
        keep_last = 0
    out: list[str] = []
    seen = 0
    for ch in value:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= keep_first or seen > total - keep_last else _STAR)
        else:
            out.append(_STAR if ch.isalpha() else ch)
    return "".join(out)


def _initial(word: str) -> str:
    first = next((ch for ch in word if ch.isalpha()), "")
    return f"{first}." if first else _STAR
