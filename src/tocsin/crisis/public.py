"""The one page anyone with the link may read: an incident's internal communiqué.

The token is 32 random URL-safe characters (192 bits), the page is read-only, asks search
engines not to index it (header and meta tag) and is never cached by shared proxies.  The
path ``/shared/`` must be in the web app's public prefixes.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tocsin.crisis.communique import by_token
from tocsin.crisis.incident_models import Incident
from tocsin.crisis.statements import statements
from tocsin.web.deps import DbSession
from tocsin.web.templating import render

router = APIRouter(include_in_schema=False)
NOINDEX = {"X-Robots-Tag": "noindex, nofollow, noarchive", "Cache-Control": "private, no-store"}


@router.get("/shared/communiques/{token}")
def shared_communique(token: str, request: Request, session: DbSession) -> Response:
    note = by_token(session=session, token=token)
    if note is None:
        return render(request, "crisis/communique_missing.html", status_code=404, headers=NOINDEX)
    incident = session.get(Incident, note.incident_id)
    official = [
        s
        for s in statements(session=session, incident_id=note.incident_id)
        if s.status == "published"
    ]
    return render(
        request,
        "crisis/communique_public.html",
        {"note": note, "incident": incident, "official": official},
        headers=NOINDEX,
    )
