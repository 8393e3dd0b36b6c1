"""``tocsin demo``: load twice without duplicates, reset, refuse production without a password,
and serve while the replay feeds posts (the server itself is replaced by a stand-in)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import tocsin.demo.commands as demo_commands
import tocsin.migrate
from tests.conftest import drop_database, new_database_url
from tocsin.cli import app
from tocsin.db import Base, make_engine
from tocsin.demo.generator import generate
from tocsin.ingestion.models import Post
from tocsin.types import utcnow

runner = CliRunner()


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = new_database_url(tmp_path)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    # the schema comes from the models here; migrations are tested in tests/test_migrations.py
    monkeypatch.setattr(tocsin.migrate, "upgrade_database", lambda database_url: None)
    monkeypatch.setattr(
        demo_commands, "generate", lambda seed: generate(seed=seed, days=2, scale=0.3)
    )
    now = utcnow().replace(second=0, microsecond=0)
    monkeypatch.setattr(demo_commands, "utcnow", lambda: now)  # both runs see the same "now"
    monkeypatch.chdir(tmp_path)
    yield url
    drop_database(url)


def _posts(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(Post))
    engine.dispose()
    return count


def _demo(url: str, *args: str, **env: str):
    return runner.invoke(app, ["demo", *args], env={"TOCSIN_DATABASE_URL": url, **env})


def test_running_the_demo_twice_adds_nothing_the_second_time(db):
    first = _demo(db, "--no-serve")
    assert first.exit_code == 0, first.output
    assert "demo@tocsin.local / lumio-demo-2026" in first.output
    stored = _posts(db)
    assert stored > 0
    second = _demo(db, "--no-serve")
    assert second.exit_code == 0, second.output
    assert "stored: 0 new" in second.output
    assert _posts(db) == stored
    reset = _demo(db, "--no-serve", "--reset")
    assert reset.exit_code == 0, reset.output
    assert f"removed {stored:,} demo posts" in reset.output
    assert _posts(db) == stored


def test_the_demo_sets_up_the_team_alert_channel_escalation_and_voice_once(db):
    from tocsin.accounts.models import TeamMember
    from tocsin.crisis.models import EscalationPolicy, RadarPolicy
    from tocsin.inbox.automation.models import AutomationRule
    from tocsin.inbox.reply_models import VoiceProfile
    from tocsin.notifications.models import NotificationChannel

    for _ in range(2):
        result = _demo(db, "--no-serve")
        assert result.exit_code == 0, result.output
    engine = make_engine(db)
    with engine.connect() as conn:
        members = conn.execute(select(TeamMember.is_lead)).scalars().all()
        assert sorted(members) == [False] * 4 + [True]
        channels = conn.execute(select(NotificationChannel.kind)).scalars().all()
        assert channels == ["in_app"]
        rules = conn.execute(select(AutomationRule.name).order_by(AutomationRule.position))
        assert rules.scalars().all() == ["Legal threats to the top", "Hide spam"]
        (policy_id,) = conn.execute(select(EscalationPolicy.id)).scalars().all()
        radar = conn.execute(select(RadarPolicy.escalation_policy_id)).scalars().all()
        assert radar and set(radar) == {policy_id}
        assert conn.scalar(select(func.count()).select_from(VoiceProfile)) == 1
    engine.dispose()


def test_production_needs_an_explicit_demo_password(db):
    result = _demo(
        db,
        "--no-serve",
        TOCSIN_ENVIRONMENT="production",
        TOCSIN_SECRET_KEY="k" * 40,
    )
    assert result.exit_code == 2
    assert "TOCSIN_DEMO_PASSWORD" in result.output
    chosen = _demo(
        db,
        "--no-serve",
        TOCSIN_ENVIRONMENT="production",
        TOCSIN_SECRET_KEY="k" * 40,
        TOCSIN_DEMO_PASSWORD="a-long-chosen-secret",
    )
    assert chosen.exit_code == 0, chosen.output
    assert "demo@tocsin.local / a-long-chosen-secret" in chosen.output


def test_serving_replays_the_held_back_hours(db, monkeypatch):
    import uvicorn

    import tocsin.web.app

    seen: dict[str, object] = {}

    def fake_run(application, **options):
        seen["options"] = options
        seen["before"] = _posts(db)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _posts(db) == seen["before"]:
            time.sleep(0.05)
        seen["after"] = _posts(db)

    monkeypatch.setattr(tocsin.web.app, "create_app", lambda settings, run_workers: object())
    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = _demo(db, "--speed", "100000", "--live-hours", "12", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "Open http://127.0.0.1:8123 and sign in as demo@tocsin.local / lumio-demo-2026" in (
        result.output
    )
    assert seen["options"]["port"] == 8123
    assert seen["after"] > seen["before"]
