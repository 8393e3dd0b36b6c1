"""Shared fixtures: one database per run, and each test inside a transaction rolled back.

The suite runs on SQLite by default and on PostgreSQL when ``TOCSIN_TEST_DATABASE_URL`` is
set (``.ci/run`` does both).  Tests that need committed data visible to another thread or
process (the browser tests) use :func:`live_database` instead of ``session``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

import tocsin.models  # noqa: F401  - registers every table
from fakes.receivers import HttpReceiver, SmtpReceiver
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.config import Environment, Settings
from tocsin.db import Base, make_engine

TEST_DATABASE_URL = os.environ.get("TOCSIN_TEST_DATABASE_URL", "")


def _fresh_postgres_database(url: str) -> str:
    """Create a new, empty database next to ``url`` and return its URL."""
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"tocsin_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def new_database_url(tmp_path: Path) -> str:
    """A new empty database of the kind this run tests (used by live and migration tests)."""
    if TEST_DATABASE_URL:
        return _fresh_postgres_database(TEST_DATABASE_URL)
    return f"sqlite:///{tmp_path / 'tocsin.db'}"


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        _drop_postgres_database(url)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = new_database_url(tmp_path_factory.mktemp("db"))
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    with sessionmaker(bind=engine)() as session:
        ensure_builtin_roles(session)
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        environment=Environment.TEST,
        secret_key="test-secret-key-0123456789-abcdefghijklmnop",
        login_max_attempts=5,
    )


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    conn = engine.connect()
    trans = conn.begin()
    yield conn
    trans.rollback()
    conn.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions that commit into savepoints of the test's transaction (rolled back after)."""
    return sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture
def http_receiver() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def smtp_receiver() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver().start()
    yield receiver
    receiver.stop()
