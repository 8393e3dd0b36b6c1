"""In Chromium: an admin adds a signed webhook channel, copies its secret, clicks "Send test"
and sees "Test sent"; the local receiver got a request whose signature verifies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from fakes.receivers import HttpReceiver
from tests.conftest import drop_database, new_database_url
from tests.e2e.conftest import CHROMIUM, PASSWORD, local_settings, serving
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.accounts.service import create_user
from tocsin.db import Base, make_engine, make_session_factory
from tocsin.notifications.senders import SIGNATURE_HEADER, verify_signature

pytestmark = pytest.mark.browser


@dataclass
class AdminServer:
    base_url: str
    email: str
    http: HttpReceiver


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminServer]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need /usr/bin/chromium (apt-get install -y chromium)")
    url = new_database_url(tmp_path_factory.mktemp("notify-e2e"))
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as s:
        ensure_builtin_roles(s)
        user = create_user(session=s, email="admin@example.com", password=PASSWORD, role="admin")
        s.commit()
    http = HttpReceiver().start()
    settings = local_settings(
        url,
        secret_key="e2e-notify-secret-key-0123456789-abcdefgh",
    )
    with serving(settings):
        yield AdminServer(settings.base_url, user.email, http)
    http.stop()
    engine.dispose()
    drop_database(url)


def test_admin_adds_a_webhook_and_sends_a_test(
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

    page.goto(f"{server.base_url}/settings")
    page.click('a[href="/settings/notifications"]')
    page.wait_for_url("**/settings/notifications")
    expect(page.locator('[data-kind-fields] textarea[name="recipients"]')).to_be_visible()
    page.fill('input[name="name"]', "SIEM <hook>")
    page.select_option('select[name="kind"]', "webhook")
    # htmx swaps in the webhook's fields only
    expect(page.locator('[data-kind-fields="webhook"]')).to_be_visible()
    expect(page.locator('textarea[name="recipients"]')).to_have_count(0)
    page.fill('input[name="url"]', f"{server.http.url}/tocsin")
    page.click('form[action="/settings/notifications"] button[type="submit"]')

    secret = page.locator("#new-signing-secret").inner_text()
    assert secret.startswith("whsec_")
    row = page.locator("tr[data-channel]", has_text="SIEM <hook>")
    expect(row).to_contain_text("Signed webhook")
    expect(row).to_contain_text("nothing sent yet")
    row.get_by_role("button", name="Send test").click()
    expect(row.get_by_role("status")).to_have_text("Test sent")

    assert len(server.http.requests) == 1
    got = server.http.requests[0]
    assert verify_signature(secret, got.headers[SIGNATURE_HEADER], got.body)
    assert json.loads(got.body)["subject"] == "Tocsin test notification"

    page.goto(f"{server.base_url}/settings/notifications")  # not reload: that re-POSTs
    assert secret not in page.content()
    expect(page.locator("tr[data-channel]", has_text="SIEM <hook>")).to_contain_text("sent")
    assert errors == []
    context.close()
