"""End to end: a burst of negative posts → one alert → local receivers → the war room in Chromium.

The server runs on its own fresh database; the pipeline (matching, a keyword stand-in for the
sentiment stage, series, detectors, alerts, notifications) is run inline between steps with the
in-process workers.  The product's detector is used when it is installed; until then, the
simple threshold detector of the crisis tests.
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

from fakes.receivers import HttpReceiver, SmtpReceiver
from tests.conftest import drop_database, new_database_url
from tests.crisis.conftest import ThresholdDetector, subscribe_keyword_enrichment
from tests.e2e.conftest import PASSWORD, local_settings, serving
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.accounts.service import create_user
from tocsin.brands.models import Brand
from tocsin.crisis import radar
from tocsin.crisis import tasks as crisis_tasks
from tocsin.crisis.models import Alert
from tocsin.db import Base, make_engine, make_session_factory
from tocsin.events.outbox import Subscribers
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.listening import tasks as listening_tasks
from tocsin.notifications import tasks as notification_tasks
from tocsin.notifications.service import create_channel
from tocsin.workers.inprocess import InProcessWorkers

pytestmark = pytest.mark.browser
SECRET = "e2e-crisis-webhook-signing-secret"
START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
HISTORY_DAYS = 3
BURST_AT = START + timedelta(days=HISTORY_DAYS, hours=14)


@dataclass
class CrisisServer:
    base_url: str
    email: str
    factory: sessionmaker[Session]
    workers: InProcessWorkers
    http: HttpReceiver
    smtp: SmtpReceiver


def _post(n: int, at: datetime, text: str, *, lang: str = "en") -> CanonicalPost:
    return CanonicalPost.model_validate(
        {
            "platform": ("x", "bluesky", "mastodon")[n % 3],
            "external_id": f"crisis-e2e-{n}",
            "text": text,
            "created_at": at,
            "author": {"handle": f"person{n}", "followers": 50 + n % 400},
            "lang": lang,
            "engagement": {"reposts": n % 7},
        }
    )


def _history() -> list[CanonicalPost]:
    """Three quiet days: 0–3 mentions per 5 minutes, fewer at night (hand-written texts)."""
    texts = ("Parcelo delivered on time", "Parcelo app works fine", "question about Parcelo fees")
    posts = []
    n = 0
    for bucket in range(HISTORY_DAYS * 288 + 14 * 12):
        at = START + timedelta(minutes=5 * bucket)
        for k in range((bucket * 7) % 3 + (1 if 8 <= at.hour < 22 else 0)):
            n += 1
            posts.append(_post(n, at + timedelta(seconds=60 * k), texts[n % 3]))
    return posts


def _burst(first: int, minutes: int) -> list[CanonicalPost]:
    return [
        _post(
            100_000 + first + i,
            BURST_AT + timedelta(minutes=minutes, seconds=5 * i),
            "Parcelo lost my parcel, no refund, scandal #ParceloFail",
            lang="fr" if i % 2 else "en",
        )
        for i in range(45)
    ]


@pytest.fixture(scope="module")
def product_or_simple_detector() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        try:
            import tocsin.crisis.detectors  # noqa: F401
        except ModuleNotFoundError:
            patch.setattr(radar, "detector_factory", lambda metric, state: ThresholdDetector(state))
        yield


@pytest.fixture(scope="module")
def crisis_server(
    browser: Any, tmp_path_factory: pytest.TempPathFactory, product_or_simple_detector: None
) -> Iterator[CrisisServer]:
    url = new_database_url(tmp_path_factory.mktemp("crisis-e2e"))
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    http, smtp = HttpReceiver().start(), SmtpReceiver().start()
    settings = local_settings(
        url,
        secret_key="e2e-crisis-secret-key-0123456789-abcdefgh",
    )
    with factory() as s:
        ensure_builtin_roles(s)
        user = create_user(session=s, email="crisis@example.com", password=PASSWORD, role="manager")
        s.add(Brand(slug="parcelo", name="Parcelo"))
        create_channel(
            session=s,
            settings=settings,
            name="hook",
            kind="webhook",
            secret={"url": f"{http.url}/hook", "signing_secret": SECRET},
        )
        create_channel(
            session=s,
            settings=settings,
            name="mail",
            kind="email",
            config={"recipients": ["oncall@example.com"], "smtp_port": smtp.port},
        )
        ingest_posts(session=s, posts=_history())
        s.commit()
    subscribers = Subscribers()
    listening_tasks.subscribe(subscribers, settings)
    subscribe_keyword_enrichment(subscribers)
    crisis_tasks.subscribe(subscribers, settings)
    notification_tasks.subscribe(subscribers, settings)
    workers = InProcessWorkers(settings, factory, subscribers=subscribers, jobs=[])
    workers.run_once()
    with serving(settings):
        yield CrisisServer(settings.base_url, user.email, factory, workers, http, smtp)
    http.stop()
    smtp.stop()
    engine.dispose()
    drop_database(url)


def test_a_burst_raises_one_alert_notifies_and_the_war_room_shows_the_timeline(
    crisis_server: CrisisServer, browser: Any
) -> None:
    server = crisis_server
    for step in range(6):  # half an hour of storm, delivered in six pieces
        with server.factory() as s:
            ingest_posts(session=s, posts=_burst(step * 45, step * 5))
            s.commit()
        server.workers.run_once()

    with server.factory() as s:
        alerts = list(s.scalars(select(Alert)))
        assert len(alerts) == 1, [a.title for a in alerts]
        alert = alerts[0]
        assert alert.trigger_at is not None and alert.trigger_at - BURST_AT < timedelta(minutes=15)
        assert alert.incident_id is not None, alert.severity
        alert_id, incident_id = alert.id, alert.incident_id
    hooks = [json.loads(r.body) for r in server.http.requests if r.path == "/hook"]
    assert hooks and hooks[0]["key"] == f"alert:{alert_id}:step:0"
    assert server.smtp.collector.received.wait(5)
    assert "Parcelo" in server.smtp.messages[0]["Subject"]

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.base_url}/login")
    page.fill('input[name="email"]', server.email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url("**/posts")

    page.goto(f"{server.base_url}/crisis")
    expect(page.locator(".crisis-alert-title")).to_have_count(1)
    expect(page.locator("#crisis-chart canvas")).to_have_count(1)
    page.click(".crisis-alert-title")
    expect(page.locator(".crisis-summary")).to_contain_text("negative")
    expect(page.locator(".crisis-facts")).to_contain_text("#parcelofail")
    page.click("text=Acknowledge")
    expect(page.locator("#alert-status")).to_have_text("Acknowledged")

    page.goto(f"{server.base_url}/crisis/incidents/{incident_id}")
    timeline = page.locator("#incident-timeline li")
    expect(timeline.first).to_be_visible()
    expect(page.locator("#incident-timeline")).to_contain_text("Incident opened")
    expect(page.locator("#incident-timeline")).to_contain_text(f"Alert #{alert_id} sent")
    page.fill("textarea[name=text]", "Decision: pause the spring campaign")
    page.select_option("select[name=kind]", "decision")
    page.click("text=Add to the timeline")
    expect(timeline.first).to_contain_text("pause the spring campaign")
    page.screenshot(path="/tmp/tocsin-war-room.png", full_page=True)
    assert errors == []
    context.close()
