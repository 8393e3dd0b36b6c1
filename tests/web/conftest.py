"""Fixtures for the web tests: the app on the test transaction, users, tokens, signed-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tocsin.accounts import passwords, service
from tocsin.accounts.models import User
from tocsin.accounts.service import create_user
from tocsin.accounts.tokens import create_token
from tocsin.config import Settings
from tocsin.web.app import create_app

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with its production cost takes ~0.5 s here; tests use the cheapest setting."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(service, "DUMMY_HASH", cheap.hash("unknown user"))


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session]) -> FastAPI:
    return create_app(settings, session_factory=session_factory)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as c:
        yield c


@pytest.fixture
def make_user(session_factory: sessionmaker[Session]) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(role: str = "agent", email: str | None = None, **kw: Any) -> User:
        with session_factory() as s:
            user = create_user(
                session=s,
                email=email or f"{role}{next(counter)}@example.com",
                password=PASSWORD,
                role=role,
                **kw,
            )
            s.commit()
            return user

    return make


@pytest.fixture
def make_token(session_factory: sessionmaker[Session]) -> Callable[..., str]:
    def make(user: User, scopes: list[str], **kw: Any) -> str:
        with session_factory() as s:
            issued = create_token(
                session=s, user=s.get(User, user.id), name="test", scopes=scopes, **kw
            )
            s.commit()
            return issued.secret

    return make


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no csrf_token field in the page"
    return match.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD, **extra: str) -> Any:
    page = client.get("/login")
    data = {"email": email, "password": password, "csrf_token": csrf_from(page.text), **extra}
    return client.post("/login", data=data)


@pytest.fixture
def signed_in(client: TestClient, make_user: Callable[..., User]) -> Callable[..., User]:
    """Sign ``client`` in as a new user of ``role`` and return the user."""

    def sign_in(role: str = "agent", **kw: Any) -> User:
        user = make_user(role, **kw)
        response = login(client, user.email)
        assert response.status_code == 303, response.text
        return user

    return sign_in


def post_payload(n: int, **overrides: Any) -> dict[str, Any]:
    """A canonical post written for the tests (hand-made, not from any data set)."""
    payload: dict[str, Any] = {
        "platform": "bluesky",
        "external_id": f"post-{n}",
        "text": f"Test post number {n} about the parcel",
        "created_at": f"2026-03-{1 + n % 28:02d}T10:{n % 60:02d}:00Z",
        "author": {"handle": f"user{n}.test", "display_name": f"User {n}", "followers": n},
        "lang": "en",
        "engagement": {"likes": n, "reposts": 1},
        "url": f"https://bsky.example/post/{n}",
    }
    payload.update(overrides)
    return payload
