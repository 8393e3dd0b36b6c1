"""The crisis radar's routes, picked up by :func:`tocsin.web.app.domain_routers`."""

from __future__ import annotations

from tocsin.crisis.api import router as api_router
from tocsin.crisis.pages import router as pages_router
from tocsin.crisis.public import router as public_router

routers = (api_router, pages_router, public_router)
