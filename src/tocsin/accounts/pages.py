"""Settings → Team (``/settings/team``): people, roles, skills, capacity and teams.

Admins (``users:manage``) add agents, edit their role, language and platform skills and
capacity, deactivate and reactivate them, reset passwords, and organise teams with leads.
A one-time password is rendered in the answer to the POST itself (never in a URL), once, with
a copy button; the same rules as the API apply (:mod:`tocsin.accounts.admin_service`).

Example: ``POST /settings/team/users`` with ``email=lea@example.com&languages=fr&platforms=x``
→ the page, showing Léa's one-time password.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
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
from tocsin.accounts.models import Role, Team, User
from tocsin.accounts.passwords import MIN_PASSWORD_LENGTH
from tocsin.accounts.permissions import ROLE_ORDER, Permission
from tocsin.accounts.schemas import COMMON_LANGUAGES, Skills, UserCreate, UserUpdate
from tocsin.errors import AdminError
from tocsin.ingestion.schemas import PLATFORMS
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.editing import Editor
from tocsin.web.problems import validation_errors
from tocsin.web.templating import render

router = APIRouter(include_in_schema=False)
ManageUsers = Annotated[Principal, require(Permission.USERS_MANAGE)]
Text = Annotated[str, Form(max_length=1024)]
Many = Annotated[list[str] | None, Form()]
HOME = "/settings/team"


def _roles(session: Session) -> list[str]:
    names = list(session.scalars(select(Role.name)))
    order = {name: i for i, name in enumerate(ROLE_ORDER)}
    return sorted(names, key=lambda n: (order.get(n, len(order)), n))


def _page(
    request: Request,
    session: Session,
    *,
    issued: tuple[User, str] | None = None,
    error: str = "",
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    users = [user_read(u) for u in list_users(session=session)]
    extra = sorted({lang for u in users for lang in u.skills.languages} - set(COMMON_LANGUAGES))
    context = {
        "people": users,
        "teams": [team_read(t) for t in list_teams(session=session)],
        "roles": _roles(session),
        "platforms": PLATFORMS,
        "languages": [*COMMON_LANGUAGES, *extra],
        "common_languages": COMMON_LANGUAGES,
        "min_password": MIN_PASSWORD_LENGTH,
        "issued": issued,
        "error": error,
        "values": values or {},
    }
    return render(request, "team/index.html", context, active="settings", status_code=status_code)


def _message(exc: AdminError | ValidationError) -> str:
    if isinstance(exc, AdminError):
        return str(exc)
    first = validation_errors(exc.errors())[0]
    return f"{first['field']}: {first['message']}"


def _skills(languages: list[str] | None, platforms: list[str] | None, topics: str) -> Skills:
    tags = [t for t in topics.replace("\n", ",").split(",") if t.strip()]
    return Skills(languages=languages or [], platforms=platforms or [], topics=tags)


@router.get("/settings/team")
def team_page(request: Request, session: DbSession, who: ManageUsers) -> Response:
    return _page(request, session)


@router.post("/settings/team/users")
def add_user(
    request: Request,
    session: DbSession,
    who: ManageUsers,
    email: Text = "",
    name: Text = "",
    role: Text = "agent",
    locale: Text = "en",
    capacity: Text = "10",
    topics: Text = "",
    password: Text = "",
    languages: Many = None,
    platforms: Many = None,
) -> Response:
    fields = {"email": email, "name": name, "role": role, "locale": locale}
    values: dict[str, Any] = {**fields, "capacity": capacity, "topics": topics}
    values |= {"languages": languages or [], "platforms": platforms or []}
    try:
        data = UserCreate.model_validate(
            {
                **fields,
                "capacity": capacity.strip() or "10",
                "skills": _skills(languages, platforms, topics),
                "password": password or None,
            }
        )
        user, one_time = create_account(session=session, data=data)
    except (AdminError, ValidationError) as exc:
        session.rollback()
        return _page(request, session, error=_message(exc), values=values, status_code=422)
    Editor(request, session, who).commit(
        "user.created",
        "user",
        user.id,
        {"role": user.role_name, "generated_password": one_time is not None},
    )
    if one_time is None:
        return RedirectResponse(HOME, status_code=303)
    return _page(request, session, issued=(user, one_time))


def _change(
    request: Request, session: Session, who: Principal, user_id: int, data: UserUpdate
) -> Response:
    user = session.get(User, user_id)
    if user is None:
        return _page(request, session, error=f"no user with id {user_id}", status_code=404)
    try:
        changes = update_account(session=session, user=user, data=data, actor=who.user)
    except AdminError as exc:
        session.rollback()
        return _page(request, session, error=_message(exc), status_code=exc.status)
    if changes:
        Editor(request, session, who).record("user.updated", "user", user.id, changes)
    session.commit()
    return RedirectResponse(HOME, status_code=303)


@router.post("/settings/team/users/{user_id}")
def edit_user(
    user_id: int,
    request: Request,
    session: DbSession,
    who: ManageUsers,
    name: Text = "",
    role: Text = "",
    locale: Text = "",
    capacity: Text = "",
    topics: Text = "",
    languages: Many = None,
    platforms: Many = None,
) -> Response:
    try:
        given = {"name": name, "role": role, "locale": locale, "capacity": capacity.strip()}
        data = UserUpdate.model_validate(
            {k: v for k, v in given.items() if v}
            | {"skills": _skills(languages, platforms, topics)}
        )
    except ValidationError as exc:
        return _page(request, session, error=_message(exc), status_code=422)
    return _change(request, session, who, user_id, data)


@router.post("/settings/team/users/{user_id}/deactivate")
def deactivate_user(
    user_id: int, request: Request, session: DbSession, who: ManageUsers
) -> Response:
    return _change(request, session, who, user_id, UserUpdate(is_active=False))


@router.post("/settings/team/users/{user_id}/reactivate")
def reactivate_user(
    user_id: int, request: Request, session: DbSession, who: ManageUsers
) -> Response:
    return _change(request, session, who, user_id, UserUpdate(is_active=True))


@router.post("/settings/team/users/{user_id}/reset-password")
def reset_user_password(
    user_id: int, request: Request, session: DbSession, who: ManageUsers
) -> Response:
    user = session.get(User, user_id)
    if user is None:
        return _page(request, session, error=f"no user with id {user_id}", status_code=404)
    password = reset_password(session=session, user=user)
    Editor(request, session, who).commit("user.password_reset", "user", user.id)
    return _page(request, session, issued=(user, password))


def _team_change(request: Request, session: Session, team_id: int, action: Any) -> Response:
    """Run ``action(team)`` on an existing team; errors come back as the page's one line."""
    team = session.get(Team, team_id)
    if team is None:
        return _page(request, session, error=f"no team with id {team_id}", status_code=404)
    try:
        action(team)
    except AdminError as exc:
        session.rollback()
        return _page(request, session, error=str(exc), status_code=exc.status)
    session.commit()
    return RedirectResponse(HOME + "#teams", status_code=303)


