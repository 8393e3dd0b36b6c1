"""Worker wiring: match every new or edited post against the brands' queries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.events.outbox import Subscribers
from tocsin.events.types import Event, PostEdited, PostIngested
from tocsin.listening.matching import match_posts


def subscribe(subscribers: Subscribers, settings: Settings) -> None:
    def on_ingested(session: Session, events: Sequence[Event]) -> None:
        ids = [e.post_id for e in events if isinstance(e, PostIngested)]
        match_posts(session=session, post_ids=ids)

    def on_edited(session: Session, events: Sequence[Event]) -> None:
        ids = [e.post_id for e in events if isinstance(e, PostEdited)]
        match_posts(session=session, post_ids=ids, rematch=True)

    subscribers.subscribe_batch(PostIngested.name, on_ingested)
    subscribers.subscribe_batch(PostEdited.name, on_edited)
