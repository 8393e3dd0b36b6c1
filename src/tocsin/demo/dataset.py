"""The generated demo week: posts, their ground-truth labels, the brands and key moments.

Labels (what each post *is*: a complaint, a rumour, a poaching reply…) stay beside the
:class:`~tocsin.ingestion.schemas.CanonicalPost`, never inside it, so the product has to find
them out for itself; tests and benchmarks can compare.

Example::

    dataset = generate(seed=7)
    dataset.stats().by_kind["complaint"]      # how many complaints
    older, live = dataset.split(dataset.end - timedelta(hours=3))
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tocsin.demo.brands import BrandSpec
from tocsin.ingestion.schemas import CanonicalPost

#: The time zone the demo's rhythms (quiet nights, evening peaks) follow.
DEMO_TIME_ZONE = "Europe/Paris"


@dataclass(frozen=True)
class DemoItem:
    """One post and what it really is.

    ``kind`` is the intent (question, complaint, praise, neutral, spam, request, legal_threat,
    blackmail, safety, rumour, poaching, brand_reply, brand_post, follow_up, review, news);
    ``scenario`` the storyline that produced it (background, thread, incident, rumour, crisis,
    poaching, marketing); ``brand`` the slug of the brand the post is about (or speaks for).
    """

    post: CanonicalPost
    brand: str
    kind: str
    topic: str
    scenario: str
    lang: str
    pii: tuple[str, ...] = ()

    def label(self) -> dict[str, object]:
        return {
            "brand": self.brand,
            "kind": self.kind,
            "topic": self.topic,
            "scenario": self.scenario,
            "lang": self.lang,
            "pii": list(self.pii),
        }


@dataclass(frozen=True)
class DemoStats:
    """Counts that describe a dataset (shown by ``tocsin demo`` and in docs/demo.md)."""

    posts: int
    authors: int
    by_lang: Mapping[str, int]
    by_platform: Mapping[str, int]
    by_kind: Mapping[str, int]
    by_scenario: Mapping[str, int]
    with_pii: int
    median_hourly: float
    crisis_peak_hourly: int

    @property
    def crisis_peak_ratio(self) -> float:
        """The busiest crisis hour against the median hour of the week."""
        return self.crisis_peak_hourly / self.median_hourly if self.median_hourly else 0.0


@dataclass(frozen=True)
class DemoDataset:
    """A generated week: ``items`` sorted by time, ``milestones`` for the storylines."""

    seed: int
    start: datetime
    days: int
    brands: tuple[BrandSpec, ...]
    items: tuple[DemoItem, ...]
    milestones: Mapping[str, datetime] = field(default_factory=dict)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)

    @property
    def posts(self) -> list[CanonicalPost]:
        return [item.post for item in self.items]

    def split(self, at: datetime) -> tuple[list[DemoItem], list[DemoItem]]:
        """Items created before ``at``, and the rest (both in time order)."""
        before = [i for i in self.items if i.post.created_at < at]
        return before, [i for i in self.items if i.post.created_at >= at]

    def moved_by_days(self, days: int) -> DemoDataset:
        """The same posts ``days`` calendar days later, keeping each post's local wall time.

        Whole days keep nights quiet and evenings busy; local wall time keeps them right
        across a daylight-saving change.  External ids do not change.
        """
        if days == 0:
            return self
        tz = ZoneInfo(DEMO_TIME_ZONE)

        def move(moment: datetime) -> datetime:
            local = moment.astimezone(tz).replace(tzinfo=None) + timedelta(days=days)
            return local.replace(tzinfo=tz).astimezone(UTC)

        items = [
            replace(i, post=i.post.model_copy(update={"created_at": move(i.post.created_at)}))
            for i in self.items
        ]
        items.sort(key=lambda i: (i.post.created_at, i.post.platform, i.post.external_id))
        return replace(
            self,
            start=move(self.start),
            items=tuple(items),
            milestones={name: move(at) for name, at in self.milestones.items()},
        )

    def ending_on_day_of(self, now: datetime) -> DemoDataset:
        """Moved by whole days so that its last day is ``now``'s day (in the demo time zone).

        Posts later than ``now`` are then in the future: ``tocsin demo`` replays them as their
        time comes.
        """
        tz = ZoneInfo(DEMO_TIME_ZONE)
        last_day = (self.end - timedelta(seconds=1)).astimezone(tz).date()
        return self.moved_by_days((now.astimezone(tz).date() - last_day).days)

    def to_jsonl(self) -> bytes:
        """Every post with its label, one JSON object per line (stable bytes for a seed)."""
        lines = [
            json.dumps(
                {"post": item.post.model_dump(mode="json"), "label": item.label()},
                ensure_ascii=False,
                sort_keys=True,
            )
            for item in self.items
        ]
        return ("\n".join(lines) + "\n").encode()

    def hourly_counts(self, *, brand: str | None = None) -> list[int]:
        """Posts per hour from ``start`` to ``end`` (optionally only those about ``brand``)."""
        counts = [0] * (self.days * 24)
        for item in self.items:
            if brand is not None and item.brand != brand:
                continue
            hour = int((item.post.created_at - self.start).total_seconds() // 3600)
            if 0 <= hour < len(counts):
                counts[hour] += 1
        return counts

    def stats(self) -> DemoStats:
        hourly = self.hourly_counts()
        crisis = self.milestones.get("crisis_start")
        peak = 0
        if crisis is not None:
            first = int((crisis - self.start).total_seconds() // 3600)
            peak = max(hourly[first : first + 6], default=0)
        authors = {
            (i.post.platform, i.post.author.handle) for i in self.items if i.post.author is not None
        }
        return DemoStats(
            posts=len(self.items),
            authors=len(authors),
            by_lang=dict(Counter(i.lang for i in self.items).most_common()),
            by_platform=dict(Counter(i.post.platform for i in self.items).most_common()),
            by_kind=dict(Counter(i.kind for i in self.items).most_common()),
            by_scenario=dict(Counter(i.scenario for i in self.items).most_common()),
            with_pii=sum(1 for i in self.items if i.pii),
            median_hourly=float(statistics.median(hourly)) if hourly else 0.0,
            crisis_peak_hourly=peak,
        )
