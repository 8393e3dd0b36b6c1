from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from tocsin.accounts import passwords, service


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with its production cost takes ~0.5 s here; tests use the cheapest setting."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(service, "DUMMY_HASH", cheap.hash("unknown user"))


# The web fixtures (app on the test transaction, users, tokens, signed-in clients) and the inbox
# factories (posts → cases), for the user/team API, page and deactivation tests.
from tests.inbox.conftest import make_agent, make_post  # noqa: E402, F401
from tests.web.conftest import app, client, make_token, make_user, signed_in  # noqa: E402, F401
