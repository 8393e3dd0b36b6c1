"""A live server (uvicorn in a thread, fresh committed database) and a real headless Chromium.

Browser tests are marked ``browser`` and skipped when ``/usr/bin/chromium`` is missing
(install it with ``apt-get install -y chromium``; never ``playwright install``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy.orm import sessionmaker

from tests.conftest import drop_database, new_database_url
from tocsin.accounts.roles import ensure_builtin_roles
from tocsin.accounts.service import create_user
from tocsin.accounts.tokens import create_token
from tocsin.config import Environment, Settings
from tocsin.db import Base, make_engine
from tocsin.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "browser test password"


@dataclass
class LiveServer:
    base_url: str
    email: str
    password: str
    token: str

    def ingest(self, posts: list[dict[str, Any]]) -> dict[str, Any]:
        response = httpx.post(
            f"{self.base_url}/api/v1/posts",
            json=posts,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
        )
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        assert body["rejected"] == 0, body
        return body


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def local_settings(database_url: str, *, secret_key: str, **extra: Any) -> Settings:
    """Test settings for an app served on a free local port (``base_url`` names it)."""
    return Settings(
        database_url=database_url,
        environment=Environment.TEST,
        secret_key=secret_key,
        base_url=f"http://127.0.0.1:{_free_port()}",
        **extra,
    )


@contextmanager
def serving(settings: Settings) -> Iterator[None]:
    """The web app at ``settings.base_url``, served by uvicorn in a thread while inside."""
    port = int(settings.base_url.rsplit(":", 1)[1])
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the live server did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need /usr/bin/chromium (apt-get install -y chromium)")
    url = new_database_url(tmp_path_factory.mktemp("e2e"))
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with sessionmaker(bind=engine, expire_on_commit=False)() as s:
        ensure_builtin_roles(s)
        user = create_user(
            session=s,
            email="manager@example.com",
            password=PASSWORD,
            role="manager",
            name="Maya Manager",
        )
        token = create_token(session=s, user=user, name="e2e", scopes=["posts:write"]).secret
        s.commit()
    settings = local_settings(url, secret_key="e2e-secret-key-0123456789-abcdefghijklmnop")
    with serving(settings):
        yield LiveServer(settings.base_url, user.email, PASSWORD, token)
    engine.dispose()
    drop_database(url)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """The one headless Chromium of the run (Playwright's sync API allows one per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browser(chromium_browser: Any, live_server: LiveServer) -> Any:
    return chromium_browser


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser context, signed in, that records console errors (CSP violations…)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.goto(f"{live_server.base_url}/login")
    tab.fill('input[name="email"]', live_server.email)
    tab.fill('input[name="password"]', live_server.password)
    tab.click('button[type="submit"]')
    tab.wait_for_url("**/posts")
    yield tab
    context.close()
