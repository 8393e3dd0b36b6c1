"""Helpers for the ingestion tests: canonical posts written by hand, and a fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from tests.conftest import drop_database, new_database_url
from tocsin.db import Base, make_engine
from tocsin.ingestion.models import Post
from tocsin.ingestion.schemas import CanonicalPost

WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def make_post(external_id: str = "1", **fields: Any) -> CanonicalPost:
    """A canonical post; ``fields`` are given to the model so they count as delivered."""
    data: dict[str, Any] = {
        "platform": "x",
        "external_id": external_id,
        "text": f"My order {external_id} never arrived",
        "created_at": WHEN,
        "author": {"handle": "jane"},
    }
    data.update(fields)
    return CanonicalPost.model_validate(data)


def post_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Post)) or 0


def stored(session: Session, platform: str, external_id: str) -> Post:
    session.expire_all()
    post = session.scalar(
        select(Post).where(Post.platform == platform, Post.external_id == external_id)
    )
    assert post is not None
    return post


@pytest.fixture(scope="module")
def fresh_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new database with every table and an ``alembic_version`` row, as ``tocsin init`` leaves it.

    Used where data must really be committed (the CLI, concurrent workers).
    """
    url = new_database_url(tmp_path_factory.mktemp("fresh"))
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('tests')"))
    engine.dispose()
    yield url
    drop_database(url)


def clear(url: str) -> None:
    """Empty every table but alembic_version (tests sharing a fresh database)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            assert isinstance(table, Table)
            conn.execute(table.delete())
    engine.dispose()


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path
