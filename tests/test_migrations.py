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
