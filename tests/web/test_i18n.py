"""Every catalogue has every key; every key the templates use exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tocsin.web.i18n import (
    SUPPORTED_LOCALES,
    Translator,
    catalogue,
    negotiate,
    resolve_locale,
)
from tocsin.web.templating import NAV, TEMPLATES_DIR

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_catalogue_has_exactly_the_english_keys(locale: str) -> None:
    english, other = catalogue("en"), catalogue(locale)
    assert sorted(set(english) - set(other)) == []
    assert sorted(set(other) - set(english)) == []
    for key, message in english.items():
        assert set(_PLACEHOLDER.findall(message)) == set(_PLACEHOLDER.findall(other[key])), key
        assert other[key] if key == "format.thousands" else other[key].strip(), key


def test_templates_only_use_known_keys() -> None:
    known = set(catalogue("en"))
    literal = re.compile(r"""\bt\(\s*['"]([a-z0-9_.]+)['"]\s*[,)]""")
    used = set()
    for path in Path(TEMPLATES_DIR).rglob("*.html"):
        used |= set(literal.findall(path.read_text()))
    used |= {item.label_key for item in NAV}
    assert used, "no keys found: the pattern is wrong"
    assert sorted(used - known) == []


def test_dynamic_key_families_are_complete() -> None:
    from tocsin.accounts.permissions import BUILTIN_ROLES
    from tocsin.ingestion.schemas import PLATFORMS
    from tocsin.web.pages.posts import LANGUAGES

    known = set(catalogue("en"))
    wanted = {f"platform.{p}" for p in PLATFORMS} | {f"lang.{c}" for c in LANGUAGES}
    wanted |= {f"role.{r}" for r in BUILTIN_ROLES}
    wanted |= {f"error.{s}" for s in (403, 404, 413, 422, 429)}
    assert sorted(wanted - known) == []


def test_negotiation() -> None:
    assert negotiate("nl-BE,nl;q=0.9,en;q=0.8") == "nl"
    assert negotiate("de;q=1, es;q=0.5, fr;q=0.7") == "fr"
    assert negotiate("de, ja") is None
    assert negotiate("fr;q=0, en;q=0.1") == "en"
    assert negotiate("garbage;;q=x") is None
    assert resolve_locale(user_locale=None, cookie=None, accept_language=None, default="es") == "es"
    assert resolve_locale(user_locale="xx", cookie="nl", accept_language="fr", default="en") == "nl"


def test_translator_formats_and_falls_back() -> None:
    t = Translator.for_locale("fr")
    assert t("posts.followers", count="3") == "3 abonnés"
    assert t("no.such.key") == "no.such.key"
    assert Translator.for_locale("pt").locale == "en"
    assert Translator.for_locale("nl").number(1234567) == "1.234.567"
