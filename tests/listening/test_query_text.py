"""Normalisation and tokenisation: the same rules for queries and posts."""

from __future__ import annotations

import pytest

from tocsin.listening.query.text import (
    _ASCII_TOKEN,
    _TOKEN,
    WildcardPattern,
    normalise,
    split_links,
    tokenize,
    wildcard_key,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CRÈME BRÛLÉE", "creme brulee"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("ﬁnancement", "financement"),
        ("Œuvre Æther Øresund Łódź", "oeuvre aether oresund lodz"),
        ("ＡＣＭＥ", "acme"),
        ("𝐀𝐜𝐦𝐞", "acme"),
        ("ac\u200bme", "acme"),
        ("soft\u00adware", "software"),
        ("İstanbul", "istanbul"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_normalise_folds_case_accents_and_compatibility_forms(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_normalise_is_idempotent() -> None:
    text = "Çà et là, Ⅻ ﬀ ẞ 👍🏽 «Ꭰ»"
    assert normalise(normalise(text)) == normalise(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, world!", ["hello", "world"]),
        ("@Acme is late", ["@acme", "is", "late"]),
        ("cc @acme.bsky.social.", ["cc", "@acme.bsky.social"]),
        ("ping @acme@mastodon.social now", ["ping", "@acme@mastodon.social", "now"]),
        ("mail support@acme.com", ["mail", "support", "acme", "com"]),
        ("#AcmeFail again", ["#acmefail", "again"]),
        ("C# and ##double", ["c", "and", "#double"]),
        ("l'appli d'Acme", ["l", "appli", "d", "acme"]),
        ("t-shirt", ["t", "shirt"]),
        ("so angry 😡😡", ["so", "angry", "😡", "😡"]),
        ("thumbs 👍🏽 up", ["thumbs", "👍", "up"]),
        ("love it ❤️", ["love", "it", "❤"]),
        ("go 🇫🇷", ["go", "🇫🇷"]),
        ("", []),
    ],
)
def test_tokenize(text: str, expected: list[str]) -> None:
    assert tokenize(normalise(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "still waiting for my refund, three weeks now... never again!!",
        "a_b c-d e.f g/h i:j k'l (m) [n] {o} 1,5 2.0 $3 4%",
        "@acme #tag mixed with words_and_underscores",
        "tabs\tand\nnew lines",
    ],
)
def test_fast_paths_give_the_same_tokens_as_the_full_expression(text: str) -> None:
    normalised = normalise(text)
    assert tokenize(normalised) == _TOKEN.findall(normalised)
    assert _ASCII_TOKEN.findall(normalised) == _TOKEN.findall(normalised)


def test_split_links_keeps_domains_and_removes_link_words() -> None:
    text, domains = split_links(
        normalise("See https://Shop.Acme.com/refunds?x=1 and www.globex.org.")
    )
    assert "shop" not in tokenize(text)
    assert "refunds" not in tokenize(text)
    assert tokenize(text) == ["see", "and"]
    assert domains == ["shop.acme.com", "acme.com", "globex.org"]


def test_split_links_without_links_is_unchanged() -> None:
    assert split_links("no link here") == ("no link here", [])


@pytest.mark.parametrize(
    ("pattern", "yes", "no"),
    [
        ("refund*", ["refund", "refunds", "refunded"], ["refun", "prerefund"]),
        ("colo?r", ["color", "colour"], ["colouur", "colr", "colors"]),
        ("colo?r*", ["colors", "colourful"], ["colr"]),
        ("#acme*", ["#acme", "#acmefail"], ["acmefail", "@acme"]),
        ("author:acme*", ["author:acme_support"], ["author:ac", "acme"]),
    ],
)
def test_wildcard_patterns(pattern: str, yes: list[str], no: list[str]) -> None:
    wildcard = WildcardPattern.from_pattern(pattern)
    assert all(wildcard.matches(token) for token in yes)
    assert not any(wildcard.matches(token) for token in no)
    assert all(wildcard_key(token) == wildcard.key for token in yes)


def test_wildcard_key() -> None:
    assert wildcard_key("refunds") == "ref"
    assert wildcard_key("#acmefail") == "#ac"
    assert wildcard_key("title:delivery") == "title:del"
