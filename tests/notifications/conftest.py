"""Fixtures for the channel API and pages: the web fixtures, and API clients per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import (  # noqa: F401 - the web fixtures, for the page tests
    app,
    client,
    csrf_from,
    fast_password_hashing,
    login,
    make_token,
    make_user,
    signed_in,
)
from tocsin.accounts.models import User
from tocsin.config import Settings
from tocsin.crisis.models import EscalationPolicy
from tocsin.web.app import create_app

ROLE_SCOPES = {
    "admin": ["settings:manage", "incidents:manage"],
    "manager": ["incidents:manage"],
    "agent": ["cases:read"],
}


@pytest.fixture
def api_as(
    settings: Settings,
    session_factory: sessionmaker[Session],
    make_user: Callable[..., User],  # noqa: F811 - the imported fixture
    make_token: Callable[..., str],  # noqa: F811 - the imported fixture
) -> Callable[..., TestClient]:
    """A TestClient holding a token of a new user of ``role`` (on ``settings``, or overrides)."""

    def make(role: str = "admin", **overrides: object) -> TestClient:
        user = make_user(role)
        token = make_token(user, ROLE_SCOPES[role])
        app_settings = settings.model_copy(update=overrides) if overrides else settings
        api = TestClient(create_app(app_settings, session_factory=session_factory))
        api.headers["Authorization"] = f"Bearer {token}"
        return api

    return make


def add_policy(factory: sessionmaker[Session], name: str, *channel_ids: int) -> int:
    """An escalation policy whose second step sends to ``channel_ids``."""
    with factory() as s:
        policy = EscalationPolicy(
            name=name,
            steps=[
                {"delay_minutes": 0, "channel_ids": [], "user_ids": [1]},
                {"delay_minutes": 15, "channel_ids": list(channel_ids), "user_ids": []},
            ],
        )
        s.add(policy)
        s.commit()
        return policy.id
