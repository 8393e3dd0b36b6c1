"""Long-lived websocket consumers (Jetstream, Mastodon streaming) that resume without loss.

A :class:`StreamConsumer` thread owns one source.  A platform supplies a
:class:`StreamAdapter` that knows the URL, how to parse a message and, for platforms without
a replay cursor, how to catch up over REST after (re)connecting.  The consumer buffers what
passes the brand filter and flushes every ``flush_interval`` seconds or ``flush_size`` items:
raw payloads, the checkpoint and the health fields in one transaction
(:func:`tocsin.connectors.service.record_fetch`), then ingestion.

Killing the thread between two flushes loses only the buffer, and the next start replays it
from the committed checkpoint; whatever was already stored is absorbed by the raw archive's
unique digest and the posts' ``(platform, external_id)`` key.  Deletions are kept only for
posts already stored (the firehose deletes far more than we ever stored).  An adapter that
also implements :class:`~tocsin.connectors.stream_types.StreamHooks` is called around each
flush (Jetstream looks up its authors' handles that way).

Example::

    consumer = StreamConsumer(session_factory, settings, source_id=3,
                              adapter=JetstreamAdapter(ctx)).start()
    ...
    consumer.stop()      # flushes the buffer first; kill() does not (a crash)
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

from tocsin.brands.models import Brand
from tocsin.config import Settings
from tocsin.connectors.http import backoff_delay
from tocsin.connectors.models import Source
from tocsin.connectors.service import ingest_pending, record_failure, record_fetch
from tocsin.connectors.stream_types import StreamAdapter, StreamBatch, StreamHooks, StreamItem
from tocsin.ingestion.models import Post
from tocsin.ingestion.sql import chunked
from tocsin.listening.matching import brand_matcher, brand_query
from tocsin.listening.query import QueryError, QuerySet

log = logging.getLogger(__name__)


class StreamConsumer:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        *,
        source_id: int,
        adapter: StreamAdapter,
        flush_interval: float = 1.0,
        flush_size: int = 200,
        query_refresh: float = 60.0,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.source_id = source_id
        self.adapter = adapter
        self.flush_interval = flush_interval
        self.flush_size = flush_size
        self.query_refresh = query_refresh
        self.flushes = 0
        self._stop = threading.Event()
        self._killed = False
        self._thread: threading.Thread | None = None
        self._ws: ClientConnection | None = None
        self._buffer: list[StreamItem] = []
        self._checkpoint: dict[str, Any] = {}
        self._position_at: datetime | None = None
        self._last_flush = time.monotonic()
        self._queries: QuerySet | None = None
        self._queries_at = 0.0
        self._hooks = adapter if isinstance(adapter, StreamHooks) else None

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> StreamConsumer:
        self._thread = threading.Thread(
            target=self._run, name=f"tocsin-stream-{self.source_id}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Flush what is buffered, close the connection and wait for the thread."""
        self._stop.set()
        self._close()
        self._join(timeout)

    def kill(self, timeout: float = 10.0) -> None:
        """Stop at once without flushing, as a crash would (used by tests)."""
        self._killed = True
        self.stop(timeout)

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _join(self, timeout: float) -> None:
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _close(self) -> None:
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(OSError, WebSocketException):
                ws.close()

    # -- the loop ---------------------------------------------------------------------------
    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                self._consume_once()
                attempt = 0
            except (OSError, WebSocketException, TimeoutError, ValueError) as exc:
                if self._stop.is_set():
                    break
                self._flush()
                self._fail(f"{type(exc).__name__}: {exc}")
                self._stop.wait(backoff_delay(attempt, base=1.0, cap=60.0))
                attempt += 1
        if not self._killed:
            self._flush()

    def _consume_once(self) -> None:
        checkpoint = self._load_checkpoint()
        self._checkpoint = dict(checkpoint)
        url, headers = self.adapter.connection(checkpoint)
        if self._hooks is not None and self.adapter.filter_by_brands:
            self._brand_queries()  # lets the adapter prepare for them before the first post
        with connect(url, additional_headers=headers, open_timeout=10, close_timeout=2) as ws:
            self._ws = ws
            for batch in self.adapter.catch_up(checkpoint):
                self._add(batch)
                self._flush_if_due()
                if self._stop.is_set():
                    return
            while not self._stop.is_set():
                try:
                    message = ws.recv(timeout=self.flush_interval)
                except TimeoutError:
                    self._flush_if_due()
                    continue
                if self._killed:
                    return
                self._add(self.adapter.parse(message))
                self._flush_if_due()
        self._ws = None

    def _add(self, batch: StreamBatch) -> None:
        if self._killed:
            return
        for item in batch.items:
            if self._keep(item):
                self._buffer.append(item)
        self._checkpoint.update(batch.checkpoint)
        if batch.position_at is not None:
            self._position_at = batch.position_at

    def _keep(self, item: StreamItem) -> bool:
        if item.deletion or item.matchable is None or not self.adapter.filter_by_brands:
            return True
        queries = self._brand_queries()
        return queries is not None and bool(queries.match(item.matchable))

    def _flush_if_due(self) -> None:
        due = time.monotonic() - self._last_flush >= self.flush_interval
        if due or len(self._buffer) >= self.flush_size:
            self._flush()

    def _flush(self) -> None:
        if self._killed:
            return
        items, self._buffer = self._buffer, []
        self._last_flush = time.monotonic()
        if self._hooks is not None:
            self._hooks.before_flush(items)
            if self._killed:
                return
        with self.session_factory() as session:
            source = session.get(Source, self.source_id)
            if source is None:
                self._stop.set()
                return
            kept = self._drop_unknown_deletions(session, items)
            stored = record_fetch(
                session=session,
                source=source,
                payloads=[item.payload for item in kept],
                checkpoint={**source.checkpoint, **self._checkpoint},
                item_at=self._position_at,
            )
            if self._hooks is not None:
                try:
                    with session.begin_nested():
                        self._hooks.on_flush(session)
                except SQLAlchemyError as exc:
                    log.warning("stream of source %s: flush hook failed: %s", self.source_id, exc)
            session.commit()
        self.flushes += 1
        if stored:
            ingest_pending(session_factory=self.session_factory)

    def _drop_unknown_deletions(
        self, session: Session, items: list[StreamItem]
    ) -> list[StreamItem]:
        ids = [i.external_id for i in items if i.deletion and i.external_id]
        known: set[str] = set()
        for chunk in chunked(ids):
            stmt = select(Post.external_id).where(
                Post.platform == self.adapter.post_platform, Post.external_id.in_(chunk)
            )
            known.update(session.scalars(stmt))
        return [i for i in items if not i.deletion or i.external_id in known]

    def _fail(self, message: str) -> None:
        log.warning("stream of source %s: %s", self.source_id, message)
        with self.session_factory() as session:
            source = session.get(Source, self.source_id)
            if source is not None:
                record_failure(session=session, source=source, error=message)
                session.commit()

    def _load_checkpoint(self) -> dict[str, Any]:
        with self.session_factory() as session:
            source = session.get(Source, self.source_id)
            if source is None:
                raise ValueError(f"source {self.source_id} was deleted")
            return dict(source.checkpoint or {})

    def _brand_queries(self) -> QuerySet | None:
        """The source's own query, else its brand's, else every brand's (refreshed)."""
        now = time.monotonic()
        if self._queries is not None and now - self._queries_at < self.query_refresh:
            return self._queries
        with self.session_factory() as session:
            source = session.get(Source, self.source_id)
            query = str((source.settings or {}).get("query", "")) if source else ""
            try:
                if query.strip():
                    self._queries = QuerySet({"source": query})
                elif source is not None and source.brand_id is not None:
                    brand = session.get(Brand, source.brand_id)
                    self._queries = QuerySet({"brand": brand_query(brand)}) if brand else None
                else:
                    self._queries = brand_matcher(session).queries
            except (QueryError, ValueError) as exc:
                log.warning("source %s: no usable listening query: %s", self.source_id, exc)
                self._queries = None
        self._queries_at = now
        if self._hooks is not None and self._queries is not None:
            self._hooks.queries_loaded(self._queries)
        return self._queries
