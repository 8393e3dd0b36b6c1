"""The connectors' routes: signed webhooks and the Sources settings page.

Example::

    for router in routers:
        app.include_router(router)
"""

from __future__ import annotations

from fastapi import APIRouter

from tocsin.connectors import pages, webhook_views

routers: tuple[APIRouter, ...] = (webhook_views.router, pages.router)
