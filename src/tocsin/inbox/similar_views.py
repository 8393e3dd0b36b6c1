"""Reply to all similar, in the browser: pick near-duplicate open cases, send one reply.

``GET /inbox/cases/{id}/similar`` lists them with checkboxes (all ticked) and a composer whose
form carries a fresh batch key; ``POST`` sends through :func:`~tocsin.inbox.similar.
reply_to_similar`, so resubmitting the same form answers nobody twice.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tocsin.accounts.permissions import Permission
from tocsin.inbox.canned import list_canned
from tocsin.inbox.models import Case
from tocsin.inbox.replies import ReplyError
from tocsin.inbox.similar import find_similar, reply_to_similar
from tocsin.types import utcnow
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem
from tocsin.web.templating import render

pages = APIRouter(include_in_schema=False)
SendReplies = Annotated[Principal, require(Permission.REPLIES_SEND)]


def _case(session: DbSession, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise Problem(404, "not-found", "No such case", f"case {case_id} does not exist")
    return case


@pages.get("/inbox/cases/{case_id}/similar")
def similar_page(request: Request, case_id: int, session: DbSession, who: SendReplies) -> Response:
    case = _case(session, case_id)
    context: dict[str, Any] = {
        "case": case,
        "similar": find_similar(session=session, case=case),
        "canned": list_canned(session=session, lang=case.lang),
        "group_key": secrets.token_hex(16),
    }
    return render(request, "inbox/similar.html", context, active="inbox")


@pages.post("/inbox/cases/{case_id}/similar")
def similar_send(
    request: Request,
    case_id: int,
    session: DbSession,
    who: SendReplies,
    group_key: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
    case_ids: Annotated[list[int] | None, Form()] = None,
    canned_reply_id: Annotated[str, Form()] = "",
    accept_warnings: Annotated[bool, Form()] = False,
) -> Response:
    from tocsin.inbox.views import registry_of

    case = _case(session, case_id)
    try:
        result = reply_to_similar(
            session=session,
            case=case,
            case_ids=case_ids or [],
            user=who.user,
            text=text,
            now=utcnow(),
            registry=registry_of(request),
            group_key=group_key,
            canned_reply_id=int(canned_reply_id) if canned_reply_id.isdigit() else None,
            accept_warnings=accept_warnings,
        )
    except ReplyError as exc:
        raise Problem(422, "invalid-reply", "The replies were not sent", str(exc)) from exc
    session.commit()
    flash = "similar_refused" if result.refused else "similar_sent"
    return RedirectResponse(f"/inbox/cases/{case_id}?flash={flash}", status_code=303)


routers = [pages]
