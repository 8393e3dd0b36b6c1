"""The seeded demo generator: a realistic week of posts about Lumio and two competitors.

Everything is made in code from phrase banks (no real post is copied), and the same seed gives
byte-identical output.  The storylines:

* everyday chatter with daily and weekly rhythms, in English, French, Spanish and Dutch,
  on X, Bluesky, Mastodon, Facebook, Instagram and Reddit, plus review sites and the press;
* care-team replies and customer follow-ups (threads), competitors poaching unhappy customers;
* legal threats, blackmail and an overheating router;
* a false rumour on days 3-6 and a nationwide outage on day 5.

Example::

    dataset = generate(seed=7)                 # the week starting on REFERENCE_START
    small = generate(seed=7, days=1, scale=0.2)
    dataset.stats().crisis_peak_ratio          # ≈ 30
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tocsin.demo.brands import BRANDS
from tocsin.demo.dataset import DEMO_TIME_ZONE, DemoDataset
from tocsin.demo.scenarios.background import add_background
from tocsin.demo.scenarios.crisis import add_crisis
from tocsin.demo.scenarios.incidents import add_incidents
from tocsin.demo.scenarios.press import add_business_news, add_marketing, add_reviews
from tocsin.demo.scenarios.rumour import add_rumour
from tocsin.demo.scenarios.threads import add_poaching, add_threads
from tocsin.demo.scenarios.world import World
from tocsin.types import as_utc

#: A Monday at midnight in Paris: the default first day (``tocsin demo`` moves it to today).
REFERENCE_START = datetime(2026, 3, 2, tzinfo=ZoneInfo(DEMO_TIME_ZONE))
DEFAULT_SEED = 7


def generate(
    *,
    seed: int = DEFAULT_SEED,
    start: datetime = REFERENCE_START,
    days: int = 7,
    scale: float = 1.0,
) -> DemoDataset:
    """Generate ``days`` days of posts from ``start`` (best at local midnight).

    ``scale`` multiplies the volumes (0.2 makes a fast test set); the storylines keep their
    shape: the rumour needs at least 3 days and the crisis 5.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    if scale <= 0:
        raise ValueError("scale must be positive")
    world = World(seed=seed, start=as_utc(start), days=days, scale=scale)
    marketing = add_marketing(world)
    add_background(world, marketing=marketing)
    add_reviews(world)
    add_business_news(world)
    add_incidents(world)
    add_rumour(world)
    add_crisis(world)
    add_threads(world)
    add_poaching(world)
    items = sorted(
        world.items, key=lambda i: (i.post.created_at, i.post.platform, i.post.external_id)
    )
    return DemoDataset(
        seed=seed,
        start=world.start,
        days=days,
        brands=BRANDS,
        items=tuple(items),
        milestones={k: as_utc(v) for k, v in sorted(world.milestones.items())},
    )
