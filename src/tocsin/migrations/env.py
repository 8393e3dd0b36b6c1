"""Alembic environment: the URL comes from ``tocsin migrate`` or TOCSIN_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import tocsin.models  # noqa: F401  - registers every table
from tocsin.config import Settings
from tocsin.db import Base, make_engine, sqlite_foreign_keys_off

config = context.config
url = config.get_main_option("sqlalchemy.url") or Settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=url,
        target_metadata=Base.metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection, sqlite_foreign_keys_off(connection):
        _run(connection)
    engine.dispose()


def _run(connection: Connection) -> None:
    # SQLite runs DDL in transactions too (the driver's own transaction handling is off, see
    # tocsin.db): one transaction for the whole run, so a failed step or check leaves nothing
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        _check_foreign_keys(connection)


def _check_foreign_keys(connection: Connection) -> None:
    """On SQLite (migrated with foreign keys off), refuse to commit rows that break one."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise RuntimeError(
            f"migration left {len(broken)} row(s) referring to missing {parent} rows "
            f"(first: {table} rowid {rowid}); nothing was committed"
        )


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
