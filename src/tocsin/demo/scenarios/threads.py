"""Conversations: the care teams answer, customers follow up, competitors poach.

Runs last, over every post the other storylines made.  Lumio's accounts answer a share of the
questions, complaints and requests in the customer's language, after minutes during office
hours and the next morning at night; customers often follow up.  Veltra's and Nordwave's
official accounts reply to people who complain about Lumio ("Switch to Veltra, first month
free") — the poaching pattern.

Example::

    add_threads(world)
    add_poaching(world)
"""

from __future__ import annotations

import random
from datetime import datetime

from tocsin.demo.brands import BrandSpec
from tocsin.demo.dataset import DemoItem
from tocsin.demo.people import Persona, engagement
from tocsin.demo.phrases import phrases_for
from tocsin.demo.scenarios.background import weighted
from tocsin.demo.scenarios.world import PostKind, World
from tocsin.demo.text import Draft
from tocsin.demo.timeline import care_reply_time, lognormal_delay

REPLY_PLATFORMS = ("x", "bluesky", "mastodon", "facebook", "instagram")
#: Chance that the brand answers, per kind of post.
ANSWER_RATE = {
    "question": 0.5,
    "complaint": 0.42,
    "request": 0.55,
    "legal_threat": 0.95,
    "blackmail": 0.95,
    "safety": 1.0,
    "praise": 0.15,
    "rumour": 0.18,
}
#: Median minutes to answer during office hours, per platform.
MEDIAN_MINUTES = {"x": 18, "bluesky": 40, "mastodon": 60, "facebook": 55, "instagram": 70}
#: How customers answer the brand's reply, per kind of first post (others do not follow up).
FOLLOW_UPS = {
    "complaint": {"dm_sent": 45, "thanks": 20, "still_waiting": 15, "angry": 20},
    "request": {"dm_sent": 50, "thanks": 20, "still_waiting": 20, "angry": 10},
    "question": {"thanks": 50, "dm_sent": 30, "still_waiting": 20},
    "safety": {"dm_sent": 60, "thanks": 40},
    "legal_threat": {"dm_sent": 50, "angry": 50},
    "blackmail": {"dm_sent": 40, "angry": 60},
}
POACHERS = {"veltra": (("fr", "es", "en"), 0.05), "nordwave": (("nl", "en"), 0.045)}


def _reply_kind(platform: str) -> PostKind:
    return "comment" if platform in ("facebook", "instagram") else "reply"


def _reply_key(item: DemoItem) -> str | None:
    """The phrase-bank key of the brand's answer to ``item``, or None if it would not answer."""
    if item.pii and item.kind in ("question", "complaint", "request"):
        return "reply.pii"
    if item.kind == "question" and not item.topic.startswith("crisis"):
        return f"reply.question.{item.topic}"
    if item.kind == "rumour":
        return f"reply.rumour.{item.topic}" if item.topic in ("data", "plans") else None
    if item.kind in ("complaint", "request", "legal_threat", "blackmail", "safety", "praise"):
        return f"reply.{item.kind}"
    return None


def add_threads(world: World) -> None:
    rng = world.rng("threads")
    crisis = world.milestones.get("crisis_start")
    for item in list(world.items):
        post = item.post
        if post.direction != "inbound" or post.platform not in REPLY_PLATFORMS:
            continue
        if post.author is None or item.kind not in ANSWER_RATE:
            continue
        chance = ANSWER_RATE[item.kind] * (0.5 if item.brand != "lumio" else 1.0)
        if item.scenario == "crisis":
            chance = 0.03
        key = _reply_key(item)
        if key is None or rng.random() >= chance:
            continue
        median = MEDIAN_MINUTES[post.platform] * (0.3 if item.kind == "safety" else 1.0)
        if crisis is not None and 0 <= (post.created_at - crisis).total_seconds() < 12 * 3600:
            median *= 3
        at = care_reply_time(rng, after=post.created_at, tz=world.tz, median_minutes=median)
        brand = world.brands[item.brand]
        customer = _customer(world, item)
        reply = _answer(world, rng, brand=brand, to=item, customer=customer, key=key, at=at)
        if reply is None or item.kind not in FOLLOW_UPS or rng.random() >= 0.45:
            continue
        _follow_up(world, rng, brand=brand, reply=reply, customer=customer, after=item.kind)


