"""Fixtures for the connector tests: a database other threads can see, sources, the web app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import drop_database, new_database_url
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.config import Settings
from tocsin.connectors.models import Source
from tocsin.connectors.service import create_source
from tocsin.db import Base, make_engine, make_session_factory
from tocsin.web.app import create_app


@pytest.fixture
def live_factory(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A fresh database whose commits are visible to consumer threads."""
    url = new_database_url(tmp_path)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        ensure_builtin_roles(session)
        session.commit()
    yield factory
    engine.dispose()
    drop_database(url)


@pytest.fixture
def make_source(settings: Settings) -> Callable[..., int]:
    def make(
        factory: sessionmaker[Session],
        platform: str,
        name: str | None = None,
        *,
        options: dict[str, Any] | None = None,
        credentials: dict[str, Any] | None = None,
    ) -> int:
        with factory() as session:
            source: Source = create_source(
                session=session,
                settings=settings,
                name=name or f"{platform}-test",
                platform=platform,
                options=options or {},
                credentials=credentials or {},
            )
            session.commit()
            return source.id

    return make


@pytest.fixture
def web(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    app = create_app(settings, session_factory=session_factory)
    with TestClient(app, follow_redirects=False) as client:
        yield client
