"""The shell's home: ``/`` sends each user to the first area their role may see.

The areas themselves (Inbox, Listening, Crisis…) are routers of their domain packages, listed
in :data:`tocsin.web.app.DOMAIN_VIEWS`.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from tocsin.web.deps import CurrentPrincipal
from tocsin.web.templating import NAV

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(principal: CurrentPrincipal) -> Response:
    """Send the user to the first area they may see."""
    for item in NAV:
        if item.key != "settings" and (item.permission is None or principal.can(item.permission)):
            return RedirectResponse(item.href, status_code=303)
    return RedirectResponse("/settings", status_code=303)
