"""End to end in headless Chromium: the dashboard, a narrative, and fact sheet → matched post →
approved correction.  Its own live server, seeded through the services (brands, posts with
enrichment, rollups, narratives, a claim and its matches) before the browser opens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import sessionmaker

from tests.conftest import drop_database, new_database_url
from tests.e2e.conftest import CHROMIUM, local_settings, serving
from tests.listening.factories import brands, post
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.accounts.service import create_user
from tocsin.claims.service import create_claim, match_posts_to_claims
from tocsin.db import Base, make_engine
from tocsin.listening.narratives import assign_narratives
from tocsin.listening.rollups import rollup_posts
from tocsin.types import utcnow

pytestmark = pytest.mark.browser
PASSWORD = "listening browser password"
OUTAGE = [
    ("en", "The Lumio app has been down all morning, nothing loads"),
    ("fr", "L'application Lumio est en panne depuis ce matin, rien ne charge"),
    ("es", "La app de Lumio lleva caída toda la mañana, no carga nada"),
]


def _seed(url: str) -> None:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    now = utcnow()
    with sessionmaker(bind=engine, expire_on_commit=False)() as s:
        ensure_builtin_roles(s)
        create_user(
            session=s, email="lead@example.com", password=PASSWORD, role="manager", name="Lea Lead"
        )
        ours, _ = brands(s)
        ids = [
            post(s, text, lang=lang, at=now - timedelta(hours=3 - i), sentiment="negative").id
            for i, (lang, text) in enumerate(OUTAGE)
        ]
        ids.append(
            post(
                s,
                "Lumio support fixed my bulb fast #thanks",
                sentiment="positive",
                at=now - timedelta(hours=1),
            ).id
        )
        ids.append(post(s, "Nordel prices went up again", at=now - timedelta(hours=1)).id)
        rumour = post(
            s,
            "Attention : Lumio revend vos données perso aux publicitaires",
            lang="fr",
            sentiment="negative",
            at=now - timedelta(minutes=30),
        )
        ids.append(rumour.id)
        rollup_posts(session=s, post_ids=ids, now=now)
        assign_narratives(session=s, post_ids=ids, now=now)
        create_claim(
            session=s,
            brand_id=ours.id,
            statement="The Lumio app sells your personal data to advertisers.",
            verdict="false",
            corrections={
                "en": "Lumio does not sell personal data.",
                "fr": "Lumio ne vend pas de données personnelles.",
            },
            source_url="https://lumio.example/privacy",
            keywords=["données", "data", "revend", "sells"],
        )
        match_posts_to_claims(session=s, post_ids=ids)
        s.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need /usr/bin/chromium")
    url = new_database_url(tmp_path_factory.mktemp("e2e-listening"))
    _seed(url)
    settings = local_settings(
        url,
        secret_key="e2e-listening-secret-0123456789-abcdefghij",
    )
    with serving(settings):
        yield settings.base_url
    drop_database(url)


@pytest.fixture(scope="module")
def tab(server: str, chromium_browser: Any) -> Iterator[Any]:
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/login")
    page.fill('input[name="email"]', "lead@example.com")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url("**/posts")
    yield page
    context.close()


def test_dashboard_filters_chart_and_narrative(tab: Any, server: str) -> None:
    tab.goto(f"{server}/listening")
    expect(tab.locator("#kpi-total")).to_have_text("5")
    expect(tab.locator("#volume-chart canvas")).to_have_count(1)  # uPlot drew under the CSP
    expect(tab.locator("#share-of-voice tbody tr")).to_have_count(2)
    tab.select_option("#filter-sentiment", "positive")
    tab.click("#dashboard-filters button[type=submit]")
    expect(tab.locator("#kpi-total")).to_have_text("1")
    assert "sentiment=positive" in tab.url
    tab.goto(f"{server}/listening")
    tab.locator(".narrative-link").first.click()
    expect(tab.locator("#narrative-size")).to_have_text("3")
    langs = tab.locator("#narrative-langs").inner_text()
    assert "en" in langs and "fr" in langs and "es" in langs
    assert tab.console_errors == []


def test_fact_sheet_to_approved_correction(tab: Any, server: str) -> None:
    tab.goto(f"{server}/claims")
    tab.locator(".claim-link").first.click()
    matched = tab.locator(".matched-post")
    expect(matched).to_have_count(1)
    expect(matched.locator(".misinformed")).to_be_visible()
    assert "revend" in matched.locator(".why").inner_text()
    text = matched.locator("textarea[name=text]").input_value()
    assert text.startswith("Lumio ne vend pas") and "https://lumio.example/privacy" in text
    matched.locator("button[value=approve]").click()
    expect(tab.locator(".correction-approved")).to_have_count(1)
    expect(tab.locator(".correction-text")).to_contain_text("Source: https://lumio.example/privacy")
    assert tab.console_errors == []
