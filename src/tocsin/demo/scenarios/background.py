"""The everyday chatter about Lumio and its competitors: questions, complaints, praise, spam.

Volume follows :func:`~tocsin.demo.timeline.activity`; about 2,150 Lumio posts a week at
scale 1, the competitors far fewer.  On Facebook and Instagram most posts are comments under a
brand's own posts; on Reddit some are comments under someone else's submission.

Example::

    add_background(world, marketing=add_marketing(world))
"""

from __future__ import annotations

import bisect
import random
from datetime import datetime

from tocsin.demo.brands import BrandSpec
from tocsin.demo.people import Persona
from tocsin.demo.phrases import (
    COMPLAINT_TOPICS,
    NEUTRAL_TOPICS,
    PRAISE_TOPICS,
    QUESTION_TOPICS,
    REQUEST_TOPICS,
    SPAM_TOPICS,
)
from tocsin.demo.scenarios.press import MarketingIndex
from tocsin.demo.scenarios.world import PostKind, World
from tocsin.demo.timeline import activity, arrivals
from tocsin.ingestion.schemas import CanonicalPost

#: Lumio posts per week at scale 1; competitors get a share of it.
LUMIO_PER_WEEK = 2150
SHARE = {"lumio": 1.0, "veltra": 0.16, "nordwave": 0.10}
LANGS = {
    "lumio": {"en": 0.35, "fr": 0.30, "es": 0.20, "nl": 0.15},
    "veltra": {"fr": 0.45, "es": 0.40, "en": 0.15},
    "nordwave": {"nl": 0.75, "en": 0.25},
}
PLATFORMS = {"x": 31, "facebook": 18, "bluesky": 13, "instagram": 13, "reddit": 12, "mastodon": 8}
KINDS = {"complaint": 30, "question": 22, "neutral": 19, "praise": 13, "request": 7, "spam": 6}
TOPICS = {
    "complaint": dict(zip(COMPLAINT_TOPICS, (22, 22, 20, 12, 14, 10), strict=True)),
    "question": dict(zip(QUESTION_TOPICS, (26, 18, 18, 18, 10, 10), strict=True)),
    "praise": dict(zip(PRAISE_TOPICS, (25, 35, 25, 15), strict=True)),
    "neutral": dict(zip(NEUTRAL_TOPICS, (25, 30, 10, 35), strict=True)),
    "request": dict(zip(REQUEST_TOPICS, (55, 45), strict=True)),
    "spam": dict(zip(SPAM_TOPICS, (55, 45), strict=True)),
}
#: How often a question, complaint or request carries personal data, and which.
PII_RATE = 0.1
PII_KINDS = {"phone": 35, "email": 30, "order": 25, "iban": 10}


def weighted(rng: random.Random, table: dict[str, float] | dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def add_background(world: World, *, marketing: MarketingIndex) -> None:
    rng = world.rng("background")
    reddit_threads: dict[str, list[CanonicalPost]] = {}
    bots: dict[tuple[str, str], list[Persona]] = {}
    for slug, share in SHARE.items():
        brand = world.brands[slug]
        rate = LUMIO_PER_WEEK * share * world.scale / 168
        times = arrivals(
            rng,
            start=world.start,
            hours=world.days * 24,
            rate=lambda t, r=rate: r * activity(t, world.tz),  # type: ignore[misc]
        )
        for at in times:
            lang = weighted(rng, LANGS[slug])
            kind = weighted(rng, KINDS)
            platform = weighted(rng, PLATFORMS)
            if kind == "spam":
                platform = rng.choice(("x", "instagram", "x", "bluesky"))
                key = (lang, platform)
                pool = bots.setdefault(key, [])
                if len(pool) < 4:
                    pool.append(world.people.new(lang=lang, platform=platform, role="bot"))
                persona = rng.choice(pool)
            elif kind == "complaint" and rng.random() < 0.15:
                persona = world.people.complainer(rng, lang=lang, platform=platform)
            else:
                persona = world.people.pick(rng, lang=lang, platform=platform)
            _chatter(world, rng, brand, persona, at, lang, kind, marketing, reddit_threads)


def _chatter(
    world: World,
    rng: random.Random,
    brand: BrandSpec,
    persona: Persona,
    at: datetime,
    lang: str,
    kind: str,
    marketing: MarketingIndex,
    reddit_threads: dict[str, list[CanonicalPost]],
) -> None:
    platform = persona.platform
    topic = weighted(rng, TOPICS[kind])
    pii = None
    if kind in ("question", "complaint", "request") and rng.random() < PII_RATE:
        pii = weighted(rng, PII_KINDS)
        if pii == "iban" and kind != "request" and topic != "billing_error":
            pii = "phone"
    parent: CanonicalPost | None = None
    post_kind: PostKind = "post"
    titled = False
    if platform in ("facebook", "instagram") and rng.random() < 0.6:
        parent = _latest(marketing.get((brand.slug, platform), []), at)
        post_kind = "comment" if parent is not None else "post"
    elif platform == "reddit":
        threads = reddit_threads.setdefault(brand.slug, [])
        if threads and rng.random() < 0.35:
            parent, post_kind = rng.choice(threads[-30:]), "comment"
        else:
            titled = True
    draft, found = world.write(
        rng,
        lang=lang,
        brand=brand,
        platform=platform,
        author=persona,
        kind=kind,
        core=f"core.{kind}.{topic}",
        detail=f"detail.{kind}.{topic}",
        pii=pii,
        titled=titled,
    )
    item = world.publish(
        rng,
        persona=persona,
        at=at,
        brand=brand.slug,
        kind=kind,
        topic=topic,
        scenario="background",
        lang=lang,
        draft=draft,
        pii=found,
        post_kind=post_kind,
        parent=parent,
    )
    if item is not None and titled:
        reddit_threads[brand.slug].append(item.post)


def _latest(posts: list[tuple[datetime, CanonicalPost]], at: datetime) -> CanonicalPost | None:
    """The brand's most recent own post before ``at``, if any."""
    i = bisect.bisect_left([when for when, _ in posts], at)
    return posts[i - 1][1] if i else None
