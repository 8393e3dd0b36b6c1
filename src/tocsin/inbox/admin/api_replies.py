"""``/api/v1/inbox/canned-replies`` and ``/api/v1/inbox/ack-templates``.

Agents (``replies:send``) read and preview canned replies; ``settings:manage`` changes them
and the automatic acknowledgement templates.

Example::

    POST /api/v1/inbox/canned-replies/preview   {"text": "Hi {first_name}"}
    -> {"text": "Hi Ana", "unknown": [], "variables": {…}}
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from tocsin.inbox.admin import service as svc
from tocsin.inbox.admin.common import (
    KindPath,
    LangPath,
    ManageSettings,
    SendReplies,
    found,
    inbox_editor,
)
from tocsin.inbox.admin.read import canned_dict, preview_ack, preview_canned, template_dicts
from tocsin.inbox.admin.schemas import (
    AckPreviewIn,
    AckTemplateIn,
    CannedIn,
    CannedPatch,
    CannedPreviewIn,
)
from tocsin.inbox.canned import list_canned
from tocsin.inbox.reply_models import AckTemplate, CannedReply
from tocsin.web.deps import DbSession
from tocsin.web.editing import refusals
from tocsin.web.problems import Problem

api = APIRouter(prefix="/api/v1/inbox", tags=["inbox settings"])


@api.get("/canned-replies")
def list_canned_replies(
    session: DbSession, who: SendReplies, lang: Annotated[str | None, Query(max_length=8)] = None
) -> dict[str, Any]:
    return {"items": [canned_dict(c) for c in list_canned(session=session, lang=lang)]}


@api.post("/canned-replies/preview")
def preview_canned_reply(
    body: CannedPreviewIn, session: DbSession, who: SendReplies
) -> dict[str, Any]:
    text = body.text
    if body.canned_reply_id is not None:
        text = found(session, CannedReply, body.canned_reply_id).text
    if not text:
        message = "send a text or a canned_reply_id"
        raise Problem(
            422,
            "validation",
            "Invalid request",
            message,
            errors=[{"field": "/text", "message": message}],
        )
    return preview_canned(session=session, text=text, case_id=body.case_id, agent=who.user)


@api.post("/canned-replies", status_code=201)
def create_canned_reply(
    request: Request, body: CannedIn, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    with refusals():
        row = inbox_editor(request, session, who).apply(
            lambda: svc.add_canned(session=session, data=body),
            action="canned_reply.created",
            target_type="canned_reply",
            detail=body.model_dump(),
        )
    return canned_dict(row)


@api.get("/canned-replies/{canned_id}")
def get_canned_reply(canned_id: int, session: DbSession, who: SendReplies) -> dict[str, Any]:
    return canned_dict(found(session, CannedReply, canned_id))


@api.patch("/canned-replies/{canned_id}")
def update_canned_reply(
    request: Request, canned_id: int, body: CannedPatch, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    row = found(session, CannedReply, canned_id)
    changes = body.model_dump(exclude_unset=True)
    with refusals():
        inbox_editor(request, session, who).apply(
            lambda: svc.update_canned(session=session, canned=row, changes=changes),
            action="canned_reply.updated",
            target_type="canned_reply",
            detail=changes,
        )
    return canned_dict(row)


@api.delete("/canned-replies/{canned_id}", status_code=204)
def delete_canned_reply(
    request: Request, canned_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, CannedReply, canned_id)
    inbox_editor(request, session, who).delete(
        row,
        action="canned_reply.deleted",
        target_type="canned_reply",
        detail={"name": row.name, "lang": row.lang},
    )
    return Response(status_code=204)


@api.get("/ack-templates")
def list_ack_templates(session: DbSession, who: ManageSettings) -> dict[str, Any]:
    return {"items": template_dicts(session=session)}


@api.put("/ack-templates/{lang}/{kind}")
def save_ack_template(
    request: Request,
    lang: LangPath,
    kind: KindPath,
    body: AckTemplateIn,
    session: DbSession,
    who: ManageSettings,
) -> dict[str, Any]:
    with refusals():
        row = inbox_editor(request, session, who).apply(
            lambda: svc.save_ack_template(session=session, lang=lang, kind=kind, text=body.text),
            action="ack_template.saved",
            target_type="ack_template",
            detail={"lang": lang, "kind": kind, "text": body.text},
        )
    return {"lang": lang, "kind": kind, "text": row.text, "custom": True}


@api.delete("/ack-templates/{lang}/{kind}", status_code=204)
def reset_ack_template(
    request: Request, lang: LangPath, kind: KindPath, session: DbSession, who: ManageSettings
) -> Response:
    """Drop the stored text: the built-in template applies again."""
    row = session.scalar(
        select(AckTemplate).where(AckTemplate.lang == lang, AckTemplate.kind == kind)
    )
    if row is None:
        raise Problem(404, "not-found", "Not found", f"no stored {kind} template in {lang}")
    inbox_editor(request, session, who).delete(
        row,
        action="ack_template.reset",
        target_type="ack_template",
        detail={"lang": lang, "kind": kind},
    )
    return Response(status_code=204)


@api.post("/ack-templates/{lang}/{kind}/preview")
def preview_ack_template(
    lang: LangPath, kind: KindPath, body: AckPreviewIn, session: DbSession, who: ManageSettings
) -> dict[str, Any]:
    """The template (or the draft ``text``) filled with a sample ETA and case number."""
    text = preview_ack(
        session=session, lang=lang, kind=kind, text=body.text, eta_minutes=body.eta_minutes
    )
    return {"lang": lang, "kind": kind, "text": text}
