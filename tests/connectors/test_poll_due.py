"""A new poll source is due at once; after a run, only when its interval has passed."""

from datetime import timedelta

from tocsin.connectors.models import Source
from tocsin.connectors.tasks import due_sources
from tocsin.types import utcnow


def test_a_new_source_is_due_immediately_then_waits_for_its_interval(session):
    source = Source(
        name="feed",
        platform="rss",
        settings={"url": "https://example.org/feed.xml", "interval_seconds": 300},
    )
    session.add(source)
    session.flush()
    assert [s.name for s in due_sources(session=session)] == ["feed"]
    source.last_success_at = utcnow()
    session.flush()
    assert due_sources(session=session) == []
    assert [
        s.name for s in due_sources(session=session, now=utcnow() + timedelta(seconds=301))
    ] == ["feed"]
