"""The shipped migrations build exactly the schema the models describe, on this run's database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from conftest import drop_database, new_database_url
from tocsin.db import Base, make_engine
from tocsin.migrate import is_initialised, upgrade_database


def test_migrations_match_models_and_are_idempotent(tmp_path):
    url = new_database_url(tmp_path)
    try:
        assert not is_initialised(url)
        upgrade_database(url)
        upgrade_database(url)  # a second run changes nothing
        assert is_initialised(url)
        engine = make_engine(url)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            diff = compare_metadata(context, Base.metadata)
            tables = set(inspect(conn).get_table_names())
        engine.dispose()
        assert diff == [], (
            f"models and migrations differ; run alembic revision --autogenerate: {diff}"
        )
        assert set(Base.metadata.tables) <= tables
    finally:
        drop_database(url)


def test_every_model_is_registered_for_the_migrations():
    """A model that ``tocsin.models`` does not import would be missing from the migrations."""
    import subprocess
    import sys

    code = (
        "import importlib, pkgutil, tocsin, tocsin.models\n"
        "from tocsin.db import Base\n"
        "listed = set(Base.metadata.tables)\n"
        "for m in pkgutil.walk_packages(tocsin.__path__, 'tocsin.'):\n"
        "    if '.migrations' not in m.name:\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(set(Base.metadata.tables) - listed))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"add these models to src/tocsin/models.py: {out.stdout}"


def test_sqlite_table_copies_during_migrations_keep_the_rows_that_refer_to_them(tmp_path):
    """Batch mode copies a table and drops the original: with foreign keys on, SQLite would
    cascade that drop to every referring row. Migrations run with them off, then back on."""
    from tocsin.db import sqlite_foreign_keys_off

    engine = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, "
            "parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE)"
        )
        conn.exec_driver_sql("INSERT INTO parent VALUES (1)")
        conn.exec_driver_sql("INSERT INTO child VALUES (10, 1)")
    with engine.connect() as conn, sqlite_foreign_keys_off(conn):
        with conn.begin():
            conn.exec_driver_sql("CREATE TABLE _tmp_parent (id INTEGER PRIMARY KEY)")
            conn.exec_driver_sql("INSERT INTO _tmp_parent SELECT id FROM parent")
            conn.exec_driver_sql("DROP TABLE parent")
            conn.exec_driver_sql("ALTER TABLE _tmp_parent RENAME TO parent")
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT id FROM child").scalars().all() == [10]
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_a_migration_that_breaks_a_foreign_key_on_sqlite_commits_nothing(tmp_path):
    import shutil
    from importlib.resources import files

    import pytest
    from alembic import command
    from alembic.script import ScriptDirectory

    from tocsin.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'broken.db'}"
    upgrade_database(url)
    config = alembic_config(url)
    head = ScriptDirectory.from_config(config).get_current_head()
    scripts = tmp_path / "migrations"
    shutil.copytree(str(files("tocsin") / "migrations"), scripts)
    # a faulty data step, as a future migration could have
    (scripts / "versions" / "9999_broken.py").write_text(
        "from alembic import op\n"
        f"revision = '9999'\ndown_revision = {head!r}\n"
        "branch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        '    op.execute("INSERT INTO users (email, name, password_hash, role_name, locale, '
        "is_active, skills, capacity, created_at, password_change_required) VALUES "
        "('a@example.com', 'A', 'x', 'no-such-role', 'en', 1, '{}', 5, "
        "'2026-01-01 00:00:00', 0)\")\n"
        "def downgrade():\n    pass\n"
    )
    config.set_main_option("script_location", str(scripts))
    with pytest.raises(RuntimeError, match="referring to missing roles rows"):
        command.upgrade(config, "9999")
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head
        assert conn.exec_driver_sql("SELECT count(*) FROM users").scalar() == 0
    engine.dispose()
