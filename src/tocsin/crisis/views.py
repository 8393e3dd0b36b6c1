"""The crisis radar's routes, picked up by :func:`tocsin.web.app.domain_routers`.

The management routers come first: ``/crisis/incidents/{id}/owner`` must win over the war
room's generic ``/crisis/incidents/{id}/{action}``.
"""

from __future__ import annotations

from tocsin.crisis.admin_api import api as admin_api_router
from tocsin.crisis.admin_pages import pages as admin_pages_router
from tocsin.crisis.api import router as api_router
from tocsin.crisis.incident_admin_pages import pages as incident_admin_router
from tocsin.crisis.pages import router as pages_router
from tocsin.crisis.public import router as public_router

routers = (
    admin_api_router,
    admin_pages_router,
    incident_admin_router,
    api_router,
    pages_router,
    public_router,
)
