"""The inbox reports page in headless Chromium: charts drawn under the CSP, filters, CSV link."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_reports_page_draws_its_charts_and_exports_csv(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.base_url}/inbox")
    page.click("#inbox-reports")
    page.wait_for_url("**/inbox/reports")
    expect(page.locator("#backlog-chart.is-drawn canvas")).to_have_count(1)
    expect(page.locator("#replies-chart.is-drawn canvas")).to_have_count(1)

    page.fill('input[name="since"]', "2026-03-02")
    page.fill('input[name="until"]', "2026-03-04")
    page.check("#business-hours")
    page.click('#report-filters button[type="submit"]')
    page.wait_for_url("**/inbox/reports?*business_hours=1*")
    expect(page.locator("#business-hours")).to_be_checked()
    expect(page.locator("#backlog-chart.is-drawn")).to_have_count(1)

    with page.expect_download() as download:
        page.click("#reports-csv")
    assert download.value.suggested_filename == "inbox-report-2026-03-02-2026-03-04.csv"
    assert not page.console_errors, page.console_errors