@router.post("/settings/team/teams")
def add_team(request: Request, session: DbSession, who: ManageUsers, name: Text = "") -> Response:
    try:
        Editor(request, session, who).apply(
            lambda: create_team(session=session, name=name),
            action="team.created",
            target_type="team",
            detail=lambda team: {"name": team.name},
        )
    except AdminError as exc:
        session.rollback()
        return _page(request, session, error=str(exc), status_code=exc.status)
    return RedirectResponse(HOME + "#teams", status_code=303)


@router.post("/settings/team/teams/{team_id}/rename")
def rename(
    team_id: int, request: Request, session: DbSession, who: ManageUsers, name: Text = ""
) -> Response:
    def act(team: Team) -> None:
        before = team.name
        rename_team(session=session, team=team, name=name)
        detail = {"from": before, "to": team.name}
        Editor(request, session, who).record("team.renamed", "team", team.id, detail)

    return _team_change(request, session, team_id, act)


@router.post("/settings/team/teams/{team_id}/delete")
def remove_team(team_id: int, request: Request, session: DbSession, who: ManageUsers) -> Response:
    def act(team: Team) -> None:
        Editor(request, session, who).record("team.deleted", "team", team.id, {"name": team.name})
        delete_team(session=session, team=team)

    return _team_change(request, session, team_id, act)


@router.post("/settings/team/teams/{team_id}/members")
def add_member(
    team_id: int,
    request: Request,
    session: DbSession,
    who: ManageUsers,
    user_id: Text = "",
    is_lead: Text = "",
) -> Response:
    user = session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None:
        return _page(request, session, error=f"no user with id {user_id!r}", status_code=422)
    lead = is_lead in ("1", "on", "true")

    def act(team: Team) -> None:
        added = set_member(session=session, team=team, user=user, is_lead=lead)
        Editor(request, session, who).record(
            "team.member_added" if added else "team.member_updated",
            "team",
            team.id,
            {"user_id": user.id, "is_lead": lead},
        )

    return _team_change(request, session, team_id, act)


@router.post("/settings/team/teams/{team_id}/members/{user_id}/lead")
def set_lead(
    team_id: int,
    user_id: int,
    request: Request,
    session: DbSession,
    who: ManageUsers,
    is_lead: Text = "",
) -> Response:
    user = session.get(User, user_id)
    if user is None:
        return _page(request, session, error=f"no user with id {user_id}", status_code=404)
    lead = is_lead in ("1", "on", "true")

    def act(team: Team) -> None:
        set_member(session=session, team=team, user=user, is_lead=lead)
        Editor(request, session, who).record(
            "team.member_updated", "team", team.id, {"user_id": user.id, "is_lead": lead}
        )

    return _team_change(request, session, team_id, act)


@router.post("/settings/team/teams/{team_id}/members/{user_id}/remove")
def drop_member(
    team_id: int, user_id: int, request: Request, session: DbSession, who: ManageUsers
) -> Response:
    def act(team: Team) -> None:
        if remove_member(session=session, team=team, user_id=user_id):
            Editor(request, session, who).record(
                "team.member_removed", "team", team.id, {"user_id": user_id}
            )

    return _team_change(request, session, team_id, act)
