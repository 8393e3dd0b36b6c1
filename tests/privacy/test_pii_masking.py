"""Masking: placeholders that leak nothing, partial hints that let an agent recognise a value."""

from __future__ import annotations

import pytest

from tocsin.privacy.pii import PiiDetector, PiiSpan, mask_text
from tocsin.privacy.pii.masking import partial_mask


def span(text: str, value: str, kind: str) -> PiiSpan:
    start = text.index(value)
    return PiiSpan(type=kind, start=start, end=start + len(value), score=1.0, source="test")


def test_type_style_replaces_each_value_by_its_type() -> None:
    text = "Mail jean@example.org or call 06 12 34 56 78."
    spans = PiiDetector().detect(text, "fr")
    assert mask_text(text, spans) == "Mail [EMAIL] or call [PHONE]."


def test_type_placeholders_do_not_depend_on_the_value_length() -> None:
    short = "Mail a@b.io now"
    long = "Mail a.very.long.address@subdomain.example.org now"
    masked = [mask_text(t, PiiDetector().detect(t)) for t in (short, long)]
    assert masked == ["Mail [EMAIL] now", "Mail [EMAIL] now"]


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("EMAIL", "jean.dupont@example.com", "j***@e***.com"),
        ("PHONE", "+33 6 12 34 56 78", "+33 6 ** ** ** 78"),
        ("PHONE", "06 12 34 56 78", "** ** ** ** 78"),
        ("CREDIT_CARD", "4111 1111 1111 1111", "**** **** **** 1111"),
        ("IBAN", "FR76 3000 6000 0112 3456 7890 189", "FR** **** **** **** **** **** *89"),
        ("PERSON", "Marie Dupont", "M. D."),
        ("ADDRESS", "12 rue de la Paix", "[ADDRESS]"),
        ("NATIONAL_ID", "12345678Z", "[NATIONAL_ID]"),
    ],
)
def test_partial_style_keeps_a_small_hint(kind: str, value: str, expected: str) -> None:
    assert partial_mask(kind, value) == expected


def test_partial_masking_never_contains_the_hidden_digits() -> None:
    text = "Ma carte 4111 1111 1111 1111 et mon tel +33 6 12 34 56 78"
    masked = mask_text(text, PiiDetector().detect(text, "fr"), style="partial")
    assert "4111 1111" not in masked
    assert "12 34 56" not in masked
    assert masked.endswith("+33 6 ** ** ** 78")


def test_overlapping_spans_are_masked_once() -> None:
    text = "Write to Marie Dupont at 12 rue de la Paix"
    spans = [
        span(text, "12 rue de la Paix", "ADDRESS"),
        span(text, "Paix", "LOCATION"),
        span(text, "Marie Dupont", "PERSON"),
    ]
    assert mask_text(text, spans) == "Write to [PERSON] at [ADDRESS]"


def test_spans_beyond_the_text_are_ignored_and_unknown_styles_refused() -> None:
    assert mask_text("short", [PiiSpan("EMAIL", 10, 20, 1.0, "test")]) == "short"
    with pytest.raises(ValueError, match="style must be"):
        mask_text("x", [], style="stars")  # type: ignore[arg-type]
