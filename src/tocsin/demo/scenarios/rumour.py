"""A false rumour spreading in four languages on days 3 to 6.

Two false claims travel together: "Lumio sells your browsing data to advertisers" (seeded in
English by an influencer) and "Lumio is cutting the old plans" (seeded in French).  Most posts
repeat a claim, some doubt it, a few debunk it; many are replies to the seeds.  Lumio publishes
a statement on day 4 and a newspaper debunks the claim on day 5.

Example::

    add_rumour(world)
    world.milestones["rumour_start"]
"""

from __future__ import annotations

import random
from datetime import datetime

from tocsin.demo.people import Persona, engagement
from tocsin.demo.phrases import phrases_for
from tocsin.demo.scenarios.press import publish_article
from tocsin.demo.scenarios.world import World
from tocsin.demo.text import Draft
from tocsin.demo.timeline import activity, arrivals
from tocsin.ingestion.schemas import CanonicalPost

FIRST_DAY, LAST_DAY = 2, 5
#: Posts per average hour on each rumour day (day index → rate), at scale 1.
RATE = {2: 0.9, 3: 2.4, 4: 2.8, 5: 1.1}
CLAIM_LANGS = {
    "data": {"en": 40, "es": 25, "nl": 20, "fr": 15},
    "plans": {"fr": 60, "nl": 20, "es": 15, "en": 5},
}
STANCE = {"claim": 65, "doubt": 20, "debunk": 15}
PLATFORMS = {"x": 45, "facebook": 25, "bluesky": 10, "instagram": 8, "mastodon": 6, "reddit": 6}


def add_rumour(world: World) -> None:
    if world.days <= FIRST_DAY:
        return
    rng = world.rng("rumour")
    lumio = world.brands["lumio"]
    seeds = {
        "data": _seed(world, rng, claim="data", lang="en", platform="x", at=world.day(2, 9.7)),
        "plans": _seed(
            world, rng, claim="plans", lang="fr", platform="facebook", at=world.day(2, 14.2)
        ),
    }
    world.milestones["rumour_start"] = world.day(2, 9.7)
    begin = world.day(2, 10)
    hours = (world.day(LAST_DAY + 1) - begin).total_seconds() / 3600

    def rate(t: datetime) -> float:
        day = (t.astimezone(world.tz).date() - world.day(0).date()).days
        return RATE.get(day, 0.0) * world.scale * activity(t, world.tz)

    for at in arrivals(rng, start=begin, hours=hours, rate=rate):
        claim = rng.choices(("data", "plans"), weights=(55, 45))[0]
        lang = _pick(rng, CLAIM_LANGS[claim])
        stance = _pick(rng, STANCE)
        platform = _pick(rng, PLATFORMS)
        seed = seeds[claim]
        parent = (
            seed if seed is not None and seed.platform == platform and rng.random() < 0.45 else None
        )
        persona = world.people.pick(rng, lang=lang, platform=platform)
        core = f"core.rumour.{claim if stance == 'claim' else stance}"
        draft, _ = world.write(
            rng,
            lang=lang,
            brand=lumio,
            platform=platform,
            author=persona,
            kind="rumour",
            core=core,
        )
        shares = {"claim": 0.8, "doubt": 0.2, "debunk": 0.35}[stance]
        world.publish(
            rng,
            persona=persona,
            at=at,
            brand="lumio",
            kind="rumour",
            topic=claim if stance == "claim" else stance,
            scenario="rumour",
            lang=lang,
            draft=draft,
            post_kind="reply"
            if parent is not None and platform != "facebook"
            else ("comment" if parent is not None else "post"),
            parent=parent,
            reach=engagement(
                rng, persona, platform, boost=2.5 if stance == "claim" else 1.0, shares=shares
            ),
        )
    _statements(world, rng)


def _seed(
    world: World, rng: random.Random, *, claim: str, lang: str, platform: str, at: datetime
) -> CanonicalPost | None:
    influencer: Persona = world.people.new(lang=lang, platform=platform, role="influencer")
    draft, _ = world.write(
        rng,
        lang=lang,
        brand=world.brands["lumio"],
        platform=platform,
        author=influencer,
        kind="rumour",
        core=f"core.rumour.{claim}",
    )
    item = world.publish(
        rng,
        persona=influencer,
        at=at,
        brand="lumio",
        kind="rumour",
        topic=claim,
        scenario="rumour",
        lang=lang,
        draft=draft,
        reach=engagement(rng, influencer, platform, boost=12.0, shares=1.2),
    )
    return item.post if item is not None else None


def _statements(world: World, rng: random.Random) -> None:
    """Lumio's official denial (day 4) and a newspaper's fact-check (day 5)."""
    lumio = world.brands["lumio"]
    for n, lang in enumerate(("en", "fr", "es", "nl")):
        for platform in ("x", "facebook"):
            persona = world.people.official(lumio, platform)
            text = rng.choice(phrases_for(lang).bank["brand.statement.rumour"])
            world.publish(
                rng,
                persona=persona,
                at=world.day(3, 11 + n * 0.25),
                brand="lumio",
                kind="brand_post",
                topic="rumour_statement",
                scenario="rumour",
                lang=lang,
                draft=Draft(text=text),
                direction="outbound",
            )
    publish_article(world, rng, lang="en", brand=lumio, at=world.day(4, 8.5), story="rumour")
    publish_article(world, rng, lang="fr", brand=lumio, at=world.day(4, 9.2), story="rumour")


def _pick(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]
