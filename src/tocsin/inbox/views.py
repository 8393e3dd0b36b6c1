"""The inbox pages: the live list, the case view with its composer, and the JSON API.

Pages post plain forms (CSRF token in a hidden field) and redirect back (303), so they work
without JavaScript; ``inbox.js`` adds keyboard shortcuts, SLA countdowns, live refresh over
server-sent events, draft checks and presence heartbeats.  All user text is escaped by Jinja2.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from tocsin.accounts.permissions import Permission
from tocsin.inbox import report_views, similar_views
from tocsin.inbox.admin import routers as admin_routers
from tocsin.inbox.approvals import ApprovalError, decide
from tocsin.inbox.cases import (
    Actor,
    CaseError,
    add_note,
    assign,
    last_change_marker,
    set_status,
    touch_presence,
)
from tocsin.inbox.pages import CaseFilters, case_context, list_cases, row_dicts
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.replies import ReplyError, check_draft, publish_reply, send_reply
from tocsin.inbox.reply_models import Reply
from tocsin.inbox.routing import next_case
from tocsin.ingestion.schemas import PLATFORMS
from tocsin.types import utcnow
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem
from tocsin.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["inbox"])
ReadCases = Annotated[Principal, require(Permission.CASES_READ)]
WorkCases = Annotated[Principal, require(Permission.CASES_WORK)]
SendReplies = Annotated[Principal, require(Permission.REPLIES_SEND)]
Approve = Annotated[Principal, require(Permission.REPLIES_APPROVE)]
#: Seconds between two looks at the change marker in the live stream.
STREAM_POLL = 1.5
LANGUAGES = ("en", "fr", "es", "nl", "de", "it", "pt")


def registry_of(request: Request) -> PublisherRegistry:
    """The app's registry (``app.state.inbox_publishers``), created on first use."""
    found = getattr(request.app.state, "inbox_publishers", None)
    if not isinstance(found, PublisherRegistry):
        found = PublisherRegistry(settings=request.app.state.settings)
        request.app.state.inbox_publishers = found
    return found


def _case_or_404(session: Session, case_id: int) -> Any:
    from tocsin.inbox.models import Case

    case = session.get(Case, case_id)
    if case is None:
        raise Problem(404, "not-found", "No such case", f"case {case_id} does not exist")
    return case


def _back(case_id: int, flash: str = "") -> RedirectResponse:
    url = f"/inbox/cases/{case_id}" + (f"?flash={flash}" if flash else "")
    return RedirectResponse(url, status_code=303)


def _list_context(request: Request, session: Session, who: Principal) -> dict[str, Any]:
    filters = CaseFilters.from_query(request.query_params, me=who.user.id)
    cases = list_cases(session=session, filters=filters)
    return {
        "rows": row_dicts(session=session, cases=cases, now=utcnow()),
        "form": dict(request.query_params),
        "platforms": PLATFORMS,
        "languages": LANGUAGES,
        "marker": last_change_marker(session=session),
    }


@pages.get("/inbox")
def inbox_page(request: Request, session: DbSession, who: ReadCases) -> Response:
    return render(request, "inbox/index.html", _list_context(request, session, who), active="inbox")


@pages.get("/inbox/list")
def inbox_list(request: Request, session: DbSession, who: ReadCases) -> Response:
    return render(request, "inbox/_rows.html", _list_context(request, session, who))


@pages.get("/inbox/stream")
async def inbox_stream(request: Request, session: DbSession, who: ReadCases) -> StreamingResponse:
    """Server-sent events: ``change`` whenever any case changed (the page then refreshes).

    The request's session is closed before streaming: on SQLite an open transaction holds
    the write lock, and the stream lives for minutes.  Each poll uses a short session.
    """
    session.close()
    factory: sessionmaker[Session] = request.app.state.session_factory

    def marker() -> str:
        with factory() as session:
            return last_change_marker(session=session)

    async def events() -> AsyncIterator[str]:
        last = await asyncio.to_thread(marker)
        yield f"event: hello\ndata: {last}\n\n"
        for _ in range(400):  # the browser reconnects after ~10 minutes
            if await request.is_disconnected():
                return
            await asyncio.sleep(STREAM_POLL)
            current = await asyncio.to_thread(marker)
            if current != last:
                last = current
                yield f"event: change\ndata: {current}\n\n"
            else:
                yield ": keep-alive\n\n"

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )


@pages.post("/inbox/next")
def inbox_next(session: DbSession, who: WorkCases) -> Response:
    case = next_case(session=session, user=who.user, now=utcnow())
    session.commit()
    if case is None:
        return RedirectResponse("/inbox?flash=queue_empty", status_code=303)
    return _back(case.id)


@pages.get("/inbox/cases/{case_id}")
def case_page(request: Request, case_id: int, session: DbSession, who: ReadCases) -> Response:
    case = _case_or_404(session, case_id)
    context = case_context(session=session, case=case, user=who.user, now=utcnow())
    touch_presence(session=session, case_id=case.id, user_id=who.user.id, now=utcnow())
    session.commit()
    context["flash"] = request.query_params.get("flash", "")
    context["can_approve"] = who.can(Permission.REPLIES_APPROVE)
    return render(request, "inbox/case.html", context, active="inbox")


