"""Fast-mode PII detection: structured data found by shape and checksum, no model."""

from __future__ import annotations

import itertools

import pytest

from tocsin.privacy.pii import PiiDetector, PiiSpan
from tocsin.privacy.pii.spans import resolve_overlaps

ORDER = {"ORDER_NUMBER": r"#?[A-Z]{2}-\d{4,}"}


@pytest.fixture(scope="module")
def fast() -> PiiDetector:
    return PiiDetector(mode="fast", custom_patterns=ORDER)


def found(detector: PiiDetector, text: str, lang: str | None) -> list[tuple[str, str]]:
    return [(s.type, text[s.start : s.end]) for s in detector.detect(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Bonjour, rappelez-moi au 06 12 34 56 78 svp, ma commande #FR-20931 n'est pas arrivée.",
            "fr",
            [("PHONE", "06 12 34 56 78"), ("ORDER_NUMBER", "#FR-20931")],
        ),
        ("Hola, mi móvil es +34 612 34 56 78, gracias", "es", [("PHONE", "+34 612 34 56 78")]),
        ("Hoi, bel me even op 06-12345678 aub", "nl", [("PHONE", "06-12345678")]),
        ("Call me at (415) 555-2671 after 6pm", "en", [("PHONE", "(415) 555-2671")]),
        (
            "Mon IBAN : FR76 3000 6000 0112 3456 7890 189 MERCI",
            "fr",
            [("IBAN", "FR76 3000 6000 0112 3456 7890 189")],
        ),
        ("Write to marie.dupont@example.fr please", "en", [("EMAIL", "marie.dupont@example.fr")]),
        (
            "My card 4111 1111 1111 1111 was charged twice",
            "en",
            [("CREDIT_CARD", "4111 1111 1111 1111")],
        ),
        ("Amex 378282246310005 declined", "en", [("CREDIT_CARD", "378282246310005")]),
        ("Mi DNI es 12345678Z", "es", [("NATIONAL_ID", "12345678Z")]),
        ("NIE X1234567L caducado", "es", [("NATIONAL_ID", "X1234567L")]),
        (
            "Mon numéro de sécu : 2 85 05 78 006 084 41",
            "fr",
            [("NATIONAL_ID", "2 85 05 78 006 084 41")],
        ),
        ("Mijn BSN is 111222333.", "nl", [("NATIONAL_ID", "111222333")]),
        ("Rijksregisternummer 85.07.30-033.28", "nl", [("NATIONAL_ID", "85.07.30-033.28")]),
        ("Codice fiscale RSSMRA85T10A562S", "it", [("NATIONAL_ID", "RSSMRA85T10A562S")]),
        ("SSN: 536-22-1234", "en", [("NATIONAL_ID", "536-22-1234")]),
        ("Server 192.168.10.24 keeps timing out", "en", [("IP_ADDRESS", "192.168.10.24")]),
        (
            "Reset here https://shop.example.com/reset?token=a8f3k2m9q7 quickly",
            "en",
            [("URL_WITH_TOKEN", "https://shop.example.com/reset?token=a8f3k2m9q7")],
        ),
    ],
)
def test_structured_values_are_found(
    fast: PiiDetector, text: str, lang: str, expected: list[tuple[str, str]]
) -> None:
    assert found(fast, text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Card 4111 1111 1111 1112 does not pass Luhn", "en"),
        ("Order 0612345678 arrived broken", "en"),
        ("Commande 0612345678 jamais reçue", "fr"),
        ("Delivered on 12/05/2024 at 10:30, paid 1 234,56 €", "fr"),
        ("Price dropped from $1,299.99 to $999.00 on 2024-11-29", "en"),
        ("Tracking 1Z999AA10123456784, parcel 9400 1000 0000 0000 0000 00", "en"),
        ("We sold 123456789 units in 2023", "en"),
        ("Version 2.14.3 is out, see https://example.com/changelog", "en"),
        ("Het pakket met nummer 111222333 is onderweg", "nl"),
    ],
)
def test_look_alikes_are_not_flagged(fast: PiiDetector, text: str, lang: str) -> None:
    assert found(fast, text, lang) == []


def test_unknown_language_tries_every_supported_plan(fast: PiiDetector) -> None:
    text = "06 12 34 56 78 / +31 6 12345678"
    assert [t for t, _ in found(fast, text, None)] == ["PHONE", "PHONE"]


def test_spans_are_sorted_and_never_overlap(fast: PiiDetector) -> None:
    text = "IBAN FR76 3000 6000 0112 3456 7890 189, tel 06 12 34 56 78, mail a@b.fr"
    spans = fast.detect(text, "fr")
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_batch_matches_single_calls(fast: PiiDetector) -> None:
    texts = ["06 12 34 56 78", "no data here", "x@y.org"]
    langs: list[str | None] = ["fr", "en", None]
    assert fast.detect_batch(texts, langs) == [
        fast.detect(t, lang) for t, lang in zip(texts, langs, strict=True)
    ]


def test_batch_rejects_mismatched_lengths(fast: PiiDetector) -> None:
    with pytest.raises(ValueError, match="2 texts but 1 languages"):
        fast.detect_batch(["a", "b"], ["en"])


@pytest.mark.parametrize(
    ("patterns", "message"),
    [
        ({"ORDER_NUMBER": "[A-Z"}, "not a valid regular expression"),
        ({"order number": r"\d+"}, "upper-case name"),
        ({"ORDER_NUMBER": r"\d*"}, "matches the empty string"),
    ],
)
def test_bad_custom_patterns_are_refused(patterns: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PiiDetector(custom_patterns=patterns)


def test_overlap_keeps_the_stronger_span_and_trims_a_mostly_free_one() -> None:
    spans = [
        PiiSpan(type="ADDRESS", start=10, end=40, score=0.88, source="address"),
        PiiSpan(type="PERSON", start=12, end=20, score=0.85, source="spacy"),
        PiiSpan(type="LOCATION", start=35, end=60, score=0.85, source="spacy"),
    ]
    assert resolve_overlaps(spans) == [
        PiiSpan(type="ADDRESS", start=10, end=40, score=0.88, source="address"),
        PiiSpan(type="LOCATION", start=40, end=60, score=0.85, source="spacy"),
    ]


def test_span_bounds_are_checked() -> None:
    with pytest.raises(ValueError, match="invalid span bounds"):
        PiiSpan(type="EMAIL", start=5, end=5, score=1.0, source="email")
