"""Worker wiring: match new and edited posts against the fact sheet.

Runs after brand matching (``tocsin.listening.tasks`` must come first in the worker registry's
contributors), because a post is only compared with the claims of the brands it mentions.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from tocsin.claims.service import match_posts_to_claims
from tocsin.config import Settings
from tocsin.events.outbox import Subscribers
from tocsin.events.types import Event, PostEdited, PostIngested


def subscribe(subscribers: Subscribers, settings: Settings) -> None:
    def on_posts(session: Session, events: Sequence[Event]) -> None:
        ids = [e.post_id for e in events if isinstance(e, PostIngested | PostEdited)]
        match_posts_to_claims(session=session, post_ids=ids)

    subscribers.subscribe_batch(PostIngested.name, on_posts)
    subscribers.subscribe_batch(PostEdited.name, on_posts)
