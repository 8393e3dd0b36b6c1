"""``/inbox/settings`` itself, the General and Brand voice tabs, and one's own status.

Example::

    GET  /inbox/settings?tab=general
    POST /inbox/settings/general   routing_mode, escalation_minutes, auto_ack_enabled,
                                   visibility_<platform>, redirect_<lang>, calendar_id, …
    POST /inbox/settings/voice/2   brand_id, banned_words (lines), required_<lang>,
                                   max_length_<platform>
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from tocsin.inbox.admin import forms
from tocsin.inbox.admin import settings_service as settings_svc
from tocsin.inbox.admin.common import (
    ManageBrands,
    ManageSettings,
    ReadCases,
    WorkCases,
    found,
    inbox_editor,
)
from tocsin.inbox.admin.page_base import Posted, back, page, save_form
from tocsin.inbox.admin.read import settings_dict, voice_dict
from tocsin.inbox.reply_models import VoiceProfile
from tocsin.inbox.routing import AGENT_STATUSES, set_agent_status
from tocsin.types import utcnow
from tocsin.web.deps import DbSession

pages = APIRouter(include_in_schema=False)


@pages.get("/inbox/settings")
def settings_page(
    request: Request,
    session: DbSession,
    who: ReadCases,
    tab: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    return page(request, session, who, tab)


@pages.post("/inbox/settings/general")
def save_general_form(
    request: Request, session: DbSession, who: ManageSettings, posted: Posted
) -> Response:
    def change() -> object:
        changes = forms.settings_body(posted).model_dump(exclude_unset=True)
        return settings_svc.update_settings(session=session, changes=changes)

    return save_form(
        request,
        session,
        who,
        tab="general",
        form=posted | {"kind": "general"},
        change=change,
        action="settings.updated",
        target_type="inbox_settings",
        detail=lambda row: {k: v for k, v in settings_dict(row).items() if k != "updated_at"},
    )


@pages.post("/inbox/settings/voice")
def create_voice_form(
    request: Request, session: DbSession, who: ManageBrands, posted: Posted
) -> Response:
    return save_form(
        request,
        session,
        who,
        tab="voice",
        form=posted | {"kind": "profile"},
        change=lambda: settings_svc.create_voice_profile(
            session=session, data=forms.voice_body(posted)
        ),
        action="voice_profile.created",
        target_type="voice_profile",
        detail=voice_dict,
    )


@pages.post("/inbox/settings/voice/{profile_id}")
def update_voice_form(
    request: Request, profile_id: int, session: DbSession, who: ManageBrands, posted: Posted
) -> Response:
    row = found(session, VoiceProfile, profile_id)

    def change() -> VoiceProfile:
        changes = forms.voice_body(posted).model_dump()
        return settings_svc.update_voice_profile(session=session, profile=row, changes=changes)

    return save_form(
        request,
        session,
        who,
        tab="voice",
        form=posted | {"kind": "profile", "id": profile_id},
        change=change,
        action="voice_profile.updated",
        target_type="voice_profile",
        detail=voice_dict,
    )


@pages.post("/inbox/settings/voice/{profile_id}/delete")
def delete_voice_form(
    request: Request, profile_id: int, session: DbSession, who: ManageBrands
) -> Response:
    row = found(session, VoiceProfile, profile_id)
    inbox_editor(request, session, who).delete(
        row,
        action="voice_profile.deleted",
        target_type="voice_profile",
        detail={"brand_id": row.brand_id},
    )
    return back("voice")


@pages.post("/inbox/settings/status")
def set_status_form(
    request: Request,
    session: DbSession,
    who: WorkCases,
    status: Annotated[str, Form(max_length=16)] = "online",
    on_call: Annotated[bool, Form()] = False,
) -> Response:
    if status not in AGENT_STATUSES:
        return page(request, session, who, "agents", error=f"/status: use {AGENT_STATUSES}")
    moved = set_agent_status(
        session=session, user=who.user, status=status, now=utcnow(), on_call=on_call
    )
    detail = {"status": status, "on_call": on_call, "reassigned": moved}
    inbox_editor(request, session, who).commit("agent.status", "user", who.user.id, detail)
    return back("agents")
