"""A small i18n: flat JSON catalogues in ``web/locales/<code>.json``, one per language.

Keys are dotted (``nav.inbox``); values may hold ``{name}`` placeholders. English is the
reference catalogue and the fallback for a missing key; a test checks that every catalogue
has exactly the English keys. The locale comes from the signed-in user's profile, else the
language cookie set by the switcher, else ``Accept-Language``, else ``settings.default_locale``.

Example::

    t = Translator.for_locale("fr")
    t("posts.count", count=3)           # -> "3 publications"
    t.datetime(post.created_at)         # -> "20/11/2026 09:12"
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

log = logging.getLogger(__name__)

SUPPORTED_LOCALES = ("en", "fr", "es", "nl")
REFERENCE_LOCALE = "en"
#: Each language's name in itself, for the switcher.
LOCALE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "nl": "Nederlands"}


@cache
def catalogue(locale: str) -> dict[str, str]:
    """The messages of ``locale`` (read once per process)."""
    if locale not in SUPPORTED_LOCALES:
        raise KeyError(f"unsupported locale {locale!r}")
    text = resources.files("tocsin.web").joinpath("locales", f"{locale}.json").read_text("utf-8")
    data = json.loads(text)
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"locales/{locale}.json must map keys to strings")
    return data


def supported(locale: str | None) -> str | None:
    """``locale`` reduced to a supported language code (``fr-BE`` -> ``fr``), else None."""
    if not locale:
        return None
    code = locale.strip().split("-")[0].split("_")[0].lower()
    return code if code in SUPPORTED_LOCALES else None


def negotiate(accept_language: str | None) -> str | None:
    """The best supported language of an ``Accept-Language`` header, honouring ``q``."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        code = supported(tag)
        if code and quality > 0:
            ranked.append((-quality, position, code))
    return min(ranked)[2] if ranked else None


def resolve_locale(
    *,
    user_locale: str | None,
    cookie: str | None,
    accept_language: str | None,
    default: str,
) -> str:
    return (
        supported(user_locale)
        or supported(cookie)
        or negotiate(accept_language)
        or supported(default)
        or REFERENCE_LOCALE
    )


class Translator:
    """Looks up messages of one locale, falling back to English, then to the key itself."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._messages = catalogue(locale)
        self._fallback = catalogue(REFERENCE_LOCALE)

    @classmethod
    def for_locale(cls, locale: str | None) -> Translator:
        return cls(supported(locale) or REFERENCE_LOCALE)

    def __call__(self, key: str, **params: Any) -> str:
        message = self._messages.get(key) or self._fallback.get(key)
        if message is None:
            log.warning("missing translation key %r", key)
            return key
        if not params:
            return message
        try:
            return message.format(**params)
        except (KeyError, IndexError, ValueError):
            log.warning("bad placeholders in %s:%s", self.locale, key)
            return message

    def datetime(self, value: datetime | None) -> str:
        """``value`` (UTC) in the locale's numeric format; the browser refines it to local time."""
        if value is None:
            return ""
        return value.strftime(self("format.datetime"))

    def number(self, value: int) -> str:
        """A count with the locale's thousands separator (``12,400`` / ``12 400``)."""
        return f"{value:,}".replace(",", self("format.thousands"))
