"""The crisis of day 5: a nationwide Lumio outage from 18:00 local time.

Negative posts, mostly in French and Dutch and mostly from people never seen before, rise over
two hours to about 20 times the usual rate for that hour, carry a hashtag (#PanneLumio,
#LumioDown…), are reshared far more than usual, then decay after the service comes back.
Lumio posts status updates, journalists and newspapers pick it up, and the next day people ask
for compensation.

Example::

    add_crisis(world)
    world.milestones["crisis_start"], world.milestones["crisis_peak"]
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from tocsin.demo.people import engagement
from tocsin.demo.phrases import phrases_for
from tocsin.demo.scenarios.background import LUMIO_PER_WEEK, weighted
from tocsin.demo.scenarios.press import publish_article
from tocsin.demo.scenarios.world import PostKind, World
from tocsin.demo.text import Draft
from tocsin.demo.timeline import activity, arrivals
from tocsin.ingestion.schemas import CanonicalPost

DAY, START_HOUR = 4, 18.0
#: Two hours of rise, half an hour at the top while the outage lasts, then a decay.
RISE_HOURS, PLATEAU_HOURS, DECAY_HOURS, LENGTH_HOURS = 2.0, 0.5, 1.6, 16.0
#: Extra posts at the peak, as a multiple of the usual rate (so the total is about 20×).
PEAK_EXTRA = 19.0
LANGS = {"fr": 50, "nl": 30, "en": 13, "es": 7}
PLATFORMS = {"x": 45, "facebook": 18, "bluesky": 10, "instagram": 10, "reddit": 8, "mastodon": 9}
TOPICS = {"outage": 68, "question": 22, "joke": 10}
STATUS = (("aware", 0.6), ("update", 1.85), ("restored", 3.7))


def shape(elapsed_hours: float) -> float:
    """0 → 1 over the rise (a smooth S), a plateau, then an exponential decay."""
    if elapsed_hours < 0 or elapsed_hours > LENGTH_HOURS:
        return 0.0
    if elapsed_hours < RISE_HOURS:
        x = elapsed_hours / RISE_HOURS
        return x * x * (3 - 2 * x)
    top = RISE_HOURS + PLATEAU_HOURS
    return 1.0 if elapsed_hours < top else math.exp(-(elapsed_hours - top) / DECAY_HOURS)


def add_crisis(world: World) -> None:
    if world.days <= DAY:
        return
    rng = world.rng("crisis")
    lumio = world.brands["lumio"]
    start = world.day(DAY, START_HOUR)
    world.milestones["crisis_start"] = start
    world.milestones["crisis_peak"] = start + timedelta(hours=RISE_HOURS)
    world.milestones["crisis_restored"] = start + timedelta(hours=STATUS[-1][1])
    usual = LUMIO_PER_WEEK * world.scale / 168

    def rate(t: datetime) -> float:
        elapsed = (t - start).total_seconds() / 3600
        return usual * activity(t, world.tz) * PEAK_EXTRA * shape(elapsed)

    viral = _viral_post(world, rng, start + timedelta(minutes=rng.uniform(20, 35)))
    for at in arrivals(rng, start=start, hours=LENGTH_HOURS, rate=rate, step_minutes=5):
        lang = weighted(rng, LANGS)
        platform = weighted(rng, PLATFORMS)
        topic = weighted(rng, TOPICS)
        newcomer = rng.random() < 0.7
        persona = (
            world.people.new(lang=lang, platform=platform)
            if newcomer
            else world.people.pick(rng, lang=lang, platform=platform)
        )
        draft, found = world.write(
            rng,
            lang=lang,
            brand=lumio,
            platform=platform,
            author=persona,
            kind="complaint" if topic != "question" else "question",
            core=f"core.crisis.{topic}",
        )
        parent = (
            viral
            if viral is not None and viral.platform == platform and rng.random() < 0.2
            else None
        )
        kind: PostKind = "reply" if parent is not None else "post"
        world.publish(
            rng,
            persona=persona,
            at=at,
            brand="lumio",
            kind="question" if topic == "question" else "complaint",
            topic=f"crisis_{topic}",
            scenario="crisis",
            lang=lang,
            draft=draft,
            pii=found,
            post_kind=kind,
            parent=parent,
            reach=engagement(rng, persona, platform, boost=rng.uniform(3, 8), shares=0.9),
        )
    _aftermath(world, rng, start)
    _status_updates(world, rng, start)
    for lang, hours in (("fr", 1.3), ("nl", 1.5), ("en", 2.7), ("es", 14.5)):
        publish_article(
            world, rng, lang=lang, brand=lumio, at=start + timedelta(hours=hours), story="crisis"
        )


def _viral_post(world: World, rng: random.Random, at: datetime) -> CanonicalPost | None:
    """An early, widely shared post by a well-followed account that others reply to."""
    persona = world.people.new(lang="fr", platform="x", role="influencer")
    draft, _ = world.write(
        rng,
        lang="fr",
        brand=world.brands["lumio"],
        platform="x",
        author=persona,
        kind="complaint",
        core="core.crisis.outage",
    )
    item = world.publish(
        rng,
        persona=persona,
        at=at,
        brand="lumio",
        kind="complaint",
        topic="crisis_outage",
        scenario="crisis",
        lang="fr",
        draft=draft,
        reach=engagement(rng, persona, "x", boost=15.0, shares=1.5),
    )
    return item.post if item is not None else None


def _aftermath(world: World, rng: random.Random, start: datetime) -> None:
    """The next day: calls for compensation, and a few journalists."""
    begin = world.day(DAY + 1, 7)
    usual = LUMIO_PER_WEEK * world.scale / 168
    for at in arrivals(
        rng, start=begin, hours=14, rate=lambda t: usual * 0.8 * activity(t, world.tz)
    ):
        lang = weighted(rng, LANGS)
        platform = weighted(rng, PLATFORMS)
        persona = world.people.pick(rng, lang=lang, platform=platform)
        draft, _ = world.write(
            rng,
            lang=lang,
            brand=world.brands["lumio"],
            platform=platform,
            author=persona,
            kind="complaint",
            core="core.crisis.aftermath",
        )
        world.publish(
            rng,
            persona=persona,
            at=at,
            brand="lumio",
            kind="request",
            topic="crisis_compensation",
            scenario="crisis",
            lang=lang,
            draft=draft,
        )
    for lang, platform in (("fr", "x"), ("nl", "x"), ("fr", "bluesky"), ("nl", "mastodon")):
        journalist = world.people.new(lang=lang, platform=platform, role="journalist")
        at = start + timedelta(hours=rng.uniform(0.8, 3.0))
        draft, _ = world.write(
            rng,
            lang=lang,
            brand=world.brands["lumio"],
            platform=platform,
            author=journalist,
            kind="question",
            core="core.crisis.question",
        )
        world.publish(
            rng,
            persona=journalist,
            at=at,
            brand="lumio",
            kind="question",
            topic="crisis_press",
            scenario="crisis",
            lang=lang,
            draft=draft,
            reach=engagement(rng, journalist, platform, boost=6.0, shares=1.0),
        )


def _status_updates(world: World, rng: random.Random, start: datetime) -> None:
    """Lumio's own incident updates, in every language, on X and Facebook."""
    lumio = world.brands["lumio"]
    for step, hours in STATUS:
        for n, lang in enumerate(("fr", "nl", "en", "es")):
            for platform in ("x", "facebook"):
                text = rng.choice(phrases_for(lang).bank[f"brand.crisis.{step}"])
                world.publish(
                    rng,
                    persona=world.people.official(lumio, platform),
                    at=start + timedelta(hours=hours, minutes=2 * n),
                    brand="lumio",
                    kind="brand_post",
                    topic=f"crisis_{step}",
                    scenario="crisis",
                    lang=lang,
                    draft=Draft(text=text),
                    direction="outbound",
                )
