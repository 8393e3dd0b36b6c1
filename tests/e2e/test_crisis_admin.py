"""In Chromium: an escalation policy with two steps on /crisis/settings, then a new owner in the
war room, seen on the timeline.

The server runs on its own fresh database holding two incident managers, a brand, a channel
and an open incident; the page is driven with plain form submissions (no script needed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import drop_database, new_database_url
from tests.e2e.conftest import CHROMIUM, PASSWORD, local_settings, serving
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.accounts.service import create_user
from tocsin.brands.models import Brand
from tocsin.crisis.incidents import open_incident
from tocsin.crisis.models import EscalationPolicy
from tocsin.db import Base, make_engine, make_session_factory
from tocsin.notifications.models import NotificationChannel

pytestmark = pytest.mark.browser


@dataclass
class AdminServer:
    base_url: str
    email: str
    factory: sessionmaker[Session]
    incident_id: int
    channel_id: int
    lead_id: int
    deputy_id: int


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminServer]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need /usr/bin/chromium (apt-get install -y chromium)")
    url = new_database_url(tmp_path_factory.mktemp("crisis-admin-e2e"))
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    settings = local_settings(
        url,
        secret_key="e2e-crisis-admin-secret-key-0123456789-abc",
    )
    with factory() as s:
        ensure_builtin_roles(s)
        lead = create_user(
            session=s, email="lea@example.com", password=PASSWORD, role="manager", name="Lea Lead"
        )
        deputy = create_user(
            session=s, email="dev@example.com", password=PASSWORD, role="manager", name="Dev Deputy"
        )
        brand = Brand(slug="parcelo", name="Parcelo")
        channel = NotificationChannel(name="ops-inbox", kind="in_app", config={})
        s.add_all([brand, channel])
        s.flush()
        incident = open_incident(
            session=s, brand_id=brand.id, title="Parcel outage", owner_id=lead.id
        )
        s.commit()
        ids = (incident.id, channel.id, lead.id, deputy.id)
    with serving(settings):
        yield AdminServer(settings.base_url, "lea@example.com", factory, *ids)
    engine.dispose()
    drop_database(url)


def test_escalation_policy_then_new_owner_on_the_timeline(
    admin_server: AdminServer, chromium_browser: Any
) -> None:
    server = admin_server
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.base_url}/login")
    page.fill('input[name="email"]', server.email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url("**/posts")

    page.goto(f"{server.base_url}/crisis")
    page.click("#crisis-settings-link")
    page.click("#crisis-settings-tabs >> text=Escalation")
    form = page.locator("#escalation-form")
    form.locator('input[name="name"]').fill("Parcel on-call")
    form.locator('input[name="delay_0"]').fill("0")
    form.locator('select[name="channels_0"]').select_option(str(server.channel_id))
    form.locator('input[name="delay_1"]').fill("15")
    form.locator('select[name="users_1"]').select_option(
        [str(server.lead_id), str(server.deputy_id)]
    )
    form.locator('button[type="submit"]').click()
    page.wait_for_url("**/crisis/settings?tab=escalation*")
    row = page.locator("#escalation-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Parcel on-call")
    expect(row.locator("li")).to_have_count(2)
    expect(row.locator("li").nth(1)).to_contain_text("+15 min")
    expect(row.locator("li").nth(1)).to_contain_text("Dev Deputy")
    page.screenshot(path="/tmp/tocsin-crisis-settings.png", full_page=True)
    with server.factory() as s:
        policy = s.scalar(select(EscalationPolicy))
        assert policy is not None and [step["delay_minutes"] for step in policy.steps] == [0, 15]

    page.goto(f"{server.base_url}/crisis/incidents/{server.incident_id}")
    page.select_option("#incident-owner", str(server.deputy_id))
    page.locator("#incident-owner-form button[type=submit]").click()
    page.wait_for_url(f"**/crisis/incidents/{server.incident_id}")
    expect(page.locator("#incident-owner-name")).to_have_text("Dev Deputy")
    expect(page.locator("#incident-timeline li").first).to_contain_text(
        "Owner changed from Lea Lead to Dev Deputy by Lea Lead"
    )
    page.screenshot(path="/tmp/tocsin-war-room-owner.png")
    assert errors == []
    context.close()
