"""Priority 0-100: an additive, capped, explainable score over what the other enrichers found.

Each factor adds points up to its own cap, and every non-zero term is returned as a
:class:`PriorityReason` so the inbox can say *why* a post is at the top:

=================  ===============================================================  ====
factor             points                                                           cap
=================  ===============================================================  ====
intent             threat 35, safety 35, complaint 20, request 12, question 8 (sum)  40
sentiment          15 × strength of negative sentiment (score -1 → 15)               15
reach              4 × log10(1 + followers), + 4 if verified                          20
velocity           5 × log10(1 + engagements per hour online)                         15
vip                author on the VIP list                                             15
risk               10 per risk category named (legal, recall, media, regulator…)     20
=================  ===============================================================  ====

The sum is clamped to 0-100; spam is capped at 5 whatever else it says.

Example::

    PriorityEnricher().score(post, enrichment)
    # 67, [PriorityReason("intent", 35, "threat/blackmail"), PriorityReason("reach", 16.0, …)]
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tocsin.enrichment.base import BatchContext, Enrichment, PostInput, PriorityReason
from tocsin.enrichment.lexicons import compile_terms, fold, lexicon_matcher
from tocsin.types import as_utc


@dataclass(frozen=True)
class PriorityWeights:
    """The points and caps of the formula above; change them per brand, not in code."""

    intent_points: dict[str, float] = field(
        default_factory=lambda: {
            "threat": 35.0,
            "safety": 35.0,
            "complaint": 20.0,
            "request": 12.0,
            "question": 8.0,
        }
    )
    intent_cap: float = 40.0
    sentiment_cap: float = 15.0
    reach_per_decade: float = 4.0
    verified_points: float = 4.0
    reach_cap: float = 20.0
    velocity_per_decade: float = 5.0
    velocity_cap: float = 15.0
    #: Engagement counted on a post younger than this is spread over this many hours.
    velocity_min_hours: float = 0.25
    vip_points: float = 15.0
    risk_points: float = 10.0
    risk_cap: float = 20.0
    spam_cap: float = 5.0


def _round(points: float) -> float:
    return round(points, 1)


class PriorityEnricher:
    """Scores each post; reads intents, sentiment and language set by earlier enrichers."""

    name = "priority"
    version = "priority-1"

    def __init__(
        self,
        *,
        weights: PriorityWeights | None = None,
        vip_handles: Iterable[str] = (),
        risk_terms: Iterable[str] = (),
    ) -> None:
        self.weights = weights or PriorityWeights()
        self.vip_handles = frozenset(h.lower().lstrip("@") for h in vip_handles)
        self._custom_risk: re.Pattern[str] | None = compile_terms(risk_terms)

    def enrich(
        self, batch: Sequence[PostInput], results: list[Enrichment], context: BatchContext
    ) -> None:
        for post, result in zip(batch, results, strict=True):
            age = post.age_hours
            if age is None and post.created_at is not None:
                age = (context.now - as_utc(post.created_at)).total_seconds() / 3600
            result.priority, result.priority_reasons = self.score(post, result, age_hours=age)
            result.model_versions[self.name] = self.version

    def score(
        self, post: PostInput, result: Enrichment, *, age_hours: float | None = None
    ) -> tuple[int, list[PriorityReason]]:
        """The priority of ``post`` given its enrichment, and the reasons that add up to it."""
        w = self.weights
        reasons: list[PriorityReason] = []

        intent_names = list(dict.fromkeys(h.name for h in result.intents))
        scored = [(n, w.intent_points[n]) for n in intent_names if n in w.intent_points]
        if scored:
            points = min(w.intent_cap, sum(p for _, p in scored))
            labels = [
                f"{h.name}/{h.subtype}" if h.subtype else h.name
                for h in result.intents
                if h.name in w.intent_points
            ]
            reasons.append(PriorityReason("intent", points, ", ".join(dict.fromkeys(labels))))

        if result.sentiment == "negative" or result.sentiment_score < 0:
            strength = max(0.0, -result.sentiment_score)
            points = _round(min(w.sentiment_cap, w.sentiment_cap * strength))
            if points > 0:
                detail = f"negative sentiment {result.sentiment_score:+.2f}"
                reasons.append(PriorityReason("sentiment", points, detail))

        reach = w.reach_per_decade * math.log10(1 + max(0, post.author_followers))
        if post.author_verified:
            reach += w.verified_points
        if reach > 0:
            detail = f"{post.author_followers:,} followers" + (
                ", verified" if post.author_verified else ""
            )
            reasons.append(PriorityReason("reach", _round(min(w.reach_cap, reach)), detail))

        if post.engagement > 0 and age_hours is not None:
            per_hour = post.engagement / max(age_hours, w.velocity_min_hours)
            points = _round(min(w.velocity_cap, w.velocity_per_decade * math.log10(1 + per_hour)))
            if points > 0:
                detail = f"{post.engagement} engagements in {age_hours:.1f} h ({per_hour:.0f}/h)"
                reasons.append(PriorityReason("velocity", points, detail))

        handle = (post.author_handle or "").lower().lstrip("@")
        if post.is_vip or (handle and handle in self.vip_handles):
            reasons.append(PriorityReason("vip", w.vip_points, f"VIP author @{handle or '?'}"))

        risks = self._risk_terms(post.text, result.lang)
        if risks:
            points = min(w.risk_cap, w.risk_points * len(risks))
            detail = ", ".join(f'{category} "{term}"' for category, term in risks.items())
            reasons.append(PriorityReason("risk", points, detail))

        total = sum(r.points for r in reasons)
        if any(h.name == "spam" for h in result.intents) and total > w.spam_cap:
            reasons.append(PriorityReason("spam", w.spam_cap - total, "spam: capped"))
            total = w.spam_cap
        return max(0, min(100, round(total))), reasons

    def _risk_terms(self, text: str, lang: str | None) -> dict[str, str]:
        folded = fold(text)
        found: dict[str, str] = {}
        for code in dict.fromkeys([(lang or "en").split("-")[0], "en"]):
            matcher = lexicon_matcher(code)
            if matcher is None:
                continue
            for category, terms in matcher.scan_risk(folded).items():
                found.setdefault(category, terms[0])
        if self._custom_risk is not None and (match := self._custom_risk.search(folded)):
            found["custom"] = match.group(0)
        return found
