"""Settings → Team in a real headless Chromium: an admin adds a French-speaking X agent, who
then signs in with the one-time password and must replace it before reaching any page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import drop_database, new_database_url
from tests.e2e.conftest import CHROMIUM, local_settings, serving
from tocsin.accounts.models import User
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.accounts.service import create_user
from tocsin.db import Base, make_engine

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="browser tests need /usr/bin/chromium"),
]
ADMIN = "admin@example.com"
PASSWORD = "team admin password"


@dataclass
class TeamServer:
    base_url: str
    factory: sessionmaker[Session]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamServer]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need /usr/bin/chromium")
    url = new_database_url(tmp_path_factory.mktemp("team-e2e"))
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as s:
        ensure_builtin_roles(s)
        create_user(session=s, email=ADMIN, password=PASSWORD, role="admin", name="Ada Admin")
        s.commit()
    settings = local_settings(
        url,
        secret_key="team-e2e-secret-key-0123456789-abcdefghijk",
    )

    with serving(settings):
        yield TeamServer(settings.base_url, factory)
    engine.dispose()
    drop_database(url)


def _tab(
    browser: Any, base_url: str, email: str, password: str, lands_on: Any = "**/posts"
) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base_url}/login")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')
    page.wait_for_url(lands_on)
    return context, page, errors


def test_admin_adds_an_agent_who_signs_in_with_the_one_time_password(
    server: TeamServer, chromium_browser: Any
) -> None:
    context, page, errors = _tab(chromium_browser, server.base_url, ADMIN, PASSWORD)
    page.goto(f"{server.base_url}/settings")
    page.click('a[href="/settings/team"]')
    page.wait_for_url("**/settings/team")
    form = page.locator("#add-user")
    form.locator('input[name="email"]').fill("camille@example.com")
    form.locator('input[name="name"]').fill("Camille Dupont")
    form.locator('select[name="role"]').select_option("agent")
    form.locator('select[name="locale"]').select_option("fr")
    form.locator('select[name="languages"]').select_option(["fr"])
    form.locator('input[name="platforms"][value="x"]').check()
    form.locator('input[name="topics"]').fill("livraison")
    form.locator('button[type="submit"]').click()
    page.wait_for_selector("#one-time-password")
    one_time = page.locator("#one-time-password").inner_text().strip()
    assert len(one_time) >= 10
    row = page.locator('tr[data-user="camille@example.com"]')
    assert "fr" in row.inner_text() and "X" in row.inner_text()
    assert errors == [], errors
    context.close()

    with server.factory() as s:
        camille = s.scalars(select(User).where(User.email == "camille@example.com")).one()
        assert camille.role_name == "agent" and camille.locale == "fr"
        assert camille.skills == {"languages": ["fr"], "platforms": ["x"], "topics": ["livraison"]}

    changing = re.compile(r"/settings/password\?next=/posts$")
    context, page, errors = _tab(
        chromium_browser, server.base_url, "camille@example.com", one_time, lands_on=changing
    )
    assert page.locator("html").get_attribute("lang") == "fr"  # her profile's language
    assert page.locator("#password-change-required").count() == 1
    page.goto(f"{server.base_url}/settings")  # every page sends her back until she chooses
    page.wait_for_url(re.compile(r"/settings/password\?next=/settings$"))
    page.fill('#password-form input[name="current_password"]', one_time)
    page.fill('#password-form input[name="new_password"]', "camille's own secret")
    page.fill('#password-form input[name="confirm_password"]', "camille's own secret")
    page.click('#password-form button[type="submit"]')
    page.wait_for_url(re.compile(r"/settings$"))  # then on to where she was heading
    assert page.locator('#profile-form input[name="name"]').input_value() == "Camille Dupont"
    assert page.locator('a[href="/settings/team"]').count() == 0  # agents do not manage people
    assert errors == [], errors
    context.close()
