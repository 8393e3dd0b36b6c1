"""Structured personal data: found by shape and checksum, cheap enough for every firehose post.

Each finder takes the text and returns candidate spans; none of them loads a model. Numbers are
only accepted when they pass the check their issuer defines (Luhn and card ranges, IBAN mod 97,
phone-number plans from ``phonenumbers``), and phone- or card-shaped numbers introduced as an
order, parcel or invoice reference are left alone.

Example::

    find_structured("Mail jane@example.org or call 06 12 34 56 78", regions=("FR",))
    # -> [PiiSpan(type="EMAIL", start=5, end=21, ...), PiiSpan(type="PHONE", start=30, end=44, ...)]
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher
from stdnum import iban, luhn

from tocsin.privacy.pii.context import cue_pattern, has_cue, is_reference_number
from tocsin.privacy.pii.spans import (
    CREDIT_CARD,
    EMAIL,
    IBAN,
    IP_ADDRESS,
    PHONE,
    URL_WITH_TOKEN,
    PiiSpan,
)

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:])(?=[0-9A-Fa-f:]*\d)[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])"
)
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TOKEN_PARAM = re.compile(
    r"[?&#;](?:access_token|token|auth|key|api_key|apikey|sig|signature|session|sessionid|sid|"
    r"code|password|pwd|reset|secret|otp|ticket|t)=[^&#\s]{6,}",
    re.IGNORECASE,
)
_OPAQUE_SEGMENT = re.compile(r"/(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{24,}")
# 12-19 digits, optionally grouped by single spaces or dashes, not part of a longer number.
_CARD = re.compile(r"(?<![\w])(?<!\d[ -])\d(?:[ -]?\d){11,18}(?![ -]?\d)(?![\w])")
_CARD_CUES = cue_pattern(
    [
        "card",
        "credit card",
        "debit card",
        "cc",
        "visa",
        "mastercard",
        "amex",
        "carte",
        "carte bancaire",
        "cb",
        "tarjeta",
        "kaart",
        "creditcard",
        "karte",
        "carta",
        "cartão",
    ]
)
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,32}")
# Phone-shaped runs for the region fallbacks and the cue-word finder: 7-15 digits.
_PHONE_SHAPE = re.compile(
    r"(?<![\w+])(?:\+|00)?\(?\d[\d ().\-/]{5,20}\d(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w])"
)
# A date (with or without a time) inside a phone candidate: "2015-12-22 04", "12/05/2024".
_DATE_INSIDE = re.compile(
    r"(?<!\d)(?:(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2})(?!\d)"
)
_DATE_SHAPE = re.compile(
    r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$|^\d{4}\s?-\s?\d{4}$|^(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}$"
)
_PHONE_CUES = cue_pattern(
    [
        "phone",
        "tel",
        "tél",
        "téléphone",
        "telephone",
        "teléfono",
        "telefono",
        "telefoon",
        "telefon",
        "mobile",
        "mobiel",
        "móvil",
        "movil",
        "portable",
        "cell",
        "fax",
        "desk",
        "office",
        "call me",
        "call us",
        "ring me",
        "text me",
        "whatsapp",
        "appelez-moi",
        "appelle-moi",
        "rappelez-moi",
        "llámame",
        "llamame",
        "bel me",
        "ruf mich",
        "messages to",
        "reach me",
        "reach me at",
        "contact me",
        "answering",
        "registered",
        "my number",
        "mon numéro",
        "mi número",
        "mijn nummer",
        "meine nummer",
        "sms",
        "gsm",
    ]
)
# Contact blocks label the number after it: "212 30 44 office", "555 0100 (mobile)".
_PHONE_LABEL_AFTER = re.compile(
    r"[ \t]*[(\-–,]?[ \t]*"
    r"(?i:office|mobile|cell|fax|home|work|tel|phone|desk|gsm|portable|móvil)(?![\w])"
)

# Card issuer ranges (IIN prefixes) and the lengths each network issues.
_CARD_RANGES: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({13, 16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (34, 34, frozenset({15})),  # American Express
    (37, 37, frozenset({15})),
    (300, 305, frozenset({14, 16, 19})),  # Diners Club
    (36, 36, frozenset({14, 16, 19})),
    (38, 39, frozenset({14, 16, 19})),
    (6011, 6011, frozenset({16, 19})),  # Discover
    (644, 649, frozenset({16, 19})),
    (65, 65, frozenset({16, 19})),
    (3528, 3589, frozenset({16, 17, 18, 19})),  # JCB
    (2131, 2131, frozenset({15})),
    (1800, 1800, frozenset({15})),
    (62, 62, frozenset({16, 17, 18, 19})),  # UnionPay
    (50, 50, frozenset(range(12, 20))),  # Maestro
    (56, 69, frozenset(range(12, 20))),
)


def find_emails(text: str) -> list[PiiSpan]:
    """E-mail addresses."""
    return [
        PiiSpan(type=EMAIL, start=m.start(), end=m.end(), score=1.0, source="email")
        for m in _EMAIL.finditer(text)
    ]


def find_ip_addresses(text: str) -> list[PiiSpan]:
    """IPv4 and IPv6 addresses that :mod:`ipaddress` accepts."""
    found: list[PiiSpan] = []
    for pattern, detail in ((_IPV4, "IPV4"), (_IPV6, "IPV6")):
        for m in pattern.finditer(text):
            try:
                ipaddress.ip_address(m.group())
            except ValueError:
                continue
            found.append(
                PiiSpan(
                    type=IP_ADDRESS,
                    start=m.start(),
                    end=m.end(),
                    score=0.95,
                    source="ip",
                    detail=detail,
                )
            )
    return found


def find_token_urls(text: str) -> list[PiiSpan]:
    """Links that carry a secret: a token-like query parameter or a long opaque path segment.

    Such links (password resets, order-tracking magic links) let anyone who sees them act as
    the customer, so they are masked whole.
    """
    found: list[PiiSpan] = []
    for m in _URL.finditer(text):
        url = m.group().rstrip(".,;:!?)]}")
        if _TOKEN_PARAM.search(url) or _OPAQUE_SEGMENT.search(url):
            found.append(
                PiiSpan(
                    type=URL_WITH_TOKEN,
                    start=m.start(),
                    end=m.start() + len(url),
                    score=0.95,
                    source="url",
                )
            )
    return found


def _card_network_ok(digits: str) -> bool:
    for low, high, lengths in _CARD_RANGES:
        width = len(str(low))
        if low <= int(digits[:width]) <= high and len(digits) in lengths:
            return True
    return False


def find_cards(text: str) -> list[PiiSpan]:
    """Payment card numbers: 12-19 digits, Luhn-valid, in a known issuer range and length."""
    found: list[PiiSpan] = []
    for m in _CARD.finditer(text):
        raw = m.group()
        if "-" in raw and " " in raw:
            continue
        digits = raw.replace(" ", "").replace("-", "")
        if not luhn.is_valid(digits):
            continue
        # Outside the known issuer ranges, a Luhn-valid number counts only when called a card.
        if not _card_network_ok(digits) and not has_cue(_CARD_CUES, text, m.start(), window=30):
            continue
        if is_reference_number(text, m.start()):
            continue
        found.append(
            PiiSpan(type=CREDIT_CARD, start=m.start(), end=m.end(), score=0.97, source="card")
        )
    return found


def find_ibans(text: str) -> list[PiiSpan]:
    """IBANs, compact or grouped by spaces, validated by :func:`stdnum.iban.is_valid`.

    The pattern may run into the next upper-case word ("… 189 MERCI"), so the candidate is cut
    back until the longest prefix that is a valid IBAN.
    """
    found: list[PiiSpan] = []
    for m in _IBAN.finditer(text):
        raw = m.group()
        for end in range(len(raw), 14, -1):
            if raw[end - 1] == " ":
                continue
            if iban.is_valid(raw[:end]):
                found.append(
                    PiiSpan(
                        type=IBAN,
                        start=m.start(),
                        end=m.start() + end,
                        score=1.0,
                        source="iban",
                    )
                )
                break
    return found


def _digit_count(value: str) -> int:
    return sum(map(str.isdigit, value))


def find_phones(text: str, *, regions: Sequence[str]) -> list[PiiSpan]:
    """Phone numbers valid in the numbering plan of one of ``regions`` (or international).

    The first region goes through ``PhoneNumberMatcher`` (leniency VALID, which already skips
    dates and times); phone-shaped runs it left are then tried against the other regions with
    a plain parse. Numbers introduced as an order or parcel reference are skipped.
    """
    if _digit_count(text) < 7:
        return []
    primary = regions[0] if regions else "ZZ"
    found: list[PiiSpan] = []
    for match in PhoneNumberMatcher(text, primary, leniency=Leniency.VALID):
        if not is_reference_number(text, match.start) and not _DATE_INSIDE.search(match.raw_string):
            found.append(
                PiiSpan(
                    type=PHONE,
                    start=match.start,
                    end=match.end,
                    score=_phone_score(match.raw_string),
                    source="phonenumbers",
                    detail=primary,
                )
            )
    taken = [(s.start, s.end) for s in found]
    for m in _PHONE_SHAPE.finditer(text):
        start, end = m.start(), m.end()
        if any(a < end and start < b for a, b in taken):
            continue
        raw = m.group()
        digits = _digit_count(raw)
        if not 7 <= digits <= 20 or _DATE_SHAPE.match(raw) or _DATE_INSIDE.search(raw):
            continue
        if is_reference_number(text, start):
            continue
        region = _valid_region(raw, regions[1:]) if _looks_dialled(raw) else None
        if region is not None:
            found.append(
                PiiSpan(
                    type=PHONE,
                    start=start,
                    end=end,
                    score=_phone_score(raw) - 0.05,
                    source="phonenumbers",
                    detail=region,
                )
            )
        elif raw.count("/") == 0 and (
            has_cue(_PHONE_CUES, text, start, window=30) or _PHONE_LABEL_AFTER.match(text, end)
        ):
            found.append(PiiSpan(type=PHONE, start=start, end=end, score=0.7, source="phone-cue"))
    return found


def _looks_dialled(raw: str) -> bool:
    """A bare digit run is a phone number only with a trunk or international prefix.

    "0612345678" and "+31612345678" are dialled as written; "123456789" is a count or an id.
    """
    return not raw.isdigit() or raw.startswith("0")


def _phone_score(raw: str) -> float:
    """Short national numbers (7-8 digits) are easily confused with house numbers and codes."""
    return 0.9 if _digit_count(raw) >= 9 or raw.startswith("+") else 0.8


def _valid_region(raw: str, regions: Sequence[str]) -> str | None:
    for region in regions:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return region
    return None


def find_custom(text: str, *, patterns: Sequence[tuple[str, re.Pattern[str]]]) -> list[PiiSpan]:
    """Brand-defined patterns (order numbers, loyalty ids), typed by their configured name."""
    return [
        PiiSpan(type=name, start=m.start(), end=m.end(), score=0.96, source="custom")
        for name, pattern in patterns
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]


def find_structured(
    text: str,
    *,
    regions: Sequence[str],
    custom: Sequence[tuple[str, re.Pattern[str]]] = (),
) -> list[PiiSpan]:
    """Every structured finder over ``text``; overlaps are left for the caller to resolve."""
    spans = find_custom(text, patterns=custom) if custom else []
    if "@" in text:
        spans += find_emails(text)
    if "://" in text:
        spans += find_token_urls(text)
    if _digit_count(text) < 4:
        return spans
    spans += find_cards(text)
    spans += find_ibans(text)
    spans += find_ip_addresses(text)
    spans += find_phones(text, regions=regions)
    return spans
