"""``/api/v1/inbox/settings``, ``/api/v1/inbox/voice-profiles`` and ``/api/v1/inbox/agents``.

The settings row (routing mode, escalation, automatic acknowledgements, default calendar…)
needs ``settings:manage``; voice profiles (one global, one per brand) need ``brands:manage``,
which leads have; agents read the team and set their own status.

Example::

    PATCH /api/v1/inbox/settings   {"routing_mode": "auto", "auto_ack_visibility": {"x": "private"}}
    -> {"routing_mode": "auto", "auto_ack_visibility": {"x": "private"}, …}
    POST /api/v1/inbox/voice-profiles   {"brand_id": null, "banned_words": ["cheap"]}
    -> 201 {"id": 1, "brand_id": null, "banned_words": ["cheap"], "required": {}, …}
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from tocsin.inbox.admin import settings_service as settings_svc
from tocsin.inbox.admin.common import (
    ManageBrands,
    ManageSettings,
    ReadCases,
    WorkCases,
    found,
    inbox_editor,
)
from tocsin.inbox.admin.read import agent_dicts, settings_dict, voice_dict
from tocsin.inbox.admin.schemas import AgentStatusIn
from tocsin.inbox.admin.settings_schemas import (
    InboxSettingsPatch,
    VoiceProfileIn,
    VoiceProfilePatch,
)
from tocsin.inbox.models import AgentStatus
from tocsin.inbox.reply_models import VoiceProfile
from tocsin.inbox.routing import set_agent_status
from tocsin.inbox.sla.policies import inbox_settings
from tocsin.types import utcnow
from tocsin.web.deps import DbSession
from tocsin.web.editing import refusals

api = APIRouter(prefix="/api/v1/inbox", tags=["inbox settings"])


@api.get("/settings")
def get_settings(session: DbSession, who: ManageSettings) -> dict[str, Any]:
    row = inbox_settings(session)
    session.commit()  # the row is created with its defaults on first read
    return settings_dict(row)


@api.patch("/settings")
def update_settings(
    request: Request, body: InboxSettingsPatch, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    """Only the fields sent change; a map (visibility, redirect texts) replaces the stored one."""
    changes = body.model_dump(exclude_unset=True)
    with refusals():
        row = inbox_editor(request, session, who).apply(
            lambda: settings_svc.update_settings(session=session, changes=changes),
            action="settings.updated",
            target_type="inbox_settings",
            detail=changes,
        )
    return settings_dict(row)


@api.get("/voice-profiles")
def list_voice_profiles(session: DbSession, who: ManageBrands) -> dict[str, Any]:
    return {"items": [voice_dict(p) for p in settings_svc.list_voice_profiles(session=session)]}


@api.post("/voice-profiles", status_code=201)
def create_voice_profile(
    request: Request, body: VoiceProfileIn, session: DbSession, who: ManageBrands
) -> dict[str, Any]:
    with refusals():
        row = inbox_editor(request, session, who).apply(
            lambda: settings_svc.create_voice_profile(session=session, data=body),
            action="voice_profile.created",
            target_type="voice_profile",
            detail=body.model_dump(),
        )
    return voice_dict(row)


@api.get("/voice-profiles/{profile_id}")
def get_voice_profile(profile_id: int, session: DbSession, who: ManageBrands) -> dict[str, Any]:
    return voice_dict(found(session, VoiceProfile, profile_id))


@api.patch("/voice-profiles/{profile_id}")
def update_voice_profile(
    request: Request,
    profile_id: int,
    body: VoiceProfilePatch,
    session: DbSession,
    who: ManageBrands,
) -> dict[str, Any]:
    row = found(session, VoiceProfile, profile_id)
    changes = body.model_dump(exclude_unset=True)
    with refusals():
        inbox_editor(request, session, who).apply(
            lambda: settings_svc.update_voice_profile(
                session=session, profile=row, changes=changes
            ),
            action="voice_profile.updated",
            target_type="voice_profile",
            detail=changes,
        )
    return voice_dict(row)


@api.delete("/voice-profiles/{profile_id}", status_code=204)
def delete_voice_profile(
    request: Request, profile_id: int, session: DbSession, who: ManageBrands
) -> Response:
    row = found(session, VoiceProfile, profile_id)
    inbox_editor(request, session, who).delete(
        row,
        action="voice_profile.deleted",
        target_type="voice_profile",
        detail={"brand_id": row.brand_id},
    )
    return Response(status_code=204)


@api.get("/agents")
def list_agents(session: DbSession, who: ReadCases) -> dict[str, Any]:
    return {"items": agent_dicts(session=session)}


@api.put("/agents/me/status")
def set_my_status(
    request: Request, body: AgentStatusIn, session: DbSession, who: WorkCases
) -> dict[str, Any]:
    """Set one's own availability; going away or offline hands one's open cases on."""
    moved = set_agent_status(
        session=session, user=who.user, status=body.status, now=utcnow(), on_call=body.on_call
    )
    detail = {"status": body.status, "on_call": body.on_call, "reassigned": moved}
    inbox_editor(request, session, who).commit("agent.status", "user", who.user.id, detail)
    row = session.get(AgentStatus, who.user.id)
    return {
        "user_id": who.user.id,
        "status": body.status,
        "on_call": bool(row.on_call) if row else False,
        "reassigned": moved,
    }
