"""The canned-replies and acknowledgement-template tabs' forms (``settings:manage``).

Example::

    POST /inbox/settings/canned/5              name, lang, text: saves canned reply 5
    POST /inbox/settings/ack/fr/eta/preview    text  → an HTML fragment with sample values
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from tocsin.inbox.admin import forms
from tocsin.inbox.admin import service as svc
from tocsin.inbox.admin.common import KindPath, LangPath, ManageSettings, found, inbox_editor
from tocsin.inbox.admin.page_base import Posted, back, page, save_form
from tocsin.inbox.admin.read import preview_ack
from tocsin.inbox.reply_models import CannedReply
from tocsin.web.deps import DbSession
from tocsin.web.templating import render

pages = APIRouter(include_in_schema=False)


@pages.post("/inbox/settings/canned")
def create_canned_form(
    request: Request, session: DbSession, who: ManageSettings, posted: Posted
) -> Response:
    return save_form(
        request,
        session,
        who,
        tab="canned",
        form=posted | {"kind": "canned"},
        change=lambda: svc.add_canned(session=session, data=forms.canned_body(posted)),
        action="canned_reply.created",
        target_type="canned_reply",
        detail=lambda r: {"name": r.name, "lang": r.lang, "text": r.text},
    )


@pages.post("/inbox/settings/canned/{canned_id}")
def update_canned_form(
    request: Request, canned_id: int, session: DbSession, who: ManageSettings, posted: Posted
) -> Response:
    row = found(session, CannedReply, canned_id)

    def change() -> CannedReply:
        changes = forms.canned_body(posted).model_dump(exclude={"brand_id"})
        return svc.update_canned(session=session, canned=row, changes=changes)

    return save_form(
        request,
        session,
        who,
        tab="canned",
        form=posted | {"kind": "canned", "id": canned_id},
        change=change,
        action="canned_reply.updated",
        target_type="canned_reply",
        detail=lambda r: {"name": r.name, "lang": r.lang, "text": r.text},
    )


@pages.post("/inbox/settings/canned/{canned_id}/delete")
def delete_canned_form(
    request: Request, canned_id: int, session: DbSession, who: ManageSettings
) -> Response:
    row = found(session, CannedReply, canned_id)
    inbox_editor(request, session, who).delete(
        row, action="canned_reply.deleted", target_type="canned_reply", detail={"name": row.name}
    )
    return back("canned")


@pages.post("/inbox/settings/ack/{lang}/{kind}")
def save_ack_form(
    request: Request,
    lang: LangPath,
    kind: KindPath,
    session: DbSession,
    who: ManageSettings,
    text: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if not text.strip():
        return page(request, session, who, "ack", error="/text: write the message")
    return save_form(
        request,
        session,
        who,
        tab="ack",
        form={"text": text},
        change=lambda: svc.save_ack_template(
            session=session, lang=lang, kind=kind, text=text.strip()
        ),
        action="ack_template.saved",
        target_type="ack_template",
        detail=lambda r: {"lang": lang, "kind": kind, "text": r.text},
    )


@pages.post("/inbox/settings/ack/{lang}/{kind}/preview")
def preview_ack_fragment(
    request: Request,
    lang: LangPath,
    kind: KindPath,
    session: DbSession,
    who: ManageSettings,
    text: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    rendered = preview_ack(session=session, lang=lang, kind=kind, text=text.strip() or None)
    return render(request, "inbox/admin/_preview.html", {"text": rendered})
