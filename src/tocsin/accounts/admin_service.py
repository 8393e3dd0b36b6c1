"""Managing people: accounts, roles, skills, capacity, deactivation and teams.

The rules that protect the organisation live here, not in the views, so the API, the Settings
page and the CLI obey them alike:

* the last active administrator can be neither demoted nor deactivated
  (:class:`~tocsin.errors.ConflictError`; bad input is :class:`~tocsin.errors.AdminError`);
* deactivating someone ends their browser sessions, revokes their API tokens, drops their lead
  flags (escalation then pages another lead or the on-call person) and hands their open cases
  on through routing, exactly as when an agent goes offline;
* passwords are never returned except a *generated* one-time password, once;
* a password set here (generated, or typed by the admin) must be replaced by its owner at their
  next sign-in (``password_change_required``).

Example::

    user, otp = create_account(session=s, data=UserCreate(email="ana@example.com"))
    changes = update_account(session=s, user=user, data=UserUpdate(is_active=False), actor=boss)
    changes["cases_handed_on"]   # -> 3
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from tocsin.accounts.models import ApiToken, Role, Team, TeamMember, User, WebSession
from tocsin.accounts.schemas import (
    Skills,
    TeamMemberRead,
    TeamRead,
    TeamRef,
    UserCreate,
    UserRead,
    UserUpdate,
)
from tocsin.accounts.service import AccountError, create_user, get_user_by_email, set_password
from tocsin.errors import AdminError, ConflictError
from tocsin.inbox.routing import set_agent_status
from tocsin.types import utcnow

ADMIN_ROLE = "admin"


def generate_password() -> str:
    """A one-time password: 16 URL-safe characters (96 bits), above the length policy."""
    return secrets.token_urlsafe(12)


# ---------------------------------------------------------------- reading


def list_users(
    *,
    session: Session,
    role: str | None = None,
    active: bool | None = None,
    team_id: int | None = None,
) -> list[User]:
    stmt = select(User).order_by(User.is_active.desc(), func.lower(User.name), User.id)
    if role:
        stmt = stmt.where(User.role_name == role)
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    if team_id is not None:
        stmt = stmt.join(TeamMember, TeamMember.user_id == User.id).where(
            TeamMember.team_id == team_id
        )
    return list(session.scalars(stmt).unique())


def list_teams(*, session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(func.lower(Team.name), Team.id)))


def user_read(user: User) -> UserRead:
    skills = user.skills or {}
    teams = sorted(
        (TeamRef(id=m.team.id, name=m.team.name, is_lead=m.is_lead) for m in user.memberships),
        key=lambda t: t.name.lower(),
    )
    return UserRead(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role_name,
        locale=user.locale,
        is_active=user.is_active,
        skills=Skills.model_construct(
            languages=list(skills.get("languages") or []),
            platforms=list(skills.get("platforms") or []),
            topics=list(skills.get("topics") or []),
        ),
        capacity=user.capacity,
        password_change_required=user.password_change_required,
        teams=teams,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
    )


def team_read(team: Team) -> TeamRead:
    members = sorted(team.members, key=lambda m: (not m.is_lead, m.user.name.lower(), m.user_id))
    return TeamRead(
        id=team.id,
        name=team.name,
        created_at=team.created_at,
        members=[
            TeamMemberRead(
                user_id=m.user_id,
                email=m.user.email,
                name=m.user.name,
                is_active=m.user.is_active,
                is_lead=m.is_lead,
            )
            for m in members
        ],
    )


# ---------------------------------------------------------------- accounts


def _check_role(session: Session, role: str) -> None:
    if session.get(Role, role) is None:
        known = ", ".join(session.scalars(select(Role.name).order_by(Role.name)))
        raise AdminError(f"unknown role {role!r}: use one of {known}", field="/role")


def create_account(*, session: Session, data: UserCreate) -> tuple[User, str | None]:
    """Create a user; return it and the generated one-time password (None if one was given).

    Either way someone else chose the password, so the user must replace it when they sign in.
    """
    _check_role(session, data.role)
    if get_user_by_email(session=session, email=data.email) is not None:
        email = data.email.strip().lower()
        raise ConflictError(f"a user with the e-mail {email} already exists", field="/email")
    one_time = None if data.password else generate_password()
    try:
        user = create_user(
            session=session,
            email=data.email,
            password=data.password or one_time or "",
            role=data.role,
            name=data.name,
            locale=data.locale,
            password_change_required=True,
        )
    except AccountError as exc:
        raise AdminError(str(exc), field="/email") from None
    user.skills = data.skills.model_dump()
    user.capacity = data.capacity
    session.flush()
    return user, one_time


def _active_admin_ids(session: Session) -> list[int]:
    """Active administrators, locked for the transaction (PostgreSQL) so two concurrent
    demotions cannot both see "another admin remains"."""
    stmt = (
        select(User.id)
        .where(User.role_name == ADMIN_ROLE, User.is_active.is_(True))
        .order_by(User.id)
        .with_for_update()
    )
    return list(session.scalars(stmt))


def _guard_last_admin(session: Session, user: User, *, role: str, active: bool) -> None:
    stays_admin = role == ADMIN_ROLE and active
    if user.role_name != ADMIN_ROLE or not user.is_active or stays_admin:
        return
    others = [uid for uid in _active_admin_ids(session) if uid != user.id]
    if not others:
        what = "deactivate" if not active else "demote"
        raise ConflictError(
            f"cannot {what} {user.email}: they are the last active administrator; "
            "make someone else an admin first",
            field="/is_active" if not active else "/role",
        )


def update_account(
    *, session: Session, user: User, data: UserUpdate, actor: User | None = None
) -> dict[str, Any]:
    """Apply the fields sent; return what changed (for the audit log, without secrets).

    ``actor`` (the person making the change) may not deactivate themselves.
    """
    wanted = data.changes()
    role = wanted.get("role") or user.role_name
    active = user.is_active if wanted.get("is_active") is None else bool(wanted["is_active"])
    if "role" in wanted and wanted["role"] is not None:
        _check_role(session, role)
    if actor is not None and actor.id == user.id and user.is_active and not active:
        raise ConflictError("you cannot deactivate yourself; ask another admin", field="/is_active")
    _guard_last_admin(session, user, role=role, active=active)
    changes: dict[str, Any] = {}
    for key in ("name", "locale", "capacity"):
        value = wanted.get(key)
        if value is not None and value != getattr(user, key):
            changes[key] = {"from": getattr(user, key), "to": value}
            setattr(user, key, value)
    if role != user.role_name:
        changes["role"] = {"from": user.role_name, "to": role}
        user.role = session.get(Role, role)  # type: ignore[assignment]  # checked above
        user.role_name = role
    skills = wanted.get("skills")
    if skills is not None and skills.model_dump() != (user.skills or {}):
        changes["skills"] = {"from": user.skills or {}, "to": skills.model_dump()}
        user.skills = skills.model_dump()
    if active != user.is_active:
        changes["is_active"] = {"from": user.is_active, "to": active}
        if active:
            user.is_active = True
        else:
            changes.update(deactivate(session=session, user=user))
    session.flush()
    return changes


def deactivate(*, session: Session, user: User) -> dict[str, Any]:
    """Lock ``user`` out now and give their work to others; return counts for the audit."""
    user.is_active = False
    sessions = session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    tokens = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    lead_of = [m.team_id for m in user.memberships if m.is_lead]
    for membership in user.memberships:
        membership.is_lead = False
    session.flush()
    moved = set_agent_status(
        session=session, user=user, status="offline", now=utcnow(), on_call=False
    )
    return {
        "sessions_ended": int(getattr(sessions, "rowcount", 0) or 0),
        "tokens_revoked": int(getattr(tokens, "rowcount", 0) or 0),
        "cases_handed_on": moved,
        "lead_flags_dropped": lead_of,
    }


def end_sessions(*, session: Session, user_id: int, keep: str | None = None) -> int:
    """Delete ``user_id``'s browser sessions except the row id ``keep``; return how many."""
    stmt = delete(WebSession).where(WebSession.user_id == user_id)
    if keep is not None:
        stmt = stmt.where(WebSession.id != keep)
    return int(getattr(session.execute(stmt), "rowcount", 0) or 0)


