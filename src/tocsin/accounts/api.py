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

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from tocsin.accounts.admin_service import (
    AdminError,
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
from tocsin.web.audit import record_change
from tocsin.web.deps import DbSession, Principal, SignedInPrincipal, require
from tocsin.web.problems import Problem, refusal

router = APIRouter(prefix="/api/v1", tags=["users and teams"])
ManageUsers = Annotated[Principal, require(Permission.USERS_MANAGE)]


def refused(exc: AdminError) -> Problem:
    """The problem document for a refused change (422 bad input, 409 state conflict)."""
    errors = [{"field": exc.field, "message": str(exc), "type": "value_error"}]
    return refusal(exc.status, str(exc), errors if exc.field else None)


def audit(
    session: Session,
    who: Principal,
    request: Request,
    action: str,
    *,
    target_type: str,
    target_id: int,
    detail: dict[str, Any] | None = None,
) -> None:
    record_change(
        request,
        session,
        who,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
    )


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
    try:
        user, one_time = create_account(session=session, data=body)
    except AdminError as exc:
        session.rollback()
        raise refused(exc) from None
    audit(
        session,
        who,
        request,
        "user.created",
        target_type="user",
        target_id=user.id,
        detail={"role": user.role_name, "generated_password": one_time is not None},
    )
    session.commit()
    return UserCreated(**user_read(user).model_dump(), one_time_password=one_time)


@router.patch("/users/{user_id}", summary="Change a user", response_model=UserRead)
def api_update_user(
    user_id: int, body: UserUpdate, request: Request, session: DbSession, who: ManageUsers
) -> UserRead:
    """Deactivating ends sessions, revokes tokens and hands open cases on."""
    user = _user(session, user_id)
    try:
        changes = update_account(session=session, user=user, data=body, actor=who.user)
    except AdminError as exc:
        session.rollback()
        raise refused(exc) from None
    if changes:
        audit(
            session,
            who,
            request,
            "user.updated",
            target_type="user",
            target_id=user.id,
            detail=changes,
        )
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
    audit(session, who, request, "user.password_reset", target_type="user", target_id=user.id)
    session.commit()
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
    try:
        team = create_team(session=session, name=body.name)
    except AdminError as exc:
        raise refused(exc) from None
    audit(
        session,
        who,
        request,
        "team.created",
        target_type="team",
        target_id=team.id,
        detail={"name": team.name},
    )
    session.commit()
    return team_read(team)


@router.patch("/teams/{team_id}", summary="Rename a team", response_model=TeamRead)
def api_rename_team(
    team_id: int, body: TeamUpdate, request: Request, session: DbSession, who: ManageUsers
) -> TeamRead:
    team = _team(session, team_id)
    before = team.name
    try:
        rename_team(session=session, team=team, name=body.name)
    except AdminError as exc:
        session.rollback()
        raise refused(exc) from None
    audit(
        session,
        who,
        request,
        "team.renamed",
        target_type="team",
        target_id=team.id,
        detail={"from": before, "to": team.name},
    )
    session.commit()
    return team_read(team)


@router.delete("/teams/{team_id}", summary="Delete a team", status_code=204)
def api_delete_team(
    team_id: int, request: Request, session: DbSession, who: ManageUsers
) -> Response:
    team = _team(session, team_id)
    audit(
        session,
        who,
        request,
        "team.deleted",
        target_type="team",
        target_id=team.id,
        detail={"name": team.name},
    )
    delete_team(session=session, team=team)
    session.commit()
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
    try:
        added = set_member(session=session, team=team, user=user, is_lead=is_lead)
    except AdminError as exc:
        session.rollback()
        raise refused(exc) from None
    audit(
        session,
        who,
        request,
        "team.member_added" if added else "team.member_updated",
        target_type="team",
        target_id=team.id,
        detail={"user_id": user.id, "is_lead": is_lead},
    )
    session.commit()
    return team_read(team)


@router.delete("/teams/{team_id}/members/{user_id}", summary="Remove a member", status_code=204)
def api_remove_member(
    team_id: int, user_id: int, request: Request, session: DbSession, who: ManageUsers
) -> Response:
    team = _team(session, team_id)
    if not remove_member(session=session, team=team, user_id=user_id):
        raise Problem(404, "not-found", "Not found", f"user {user_id} is not in team {team_id}")
    audit(
        session,
        who,
        request,
        "team.member_removed",
        target_type="team",
        target_id=team.id,
        detail={"user_id": user_id},
    )
    session.commit()
    return Response(status_code=204)
