"""Worker wiring: enrich every new or edited post, then announce it with ``PostsEnriched``.

The pipeline (models loaded once, ~150 MB) is built on the first batch of each process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.enrichment.base import PostInput
from tocsin.enrichment.events import PostsEnriched
from tocsin.enrichment.hf import options_from_settings
from tocsin.enrichment.pipeline import EnrichmentPipeline, PipelineConfig
from tocsin.enrichment.service import enrich_posts
from tocsin.events.outbox import Subscribers, emit
from tocsin.events.types import Event, PostEdited, PostIngested


class _LazyPipeline:
    """The configured pipeline (builtin models, or the Hugging Face sentiment model the settings
    name with ``TOCSIN_SENTIMENT_MODEL=hf:…``)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._pipeline: EnrichmentPipeline | None = None
        self._lock = threading.Lock()

    def get(self) -> EnrichmentPipeline:
        with self._lock:
            if self._pipeline is None:
                config = PipelineConfig(hf_sentiment=options_from_settings(self._settings))
                self._pipeline = EnrichmentPipeline.from_config(config)
            return self._pipeline

    def warm_up(self) -> None:
        """Build the pipeline and run it once, so that every model (embedding tables, language
        id, PII detectors) is loaded before the first batch, outside any transaction."""
        self.get().run([PostInput(id="warm-up", text="Where is my parcel? Mon colis est perdu.")])


def subscribe(subscribers: Subscribers, settings: Settings) -> None:
    pipeline = _LazyPipeline(settings)

    def enrich(session: Session, events: Sequence[Event]) -> None:
        ids = sorted({e.post_id for e in events if isinstance(e, PostIngested | PostEdited)})
        if ids and enrich_posts(session=session, post_ids=ids, pipeline=pipeline.get()):
            emit(session, PostsEnriched(post_ids=ids))

    subscribers.warmups.append(pipeline.warm_up)
    subscribers.subscribe_batch(PostIngested.name, enrich)
    subscribers.subscribe_batch(PostEdited.name, enrich)
