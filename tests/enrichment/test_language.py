"""Language identification on hand-written posts."""

from __future__ import annotations

import pytest

from tocsin.enrichment.language import (
    LanguageGuess,
    LanguageIdentifier,
    clean_for_detection,
    normalize_hint,
)


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


CLEAR_POSTS = [
    ("en", "My order still hasn't arrived and nobody answers my emails, what is going on?"),
    ("fr", "Ma commande n'est toujours pas arrivée et personne ne répond à mes messages."),
    ("es", "Mi pedido todavía no ha llegado y nadie contesta a mis correos, ¿qué pasa?"),
    ("nl", "Mijn bestelling is nog steeds niet aangekomen en niemand beantwoordt mijn mails."),
    ("de", "Meine Bestellung ist immer noch nicht angekommen und niemand antwortet mir."),
    ("it", "Il mio ordine non è ancora arrivato e nessuno risponde alle mie email."),
    ("pt", "Meu pedido ainda não chegou e ninguém responde aos meus e-mails, o que houve?"),
]


@pytest.mark.parametrize(("lang", "text"), CLEAR_POSTS)
def test_clear_posts_are_detected_reliably(
    identifier: LanguageIdentifier, lang: str, text: str
) -> None:
    guess = identifier.detect(text)
    assert guess == LanguageGuess(lang, guess.confidence, True)
    assert guess.confidence > 0.7


def test_links_mentions_hashtags_and_emojis_do_not_mislead(identifier: LanguageIdentifier) -> None:
    text = "@BrandSupport merci beaucoup pour votre aide rapide 🙏🙏 #MasterChefUK https://t.co/x1"
    assert identifier.detect(text).lang == "fr"


def test_cleaning_keeps_only_words() -> None:
    cleaned = clean_for_detection("@shop WHERE IS MY ORDER?? 😡 #fail https://t.co/x 12345")
    assert cleaned == "where is my order??"
    assert clean_for_detection("#JeSuisContent") == "Je Suis Content"


@pytest.mark.parametrize("text", ["", "   ", "😀😀🔥", "https://t.co/abc @someone", "12 34", "ok"])
def test_nothing_to_detect_falls_back_to_the_hint(
    identifier: LanguageIdentifier, text: str
) -> None:
    assert identifier.detect(text) == LanguageGuess(None, 0.0, False)
    assert identifier.detect(text, hint="pt-BR") == LanguageGuess("pt", 0.0, False)


def test_a_short_ambiguous_post_is_not_reliable(identifier: LanguageIdentifier) -> None:
    guess = identifier.detect("super merci")
    assert not guess.reliable
    assert identifier.detect("super merci", hint="fr").lang == "fr"


def test_the_hint_does_not_override_a_clear_text(identifier: LanguageIdentifier) -> None:
    text = "Vielen Dank für die schnelle Hilfe, das Problem ist jetzt gelöst."
    assert identifier.detect(text, hint="en") == LanguageGuess(
        "de", pytest.approx(1, abs=0.2), True
    )


def test_shouting_is_still_recognised(identifier: LanguageIdentifier) -> None:
    assert identifier.detect("WAAROM IS MIJN PAKKET NOG STEEDS NIET BEZORGD").lang == "nl"


def test_batch_matches_single_calls_and_keeps_order(identifier: LanguageIdentifier) -> None:
    texts = [text for _, text in CLEAR_POSTS]
    batch = identifier.detect_batch(texts, hints=[None] * len(texts))
    assert batch == [identifier.detect(text) for text in texts]
    assert [g.lang for g in batch] == [lang for lang, _ in CLEAR_POSTS]


def test_a_very_long_post_is_handled(identifier: LanguageIdentifier) -> None:
    text = "Het weer is vandaag erg mooi en we gaan naar het strand. " * 200
    assert len(text) > 10_000
    assert identifier.detect(text).lang == "nl"


def test_broken_unicode_does_not_crash(identifier: LanguageIdentifier) -> None:
    guess = identifier.detect("Das ist leider schon wieder kaputt gegangen \ud83d heute")
    assert guess.lang == "de"


def test_hints_must_match_texts(identifier: LanguageIdentifier) -> None:
    with pytest.raises(ValueError, match="2 texts but 1 hints"):
        identifier.detect_batch(["a", "b"], hints=["en"])


@pytest.mark.parametrize(
    ("hint", "expected"),
    [("pt-BR", "pt"), ("EN", "en"), ("zh_Hant", "zh"), ("", None), ("und", None), (None, None)],
)
def test_normalize_hint(hint: str | None, expected: str | None) -> None:
    assert normalize_hint(hint) == expected


def test_version_names_the_models(identifier: LanguageIdentifier) -> None:
    assert identifier.version.startswith("lid176-ftz+py3langid-")
