"""What every ``/inbox/settings`` tab shares: the tab list, the page, saving a form.

Forms post plain fields (CSRF token in a hidden field) and redirect back to their tab (303),
so the page works without JavaScript.  :func:`save_form` is the one place a form's change is
run, audited and committed; a refusal (a schema error or an :class:`AdminError`) re-renders
the tab with a one-line message and what was typed (422), and nothing is stored.  An ``Edit``
link opens the tab with ``?<kind>=<id>`` and the same form, filled, posts to the row's URL.

Example::

    GET  /inbox/settings?tab=rules&rule=3      the rules tab, its form filled with rule 3
    POST /inbox/settings/rules/3               saves it (the service's update path)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from tocsin.accounts.permissions import Permission
from tocsin.errors import AdminError
from tocsin.inbox.admin import page_data
from tocsin.inbox.admin.common import inbox_editor
from tocsin.web.deps import Principal
from tocsin.web.problems import validation_errors
from tocsin.web.templating import render

#: Tabs in display order, each with the permission that shows it.
TABS: tuple[tuple[str, Permission], ...] = (
    ("general", Permission.SETTINGS_MANAGE),
    ("sla", Permission.SETTINGS_MANAGE),
    ("canned", Permission.REPLIES_SEND),
    ("voice", Permission.BRANDS_MANAGE),
    ("rules", Permission.RULES_MANAGE),
    ("ack", Permission.SETTINGS_MANAGE),
    ("agents", Permission.CASES_READ),
)


async def _posted(request: Request) -> dict[str, str]:
    """The posted form's text fields (the CSRF check has already parsed and cached it)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


Posted = Annotated[dict[str, str], Depends(_posted)]


def page(
    request: Request,
    session: Session,
    who: Principal,
    tab: str,
    *,
    error: str = "",
    form: dict[str, Any] | None = None,
) -> Response:
    """The settings page on ``tab`` (422 when ``error`` says why a form was refused)."""
    tabs = [name for name, permission in TABS if who.can(permission)]
    current = tab if tab in tabs else (tabs[0] if tabs else "")
    context: dict[str, Any] = {
        "tabs": tabs,
        "tab": current,
        "me": who.user.id,
        "can_work": who.can(Permission.CASES_WORK),
        "can_manage": who.can(Permission.SETTINGS_MANAGE),
        "error": error,
        "saved": request.query_params.get("saved"),
    }
    context |= page_data.tab_context(request, session, current, form if form is not None else None)
    return render(
        request,
        "inbox/admin/settings.html",
        context,
        active="inbox",
        status_code=422 if error else 200,
    )


def back(tab: str) -> RedirectResponse:
    return RedirectResponse(f"/inbox/settings?tab={tab}&saved=1", status_code=303)


def message(exc: Exception) -> str:
    """One line naming each refused field: ``/time_zone: unknown time zone 'Mars/Olympus'``."""
    if isinstance(exc, ValidationError):
        return "; ".join(f"{e['field']}: {e['message']}" for e in validation_errors(exc.errors()))
    return str(exc)


def save_form(
    request: Request,
    session: Session,
    who: Principal,
    *,
    tab: str,
    form: dict[str, Any],
    change: Callable[[], Any],
    action: str,
    target_type: str,
    detail: Callable[[Any], dict[str, Any]] | dict[str, Any] | None = None,
) -> Response:
    """Run ``change`` (parse + service call), audit and commit, and go back to ``tab``."""
    try:
        inbox_editor(request, session, who).apply(
            change, action=action, target_type=target_type, detail=detail
        )
    except (ValidationError, AdminError) as exc:
        session.rollback()
        return page(request, session, who, tab, error=message(exc), form=form)
    return back(tab)
