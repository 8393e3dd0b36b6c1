"""The shell's areas that other packages fill in: Inbox, Listening, Crisis (and ``/``).

Until an area's package ships its own router, its page says plainly what will come. To give an
area real content, write ``pages/<area>.py`` with its router, add it to ``PAGE_ROUTERS`` in
:mod:`tocsin.web.app` and remove its entry from :data:`PLACEHOLDERS` here.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tocsin.accounts.permissions import Permission
from tocsin.web.deps import CurrentPrincipal, Principal, require
from tocsin.web.templating import NAV, render

router = APIRouter(include_in_schema=False)

#: area key -> permission needed to see it.
PLACEHOLDERS: dict[str, Permission] = {
    "inbox": Permission.CASES_READ,
    "listening": Permission.LISTENING_READ,
    "crisis": Permission.ALERTS_READ,
}


@router.get("/")
def home(principal: CurrentPrincipal) -> Response:
    """Send the user to the first area they may see."""
    for item in NAV:
        if item.key != "settings" and (item.permission is None or principal.can(item.permission)):
            return RedirectResponse(item.href, status_code=303)
    return RedirectResponse("/settings", status_code=303)


def _placeholder(area: str, permission: Permission) -> Callable[..., Response]:
    # A default, not an Annotated alias: the closure's ``permission`` is not a module global.
    def page(request: Request, who: Principal = require(permission)) -> Response:
        return render(request, "shell/coming.html", {"area": area}, active=area)

    page.__name__ = f"{area}_page"
    return page


for _area, _permission in PLACEHOLDERS.items():
    router.add_api_route(f"/{_area}", _placeholder(_area, _permission), methods=["GET"])
