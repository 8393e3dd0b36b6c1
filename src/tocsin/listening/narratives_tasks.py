"""The narratives job: place newly matched posts in narratives, past a stored cursor.

Embedding costs about a millisecond per post, so it runs as a periodic job over new
``post_brands`` rows rather than inside the ingestion path.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.listening.models import PostBrand
from tocsin.listening.narratives import assign_narratives, prune_narratives
from tocsin.listening.rollups_models import ListeningCursor
from tocsin.types import utcnow

CURSOR = "narratives"
BATCH = 500


def place_new_posts(*, session: Session, batches: int = 20) -> int:
    """Assign up to ``batches × BATCH`` matched posts past the cursor; returns posts placed."""
    cursor = session.get(ListeningCursor, CURSOR)
    if cursor is None:
        cursor = ListeningCursor(name=CURSOR, value=0)
        session.add(cursor)
    placed = 0
    for _ in range(batches):
        links = session.execute(
            select(PostBrand.id, PostBrand.post_id)
            .where(PostBrand.id > cursor.value)
            .order_by(PostBrand.id)
            .limit(BATCH)
        ).all()
        if not links:
            break
        placed += assign_narratives(session=session, post_ids=[link[1] for link in links])
        cursor.value = links[-1][0]
        cursor.updated_at = utcnow()
        session.commit()
    return placed


def run_narratives(factory: sessionmaker[Session], _settings: Settings) -> str:
    with factory() as session:
        placed = place_new_posts(session=session)
        pruned = prune_narratives(session=session)
        session.commit()
    return f"{placed} posts placed, {pruned} narratives pruned"
