"""``tocsin sources`` lists sources with health; the Sources page; the demo feed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from tests.conftest import drop_database, new_database_url
from tests.web.conftest import PASSWORD, csrf_from, login
from tocsin.accounts import passwords
from tocsin.accounts import service as accounts
from tocsin.accounts.service import create_user
from tocsin.cli import app as cli
from tocsin.config import Settings
from tocsin.connectors.demo_feed import DemoFeedServer
from tocsin.connectors.models import Source
from tocsin.connectors.service import record_failure, source_credentials
from tocsin.db import Base, make_engine
from tocsin.privacy.models import AuditLog


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[str]:
    url = new_database_url(tmp_path)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setenv("TOCSIN_DATABASE_URL", url)
    monkeypatch.setenv("TOCSIN_SECRET_KEY", settings.secret_key)
    yield url
    drop_database(url)


def test_sources_cli_add_list_run(cli_env: str) -> None:
    runner = CliRunner(env={"COLUMNS": "250", "TERMINAL_WIDTH": "250"})
    feed = DemoFeedServer(every=0).start()
    try:
        empty = runner.invoke(cli, ["sources"])
        assert empty.exit_code == 0 and "no source yet" in empty.output
        added = runner.invoke(
            cli,
            [
                "sources",
                "add",
                "demo-news",
                "--platform",
                "rss",
                "--set",
                f"url={feed.url}",
                "--set",
                "kind=news",
            ],
        )
        assert added.exit_code == 0, added.output
        runner.invoke(
            cli,
            [
                "sources",
                "add",
                "x-acme",
                "--platform",
                "x",
                "--set",
                "query=acme",
                "--secret",
                "bearer_token=secret-bearer-token",
            ],
        )
        bad = runner.invoke(cli, ["sources", "add", "oops", "--platform", "myspace"])
        assert bad.exit_code == 2 and "unknown source platform" in bad.output
        assert "Traceback" not in bad.output
        ran = runner.invoke(cli, ["sources", "run", "demo-news"])
        assert ran.exit_code == 0, ran.output
        assert "3 fetched, 3 new" in ran.output
        again = runner.invoke(cli, ["sources", "run", "demo-news"])
        assert "0 fetched" in again.output and feed.not_modified == 1
        missing = runner.invoke(cli, ["sources", "run", "nope"])
        assert missing.exit_code == 2 and "tocsin sources" in missing.output
        listed = runner.invoke(cli, ["sources"])
    finally:
        feed.stop()
    assert listed.exit_code == 0
    row = next(line for line in listed.output.splitlines() if "demo-news" in line)
    assert re.search(r"rss\s+│\s+poll\s+│\s+ok", row), row
    never = next(line for line in listed.output.splitlines() if "x-acme" in line)
    assert "never" in never and "secret-bearer" not in listed.output


@pytest.fixture
def admin_client(
    web: TestClient, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(accounts, "DUMMY_HASH", cheap.hash("unknown user"))
    with session_factory() as s:
        create_user(session=s, email="admin@example.com", password=PASSWORD, role="admin")
        create_user(session=s, email="agent@example.com", password=PASSWORD, role="agent")
        s.commit()
    return web


def test_sources_page_needs_the_permission(admin_client: TestClient) -> None:
    assert login(admin_client, "agent@example.com").status_code == 303
    assert admin_client.get("/settings/sources").status_code == 403


def test_sources_page_create_edit_disable(
    admin_client: TestClient, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    client = admin_client
    assert login(client, "admin@example.com").status_code == 303
    form = client.get("/settings/sources/new?platform=x")
    assert form.status_code == 200 and 'name="cred_bearer_token"' in form.text
    created = client.post(
        "/settings/sources",
        data={
            "csrf_token": csrf_from(form.text),
            "name": "<b>acme-x</b>",
            "platform": "x",
            "opt_query": "acme",
            "cred_bearer_token": "bearer-0123456789-wxyz",
        },
    )
    assert created.status_code == 303, created.text
    with session_factory() as s:
        source = s.scalars(select(Source).where(Source.platform == "x")).one()
        record_failure(session=s, source=source, error="HTTP 401 <script>alert(1)</script>")
        s.commit()
    page = client.get("/settings/sources")
    assert "&lt;b&gt;acme-x&lt;/b&gt;" in page.text and "<script>alert" not in page.text
    assert "Failing" in page.text
    edit = client.get(f"/settings/sources/{source.id}")
    assert "••••••wxyz" in edit.text and "bearer-0123456789" not in edit.text
    saved = client.post(
        f"/settings/sources/{source.id}",
        data={
            "csrf_token": csrf_from(edit.text),
            "opt_query": "acme OR #acme",
            "cred_bearer_token": "",
        },
    )
    assert saved.status_code == 303
    invalid = client.post(
        f"/settings/sources/{source.id}",
        data={"csrf_token": csrf_from(edit.text), "opt_query": "", "cred_bearer_token": ""},
    )
    assert invalid.status_code == 422 and "query" in invalid.text
    toggled = client.post(
        f"/settings/sources/{source.id}/enabled",
        data={"csrf_token": csrf_from(edit.text), "enabled": "0"},
    )
    assert toggled.status_code == 303
    with session_factory() as s:
        source = s.get(Source, source.id)
        assert source.settings["query"] == "acme OR #acme" and not source.enabled
        assert source_credentials(source=source, settings=settings) == {
            "bearer_token": "bearer-0123456789-wxyz"
        }
        actions = s.scalars(select(AuditLog.action).where(AuditLog.target_type == "source"))
        assert sorted(actions) == ["source.created", "source.disabled", "source.updated"]


def test_demo_feed_grows_and_answers_conditional_gets() -> None:
    feed = DemoFeedServer(every=0.2, initial=1).start()
    try:
        first = httpx.get(feed.url)
        assert first.status_code == 200 and first.text.count("<entry>") == 1
        same = httpx.get(feed.url, headers={"If-None-Match": first.headers["etag"]})
        assert same.status_code in (200, 304)
        import time

        time.sleep(0.5)
        later = httpx.get(feed.url, headers={"If-None-Match": first.headers["etag"]})
        assert later.status_code == 200 and later.text.count("<entry>") >= 2
    finally:
        feed.stop()
