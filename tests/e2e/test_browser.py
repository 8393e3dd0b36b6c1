"""End to end in headless Chromium: sign in, read posts, and no script from posts ever runs."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.browser
SCREENSHOT = "/tmp/tocsin-posts-page.png"


def _post(n: int, **kw: Any) -> dict[str, Any]:
    post: dict[str, Any] = {
        "platform": "bluesky",
        "external_id": f"e2e-{n}",
        "text": f"Browser test post {n}: my parcel is late again",
        "created_at": f"2026-02-{n:02d}T09:30:00Z",
        "author": {"handle": f"reader{n}.test", "display_name": f"Reader {n}", "followers": 40 * n},
        "lang": "en",
        "engagement": {"likes": 3 * n, "reposts": n, "replies": 1},
        "url": f"https://bsky.example/profile/reader{n}/post/{n}",
    }
    post.update(kw)
    return post


def test_login_then_posts_list_shows_ingested_posts(page: Any, live_server: LiveServer) -> None:
    live_server.ingest(
        [
            _post(1),
            _post(2, platform="x", lang="fr", text="Toujours pas de réponse du service client 😡"),
            _post(3, platform="mastodon", lang="nl", text="Snelle hulp, dank jullie wel!"),
        ]
    )
    page.reload()
    assert page.locator("h1").inner_text() == "Posts"
    texts = page.locator(".post-text").all_inner_texts()
    assert "Toujours pas de réponse du service client 😡" in texts
    assert "Snelle hulp, dank jullie wel!" in texts
    link = page.locator(".post-link").first
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"

    page.fill("#filter-q", "dank jullie")  # htmx swaps the results in place
    expect(page.locator(".post")).to_have_count(1)  # locators work under our strict CSP
    assert "q=dank" in page.url
    assert page.locator(".post-text").inner_text() == "Snelle hulp, dank jullie wel!"
    page.fill("#filter-q", "")
    expect(page.locator(".post")).to_have_count(3)
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert page.console_errors == []


def test_scripts_in_posts_never_run(page: Any, live_server: LiveServer) -> None:
    script = "<script>window.__xss=1</script>"
    img = '<img src=x onerror="window.__xss=1">'
    live_server.ingest(
        [
            _post(
                20, text=f"Look {script} here", author={"handle": "evil1.test", "display_name": img}
            ),
            _post(
                21,
                text=f"And {img} there",
                title=script,
                author={"handle": "evil2.test", "display_name": script},
            ),
        ]
    )
    page.goto(f"{live_server.base_url}/posts")
    expect(page.locator(".post-text", has_text="Look")).to_have_count(1)
    page.wait_for_timeout(300)  # give any injected handler a chance to fire
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert f"Look {script} here" in page.locator(".post-text").all_inner_texts()
    assert f"And {img} there" in page.locator(".post-text").all_inner_texts()
    assert img in page.locator(".name").all_inner_texts()
    assert page.locator(".post img").count() == 0
    assert page.locator("main script").count() == 0
