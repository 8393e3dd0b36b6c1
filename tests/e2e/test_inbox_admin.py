"""The inbox settings in headless Chromium: the rule builder, and a brand-voice change that the
case composer then enforces.

This module runs its own live server (like ``test_inbox.py``) so that it can write posts and
cases straight into the same database.  Nothing here comes from a data set: the posts are
hand-written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import drop_database, new_database_url
from tests.e2e.conftest import CHROMIUM, local_settings, serving
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.accounts.service import create_user
from tocsin.db import Base, make_engine
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.models import Case
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts

pytestmark = pytest.mark.browser
PASSWORD = "inbox admin browser password"


@dataclass
class Server:
    base_url: str
    factory: sessionmaker[Session]
    case_id: int


def _seed(factory: sessionmaker[Session]) -> int:
    """A lead, two recent inbound posts (one French) and an open case on X."""
    now = datetime.now(UTC)
    with factory() as s:
        ensure_builtin_roles(s)
        create_user(
            session=s,
            email="lead@example.com",
            password=PASSWORD,
            role="admin",
            name="Lea Lead",
        )
        for n, (lang, text) in enumerate(
            [("fr", "Ma commande n'est pas arrivée"), ("en", "My order is late")]
        ):
            ingest_posts(
                session=s,
                posts=[
                    CanonicalPost.model_validate(
                        {
                            "platform": "x",
                            "external_id": f"admin-e2e-{n}",
                            "text": text,
                            "lang": lang,
                            "created_at": now - timedelta(hours=2 + n),
                            "author": {"handle": f"customer{n}"},
                        }
                    )
                ],
            )
        case = Case(platform="x", lang="en", opened_at=now, last_inbound_at=now)
        s.add(case)
        s.commit()
        return case.id


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need /usr/bin/chromium")
    url = new_database_url(tmp_path_factory.mktemp("inbox-admin-e2e"))
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    case_id = _seed(factory)
    settings = local_settings(
        url,
        secret_key="inbox-admin-e2e-secret-key-0123456789-abcdef",
    )

    with serving(settings):
        yield Server(settings.base_url, factory, case_id)
    engine.dispose()
    drop_database(url)


@pytest.fixture
def tab(server: Server, chromium_browser: Any) -> Iterator[Any]:
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.base_url}/login")
    page.fill('input[name="email"]', "lead@example.com")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url("**/posts")
    page.console_errors = errors
    yield page
    context.close()


def test_build_a_rule_with_rows_save_it_and_dry_run_it(tab: Any, server: Server) -> None:
    tab.goto(f"{server.base_url}/inbox/settings?tab=rules")
    builder = tab.locator("#rule-builder")
    expect(builder).to_be_visible()
    expect(tab.locator("#rule-json")).not_to_have_attribute("open", "")  # JSON folded away
    tab.fill('#rule-form input[name="name"]', "French speakers")
    tab.select_option('#rule-form select[name="event"]', "post.received")

    builder.locator("button.add-condition").click()
    condition = builder.locator(".rule-condition").first
    condition.locator("select.cond-field").select_option(label="Post language")
    condition.locator("select.cond-op").select_option(label="is")
    condition.locator("input.cond-value").fill("fr")
    builder.locator("button.add-action").click()
    action = builder.locator(".rule-action").first
    action.locator("select.action-type").select_option(label="Add tags")
    action.locator('[data-param="tags"]').fill("french, vip")
    tab.click("#rule-save")
    tab.wait_for_url("**/inbox/settings?tab=rules&saved=1")

    with server.factory() as s:
        rule = s.scalars(
            select(AutomationRule).where(AutomationRule.name == "French speakers")
        ).one()
    assert rule.conditions == {"all": [{"field": "post.lang", "op": "eq", "value": "fr"}]}
    assert rule.actions == [{"type": "tag", "tags": ["french", "vip"]}]
    card = tab.locator(f'article[data-rule="{rule.id}"]')
    expect(card.locator("h3")).to_contain_text("French speakers")
    card.locator(f'[data-dry-run="{rule.id}"]').click()
    result = tab.locator(f"#dry-run-{rule.id}")
    expect(result).to_contain_text("1 past posts matched")
    expect(result).to_contain_text("Ma commande")

    # Edit: the builder shows the stored rule; switching to ANY with a second row saves it.
    card.get_by_role("link", name="Edit").click()
    expect(builder.locator(".rule-condition")).to_have_count(1)
    expect(builder.locator("input.cond-value")).to_have_value("fr")
    builder.locator("select.cond-mode").select_option("any")
    builder.locator("button.add-condition").click()
    second = builder.locator(".rule-condition").nth(1)
    second.locator("select.cond-field").select_option("post.lang")
    second.locator("select.cond-op").select_option("in")
    second.locator("input.cond-value").fill("nl, es")
    tab.click("#rule-save")
    tab.wait_for_url("**/inbox/settings?tab=rules&saved=1")
    with server.factory() as s:
        stored = s.get(AutomationRule, rule.id)
        assert stored is not None
        assert json.dumps(stored.conditions, sort_keys=True) == json.dumps(
            {
                "any": [
                    {"field": "post.lang", "op": "eq", "value": "fr"},
                    {"field": "post.lang", "op": "in", "value": ["nl", "es"]},
                ]
            },
            sort_keys=True,
        )
    assert tab.console_errors == []


def test_a_banned_word_added_on_the_voice_tab_warns_in_the_composer(
    tab: Any, server: Server
) -> None:
    tab.goto(f"{server.base_url}/inbox/settings?tab=voice")
    tab.fill('#voice-form textarea[name="banned_words"]', "unfortunately")
    tab.click('#voice-form button[type="submit"]')
    tab.wait_for_url("**/inbox/settings?tab=voice&saved=1")
    expect(tab.locator("tr[data-profile]")).to_contain_text("unfortunately")

    tab.goto(f"{server.base_url}/inbox/cases/{server.case_id}")
    tab.fill("#reply-text", "Unfortunately your parcel is late.")
    warning = tab.locator("#draft-warnings")
    expect(warning).to_contain_text("unfortunately", timeout=30_000)
    assert tab.console_errors == []
