"""Running the Alembic migrations shipped inside the package.

Example::

    upgrade_database("sqlite:///./tocsin.db")
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from tocsin.db import make_engine


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("tocsin") / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Bring the schema at ``database_url`` up to ``revision`` (idempotent)."""
    command.upgrade(alembic_config(database_url), revision)


def is_initialised(database_url: str) -> bool:
    """Whether the schema exists (never creates an SQLite file as a side effect)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = url.database or ""
        if path in ("", ":memory:") or not Path(path).exists():
            return False
    engine = make_engine(database_url)
    try:
        return inspect(engine).has_table("alembic_version")
    finally:
        engine.dispose()
