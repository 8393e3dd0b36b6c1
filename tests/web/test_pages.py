"""The HTML shell: navigation by role, the posts page, escaping, htmx fragments, languages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import csrf_from, post_payload
from tocsin.accounts.models import User
from tocsin.ingestion.models import Author, Post
from tocsin.ingestion.service import ingest_posts


def _ingest(session_factory: sessionmaker[Session], posts: list[dict]) -> None:
    with session_factory() as s:
        report = ingest_posts(session=s, posts=posts)
        assert not report.rejected, report.rejected
        s.commit()


def test_navigation_follows_the_role(client: TestClient, signed_in: Callable[..., User]) -> None:
    signed_in("viewer")
    html = client.get("/posts").text
    for label in ("Inbox", "Listening", "Crisis", "Posts", "Settings"):
        assert f"<span>{label}</span>" in html
    assert 'aria-current="page"' in html
    settings = client.get("/settings").text
    assert "API tokens" not in settings  # viewers have no tokens:manage
    assert (
        client.post("/settings/tokens", data={"csrf_token": csrf_from(settings)}).status_code == 403
    )


def test_every_area_has_its_real_page(client: TestClient, signed_in: Callable[..., User]) -> None:
    signed_in("agent")
    for area in ("inbox", "listening", "crisis"):
        response = client.get(f"/{area}")
        assert response.status_code == 200, area
        assert "Coming with the" not in response.text
    assert client.get("/").headers["location"] == "/inbox"


def test_posts_page_lists_filters_and_pages(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    signed_in("viewer")
    _ingest(
        session_factory,
        [post_payload(i) for i in range(1, 36)]
        + [post_payload(99, platform="x", lang="fr", text="Où est mon colis ?")],
    )
    page = client.get("/posts")
    assert page.status_code == 200
    assert page.text.count('class="post"') == 30
    assert 'rel="noopener noreferrer nofollow"' in page.text
    assert "Load more" in page.text
    more_url = page.text.split('hx-get="/posts/more')[1].split('"')[0].replace("&amp;", "&")
    more_url = "/posts/more" + more_url
    more = client.get(more_url, headers={"HX-Request": "true"})
    assert more.text.count('class="post"') == 6
    assert "<html" not in more.text
    assert "You have reached the oldest post." in more.text

    fragment = client.get(
        "/posts?platform=x&lang=fr", headers={"HX-Request": "true", "HX-Target": "post-results"}
    )
    assert "<html" not in fragment.text
    assert fragment.text.count('class="post"') == 1
    assert "Où est mon colis ?" in fragment.text
    empty = client.get("/posts?q=nothing-matches-this")
    assert "No posts found" in empty.text
    bad = client.get("/posts?since=yesterday")
    assert bad.status_code == 200 and "Invalid filter" in bad.text


def test_until_date_includes_the_whole_day(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    signed_in("viewer")
    _ingest(session_factory, [post_payload(1, created_at="2026-05-02T23:30:00Z")])
    assert client.get("/posts?until=2026-05-02").text.count('class="post"') == 1
    assert client.get("/posts?until=2026-05-01").text.count('class="post"') == 0


def test_user_text_is_escaped_and_only_http_links_render(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    signed_in("viewer")
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    with session_factory() as s:
        author = Author(platform="x", handle="h<b>x", display_name=evil)
        s.add(author)
        s.flush()
        s.add(
            Post(
                platform="x",
                external_id="evil",
                author_id=author.id,
                text=evil,
                title=evil,
                url="javascript:alert(3)",
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
        s.commit()
    html = client.get("/posts").text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html
    assert "h&lt;b&gt;x" in html


def test_language_comes_from_profile_cookie_or_header(
    client: TestClient, make_user: Callable[..., User], signed_in: Callable[..., User]
) -> None:
    assert "Connexion" in client.get("/login", headers={"Accept-Language": "fr-BE,fr;q=0.9"}).text
    assert "Iniciar sesión" in client.get("/login", headers={"Accept-Language": "es"}).text
    assert "Sign in" in client.get("/login", headers={"Accept-Language": "de, ja"}).text
    login_page = client.get("/login")
    switched = client.post(
        "/locale", data={"locale": "nl", "csrf_token": csrf_from(login_page.text), "next": "/login"}
    )
    assert switched.status_code == 303
    assert "Aanmelden" in client.get("/login").text

    signed_in("agent", locale="es")
    page = client.get("/posts", headers={"Accept-Language": "fr"})
    assert '<html lang="es">' in page.text
    assert "Publicaciones" in page.text
    client.post(
        "/locale", data={"locale": "fr", "csrf_token": csrf_from(page.text), "next": "/posts"}
    )
    assert '<html lang="fr">' in client.get("/posts").text
    assert "Publications" in client.get("/posts").text


def test_dates_follow_the_locale(
    client: TestClient, signed_in: Callable[..., User], session_factory: sessionmaker[Session]
) -> None:
    signed_in("viewer", locale="fr")
    _ingest(session_factory, [post_payload(1, created_at="2026-11-20T09:12:00Z")])
    html = client.get("/posts").text
    assert 'datetime="2026-11-20T09:12:00+00:00">20/11/2026 09:12</time>' in html


def test_error_pages_are_html_for_the_browser(
    client: TestClient, signed_in: Callable[..., User]
) -> None:
    signed_in("viewer")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "This page does not exist." in response.text
