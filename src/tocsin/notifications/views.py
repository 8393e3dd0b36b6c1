"""Notification routes, picked up by :func:`tocsin.web.app.domain_routers`."""

from __future__ import annotations

from tocsin.notifications.api import router as api_router
from tocsin.notifications.bell import router as bell_router
from tocsin.notifications.pages import router as pages_router

routers = (api_router, pages_router, bell_router)
