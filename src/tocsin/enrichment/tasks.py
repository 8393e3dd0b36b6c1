"""Worker wiring: enrich every new or edited post, then announce it with ``PostsEnriched``.

The pipeline (models loaded once, ~150 MB) is built on the first batch of each process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.enrichment.events import PostsEnriched
from tocsin.enrichment.pipeline import EnrichmentPipeline, PipelineConfig
from tocsin.enrichment.service import enrich_posts
from tocsin.events.outbox import Subscribers, emit
from tocsin.events.types import Event, PostEdited, PostIngested


class _LazyPipeline:
    def __init__(self) -> None:
        self._pipeline: EnrichmentPipeline | None = None
        self._lock = threading.Lock()

    def get(self) -> EnrichmentPipeline:
        with self._lock:
            if self._pipeline is None:
                self._pipeline = EnrichmentPipeline.from_config(PipelineConfig())
            return self._pipeline


def subscribe(subscribers: Subscribers, settings: Settings) -> None:
    pipeline = _LazyPipeline()

    def enrich(session: Session, events: Sequence[Event]) -> None:
        ids = sorted({e.post_id for e in events if isinstance(e, PostIngested | PostEdited)})
        if ids and enrich_posts(session=session, post_ids=ids, pipeline=pipeline.get()):
            emit(session, PostsEnriched(post_ids=ids))

    subscribers.warmups.append(pipeline.get)
    subscribers.subscribe_batch(PostIngested.name, enrich)
    subscribers.subscribe_batch(PostEdited.name, enrich)
