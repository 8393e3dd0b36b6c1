"""Every route refuses anonymous callers unless it is on the explicit public list."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from tocsin.web.app import PUBLIC_PATHS, PUBLIC_PREFIXES, is_public
from tocsin.web.security import CONTENT_SECURITY_POLICY


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    found = []
    for route in iter_route_contexts(app.routes):
        path = route.path
        for method in sorted(route.methods or {"GET"}):
            if method != "HEAD":
                found.append((method, path))
    return found


def test_the_public_list_is_what_we_decided() -> None:
    assert set(PUBLIC_PATHS) == {"/api/v1/health", "/login", "/locale", "/docs", "/openapi.json"}
    assert set(PUBLIC_PREFIXES) == {"/static/", "/webhooks/", "/shared/"}


def test_every_route_refuses_anonymous_callers(app: FastAPI, client: TestClient) -> None:
    routes = _routes(app)
    assert len(routes) >= 20
    checked = 0
    for method, path in routes:
        url = re.sub(r"\{[^}]+\}", "1", path)
        if is_public(path) or path == "/static":
            continue
        response = client.request(method, url)
        checked += 1
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert response.headers["content-type"] == "application/problem+json"
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login"), (method, path)
    assert checked >= 15


def test_public_routes_answer_anonymous_callers(client: TestClient) -> None:
    assert client.get("/api/v1/health").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200
    assert client.get("/static/css/app.css").status_code == 200


def test_a_bad_bearer_token_is_401_with_a_challenge(client: TestClient) -> None:
    for value in ("Bearer nope", "Bearer tcs_abc_def", "Bearer tcs__", "Basic dXNlcjpwYXNz"):
        response = client.get("/api/v1/posts", headers={"Authorization": value})
        assert response.status_code == 401
        if value.startswith("Bearer"):
            assert 'error="invalid_token"' in response.headers["www-authenticate"]


@pytest.mark.parametrize("path", ["/login", "/api/v1/health", "/static/js/app.js", "/nowhere"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"


def test_csp_forbids_inline_scripts_and_framing() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["frame-ancestors"] == "'none'"


def test_docs_page_only_allows_its_own_inline_script(client: TestClient) -> None:
    response = client.get("/docs")
    csp = response.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'<script nonce="{nonce}">' in response.text
    assert "unsafe-inline" not in csp


def test_pages_are_not_cached_but_static_files_may_be(client: TestClient) -> None:
    assert client.get("/login").headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/css/app.css").headers.get("cache-control", "")


def test_unknown_api_path_is_a_problem_document(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