def reset_password(*, session: Session, user: User) -> str:
    """Give ``user`` a new generated password (returned once) and sign them out everywhere;
    they must replace it when they next sign in."""
    password = generate_password()
    set_password(user=user, password=password, chosen_by_owner=False)
    end_sessions(session=session, user_id=user.id)
    session.flush()
    return password


# ---------------------------------------------------------------- teams


def _unique_team_name(session: Session, name: str, *, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise AdminError("a team needs a name", field="/name")
    stmt = select(Team.id).where(func.lower(Team.name) == name.lower())
    if exclude is not None:
        stmt = stmt.where(Team.id != exclude)
    if session.scalar(stmt) is not None:
        raise ConflictError(f"a team named {name!r} already exists", field="/name")
    return name


def create_team(*, session: Session, name: str) -> Team:
    team = Team(name=_unique_team_name(session, name), created_at=utcnow())
    session.add(team)
    session.flush()
    return team


def rename_team(*, session: Session, team: Team, name: str) -> None:
    team.name = _unique_team_name(session, name, exclude=team.id)
    session.flush()


def delete_team(*, session: Session, team: Team) -> None:
    session.delete(team)
    session.flush()


def set_member(*, session: Session, team: Team, user: User, is_lead: bool) -> bool:
    """Add ``user`` to ``team`` or change their lead flag; return True if they were added."""
    if is_lead and not user.is_active:
        raise AdminError(f"{user.email} is deactivated and cannot lead a team", field="/is_lead")
    for member in team.members:
        if member.user_id == user.id:
            member.is_lead = is_lead
            session.flush()
            return False
    team.members.append(TeamMember(user_id=user.id, user=user, is_lead=is_lead))
    session.flush()
    return True


def remove_member(*, session: Session, team: Team, user_id: int) -> bool:
    for member in list(team.members):
        if member.user_id == user_id:
            team.members.remove(member)
            session.flush()
            return True
    return False
