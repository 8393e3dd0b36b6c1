"""The demo's people: customers, repeat complainers, journalists, influencers, bots, brands.

Follower counts are log-normal (most people have a few hundred, a handful have a hundred
thousand); activity follows a Pareto law so a few people post a lot.  Engagement grows with
followers and with a storyline's ``boost`` (a crisis is shared much more).

Example::

    people = Population(rng, ids, scale=1.0)
    jane = people.pick(rng, lang="fr", platform="x")
    engagement(rng, jane, "x", boost=5.0)
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from itertools import accumulate

from tocsin.demo.brands import BrandSpec
from tocsin.demo.ids import IdMaker, slugify
from tocsin.demo.phrases import LANGUAGES, phrases_for
from tocsin.ingestion.schemas import CanonicalAuthor, Engagement

SOCIAL = ("x", "bluesky", "mastodon", "facebook", "instagram", "reddit")
#: Median followers and spread (sigma of the log) per platform.
FOLLOWERS = {
    "x": (180, 1.5),
    "bluesky": (120, 1.4),
    "mastodon": (90, 1.3),
    "facebook": (250, 1.0),
    "instagram": (400, 1.4),
    "reddit": (15, 1.2),
    "review": (3, 1.0),
    "news": (80_000, 0.8),
}


@dataclass(frozen=True)
class Persona:
    """Someone who posts; ``role`` is customer, complainer, journalist, influencer, bot,
    newcomer, brand or outlet."""

    handle: str
    display_name: str
    first_name: str
    last_name: str
    platform: str
    lang: str
    followers: int
    role: str = "customer"
    verified: bool = False
    is_automated: bool = False
    external_id: str = ""

    def author(self) -> CanonicalAuthor:
        return CanonicalAuthor(
            handle=self.handle,
            external_id=self.external_id or None,
            display_name=self.display_name,
            followers=self.followers,
            verified=self.verified,
            is_automated=self.is_automated,
        )


def ascii_fold(text: str) -> str:
    """``"Chloé de Vries"`` → ``"Chloe de Vries"`` (for handles and e-mail addresses)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class Population:
    """Pools of people per ``(language, platform)``, plus fresh faces on demand."""

    def __init__(self, rng: random.Random, ids: IdMaker, *, scale: float = 1.0) -> None:
        self._rng = rng
        self._ids = ids
        self._taken: set[tuple[str, str]] = set()
        self._pools: dict[tuple[str, str], tuple[list[Persona], list[float]]] = {}
        size = max(3, round(180 * scale))
        for lang in LANGUAGES:
            for platform in SOCIAL:
                people, weights = [], []
                for _ in range(size):
                    role = "complainer" if rng.random() < 0.02 else "customer"
                    people.append(self.new(lang=lang, platform=platform, role=role))
                    activity = min(rng.paretovariate(1.4), 40.0)
                    weights.append(activity * (12 if role == "complainer" else 1))
                self._pools[(lang, platform)] = (people, list(accumulate(weights)))

    def pick(self, rng: random.Random, *, lang: str, platform: str) -> Persona:
        """An existing person, the most active ones most often."""
        people, cum = self._pools[(lang, platform)]
        return rng.choices(people, cum_weights=cum)[0]

    def complainer(self, rng: random.Random, *, lang: str, platform: str) -> Persona:
        people, _ = self._pools[(lang, platform)]
        repeat = [p for p in people if p.role == "complainer"]
        return rng.choice(repeat) if repeat else self.pick(rng, lang=lang, platform=platform)

    def new(self, *, lang: str, platform: str, role: str = "newcomer") -> Persona:
        """A person never seen before (a crisis brings many)."""
        rng = self._rng
        bank = phrases_for(lang)
        first, last = rng.choice(bank.first_names), rng.choice(bank.last_names)
        median, sigma = FOLLOWERS[platform]
        followers = int(median * rng.lognormvariate(0, sigma))
        verified = rng.random() < 0.015 and platform in ("x", "facebook", "instagram")
        automated = False
        if role == "journalist":
            followers, verified = int(rng.uniform(8_000, 120_000)), True
        elif role == "influencer":
            followers, verified = int(rng.uniform(40_000, 600_000)), rng.random() < 0.6
        elif role == "bot":
            automated = True
            followers = int(rng.choice((30, 60, 4_000)) * rng.lognormvariate(0, 0.5))
        handle = self._unique_handle(rng, platform, lang, first, last, role)
        return Persona(
            handle=handle,
            display_name=f"{first} {last}" if role != "bot" else handle,
            first_name=first,
            last_name=last,
            platform=platform,
            lang=lang,
            followers=followers,
            role=role,
            verified=verified,
            is_automated=automated,
            external_id=self._ids.author(platform, handle),
        )

    def official(self, brand: BrandSpec, platform: str) -> Persona:
        """The brand's own account on ``platform``."""
        handle = brand.handle(platform) or slugify(brand.name)
        followers = {"lumio": 185_000, "veltra": 92_000, "nordwave": 41_000}.get(brand.slug, 10_000)
        return Persona(
            handle=handle,
            display_name=brand.name,
            first_name=brand.name,
            last_name="",
            platform=platform,
            lang="en",
            followers=followers,
            role="brand",
            verified=True,
            external_id=self._ids.author(platform, handle),
        )

    def outlet(self, name: str, lang: str) -> Persona:
        """A news outlet publishing on the ``news`` platform."""
        handle = slugify(name)
        return Persona(
            handle=handle,
            display_name=name,
            first_name=name,
            last_name="",
            platform="news",
            lang=lang,
            followers=int(self._rng.uniform(50_000, 900_000)),
            role="outlet",
            verified=True,
            external_id=self._ids.author("news", handle),
        )

    def _unique_handle(
        self, rng: random.Random, platform: str, lang: str, first: str, last: str, role: str
    ) -> str:
        bank = phrases_for(lang)
        first_s = ascii_fold(first).lower()
        last_s = ascii_fold(last).lower().replace(" ", "")
        word = ascii_fold(rng.choice(bank.handle_words))
        while True:
            if role == "bot":
                base = rng.choice(("crypto", "gains", "promo", "follow", "deal")) + f"_{word}"
                base += str(rng.randint(100, 9999))
            else:
                base = rng.choice(
                    (
                        f"{first_s}{last_s[: rng.randint(1, 4)]}",
                        f"{first_s}_{word}",
                        f"{word}{first_s}",
                        f"{first_s}.{last_s}",
                        f"{last_s}{first_s[0]}",
                    )
                )
                if rng.random() < 0.55:
                    base += str(
                        rng.randint(1, 99) if rng.random() < 0.7 else rng.randint(1960, 2006)
                    )
            handle = self._format_handle(platform, lang, base)
            if (platform, handle.lower()) not in self._taken:
                self._taken.add((platform, handle.lower()))
                return handle

    def _format_handle(self, platform: str, lang: str, base: str) -> str:
        if platform == "bluesky":
            return base.replace("_", "-").replace(".", "-") + ".bsky.social"
        if platform == "mastodon":
            instance = self._rng.choice(phrases_for(lang).mastodon_instances)
            return base.replace(".", "_") + "@" + instance
        if platform in ("x", "reddit"):
            return base.replace(".", "_")[: 15 if platform == "x" else 20]
        return base


def engagement(
    rng: random.Random, persona: Persona, platform: str, *, boost: float = 1.0, shares: float = 0.15
) -> Engagement:
    """Likes, reposts, replies and views that grow with followers and ``boost``.

    ``shares`` is the usual reposts-per-like ratio (a crisis or a rumour shares far more).
    """
    if platform in ("news", "review"):
        return Engagement()
    if platform == "reddit":
        likes = int(rng.lognormvariate(1.2, 1.1) * boost)
        return Engagement(likes=likes, replies=int(likes * rng.uniform(0.1, 0.6)))
    base = (persona.followers + 10) ** 0.55 * 0.08
    likes = int(base * boost * rng.lognormvariate(0, 1.0))
    reposts = int(likes * shares * rng.uniform(0.4, 1.6))
    replies = int(likes * rng.uniform(0.03, 0.25))
    quotes = int(reposts * rng.uniform(0, 0.2))
    views = 0
    if platform == "x":
        views = int(persona.followers * rng.uniform(0.05, 0.4) * boost + likes * 40)
    return Engagement(likes=likes, reposts=reposts, replies=replies, quotes=quotes, views=views)
