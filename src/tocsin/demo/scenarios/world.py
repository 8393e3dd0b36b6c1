"""What every storyline shares: the clock, the brands, the people, ids and the growing feed.

Each storyline draws from its own random stream (``world.rng("crisis")``) so changing one never
reshuffles another, and the same seed always gives the same week.

Example::

    world = World(seed=7, start=monday, days=7, scale=1.0)
    rng = world.rng("background")
    world.publish(rng, persona=jane, brand=LUMIO, kind="complaint", topic="outage", ...)
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from tocsin.demo.brands import BRANDS, BrandSpec
from tocsin.demo.dataset import DEMO_TIME_ZONE, DemoItem
from tocsin.demo.ids import IdMaker
from tocsin.demo.people import Persona, Population, engagement
from tocsin.demo.phrases import phrases_for
from tocsin.demo.text import Draft, Slots, compose
from tocsin.ingestion.schemas import CanonicalPost, Engagement

#: Platforms whose API gives the post's language (others leave it to Tocsin to detect).
LANG_GIVEN = ("x", "bluesky", "mastodon")
PostKind = Literal["post", "comment", "reply", "review", "article", "message"]


class World:
    """The shared state of one generation run."""

    def __init__(self, *, seed: int, start: datetime, days: int, scale: float) -> None:
        self.seed, self.start, self.days, self.scale = seed, start, days, scale
        self.tz = ZoneInfo(DEMO_TIME_ZONE)
        self.brands: dict[str, BrandSpec] = {b.slug: b for b in BRANDS}
        self.ids = IdMaker(seed=seed)
        self.people = Population(self.rng("people"), self.ids, scale=max(scale, 0.05))
        self.items: list[DemoItem] = []
        self.milestones: dict[str, datetime] = {}

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)

    def rng(self, stream: str) -> random.Random:
        """A random stream of its own for ``stream`` (stable for a seed)."""
        return random.Random(f"{self.seed}:{stream}")

    def day(self, index: int, hour: float = 0.0) -> datetime:
        """Local ``hour`` (e.g. 18.25 for 18:15) of day ``index`` (0 is the first day)."""
        local = self.start.astimezone(self.tz).replace(hour=0, minute=0, second=0, microsecond=0)
        wall = local.replace(tzinfo=None) + timedelta(days=index, hours=hour)
        return wall.replace(tzinfo=self.tz)

    def slots(
        self, rng: random.Random, *, lang: str, brand: BrandSpec, platform: str, author: Persona
    ) -> Slots:
        others = [b for slug, b in self.brands.items() if slug != brand.slug]
        competitor = others[0] if brand.slug != "lumio" or rng.random() < 0.6 else others[1]
        return Slots(
            rng,
            bank=phrases_for(lang),
            brand=brand,
            platform=platform,
            author=author,
            competitor=competitor,
        )

    def write(
        self,
        rng: random.Random,
        *,
        lang: str,
        brand: BrandSpec,
        platform: str,
        author: Persona,
        kind: str,
        core: str,
        detail: str | None = None,
        pii: str | None = None,
        titled: bool = False,
    ) -> tuple[Draft, tuple[str, ...]]:
        """Compose a text and return it with the kinds of personal data it carries."""
        slots = self.slots(rng, lang=lang, brand=brand, platform=platform, author=author)
        draft = compose(
            rng, slots=slots, kind=kind, core=core, detail=detail, pii=pii, titled=titled
        )
        return draft, tuple(dict.fromkeys(slots.pii))

    def publish(
        self,
        rng: random.Random,
        *,
        persona: Persona,
        at: datetime,
        brand: str,
        kind: str,
        topic: str,
        scenario: str,
        lang: str,
        draft: Draft,
        pii: tuple[str, ...] = (),
        post_kind: PostKind = "post",
        parent: CanonicalPost | None = None,
        direction: Literal["inbound", "outbound"] = "inbound",
        reach: Engagement | None = None,
        url: str | None = None,
        raw: dict[str, object] | None = None,
    ) -> DemoItem | None:
        """Add a post to the feed (nothing when ``at`` falls outside the week)."""
        if not self.start <= at < self.end:
            return None
        platform = persona.platform
        external_id, default_url = self.ids.post(
            platform, scope=scenario, handle=persona.handle, kind=post_kind
        )
        thread = None
        if parent is not None:
            thread = parent.thread_external_id or parent.external_id
        post = CanonicalPost(
            platform=platform,
            external_id=external_id,
            text=draft.text,
            title=draft.title,
            created_at=at,
            author=persona.author(),
            url=url or default_url,
            lang=lang if platform in LANG_GIVEN else None,
            kind=post_kind,
            direction=direction,
            engagement=reach if reach is not None else engagement(rng, persona, platform),
            parent_external_id=parent.external_id if parent is not None else None,
            thread_external_id=thread,
            raw=raw,
        )
        item = DemoItem(
            post=post, brand=brand, kind=kind, topic=topic, scenario=scenario, lang=lang, pii=pii
        )
        self.items.append(item)
        return item
