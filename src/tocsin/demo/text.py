"""Turning phrase-bank templates into varied, realistic post text.

A post is assembled from parts (opener, core, details, personal data, closer), its ``{slots}``
filled consistently (one order number per post), then roughened the way people write on that
platform: slang, typos, emojis, shouting.  Personal data put in a post is recorded so the
dataset knows which posts carry it.

Example::

    slots = Slots(rng, bank=phrases_for("fr"), brand=LUMIO, platform="x", author=jane)
    compose(rng, slots=slots, kind="complaint", core="core.complaint.outage", pii="phone")
    # "Sérieusement @LumioCare ? plus d'internet depuis 6 heures… Rappelez-moi au 06 12 34 56 78 😡"
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass

from tocsin.demo.brands import BrandSpec
from tocsin.demo.people import Persona, ascii_fold
from tocsin.demo.phrases import Phrases

EMOJIS = {
    "negative": ("😡", "🤬", "😤", "🙄", "👎", "😩", "💀", "🤦"),
    "positive": ("🙌", "👏", "😍", "🔥", "💯", "🙏", "✨", "😊"),
    "neutral": ("🤔", "👀", "📶", "📱", "😅", "🤷"),
    "question": ("🤔", "🙏", "❓", "😬"),
}
MOOD = {
    "complaint": "negative",
    "request": "negative",
    "praise": "positive",
    "question": "question",
}
EMOJI_RATE = {"x": 0.35, "instagram": 0.6, "facebook": 0.25, "bluesky": 0.2, "mastodon": 0.1}
LENGTH_LIMIT = {"x": 280, "bluesky": 300, "mastodon": 500}
MENTIONS = ("x", "bluesky", "mastodon", "instagram")
_WORD = re.compile(r"\b[^\W\d_]{5,}\b")


class Slots(dict[str, str]):
    """Template values made on first use and then kept, so a post stays consistent."""

    def __init__(
        self,
        rng: random.Random,
        *,
        bank: Phrases,
        brand: BrandSpec,
        platform: str,
        author: Persona | None = None,
        competitor: BrandSpec | None = None,
        **fixed: str,
    ) -> None:
        super().__init__(fixed)
        self.rng, self.bank, self.brand, self.platform = rng, bank, brand, platform
        self.author, self.competitor = author, competitor
        self.pii: list[str] = []
        self._amount = 0.0

    def __missing__(self, key: str) -> str:
        value = self._make(key)
        self[key] = value
        return value

    def _make(self, key: str) -> str:
        rng, bank = self.rng, self.bank
        simple = {
            "city": bank.cities,
            "country": bank.countries,
            "agent": bank.agents,
            "offer": bank.offers,
            "hashtag": bank.crisis_hashtags,
        }
        if key in simple:
            return rng.choice(simple[key])
        if key == "brand":
            return self.brand.name if rng.random() < 0.9 else rng.choice(self.brand.aliases)
        if key == "tag":
            return self.brand.name.replace(" ", "")
        if key == "mention":
            handle = self.brand.handle(self.platform)
            if handle and self.platform in MENTIONS and rng.random() < 0.7:
                return "@" + handle
            return self.brand.name
        if key == "competitor":
            return self.competitor.name if self.competitor else "Veltra"
        if key == "first":
            return self.author.first_name if self.author else ""
        if key in ("days", "hours", "weeks", "minutes"):
            low, high = {"days": (2, 14), "hours": (2, 30), "weeks": (2, 6), "minutes": (10, 55)}[
                key
            ]
            return str(rng.randint(low, high))
        if key == "amount":
            self._amount = rng.uniform(19, 89)
            return self._money(self._amount)
        if key == "old_amount":
            self["amount"]  # the old amount is a fraction of this post's amount
            return self._money(self._amount * rng.uniform(0.55, 0.85))
        if key == "speed":
            return str(rng.randint(3, 90))
        if key == "promised":
            return rng.choice(("300", "500", "1000", "2000"))
        if key == "time":
            hour, minute = rng.randint(7, 22), rng.choice((0, 10, 15, 30, 45, 50))
            if bank.clock_24h:
                return f"{hour}h{minute:02d}" if bank.lang == "fr" else f"{hour}:{minute:02d}"
            return f"{(hour - 1) % 12 + 1}:{minute:02d}{'pm' if hour >= 12 else 'am'}"
        if key == "order":
            self.pii.append("order")
            return f"{self.brand.order_prefix}-{rng.randint(100000, 999999)}"
        if key == "phone":
            self.pii.append("phone")
            return "".join(
                str(rng.randint(0, 9)) if c == "#" else c for c in rng.choice(bank.phone_formats)
            )
        if key == "email":
            self.pii.append("email")
            return self._email()
        if key == "iban":
            self.pii.append("iban")
            return make_iban(rng, bank.iban_country)
        raise KeyError(key)

    def _money(self, value: float) -> str:
        text = f"{value:.2f}"
        return self.bank.money.format(
            amount=text.replace(".", ",") if self.bank.decimal_comma else text
        )

    def _email(self) -> str:
        rng = self.rng
        first = ascii_fold(
            self.author.first_name if self.author else rng.choice(self.bank.first_names)
        )
        last = ascii_fold(
            self.author.last_name if self.author else rng.choice(self.bank.last_names)
        )
        first, last = first.lower(), last.lower().replace(" ", "")
        local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{rng.randint(1, 99)}"))
        return f"{local}@{rng.choice(self.bank.email_domains)}"


@dataclass(frozen=True)
class Draft:
    text: str
    title: str | None = None


def compose(
    rng: random.Random,
    *,
    slots: Slots,
    kind: str,
    core: str,
    detail: str | None = None,
    pii: str | None = None,
    titled: bool = False,
    ensure_brand: bool = True,
) -> Draft:
    """Assemble, fill and roughen one post; ``titled`` splits off a title (Reddit, reviews)."""
    bank, platform = slots.bank.bank, slots.platform
    pieces: dict[str, list[str]] = {
        "opener": _maybe(rng, bank, f"opener.{kind}", 0.45),
        "core": [rng.choice(bank[core])],
        "details": _maybe(rng, bank, detail, 1.0 if titled else 0.5),
        "pii": [rng.choice(bank[f"pii.{pii}"])] if pii else [],
        "closer": _maybe(rng, bank, f"closer.{kind}", 0.4),
    }
    if pieces["core"][0].startswith(("{brand}", "{mention}")):
        pieces["opener"] = []  # "Seriously @Lumio? Lumio down again" says the name twice
    title = None
    if titled:
        title = _sentence(pieces["core"][0].format_map(slots)).rstrip(".")
        if ensure_brand and not _names_brand(title, slots.brand):
            title = f"{slots.brand.name}: {title}"
        if pieces["details"] or pieces["pii"]:
            pieces["core"] = []
    limit = LENGTH_LIMIT.get(platform)
    text = _join([p for part in pieces.values() for p in part]).format_map(slots)
    for optional in ("closer", "opener", "details"):
        if limit is None or len(text) <= limit - 8:
            break
        pieces[optional] = []
        text = _join([p for part in pieces.values() for p in part]).format_map(slots)
    text = roughen(rng, text, slots=slots, kind=kind)
    if ensure_brand and not _names_brand(f"{title or ''} {text}", slots.brand):
        text = f"{slots['mention']} {text}"
    return Draft(text=text[:limit] if limit else text, title=title)


def _maybe(
    rng: random.Random, bank: Mapping[str, tuple[str, ...]], key: str | None, chance: float
) -> list[str]:
    if key is None or key not in bank or rng.random() >= chance:
        return []
    return [rng.choice(bank[key])]


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        if not out:
            out = _sentence(part)
        elif out.endswith((",", ":")):
            out = f"{out} {part}"
        else:
            if out[-1].isalnum() or out[-1] in "}'\"»":
                out += "."
            out = f"{out} {_sentence(part)}"
    return out


def _sentence(text: str) -> str:
    """Capitalise the first letter (skipping a leading ``{slot}``, ``¿`` or ``@``)."""
    for i, char in enumerate(text):
        if char == "{":
            return text
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1 :]
    return text


def _names_brand(text: str, brand: BrandSpec) -> bool:
    lowered = text.casefold()
    names = (brand.name, *brand.aliases, *(h for _, h in brand.handles))
    return any(n.casefold() in lowered for n in names)


def roughen(rng: random.Random, text: str, *, slots: Slots, kind: str) -> str:
    """Write like people do: slang, a typo or two, emojis, lower case or shouting."""
    platform, bank = slots.platform, slots.bank
    informal = platform in ("x", "instagram", "bluesky", "mastodon", "reddit", "facebook")
    if not informal:
        return text
    if rng.random() < 0.25:
        for formal, slang in bank.slang:
            if rng.random() < 0.6:
                text = re.sub(rf"\b{re.escape(formal)}\b", slang, text)
    if rng.random() < 0.14:
        text = _typo(rng, text, slots.brand)
    if not slots.pii and platform in ("x", "instagram") and rng.random() < 0.12:
        text = text.lower()
    if kind == "complaint" and rng.random() < 0.12:
        text = text.rstrip(".") + rng.choice(("!!", "!!!", "?!"))
    if rng.random() < EMOJI_RATE.get(platform, 0.0):
        emojis = EMOJIS[MOOD.get(kind, "neutral")]
        text += " " + "".join(rng.choice(emojis) for _ in range(rng.choice((1, 1, 2, 3))))
    return text


def _typo(rng: random.Random, text: str, brand: BrandSpec) -> str:
    """Swap, drop or double a letter in one plain word (never a name, handle, e-mail or URL)."""
    words = [
        m
        for m in _WORD.finditer(text)
        if brand.name.lower() not in m.group().lower() and _plain_word(text, m.start(), m.end())
    ]
    if not words:
        return text
    match = rng.choice(words)
    word, i = match.group(), rng.randint(1, len(match.group()) - 2)
    op = rng.choice(("swap", "drop", "double"))
    if op == "swap":
        word = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    elif op == "drop":
        word = word[:i] + word[i + 1 :]
    else:
        word = word[:i] + word[i] + word[i:]
    return text[: match.start()] + word + text[match.end() :]


def _plain_word(text: str, start: int, end: int) -> bool:
    token_start = text.rfind(" ", 0, start) + 1
    token_end = text.find(" ", end)
    token = text[token_start : token_end if token_end >= 0 else len(text)].rstrip(".,!?;:")
    return not any(c in token for c in "@#/.")


_IBAN_BANKS = {"NL": ("ABNA", "INGB", "RABO", "SNSB", "TRIO"), "IE": ("AIBK", "BOFI")}


def make_iban(rng: random.Random, country: str) -> str:
    """A checksum-valid, made-up IBAN of ``country`` (FR, ES, NL, IE), printed in groups of 4."""

    def digits(n: int) -> str:
        return "".join(str(rng.randint(0, 9)) for _ in range(n))

    if country == "FR":
        bank, branch, account = digits(5), digits(5), digits(11)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
        bban = f"{bank}{branch}{account}{key:02d}"
    elif country == "ES":
        entity, account = digits(8), digits(10)
        bban = f"{entity}{_es_check('00' + entity)}{_es_check(account)}{account}"
    elif country == "NL":
        while True:
            account = digits(10)
            if sum(int(d) * (10 - i) for i, d in enumerate(account)) % 11 == 0:
                break
        bban = rng.choice(_IBAN_BANKS["NL"]) + account
    else:
        bban = rng.choice(_IBAN_BANKS["IE"]) + digits(14)
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    iban = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _es_check(ten: str) -> str:
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)
    value = 11 - sum(int(d) * w for d, w in zip(ten, weights, strict=True)) % 11
    return str({11: 0, 10: 1}.get(value, value))