@pages.post("/inbox/cases/{case_id}/presence")
def case_presence(
    case_id: int, session: DbSession, who: ReadCases, composing: Annotated[bool, Form()] = False
) -> JSONResponse:
    others = touch_presence(
        session=session, case_id=case_id, user_id=who.user.id, now=utcnow(), composing=composing
    )
    session.commit()
    return JSONResponse(
        {"others": [{"name": p.user.name, "composing": p.composing} for p in others]}
    )


@pages.post("/inbox/cases/{case_id}/assign")
def case_assign(
    case_id: int,
    session: DbSession,
    who: WorkCases,
    user_id: Annotated[str, Form()] = "me",
) -> Response:
    case = _case_or_404(session, case_id)
    target = who.user.id if user_id == "me" else (int(user_id) if user_id.isdigit() else None)
    try:
        assign(session=session, case=case, user_id=target, actor=Actor.user(who.user), now=utcnow())
    except CaseError as exc:
        raise Problem(422, "invalid", "Cannot assign", str(exc)) from exc
    session.commit()
    return _back(case_id)


@pages.post("/inbox/cases/{case_id}/status")
def case_status(
    case_id: int, session: DbSession, who: WorkCases, status: Annotated[str, Form()]
) -> Response:
    case = _case_or_404(session, case_id)
    try:
        set_status(
            session=session, case=case, status=status, actor=Actor.user(who.user), now=utcnow()
        )
    except CaseError as exc:
        raise Problem(422, "invalid", "Cannot change the status", str(exc)) from exc
    session.commit()
    return _back(case_id)


@pages.post("/inbox/cases/{case_id}/notes")
def case_note(
    case_id: int, session: DbSession, who: WorkCases, text: Annotated[str, Form()]
) -> Response:
    case = _case_or_404(session, case_id)
    try:
        add_note(session=session, case=case, text=text, user=who.user, now=utcnow())
    except CaseError as exc:
        raise Problem(422, "invalid", "Cannot add the note", str(exc)) from exc
    session.commit()
    return _back(case_id)


@pages.post("/inbox/cases/{case_id}/check")
def case_check(
    case_id: int, session: DbSession, who: SendReplies, text: Annotated[str, Form()] = ""
) -> JSONResponse:
    case = _case_or_404(session, case_id)
    return JSONResponse(
        check_draft(session=session, case=case, text=text, agent=who.user).to_dict()
    )


@pages.post("/inbox/cases/{case_id}/reply")
def case_reply(
    request: Request,
    case_id: int,
    session: DbSession,
    who: SendReplies,
    text: Annotated[str, Form()],
    visibility: Annotated[str, Form()] = "public",
    canned_reply_id: Annotated[str, Form()] = "",
    accept_warnings: Annotated[bool, Form()] = False,
) -> Response:
    case = _case_or_404(session, case_id)
    try:
        reply = send_reply(
            session=session,
            case=case,
            user=who.user,
            text=text,
            now=utcnow(),
            registry=registry_of(request),
            visibility=visibility,
            canned_reply_id=int(canned_reply_id) if canned_reply_id.isdigit() else None,
            accept_warnings=accept_warnings,
        )
    except ReplyError as exc:
        raise Problem(422, "invalid-reply", "The reply was not sent", str(exc)) from exc
    session.commit()
    return _back(case_id, "pending" if reply.status == "pending_approval" else "sent")


@pages.post("/inbox/replies/{reply_id}/decision")
def reply_decision(
    request: Request,
    reply_id: int,
    session: DbSession,
    who: Approve,
    approve: Annotated[bool, Form()] = False,
) -> Response:
    reply = session.get(Reply, reply_id)
    if reply is None:
        raise Problem(404, "not-found", "No such reply", f"reply {reply_id} does not exist")
    try:
        decide(reply=reply, user=who.user, approve=approve, now=utcnow())
    except ApprovalError as exc:
        raise Problem(409, "conflict", "Cannot decide", str(exc)) from exc
    if approve:
        publish_reply(session=session, reply=reply, registry=registry_of(request), now=utcnow())
    session.commit()
    return _back(reply.case_id)


@api.get("/cases")
def api_cases(request: Request, session: DbSession, who: ReadCases) -> dict[str, Any]:
    """Cases matching the same filters as the inbox page (``status``, ``platform``, ``lang``…)."""
    filters = CaseFilters.from_query(request.query_params, me=who.user.id)
    rows = row_dicts(
        session=session, cases=list_cases(session=session, filters=filters), now=utcnow()
    )
    return {"items": [_jsonable(r) for r in rows], "marker": last_change_marker(session=session)}


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}


routers = [
    api,
    pages,
    *report_views.routers,
    *similar_views.routers,
    *admin_routers,
]
