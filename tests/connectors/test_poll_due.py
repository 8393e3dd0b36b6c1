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


def test_a_source_without_connector_is_listed_not_run(session):
    """The demo tags its posts with a source of platform "other": it must not break anything."""
    from tocsin.connectors.health import source_health

    tag = Source(name="imported", platform="other", settings={}, enabled=False)
    stray = Source(name="stray", platform="other", settings={}, enabled=True)
    session.add_all([tag, stray])
    session.flush()
    assert source_health(tag).status == "disabled"
    assert source_health(stray).status == "unsupported"
    assert source_health(stray).mode is None
    assert due_sources(session=session) == []
