"""Events of the enrichment stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from tocsin.events.types import Event


@dataclass(frozen=True)
class PostsEnriched(Event):
    """These posts now have (new) enrichment rows: language, sentiment, intents, PII, priority.

    Downstream stages that need the understanding of a post (opening cases, negative-volume
    series, rollups) subscribe to this rather than to ``post.ingested``.
    """

    name: ClassVar[str] = "posts.enriched"
    post_ids: list[int] = field(default_factory=list)
