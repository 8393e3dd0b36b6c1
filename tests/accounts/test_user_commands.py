"""``tocsin user list|set-role|deactivate|reactivate`` against a real database file."""

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
from tocsin.accounts.models import User
from tocsin.db import Base, make_engine
from tocsin.privacy.models import AuditLog


@pytest.fixture
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[CliRunner, typer.Typer, str]]:
    url = new_database_url(tmp_path)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setenv("TOCSIN_DATABASE_URL", url)
    monkeypatch.setenv("TOCSIN_USER_PASSWORD", "a long enough password")
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app)
    yield CliRunner(), app, url
    drop_database(url)


def test_list_set_role_deactivate_reactivate(cli: tuple[CliRunner, typer.Typer, str]) -> None:
    runner, app, url = cli
    for email, role in (("boss@example.com", "admin"), ("ana@example.com", "agent")):
        assert runner.invoke(app, ["user", "add", email, "--role", role]).exit_code == 0

    listed = runner.invoke(app, ["user", "list"])
    assert (
        listed.exit_code == 0
        and "ana@example.com" in listed.output
        and "boss@example.com" in listed.output
    )

    promoted = runner.invoke(app, ["user", "set-role", "ANA@example.com", "manager"])
    assert promoted.exit_code == 0 and "ana@example.com is now manager" in promoted.output
    agents = runner.invoke(app, ["user", "list", "--role", "agent"])
    assert "ana@example.com" not in agents.output

    gone = runner.invoke(app, ["user", "deactivate", "ana@example.com"])
    assert gone.exit_code == 0, gone.output
    assert "ana@example.com" not in runner.invoke(app, ["user", "list"]).output
    assert "deactivated" in runner.invoke(app, ["user", "list", "--all"]).output
    assert runner.invoke(app, ["user", "reactivate", "ana@example.com"]).exit_code == 0

    engine = make_engine(url)
    with sessionmaker(bind=engine)() as s:
        ana = s.scalars(select(User).where(User.email == "ana@example.com")).one()
        assert ana.role_name == "manager" and ana.is_active
        actions = [
            a.action for a in s.scalars(select(AuditLog).where(AuditLog.target_id == str(ana.id)))
        ]
        assert actions.count("user.updated") == 3
    engine.dispose()


def test_errors_are_one_line_with_the_fix(cli: tuple[CliRunner, typer.Typer, str]) -> None:
    runner, app, _ = cli
    assert runner.invoke(app, ["user", "add", "boss@example.com", "--role", "admin"]).exit_code == 0
    unknown = runner.invoke(app, ["user", "deactivate", "nobody@example.com"])
    assert unknown.exit_code == 2
    assert "no user 'nobody@example.com'" in unknown.output and "tocsin user list" in unknown.output
    assert "Traceback" not in unknown.output
    last = runner.invoke(app, ["user", "set-role", "boss@example.com", "agent"])
    assert last.exit_code == 2 and "last active administrator" in last.output
    assert runner.invoke(app, ["user", "deactivate", "boss@example.com"]).exit_code == 2
    role = runner.invoke(app, ["user", "set-role", "boss@example.com", "overlord"])
    assert role.exit_code == 2 and "unknown role 'overlord'" in role.output
