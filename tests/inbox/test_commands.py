"""``tocsin inbox`` commands on a fresh database: report (with CSV), policies, rule dry run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from sqlalchemy.orm import sessionmaker
from typer.testing import CliRunner

from tests.conftest import drop_database, new_database_url
from tocsin.db import Base, make_engine
from tocsin.inbox import commands
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.sla.policies import ensure_default_policies
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    url = new_database_url(tmp_path)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    monkeypatch.setenv("TOCSIN_DATABASE_URL", url)
    app = typer.Typer()
    commands.register(app)
    yield app, sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()
    drop_database(url)


def test_inbox_commands(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app, factory = cli
    now = datetime.now(UTC)
    with factory() as s:
        ensure_default_policies(session=s)
        ingest_posts(
            session=s,
            posts=[
                CanonicalPost.model_validate(
                    {
                        "platform": "x",
                        "external_id": str(i),
                        "text": text,
                        "created_at": now - timedelta(days=age),
                    }
                )
                for i, (text, age) in enumerate(
                    [("refund please", 1), ("nice day", 2), ("refund now", 20)]
                )
            ],
        )
        rule = AutomationRule(
            name="refunds",
            event="post.received",
            actions=[],
            conditions={"field": "post.text", "op": "contains", "value": "refund"},
        )
        s.add(rule)
        s.commit()
        rule_id = rule.id
    runner = CliRunner()
    csv_path = tmp_path / "r.csv"
    result = runner.invoke(app, ["inbox", "report", "--business-hours", "--csv", str(csv_path)])
    assert result.exit_code == 0, result.output
    assert "SLA attainment" in result.output and "0 human, 0 automatic" in result.output
    assert csv_path.read_text().startswith("section,group,key")

    bad = runner.invoke(app, ["inbox", "report", "--since", "2026-03-09", "--until", "2026-03-01"])
    assert bad.exit_code == 2 and "swap" in bad.output

    policies = runner.invoke(app, ["inbox", "sla-policies"])
    assert policies.exit_code == 0 and "15" in policies.output

    dry = runner.invoke(app, ["inbox", "rules", "dry-run", str(rule_id), "--days", "7"])
    assert dry.exit_code == 0, dry.output
    assert "1 match(es)" in dry.output and "refund please" in dry.output
    missing = runner.invoke(app, ["inbox", "rules", "dry-run", "999"])
    assert missing.exit_code == 2 and "no rule 999" in missing.output
