"""The whole pipeline, in-process: ingest → enrich → brand links → downstream event."""

from datetime import UTC, datetime

from sqlalchemy import select

from tocsin.brands.models import Brand
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.models import OutboxEvent
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.listening.models import PostBrand
from tocsin.workers.inprocess import InProcessWorkers


def test_a_post_is_understood_and_linked_after_one_pass(session, session_factory, settings):
    session.add(
        Brand(slug="lumio", name="Lumio", handles=[{"platform": "x", "handle": "LumioCare"}])
    )
    report = ingest_posts(
        session=session,
        posts=[
            CanonicalPost(
                platform="x",
                external_id="pipe-1",
                text="@LumioCare ma box Lumio est en panne depuis 3 jours, c'est inadmissible !",
                created_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
                author=CanonicalAuthor(handle="claire", followers=1200),
            )
        ],
    )
    session.commit()
    post_id = report.outcomes[0].post_id

    workers = InProcessWorkers(settings, session_factory, jobs=[])
    assert workers.run_once() >= 1

    enrichment = session.get(PostEnrichment, post_id)
    assert enrichment.lang == "fr"
    assert enrichment.sentiment == "negative"
    assert enrichment.complaint and enrichment.needs_reply
    assert session.scalar(select(PostBrand).where(PostBrand.post_id == post_id)) is not None
    names = set(session.scalars(select(OutboxEvent.name)))
    assert "posts.enriched" in names
    pending = session.scalars(select(OutboxEvent).where(OutboxEvent.dispatched_at.is_(None)))
    assert [e.name for e in pending] == []
