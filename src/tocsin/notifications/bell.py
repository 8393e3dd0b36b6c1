"""The bell in the sidebar: ``/notifications`` lists the signed-in user's in-app notifications.

Alerts delivered "in-app" (issue #5) land here. The sidebar loads the unread count from
``/notifications/badge`` with htmx; without JavaScript the link to the page still works.

Example::

    GET  /notifications                 the list, unread first marked
    POST /notifications/12/read         mark one read
    POST /notifications/read-all        mark everything read
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tocsin.notifications.inapp import (
    is_unread,
    list_for_user,
    mark_all_read,
    mark_read,
    unread_count,
)
from tocsin.web.deps import CurrentPrincipal, DbSession
from tocsin.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/notifications")
def notifications_page(request: Request, session: DbSession, who: CurrentPrincipal) -> Response:
    notes = list_for_user(session=session, user_id=who.user.id, limit=100)
    context = {
        "notes": [(note, is_unread(note)) for note in notes],
        "unread": unread_count(session=session, user_id=who.user.id),
    }
    return render(request, "notifications/inbox.html", context, active="notifications")


@router.get("/notifications/badge")
def notifications_badge(request: Request, session: DbSession, who: CurrentPrincipal) -> Response:
    count = unread_count(session=session, user_id=who.user.id)
    return render(request, "notifications/_badge.html", {"count": count})


@router.post("/notifications/read-all")
def read_all(session: DbSession, who: CurrentPrincipal) -> Response:
    if mark_all_read(session=session, user_id=who.user.id):
        session.commit()
    return RedirectResponse("/notifications", status_code=303)


@router.post("/notifications/{notification_id}/read")
def read_one(notification_id: int, session: DbSession, who: CurrentPrincipal) -> Response:
    if mark_read(session=session, user_id=who.user.id, notification_id=notification_id):
        session.commit()
    return RedirectResponse("/notifications", status_code=303)
