"""``tocsin user add`` and ``tocsin token create|list|revoke`` against a real database file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker
from typer.testing import CliRunner

from tests.conftest import drop_database, new_database_url
from tocsin.accounts.commands import register
from tocsin.accounts.models import ApiToken, User
from tocsin.db import Base, make_engine


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = new_database_url(tmp_path)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setenv("TOCSIN_DATABASE_URL", url)
    yield url
    drop_database(url)


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app)
    return app


def test_user_add_then_token_create_list_revoke(cli_db: str, monkeypatch) -> None:
    runner = CliRunner()
    app = _app()
    monkeypatch.setenv("TOCSIN_USER_PASSWORD", "a long enough password")
    added = runner.invoke(app, ["user", "add", "Ana@Example.com", "--role", "manager"])
    assert added.exit_code == 0, added.output
    assert "ana@example.com" in added.output

    created = runner.invoke(
        app,
        [
            "token",
            "create",
            "--user",
            "ana@example.com",
            "--name",
            "importer",
            "--scope",
            "posts:write",
        ],
    )
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("tcs_")
    engine = make_engine(cli_db)
    with sessionmaker(bind=engine)() as s:
        token = s.scalar(select(ApiToken))
        assert token.scopes == ["posts:write"]
        assert s.scalar(select(User.role_name)) == "manager"
    listed = runner.invoke(app, ["token", "list", "--user", "ana@example.com"])
    assert token.prefix in listed.output and "active" in listed.output
    revoked = runner.invoke(app, ["token", "revoke", str(token.id)])
    assert revoked.exit_code == 0
    with sessionmaker(bind=engine)() as s:
        assert s.scalar(select(ApiToken.revoked_at)) is not None
    engine.dispose()


def test_cli_errors_are_one_line_with_the_fix(cli_db: str, monkeypatch) -> None:
    runner = CliRunner()
    app = _app()
    monkeypatch.setenv("TOCSIN_USER_PASSWORD", "short")
    weak = runner.invoke(app, ["user", "add", "bo@example.com"])
    assert weak.exit_code == 2 and "at least 10 characters" in weak.output
    missing = runner.invoke(
        app,
        ["token", "create", "--user", "nobody@example.com", "--name", "x", "--scope", "posts:read"],
    )
    assert missing.exit_code == 2 and "tocsin user add" in missing.output
    assert "Traceback" not in missing.output
    monkeypatch.setenv("TOCSIN_USER_PASSWORD", "a long enough password")
    runner.invoke(app, ["user", "add", "vi@example.com", "--role", "viewer"])
    wide = runner.invoke(
        app,
        ["token", "create", "--user", "vi@example.com", "--name", "x", "--scope", "posts:write"],
    )
    assert wide.exit_code == 2 and "narrower scopes" in wide.output
    bad_role = runner.invoke(app, ["user", "add", "x@example.com", "--role", "god"])
    assert bad_role.exit_code == 2 and "unknown role" in bad_role.output
