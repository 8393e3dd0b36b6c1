"""Revision 0002 on a store that already has counts: they are dropped and recounted the same.

Receipts written before 0002 cannot say what they added, so the migration clears the counts and
resets the catch-up cursor; the ``listening.rollups`` job then recounts every matched post.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import select

from conftest import drop_database, new_database_url
from tests.listening.factories import brands
from tests.listening.rollup_helpers import dispatch_all, fake_enrichment, snapshot
from tests.listening.test_rollups_follow import _ingest, _post
from tocsin.config import Settings
from tocsin.db import make_engine, make_session_factory
from tocsin.events.outbox import Subscribers
from tocsin.listening import tasks as listening_tasks
from tocsin.listening.rollups import CURSOR, catch_up
from tocsin.listening.rollups_models import ListeningCursor
from tocsin.migrate import alembic_config, upgrade_database


def test_upgrade_to_0002_recounts_existing_rollups(tmp_path: Path, settings: Settings) -> None:
    url = new_database_url(tmp_path)
    engine = make_engine(url)
    try:
        upgrade_database(url)
        factory = make_session_factory(engine)
        with factory() as s:
            brands(s)
            s.commit()
        subscribers = Subscribers()
        fake_enrichment(subscribers)
        listening_tasks.subscribe(subscribers, settings)
        _ingest(
            factory,
            _post("m-1", "Lumio kettle arrived broken #fail"),
            _post("m-2", "Lumio lamp, love it"),
            _post("m-3", "Nordel and Lumio both sell lamps"),
        )
        dispatch_all(factory, subscribers)
        with factory() as s:
            counted = snapshot(s)
        assert counted["hourly"] and counted["receipts"]

        engine.dispose()
        command.downgrade(alembic_config(url), "0001")
        upgrade_database(url)
        with factory() as s:
            assert snapshot(s) == {"hourly": {}, "daily": {}, "items": {}, "receipts": {}}
            assert s.scalar(select(ListeningCursor).where(ListeningCursor.name == CURSOR)) is None
            while catch_up(session=s):
                s.commit()
            s.commit()
            assert snapshot(s) == counted
    finally:
        engine.dispose()
        drop_database(url)
