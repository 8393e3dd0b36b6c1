"""What the brands and the press publish: marketing posts, news articles and site reviews.

Marketing posts come first because customers comment under them on Facebook and Instagram.

Example::

    posts = add_marketing(world)        # {("lumio", "facebook"): [(time, post), ...], ...}
    add_reviews(world); add_business_news(world)
"""

from __future__ import annotations

import random
from datetime import datetime

from tocsin.demo.brands import BrandSpec
from tocsin.demo.ids import slugify
from tocsin.demo.phrases import COMPLAINT_TOPICS, PRAISE_TOPICS, phrases_for
from tocsin.demo.scenarios.world import World
from tocsin.demo.text import Draft
from tocsin.demo.timeline import activity, arrivals
from tocsin.ingestion.schemas import CanonicalPost

MarketingIndex = dict[tuple[str, str], list[tuple[datetime, CanonicalPost]]]
#: Brand posts per day, and the languages each brand publishes in.
MARKETING = {
    "lumio": (3, ("fr", "en", "es", "nl")),
    "veltra": (1, ("es", "fr")),
    "nordwave": (1, ("nl",)),
}
REVIEWS_PER_WEEK = 70


def add_marketing(world: World) -> MarketingIndex:
    """The brands' own posts (outbound), a few a day at office hours."""
    rng = world.rng("marketing")
    index: MarketingIndex = {}
    for slug, (per_day, langs) in MARKETING.items():
        brand = world.brands[slug]
        for day in range(world.days):
            for n in range(per_day):
                platform = ("facebook", "instagram", "x")[(day + n) % 3]
                lang = langs[(day * per_day + n) % len(langs)]
                at = world.day(day, rng.choice((10.0, 11.5, 17.0, 18.5)) + rng.uniform(0, 1))
                persona = world.people.official(brand, platform)
                slots = world.slots(rng, lang=lang, brand=brand, platform=platform, author=persona)
                text = rng.choice(phrases_for(lang).bank["brand.post"]).format_map(slots)
                item = world.publish(
                    rng,
                    persona=persona,
                    at=at,
                    brand=slug,
                    kind="brand_post",
                    topic="marketing",
                    scenario="marketing",
                    lang=lang,
                    draft=Draft(text=text),
                    direction="outbound",
                )
                if item is not None:
                    index.setdefault((slug, platform), []).append((at, item.post))
    for posts in index.values():
        posts.sort(key=lambda pair: pair[0])
    return index


def publish_article(
    world: World, rng: random.Random, *, lang: str, brand: BrandSpec, at: datetime, story: str
) -> None:
    """A news article (``story`` is business, crisis or rumour) by an outlet of ``lang``."""
    bank = phrases_for(lang)
    outlet = world.people.outlet(rng.choice(bank.outlets), lang)
    slots = world.slots(rng, lang=lang, brand=brand, platform="news", author=outlet)
    title = rng.choice(bank.bank[f"news.title.{story}"]).format_map(slots)
    body = rng.choice(bank.bank[f"news.body.{story}"]).format_map(slots)
    local = at.astimezone(world.tz)
    url = f"https://{outlet.handle}.example/{local:%Y/%m}/{slugify(title)}"
    world.publish(
        rng,
        persona=outlet,
        at=at,
        brand=brand.slug,
        kind="news",
        topic=story,
        scenario="crisis" if story == "crisis" else ("rumour" if story == "rumour" else "press"),
        lang=lang,
        draft=Draft(text=body, title=title),
        post_kind="article",
        url=url,
    )


def add_business_news(world: World) -> None:
    """About one ordinary business article a day, mostly about Lumio."""
    rng = world.rng("news")
    for day in range(world.days):
        slug = rng.choices(("lumio", "veltra", "nordwave"), weights=(6, 2, 1))[0]
        langs = {"lumio": ("fr", "en", "es", "nl"), "veltra": ("es", "fr"), "nordwave": ("nl",)}
        at = world.day(day, rng.uniform(7, 19))
        publish_article(
            world,
            rng,
            lang=rng.choice(langs[slug]),
            brand=world.brands[slug],
            at=at,
            story="business",
        )


def add_reviews(world: World) -> None:
    """Reviews on a review site, with a title, a star rating and a URL; mostly unhappy."""
    rng = world.rng("reviews")
    rate = REVIEWS_PER_WEEK * world.scale / 168
    for at in arrivals(
        rng, start=world.start, hours=world.days * 24, rate=lambda t: rate * activity(t, world.tz)
    ):
        brand = world.brands[rng.choices(("lumio", "veltra", "nordwave"), weights=(7, 2, 1))[0]]
        lang = rng.choices(brand.languages, weights=range(len(brand.languages), 0, -1))[0]
        positive = rng.random() < 0.35
        kind, topics = ("praise", PRAISE_TOPICS) if positive else ("complaint", COMPLAINT_TOPICS)
        topic = rng.choice(topics)
        persona = world.people.new(lang=lang, platform="review", role="customer")
        draft, pii = world.write(
            rng,
            lang=lang,
            brand=brand,
            platform="review",
            author=persona,
            kind=kind,
            core=f"core.{kind}.{topic}",
            detail=f"detail.{kind}.{topic}",
        )
        title = rng.choice(
            phrases_for(lang).bank[f"review.title.{'positive' if positive else 'negative'}"]
        )
        rating = rng.choice((4, 5, 5)) if positive else rng.choice((1, 1, 2))
        world.publish(
            rng,
            persona=persona,
            at=at,
            brand=brand.slug,
            kind="review",
            topic=topic,
            scenario="background",
            lang=lang,
            draft=Draft(text=draft.text, title=title),
            pii=pii,
            post_kind="review",
            url=None,
            raw={"rating": rating, "site": "reviews.example"},
        )
