"""Campaign tracking: volume, sentiment and a confusion signal for a campaign's posts.

A post belongs to a campaign when it mentions the brand, was published between the campaign's
dates, and quotes one of its hashtags or terms (case- and accent-insensitive).  The
**confusion** signal counts those posts that ask a question or are negative: a campaign people
misread shows up there before it shows up in the press.

Example::

    campaign = create_campaign(session=s, brand_id=1, name="Summer lights",
                               hashtags=["#LumioSummer"], terms=["summer offer"],
                               starts_at=june_1, ends_at=june_30)
    stats = campaign_stats(session=s, campaign=campaign)
    stats.posts, stats.confusion_rate
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.enrichment.models import PostEnrichment
from tocsin.ingestion.models import Post
from tocsin.listening.models import PostBrand
from tocsin.listening.terms import fold
from tocsin.listening.tracking_models import Campaign

#: Posts read per campaign (a campaign is a narrow window; this bounds a runaway one).
SCAN_LIMIT = 50_000
QUESTION_INTENTS = ("question",)


class CampaignError(ValueError):
    """The campaign is invalid; the message says how to fix it."""


def create_campaign(
    *,
    session: Session,
    brand_id: int,
    name: str,
    hashtags: list[str],
    terms: list[str],
    starts_at: datetime,
    ends_at: datetime,
) -> Campaign:
    tags = [t if t.startswith("#") else f"#{t}" for t in (h.strip() for h in hashtags) if t]
    words = [t.strip() for t in terms if t.strip()]
    if not name.strip():
        raise CampaignError("name the campaign")
    if not tags and not words:
        raise CampaignError("give at least one hashtag or term the campaign's posts quote")
    if ends_at <= starts_at:
        raise CampaignError("the campaign must end after it starts")
    campaign = Campaign(
        brand_id=brand_id,
        name=name.strip(),
        hashtags=tags,
        terms=words,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    session.add(campaign)
    session.flush()
    return campaign


def campaign_pattern(campaign: Campaign) -> re.Pattern[str]:
    parts = [re.escape(fold(t)) for t in [*campaign.hashtags, *campaign.terms]]
    return re.compile(r"(?<![\w#])(?:" + "|".join(parts) + r")(?!\w)")


@dataclass
class CampaignStats:
    posts: int = 0
    sentiment: Counter[str] = field(default_factory=Counter)
    questions: int = 0
    negative: int = 0
    #: Posts that are a question or negative (counted once).
    confused: int = 0
    per_day: Counter[str] = field(default_factory=Counter)
    confused_examples: list[Post] = field(default_factory=list)

    @property
    def confusion_rate(self) -> float:
        return self.confused / self.posts if self.posts else 0.0


def campaign_stats(*, session: Session, campaign: Campaign, examples: int = 10) -> CampaignStats:
    pattern = campaign_pattern(campaign)
    rows = session.execute(
        select(Post, PostEnrichment.sentiment, PostEnrichment.intents)
        .join(PostBrand, PostBrand.post_id == Post.id)
        .outerjoin(PostEnrichment, PostEnrichment.post_id == Post.id)
        .where(
            PostBrand.brand_id == campaign.brand_id,
            PostBrand.by_brand.is_(False),
            PostBrand.post_created_at >= campaign.starts_at,
            PostBrand.post_created_at < campaign.ends_at,
            Post.direction == "inbound",
            Post.deleted.is_(False),
        )
        .order_by(PostBrand.post_created_at.desc())
        .limit(SCAN_LIMIT)
    )
    stats = CampaignStats()
    for row in rows:
        post: Post = row[0]
        sentiment: str | None = row[1]
        intents: list[dict[str, object]] = row[2] or []
        if not pattern.search(fold(f"{post.title or ''}\n{post.text}")):
            continue
        stats.posts += 1
        stats.sentiment[sentiment or "unknown"] += 1
        stats.per_day[post.created_at.strftime("%Y-%m-%d")] += 1
        names = {str(i.get("name")) for i in intents}
        question = bool(names & set(QUESTION_INTENTS)) or "?" in post.text
        negative = sentiment == "negative"
        stats.questions += question
        stats.negative += negative
        if question or negative:
            stats.confused += 1
            if len(stats.confused_examples) < examples:
                stats.confused_examples.append(post)
    return stats


def brand_campaigns(*, session: Session, brand_id: int) -> list[Campaign]:
    return list(
        session.scalars(
            select(Campaign)
            .where(Campaign.brand_id == brand_id)
            .order_by(Campaign.starts_at.desc())
        )
    )
