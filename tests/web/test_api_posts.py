"""POST/GET /api/v1/posts: ingestion outcomes, bad bodies, filters and cursor pagination."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import post_payload
from tocsin.accounts.models import User

PROBLEM = "application/problem+json"


@pytest.fixture
def writer(make_user: Callable[..., User], make_token: Callable[..., str]) -> dict[str, str]:
    user = make_user("manager")
    return {"Authorization": "Bearer " + make_token(user, ["posts:read", "posts:write"])}


def test_ingest_reports_each_item_and_is_idempotent(
    client: TestClient, writer: dict[str, str]
) -> None:
    batch = [post_payload(1), post_payload(2)]
    first = client.post("/api/v1/posts", json=batch, headers=writer)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["received"], body["imported"], body["rejected"]) == (2, 2, 0)
    assert [i["status"] for i in body["items"]] == ["imported", "imported"]
    assert all(isinstance(i["post_id"], int) for i in body["items"])

    again = client.post("/api/v1/posts", json={"posts": batch}, headers=writer).json()
    assert again["imported"] == 0
    assert again["duplicates"] + again["updated"] == 2
    assert [i["post_id"] for i in again["items"]] == [i["post_id"] for i in body["items"]]


def test_invalid_items_are_rejected_one_by_one(client: TestClient, writer: dict[str, str]) -> None:
    batch = [post_payload(1), post_payload(2, created_at="not a date"), 42, None]
    body = client.post("/api/v1/posts", json=batch, headers=writer).json()
    assert [i["status"] for i in body["items"]] == ["imported", "rejected", "rejected", "rejected"]
    assert "created_at" in body["items"][1]["reason"]
    assert body["rejected"] == 3


def test_atomic_mode_refuses_the_batch_with_field_paths(
    client: TestClient, writer: dict[str, str]
) -> None:
    batch = {"posts": [post_payload(1), post_payload(2, created_at="soon", platform="myspace")]}
    response = client.post("/api/v1/posts?atomic=true", json=batch, headers=writer)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= problem.keys()
    assert problem["instance"] == "/api/v1/posts"
    fields = {e["field"] for e in problem["errors"]}
    assert {"/posts/1/created_at", "/posts/1/platform"} <= fields
    listed = client.get("/api/v1/posts", headers=writer).json()
    assert listed["items"] == []  # nothing was stored


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"not json at all",
        b"\xff\xfe\x00garbage",
        b"null",
        b"42",
        b'"a string"',
        b'{"items": []}',
        b'{"posts": {"platform": "x"}}',
        b"[" * 5000 + b"]" * 5000,
    ],
)
def test_malformed_bodies_are_422_never_500(
    client: TestClient, writer: dict[str, str], body: bytes
) -> None:
    headers = {**writer, "Content-Type": "application/json"}
    response = client.post("/api/v1/posts", content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["message"]


def test_wrong_types_nulls_and_unicode(client: TestClient, writer: dict[str, str]) -> None:
    batch = [
        post_payload(1, text=None),
        post_payload(2, engagement={"likes": "many"}),
        post_payload(3, author={"handle": None}),
        post_payload(4, text="Ça marche 🚀 — ありがとう \u202e reversed ‮ مرحبا"),
        post_payload(5, external_id="é" * 200),
    ]
    response = client.post("/api/v1/posts", json=batch, headers=writer)
    assert response.status_code == 200
    statuses = [i["status"] for i in response.json()["items"]]
    assert statuses[:3] == ["rejected"] * 3
    assert statuses[3:] == ["imported", "imported"]
    post_id = response.json()["items"][3]["post_id"]
    stored = client.get(f"/api/v1/posts/{post_id}", headers=writer).json()
    assert stored["text"] == batch[3]["text"]


def test_nul_characters_are_refused_on_every_backend(
    client: TestClient, writer: dict[str, str]
) -> None:
    batch = [post_payload(1), post_payload(2, author={"handle": "a\x00b"})]
    response = client.post("/api/v1/posts", json=batch, headers=writer)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "/1/author/handle"
    raw = client.post("/api/v1/posts", json=[post_payload(3, raw={"k\x00": 1})], headers=writer)
    assert raw.json()["errors"][0]["field"] == "/0/raw/k\x00"


def test_batch_size_is_limited(client: TestClient, writer: dict[str, str], settings) -> None:
    batch = [post_payload(i) for i in range(settings.max_batch + 1)]
    response = client.post("/api/v1/posts", json=batch, headers=writer)
    assert response.status_code == 422
    assert str(settings.max_batch) in response.json()["detail"]


def test_body_too_large_by_header_and_by_stream(
    client: TestClient, writer: dict[str, str], settings
) -> None:
    big = b"[" + b" " * (settings.max_request_bytes + 10) + b"]"
    headers = {**writer, "Content-Type": "application/json"}
    response = client.post("/api/v1/posts", content=big, headers=headers)
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM

    def chunks() -> Iterator[bytes]:  # no Content-Length: the middleware must count
        yield b"["
        for _ in range(settings.max_request_bytes // 65536 + 2):
            yield b" " * 65536
        yield b"]"

    streamed = client.post("/api/v1/posts", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    assert streamed.json()["status"] == 413


def test_json_content_type_is_required(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/posts",
        content=json.dumps([post_payload(1)]),
        headers={**writer, "Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert "Content-Type: application/json" in response.json()["detail"]


def _ingest(client: TestClient, headers: dict[str, str], posts: list[dict]) -> None:
    response = client.post("/api/v1/posts", json=posts, headers=headers)
    assert response.status_code == 200
    assert response.json()["rejected"] == 0, response.text


def test_filters(client: TestClient, writer: dict[str, str]) -> None:
    _ingest(
        client,
        writer,
        [
            post_payload(1, platform="x", lang="fr", text="Colis perdu, REMBOURSEMENT svp"),
            post_payload(2, platform="bluesky", lang="en", text="Lovely service 100% happy"),
            post_payload(3, platform="mastodon", lang="nl", direction="outbound", text="Dank je"),
        ],
    )

    def ids(query: str) -> list[str]:
        response = client.get("/api/v1/posts?" + query, headers=writer)
        assert response.status_code == 200, response.text
        return [p["external_id"] for p in response.json()["items"]]

    assert ids("platform=x") == ["post-1"]
    assert sorted(ids("platform=x&platform=bluesky")) == ["post-1", "post-2"]
    assert ids("lang=nl") == ["post-3"]
    assert ids("direction=outbound") == ["post-3"]
    assert ids("q=remboursement") == ["post-1"]
    assert ids("q=100%25") == ["post-2"]  # % is matched literally, not as a wildcard
    assert ids("author=@user2.test") == ["post-2"]
    assert ids("since=2026-03-04T00:00:00Z") == ["post-3"]
    assert ids("until=2026-03-03T00:00:00Z") == ["post-1"]
    assert client.get("/api/v1/posts?direction=sideways", headers=writer).status_code == 422


def test_cursor_pagination_walks_every_post_once_newest_first(
    client: TestClient, writer: dict[str, str]
) -> None:
    same_time = "2026-04-01T12:00:00Z"  # ties on created_at are broken by id
    posts = [post_payload(i, created_at=same_time if i % 3 == 0 else None) for i in range(1, 26)]
    for p in posts:
        if p["created_at"] is None:
            p["created_at"] = f"2026-03-{1 + p['engagement']['likes'] % 28:02d}T08:00:00Z"
    _ingest(client, writer, posts)
    seen: list[dict] = []
    cursor = None
    while True:
        url = "/api/v1/posts?limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=writer).json()
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 25
    assert len({p["id"] for p in seen}) == 25
    keys = [(p["created_at"], p["id"]) for p in seen]
    assert keys == sorted(keys, reverse=True)


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ", "WyJub3QtYS1kYXRlIiwxXQ", "W10"])
def test_bad_cursor_is_422(client: TestClient, writer: dict[str, str], cursor: str) -> None:
    response = client.get(f"/api/v1/posts?cursor={cursor}", headers=writer)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "/cursor"


def test_read_one_post_and_404(client: TestClient, writer: dict[str, str]) -> None:
    _ingest(client, writer, [post_payload(7)])
    listed = client.get("/api/v1/posts", headers=writer).json()["items"]
    post = client.get(f"/api/v1/posts/{listed[0]['id']}", headers=writer).json()
    assert post["author"]["handle"] == "user7.test"
    assert post["engagement"]["likes"] == 7
    missing = client.get("/api/v1/posts/999999", headers=writer)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert client.get("/api/v1/posts/abc", headers=writer).status_code == 422
