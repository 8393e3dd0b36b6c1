"""The worker wiring: PostIngested → brand match → rollups; the jobs catch up and cluster."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.listening.factories import NOW, brands
from tocsin.config import Settings
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.outbox import Subscribers, dispatch_pending
from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.listening import tasks
from tocsin.listening.narratives_models import PostNarrative
from tocsin.listening.narratives_tasks import run_narratives
from tocsin.listening.rollups_models import HourlyRollup


def test_ingested_posts_reach_the_rollups_and_narratives(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    with session_factory() as s:
        brands(s)
        ingest_posts(
            session=s,
            posts=[
                CanonicalPost.model_validate(
                    {
                        "platform": "bluesky",
                        "external_id": f"w-{i}",
                        "text": text,
                        "created_at": NOW.isoformat(),
                        "author": {"handle": f"w{i}.test"},
                        "lang": "en",
                    }
                )
                for i, text in enumerate(["Lumio refund please", "Lumio bulbs are lovely"])
            ],
        )
        s.commit()
    subscribers = Subscribers()
    tasks.subscribe(subscribers, settings)
    dispatch_pending(session_factory, subscribers)
    with session_factory() as s:
        for post_id in s.scalars(select(Post.id)):  # enrichment arrives after matching
            s.add(PostEnrichment(post_id=post_id, lang="en", sentiment="neutral"))
        s.commit()
    assert tasks.run_rollups(session_factory, settings).startswith("2 posts counted")
    assert run_narratives(session_factory, settings).startswith("2 posts placed")
    with session_factory() as s:
        assert s.scalar(select(func.sum(HourlyRollup.posts))) == 2
        assert s.scalar(select(func.count()).select_from(PostNarrative)) == 2
    assert {j.name for j in tasks.jobs(settings)} >= {"listening.rollups", "listening.narratives"}