def _customer(world: World, item: DemoItem) -> Persona:
    """The persona behind ``item``'s author (rebuilt from the post, names included)."""
    author = item.post.author
    if author is None:
        raise ValueError("a post without an author has no customer to answer")
    first, _, last = author.display_name.partition(" ")
    return Persona(
        handle=author.handle,
        display_name=author.display_name,
        first_name=first or author.handle,
        last_name=last,
        platform=item.post.platform,
        lang=item.lang,
        followers=author.followers,
        verified=author.verified,
        is_automated=author.is_automated,
        external_id=author.external_id or "",
    )


def _answer(
    world: World,
    rng: random.Random,
    *,
    brand: BrandSpec,
    to: DemoItem,
    customer: Persona,
    key: str,
    at: datetime,
) -> DemoItem | None:
    platform = to.post.platform
    official = world.people.official(brand, platform)
    slots = world.slots(rng, lang=to.lang, brand=brand, platform=platform, author=customer)
    text = rng.choice(phrases_for(to.lang).bank[key]).format_map(slots)
    if platform == "x":
        text = f"@{customer.handle} {text}"
        if rng.random() < 0.7:
            text += f" ^{rng.choice(phrases_for(to.lang).agents)}"
    return world.publish(
        rng,
        persona=official,
        at=at,
        brand=brand.slug,
        kind="brand_reply",
        topic=key.removeprefix("reply."),
        scenario="thread",
        lang=to.lang,
        draft=Draft(text=text),
        post_kind=_reply_kind(platform),
        parent=to.post,
        direction="outbound",
    )


def _follow_up(
    world: World,
    rng: random.Random,
    *,
    brand: BrandSpec,
    reply: DemoItem,
    customer: Persona,
    after: str,
) -> None:
    topic = weighted(rng, FOLLOW_UPS[after])
    delay = lognormal_delay(rng, 240 if topic == "still_waiting" else 20)
    slots = world.slots(
        rng, lang=reply.lang, brand=brand, platform=customer.platform, author=customer
    )
    text = rng.choice(phrases_for(reply.lang).bank[f"followup.{topic}"]).format_map(slots)
    handle = brand.handle(customer.platform)
    if customer.platform in ("x", "bluesky", "mastodon") and handle:
        text = f"@{handle} {text}"
    item = world.publish(
        rng,
        persona=customer,
        at=reply.post.created_at + delay,
        brand=brand.slug,
        kind="follow_up",
        topic=topic,
        scenario="thread",
        lang=reply.lang,
        draft=Draft(text=text),
        post_kind=_reply_kind(customer.platform),
        parent=reply.post,
    )
    if item is not None and topic in ("still_waiting", "angry") and rng.random() < 0.5:
        at = care_reply_time(rng, after=item.post.created_at, tz=world.tz, median_minutes=30)
        _answer(world, rng, brand=brand, to=item, customer=customer, key="reply.follow_up", at=at)


def add_poaching(world: World) -> None:
    """Competitors' official accounts reply to people complaining about Lumio."""
    rng = world.rng("poaching")
    for item in list(world.items):
        post = item.post
        if item.brand != "lumio" or item.kind != "complaint" or post.direction != "inbound":
            continue
        if post.platform not in ("x", "facebook", "instagram", "bluesky"):
            continue
        for slug, (langs, chance) in POACHERS.items():
            if item.lang not in langs or rng.random() >= chance:
                continue
            competitor = world.brands[slug]
            official = world.people.official(competitor, post.platform)
            slots = world.slots(
                rng, lang=item.lang, brand=competitor, platform=post.platform, author=official
            )
            text = rng.choice(phrases_for(item.lang).bank["poach"]).format_map(slots)
            if post.platform == "x" and post.author is not None:
                text = f"@{post.author.handle} {text}"
            world.publish(
                rng,
                persona=official,
                at=post.created_at + lognormal_delay(rng, 25),
                brand=slug,
                kind="poaching",
                topic="switch_offer",
                scenario="poaching",
                lang=item.lang,
                draft=Draft(text=text),
                post_kind=_reply_kind(post.platform),
                parent=post,
                direction="outbound",
                reach=engagement(rng, official, post.platform, boost=0.3),
            )
            break
