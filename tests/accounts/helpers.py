"""Small helpers for the user/team tests: an admin API caller and a case assigned to an agent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from tocsin.accounts.models import User
from tocsin.inbox.cases import SYSTEM, assign
from tocsin.inbox.models import Case
from tocsin.inbox.triage import triage_posts

T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def assigned_case(session: Session, make_post: Any, agent: User, **post: Any) -> Case:
    """A case opened from a fresh post and assigned to ``agent``."""
    created = make_post(created_at=T0, **post)
    case = session.get(Case, triage_posts(session=session, post_ids=[created.id], now=T0).opened[0])
    assert case is not None
    assign(session=session, case=case, user_id=agent.id, actor=SYSTEM, now=T0, reason="test")
    session.flush()
    return case
