"""Worker wiring: poll due sources, ingest archived payloads, prune webhook receipts; streams.

Periodic jobs (both runtimes run them, one worker at a time):

* ``connectors.poll`` — every enabled ``poll`` source whose interval has elapsed (and whose
  rate-limit wait is over) is fetched once;
* ``connectors.ingest`` — archived payloads still pending (webhooks store and answer at once)
  are normalised and ingested;
* ``connectors.prune`` — webhook receipts older than the replay window are forgotten;
* ``connectors.instagram_mentions`` — Instagram mentions still without their text are read
  from the Graph API (see :mod:`tocsin.connectors.meta.mentions`).

Streams (Jetstream, Mastodon) are long-lived threads, not jobs: :func:`start_streams` starts
one :class:`~tocsin.connectors.streams.StreamConsumer` per enabled stream source and returns a
:class:`StreamSupervisor` whose ``stop()`` flushes and joins them.

Example::

    supervisor = start_streams(settings, session_factory)
    ...
    supervisor.stop()
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.connectors.health import interval_of
from tocsin.connectors.meta.mentions import hydrate_mentions
from tocsin.connectors.meta.webhook import DEFAULT_MAX_AGE
from tocsin.connectors.models import Source
from tocsin.connectors.receipts import prune_receipts
from tocsin.connectors.registry import PLATFORMS, context_for, platform_spec, source_mode
from tocsin.connectors.service import RETRY_AT, ingest_pending, run_source
from tocsin.connectors.streams import StreamConsumer
from tocsin.privacy.secrets import SecretError
from tocsin.types import as_utc, utcnow
from tocsin.workers.registry import Job

log = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def next_poll_at(source: Source) -> datetime:
    """When ``source`` should be polled next (since its creation if never polled)."""
    last = max(
        (t for t in (source.last_success_at, source.last_error_at) if t is not None),
        default=None,
    )
    if last is None:
        return source.created_at or EPOCH
    wait = float(interval_of(source))
    if source.error_count:
        wait = max(wait, min(3600.0, 30.0 * 2 ** min(source.error_count, 7)))
    due = last + timedelta(seconds=wait)
    retry_at = (source.checkpoint or {}).get(RETRY_AT)
    if isinstance(retry_at, str):
        due = max(due, as_utc(datetime.fromisoformat(retry_at)))
    return due


def due_sources(*, session: Session, now: datetime | None = None) -> list[Source]:
    now = now or utcnow()
    sources = session.scalars(select(Source).where(Source.enabled.is_(True)).order_by(Source.id))
    return [
        s
        for s in sources
        if s.platform in PLATFORMS and source_mode(s) == "poll" and next_poll_at(s) <= now
    ]


def poll_due_sources(factory: sessionmaker[Session], settings: Settings) -> str:
    with factory() as session:
        ids = [s.id for s in due_sources(session=session)]
    reports = [run_source(session_factory=factory, settings=settings, source_id=i) for i in ids]
    failed = sum(1 for r in reports if r.error)
    stored = sum(r.stored for r in reports)
    return f"{len(reports)} sources polled, {stored} new payloads, {failed} failed"


def ingest_job(factory: sessionmaker[Session], settings: Settings) -> str:
    return f"{ingest_pending(session_factory=factory)} posts ingested"


def prune_job(factory: sessionmaker[Session], settings: Settings) -> str:
    with factory() as session:
        gone = prune_receipts(
            session=session, before=utcnow() - timedelta(seconds=DEFAULT_MAX_AGE + 3600)
        )
        session.commit()
    return f"{gone} webhook receipts pruned"


def mentions_job(factory: sessionmaker[Session], settings: Settings) -> str:
    return hydrate_mentions(session_factory=factory, settings=settings).summary()


def jobs(settings: Settings) -> list[Job]:
    return [
        Job("connectors.poll", 15, poll_due_sources),
        Job("connectors.ingest", 5, ingest_job),
        Job("connectors.prune", 3600, prune_job),
        Job("connectors.instagram_mentions", 60, mentions_job),
    ]


class StreamSupervisor:
    """The running stream consumers; ``stop()`` flushes and joins them all."""

    def __init__(self, consumers: list[StreamConsumer]) -> None:
        self.consumers = consumers

    def stop(self, timeout: float = 10.0) -> None:
        for consumer in self.consumers:
            consumer.stop(timeout)


def start_streams(
    settings: Settings,
    session_factory: sessionmaker[Session],
    *,
    flush_interval: float = 1.0,
    flush_size: int = 200,
) -> StreamSupervisor:
    """Start a consumer thread per enabled stream source."""
    consumers: list[StreamConsumer] = []
    with session_factory() as session:
        sources = session.scalars(select(Source).where(Source.enabled.is_(True))).all()
        for source in sources:
            if source.platform not in PLATFORMS:
                log.warning("source %s: no connector for %r", source.name, source.platform)
                continue
            spec = platform_spec(source.platform)
            if source_mode(source) != "stream" or spec.stream is None:
                continue
            try:
                adapter = spec.stream(context_for(source=source, settings=settings))
            except (SecretError, ValueError) as exc:
                log.warning("stream source %s not started: %s", source.name, exc)
                continue
            consumers.append(
                StreamConsumer(
                    session_factory,
                    settings,
                    source_id=source.id,
                    adapter=adapter,
                    flush_interval=flush_interval,
                    flush_size=flush_size,
                )
            )
    for consumer in consumers:
        consumer.start()
    log.info("%d stream consumers started", len(consumers))
    return StreamSupervisor(consumers)


__all__ = ["StreamSupervisor", "jobs", "start_streams"]
