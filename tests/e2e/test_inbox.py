"""The inbox in headless Chromium: triage → assign → canned reply → SLA met; out-of-hours ack.

This module runs its own live server so that the test can drive the workers synchronously
(``InProcessWorkers.run_once``) against the same database.  Enrichment rows are written by
hand: these tests are about the inbox, not the classifiers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import drop_database, new_database_url
from tests.e2e.conftest import CHROMIUM, local_settings, serving
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.accounts.service import create_user
from tocsin.accounts.tokens import create_token
from tocsin.config import Settings
from tocsin.db import Base, make_engine
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.outbox import Subscribers
from tocsin.inbox import tasks as inbox_tasks
from tocsin.inbox.canned import create_canned
from tocsin.inbox.models import Case, PostTriage
from tocsin.inbox.reply_models import Reply
from tocsin.inbox.sla.models import AppliedSla, BusinessCalendar
from tocsin.inbox.sla.policies import inbox_settings
from tocsin.ingestion.models import Post
from tocsin.workers.inprocess import InProcessWorkers

pytestmark = pytest.mark.browser
PASSWORD = "inbox browser password"


class Inbox:
    def __init__(
        self, base_url: str, token: str, settings: Settings, factory: sessionmaker[Session]
    ):
        self.base_url, self.token, self.settings, self.factory = base_url, token, settings, factory

    def run_workers(self) -> None:
        """One synchronous pass of the inbox's subscribers and jobs (only the inbox's: the
        enrichment is hand-written here, and other domains are tested elsewhere)."""
        subscribers = Subscribers()
        inbox_tasks.subscribe(subscribers, self.settings)
        workers = InProcessWorkers(
            self.settings,
            self.factory,
            subscribers=subscribers,
            jobs=inbox_tasks.jobs(self.settings),
        )
        workers.run_once()

    def arrive(self, external_id: str, text: str, *, lang: str, handle: str) -> int:
        """Ingest one post through the API, enrich it by hand, run the workers; return its case."""
        post = {
            "platform": "x",
            "external_id": external_id,
            "text": text,
            "lang": lang,
            "created_at": datetime.now(UTC).isoformat(),
            "author": {"handle": handle, "display_name": handle.title(), "followers": 120},
        }
        response = httpx.post(
            f"{self.base_url}/api/v1/posts",
            json=[post],
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
        )
        response.raise_for_status()
        with self.factory() as s:
            post_id = s.scalar(select(Post.id).where(Post.external_id == external_id))
            s.add(
                PostEnrichment(
                    post_id=post_id,
                    lang=lang,
                    sentiment="negative",
                    needs_reply=True,
                    priority=45,
                    intents=[{"name": "complaint"}],
                    complaint=True,
                )
            )
            s.commit()
        self.run_workers()
        with self.factory() as s:
            case_id = s.scalar(select(PostTriage.case_id).where(PostTriage.post_id == post_id))
        assert case_id is not None
        return int(case_id)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Inbox]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need /usr/bin/chromium")
    url = new_database_url(tmp_path_factory.mktemp("inbox-e2e"))
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as s:
        ensure_builtin_roles(s)
        user = create_user(
            session=s,
            email="agent@example.com",
            password=PASSWORD,
            role="manager",
            name="Maya Manager",
        )
        token = create_token(session=s, user=user, name="e2e", scopes=["posts:write"]).secret
        create_canned(
            session=s,
            name="On it",
            lang="en",
            text="Hi {first_name}, {agent} here: we are looking into case {case_id} now.",
        )
        s.commit()
    settings = local_settings(
        url,
        secret_key="inbox-e2e-secret-key-0123456789-abcdefghij",
    )

    with serving(settings):
        yield Inbox(settings.base_url, token, settings, factory)
    engine.dispose()
    drop_database(url)


@pytest.fixture
def tab(inbox: Inbox, chromium_browser: Any) -> Iterator[Any]:
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{inbox.base_url}/login")
    page.fill('input[name="email"]', "agent@example.com")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url("**/posts")
    page.console_errors = errors
    yield page
    context.close()


def _first_response(inbox: Inbox, case_id: int) -> AppliedSla:
    with inbox.factory() as s:
        row = s.scalar(
            select(AppliedSla).where(
                AppliedSla.case_id == case_id, AppliedSla.target == "first_response"
            )
        )
        assert row is not None
        return row


def test_triage_assign_canned_reply_meets_the_sla(tab: Any, inbox: Inbox) -> None:
    tab.goto(f"{inbox.base_url}/inbox")
    expect(tab.locator(".empty")).to_be_visible()
    case_id = inbox.arrive(
        "e2e-1", "My order never arrived and nobody answers", lang="en", handle="ana"
    )
    row = tab.locator(f'.case-row[data-case-id="{case_id}"]')
    expect(row).to_be_visible(timeout=10_000)  # arrived over server-sent events, no reload
    expect(row.locator(".sla")).to_contain_text("On track")
    tab.keyboard.press("j")
    expect(row).to_have_class("case-row is-selected")
    tab.keyboard.press("a")  # assign to me from the list
    expect(row.locator(".case-assignee")).to_have_text("Maya Manager", timeout=10_000)
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"**/inbox/cases/{case_id}")
    tab.select_option("#canned", label="On it (en)")
    expect(tab.locator("#reply-text")).to_have_value(
        f"Hi Ana, Maya here: we are looking into case {case_id} now."
    )
    tab.click("#send-reply")
    tab.wait_for_url(f"**/inbox/cases/{case_id}?flash=sent")
    expect(tab.locator('.sla-item[data-target="first_response"] .sla')).to_have_text("Met")
    expect(tab.locator(".thread-post.outbound")).to_have_count(1)
    assert _first_response(inbox, case_id).state == "hit"
    tab.keyboard.press("e")
    expect(tab.locator("#case-status")).to_have_text("Resolved")
    assert tab.console_errors == []


def test_out_of_hours_post_gets_one_automatic_ack_in_its_language(tab: Any, inbox: Inbox) -> None:
    today = datetime.now(UTC).date().isoformat()
    with inbox.factory() as s:  # the team does not work today: everything is out of hours
        cal = BusinessCalendar(
            name="closed-today",
            time_zone="UTC",
            holidays=[today],
            weekly={
                d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            },
        )
        s.add(cal)
        s.flush()
        inbox_settings(s).calendar_id = cal.id
        s.commit()
    try:
        case_id = inbox.arrive("e2e-2", "Mon colis n'est jamais arrivé", lang="fr", handle="chloe")
        inbox.run_workers()  # a second pass changes nothing
        with inbox.factory() as s:
            replies = s.scalars(select(Reply).where(Reply.case_id == case_id)).all()
            assert len(replies) == 1 and replies[0].is_automatic
            assert replies[0].text.startswith("Ceci est un message automatique")
            assert s.get(Case, case_id).first_human_reply_at is None  # type: ignore[union-attr]
        assert _first_response(inbox, case_id).state == "active"
        tab.goto(f"{inbox.base_url}/inbox/cases/{case_id}")
        auto = tab.locator(".thread-post.is-automatic")
        expect(auto).to_have_count(1)
        expect(auto.locator(".badge-auto")).to_have_text("Automatic")
        expect(auto.locator(".thread-text")).to_contain_text("message automatique")
        expect(tab.locator('.sla-item[data-target="first_response"] .sla')).to_contain_text(
            "On track"
        )
        tab.fill("#reply-text", "Bonjour Chloé, nous regardons votre colis tout de suite.")
        tab.click("#send-reply")
        tab.wait_for_url(f"**/inbox/cases/{case_id}?flash=sent")
        assert _first_response(inbox, case_id).satisfied_at is not None
        tab.goto(f"{inbox.base_url}/inbox?status=all")
        expect(tab.locator(f'.case-row[data-case-id="{case_id}"] .badge-auto')).to_have_count(1)
        assert tab.console_errors == []
    finally:
        with inbox.factory() as s:
            inbox_settings(s).calendar_id = None
            s.commit()
