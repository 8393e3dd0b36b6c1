"""``/api/v1/users`` and ``/api/v1/teams``: manage people, roles, skills, capacity and teams.

Every route needs ``users:manage`` (the admin role) except ``GET /api/v1/me``, where any caller
reads their own account (answered even while ``password_change_required`` blocks the rest of
a browser session's API calls); every change is audited without secrets.
Bad input is a problem+json 422 whose ``errors`` point at the fields; the last active admin
cannot be demoted or deactivated (409).

Example::

    curl -X POST $BASE/api/v1/users -H "Authorization: Bearer $TOKEN" \
         -H "Content-Type: application/json" \
         -d '{"email": "lea@example.com", "role": "agent",
              "skills": {"languages": ["fr"], "platforms": ["x"]}}'
    # 201 {"id": 7, …, "one_time_password": "Xq3…"}   (shown once)
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from tocsin.accounts.admin_service import (
    create_account,
    create_team,
    delete_team,
    list_teams,
    list_users,
    remove_member,
    rename_team,
    reset_password,
    set_member,
    team_read,
    update_account,
    user_read,
)
from tocsin.accounts.models import Team, User
from tocsin.accounts.permissions import Permission
from tocsin.accounts.schemas import (
    MemberSet,
    PasswordReset,
    TeamCreate,
    TeamRead,
    TeamUpdate,
    UserCreate,
    UserCreated,
    UserRead,
    UserUpdate,
)
from tocsin.web.deps import DbSession, Principal, SignedInPrincipal, require
from tocsin.web.editing import Editor, refusals
from tocsin.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["users and teams"])
ManageUsers = Annotated[Principal, require(Permission.USERS_MANAGE)]


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise Problem(404, "not-found", "Not found", f"no user with id {user_id}")
    return user


def _team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise Problem(404, "not-found", "Not found", f"no team with id {team_id}")
    return team


@router.get("/me", summary="Read the signed-in user", response_model=UserRead)
def api_me(who: SignedInPrincipal) -> UserRead:
    """The caller's own account; ``password_change_required`` says whether they must first
    choose their own password (on ``/settings/password``) before anything else."""
    return user_read(who.user)


@router.get("/users", summary="List users", response_model=list[UserRead])
def api_list_users(
    session: DbSession,
    who: ManageUsers,
    role: Annotated[str | None, Query(max_length=32)] = None,
    active: bool | None = None,
    team: Annotated[int | None, Query(description="A team id")] = None,
) -> list[UserRead]:
    users = list_users(session=session, role=role, active=active, team_id=team)
    return [user_read(u) for u in users]


@router.get("/users/{user_id}", summary="Read a user", response_model=UserRead)
def api_get_user(user_id: int, session: DbSession, who: ManageUsers) -> UserRead:
    return user_read(_user(session, user_id))


@router.post("/users", summary="Create a user", response_model=UserCreated, status_code=201)
def api_create_user(
    body: UserCreate, request: Request, session: DbSession, who: ManageUsers
) -> UserCreated:
    """Without ``password``, a one-time password is generated and returned once."""
    with refusals(session):
        user, one_time = create_account(session=session, data=body)
    detail = {"role": user.role_name, "generated_password": one_time is not None}
    Editor(request, session, who).commit("user.created", "user", user.id, detail)
    return UserCreated(**user_read(user).model_dump(), one_time_password=one_time)


@router.patch("/users/{user_id}", summary="Change a user", response_model=UserRead)
def api_update_user(
    user_id: int, body: UserUpdate, request: Request, session: DbSession, who: ManageUsers
) -> UserRead:
    """Deactivating ends sessions, revokes tokens and hands open cases on."""
    user = _user(session, user_id)
    with refusals(session):
        changes = update_account(session=session, user=user, data=body, actor=who.user)
    if changes:
        Editor(request, session, who).record("user.updated", "user", user.id, changes)
    session.commit()
    return user_read(user)


@router.post(
    "/users/{user_id}/reset-password",
    summary="Reset a user's password",
    response_model=PasswordReset,
)
def api_reset_password(
    user_id: int, request: Request, session: DbSession, who: ManageUsers
) -> PasswordReset:
    """A new one-time password, returned once; the user's browser sessions end."""
    user = _user(session, user_id)
    password = reset_password(session=session, user=user)
    Editor(request, session, who).commit("user.password_reset", "user", user.id)
    return PasswordReset(user_id=user.id, one_time_password=password)


@router.get("/teams", summary="List teams", response_model=list[TeamRead])
def api_list_teams(session: DbSession, who: ManageUsers) -> list[TeamRead]:
    return [team_read(t) for t in list_teams(session=session)]


@router.get("/teams/{team_id}", summary="Read a team", response_model=TeamRead)
def api_get_team(team_id: int, session: DbSession, who: ManageUsers) -> TeamRead:
    return team_read(_team(session, team_id))


@router.post("/teams", summary="Create a team", response_model=TeamRead, status_code=201)
def api_create_team(
    body: TeamCreate, request: Request, session: DbSession, who: ManageUsers
) -> TeamRead:
    with refusals(session):
        team = Editor(request, session, who).apply(
            lambda: create_team(session=session, name=body.name),
            action="team.created",
            target_type="team",
            detail=lambda row: {"name": row.name},
        )
    return team_read(team)


@router.patch("/teams/{team_id}", summary="Rename a team", response_model=TeamRead)
def api_rename_team(
    team_id: int, body: TeamUpdate, request: Request, session: DbSession, who: ManageUsers
) -> TeamRead:
    team = _team(session, team_id)
    before = team.name
    with refusals(session):
        rename_team(session=session, team=team, name=body.name)
    detail = {"from": before, "to": team.name}
    Editor(request, session, who).commit("team.renamed", "team", team.id, detail)
    return team_read(team)


@router.delete("/teams/{team_id}", summary="Delete a team", status_code=204)
def api_delete_team(
    team_id: int, request: Request, session: DbSession, who: ManageUsers
) -> Response:
    team = _team(session, team_id)
    Editor(request, session, who).delete(
        team,
        action="team.deleted",
        target_type="team",
        detail={"name": team.name},
        remove=lambda: delete_team(session=session, team=team),
    )
    return Response(status_code=204)


@router.put(
    "/teams/{team_id}/members/{user_id}",
    summary="Add a member or set their lead flag",
    response_model=TeamRead,
)
def api_set_member(
    team_id: int,
    user_id: int,
    request: Request,
    session: DbSession,
    who: ManageUsers,
    body: MemberSet | None = None,
) -> TeamRead:
    team, user = _team(session, team_id), _user(session, user_id)
    is_lead = body.is_lead if body is not None else False
    with refusals(session):
        added = set_member(session=session, team=team, user=user, is_lead=is_lead)
    action = "team.member_added" if added else "team.member_updated"
    detail = {"user_id": user.id, "is_lead": is_lead}
    Editor(request, session, who).commit(action, "team", team.id, detail)
    return team_read(team)


@router.delete("/teams/{team_id}/members/{user_id}", summary="Remove a member", status_code=204)
def api_remove_member(
    team_id: int, user_id: int, request: Request, session: DbSession, who: ManageUsers
) -> Response:
    team = _team(session, team_id)
    if not remove_member(session=session, team=team, user_id=user_id):
        raise Problem(404, "not-found", "Not found", f"user {user_id} is not in team {team_id}")
    detail = {"user_id": user_id}
    Editor(request, session, who).commit("team.member_removed", "team", team.id, detail)
    return Response(status_code=204)
