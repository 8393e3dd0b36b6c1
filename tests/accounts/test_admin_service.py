"""The rules behind user and team management, at the service level (API, page and CLI)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.accounts.helpers import T0, assigned_case
from tocsin.accounts.admin_service import (
    create_account,
    create_team,
    list_users,
    rename_team,
    reset_password,
    set_member,
    update_account,
    user_read,
)
from tocsin.accounts.models import ApiToken, TeamMember, WebSession
from tocsin.accounts.passwords import verify_password
from tocsin.accounts.schemas import Skills, UserCreate, UserUpdate
from tocsin.accounts.sessions import open_session
from tocsin.accounts.tokens import create_token
from tocsin.errors import AdminError, ConflictError
from tocsin.inbox.models import AgentStatus
from tocsin.inbox.routing import set_agent_status


def test_skills_are_checked_and_normalised() -> None:
    skills = Skills(languages=["FR", "nl", "fr"], platforms=["X"], topics=[" Billing ", ""])
    assert skills.model_dump() == {
        "languages": ["fr", "nl"],
        "platforms": ["x"],
        "topics": ["billing"],
    }
    for bad in (
        {"languages": ["french"]},
        {"languages": ["xx"]},
        {"platforms": ["myspace"]},
        {"topics": ["t" * 41]},
        {"colours": ["red"]},
    ):
        with pytest.raises(ValidationError):
            Skills(**bad)


def test_create_generates_a_one_time_password_only_when_none_is_given(session: Session) -> None:
    user, otp = create_account(session=session, data=UserCreate(email="Lea@Example.com"))
    assert otp is not None and len(otp) >= 10
    assert user.email == "lea@example.com" and verify_password(user.password_hash, otp)
    given, none = create_account(
        session=session, data=UserCreate(email="tom@example.com", password="a long password")
    )
    assert none is None and verify_password(given.password_hash, "a long password")
    with pytest.raises(ConflictError) as dup:
        create_account(session=session, data=UserCreate(email="LEA@example.com"))
    assert dup.value.field == "/email"
    with pytest.raises(AdminError) as role:
        create_account(session=session, data=UserCreate(email="x@example.com", role="boss"))
    assert role.value.field == "/role" and role.value.status == 422
    with pytest.raises(ValidationError):
        UserCreate(email="y@example.com", password="short")


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(session: Session) -> None:
    admin, _ = create_account(
        session=session, data=UserCreate(email="a1@example.com", role="admin")
    )
    for other in session.scalars(select(type(admin)).where(type(admin).role_name == "admin")):
        if other.id != admin.id:  # admins left by other tests in this transaction
            other.is_active = False
    session.flush()
    with pytest.raises(ConflictError) as demote:
        update_account(session=session, user=admin, data=UserUpdate(role="manager"))
    assert demote.value.status == 409 and demote.value.field == "/role"
    with pytest.raises(ConflictError):
        update_account(session=session, user=admin, data=UserUpdate(is_active=False))
    second, _ = create_account(
        session=session, data=UserCreate(email="a2@example.com", role="admin")
    )
    changes = update_account(session=session, user=admin, data=UserUpdate(role="manager"))
    assert changes["role"] == {"from": "admin", "to": "manager"} and admin.role.name == "manager"
    assert not admin.can("users:manage")
    with pytest.raises(ConflictError):  # and now ``second`` is the last one
        update_account(session=session, user=second, data=UserUpdate(is_active=False))
    with pytest.raises(ConflictError):  # nobody deactivates themselves
        update_account(session=session, user=admin, data=UserUpdate(is_active=False), actor=admin)


def test_deactivation_locks_out_and_hands_cases_on(
    session: Session, make_post: Any, make_agent: Any
) -> None:
    leaving = make_agent(skills={"languages": ["fr"]})
    colleague = make_agent()
    team = create_team(session=session, name="Care FR")
    set_member(session=session, team=team, user=leaving, is_lead=True)
    set_agent_status(session=session, user=leaving, status="online", now=T0, on_call=True)
    case = assigned_case(session, make_post, leaving, lang="fr", handle="claire")
    open_session(session=session, user=leaving, max_age_seconds=3600)
    open_session(session=session, user=colleague, max_age_seconds=3600)
    create_token(session=session, user=leaving, name="bot", scopes=["posts:read"])

    changes = update_account(session=session, user=leaving, data=UserUpdate(is_active=False))

    assert changes["sessions_ended"] == 1 and changes["tokens_revoked"] == 1
    assert changes["cases_handed_on"] == 1 and changes["lead_flags_dropped"] == [team.id]
    assert case.assignee_id is None  # nobody else online speaks French: back to the queue
    assert session.scalars(select(WebSession).where(WebSession.user_id == leaving.id)).all() == []
    assert session.scalars(select(WebSession).where(WebSession.user_id == colleague.id)).all()
    token = session.scalars(select(ApiToken).where(ApiToken.user_id == leaving.id)).one()
    assert token.revoked_at is not None
    status = session.get(AgentStatus, leaving.id)
    assert status is not None and status.status == "offline" and not status.on_call
    member = session.scalars(select(TeamMember).where(TeamMember.user_id == leaving.id)).one()
    assert member.is_lead is False  # escalation now goes to another lead or the on-call person
    assert leaving not in list_users(session=session, active=True)
    assert leaving in list_users(session=session, active=False, team_id=team.id)

    back = update_account(session=session, user=leaving, data=UserUpdate(is_active=True))
    assert back == {"is_active": {"from": False, "to": True}} and token.revoked_at is not None


def test_reset_password_ends_every_session(session: Session, make_agent: Any) -> None:
    agent = make_agent()
    open_session(session=session, user=agent, max_age_seconds=3600)
    otp = reset_password(session=session, user=agent)
    assert verify_password(agent.password_hash, otp)
    assert session.scalars(select(WebSession).where(WebSession.user_id == agent.id)).all() == []


def test_teams_names_members_and_leads(session: Session, make_agent: Any) -> None:
    ana, bob = make_agent(name="Ana"), make_agent(name="Bob")
    team = create_team(session=session, name="  Night   shift ")
    assert team.name == "Night shift"
    with pytest.raises(ConflictError):
        create_team(session=session, name="night SHIFT")
    other = create_team(session=session, name="Weekend")
    with pytest.raises(ConflictError):
        rename_team(session=session, team=other, name="Night shift")
    assert set_member(session=session, team=team, user=ana, is_lead=False) is True
    assert set_member(session=session, team=team, user=ana, is_lead=True) is False
    set_member(session=session, team=team, user=bob, is_lead=False)
    read = user_read(ana)
    assert [(t.name, t.is_lead) for t in read.teams] == [("Night shift", True)]
    bob.is_active = False
    with pytest.raises(AdminError):
        set_member(session=session, team=team, user=bob, is_lead=True)
