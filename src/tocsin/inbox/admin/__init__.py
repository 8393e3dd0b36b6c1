"""The care inbox's management surface: the ``/api/v1/inbox/…`` settings API and the
``/inbox/settings`` page, one module per resource.

``api_*`` modules hold the JSON API, ``pages_*`` the page's forms; both run every change
through :func:`tocsin.inbox.admin.common.inbox_editor`, the shared
:class:`~tocsin.web.editing.Editor` (service call, audit entry, commit), and read rows out
through :mod:`tocsin.inbox.admin.read`, so both show the same truth.

Example::

    from tocsin.inbox.admin import routers   # listed by tocsin.inbox.views.routers
"""

from __future__ import annotations

from fastapi import APIRouter

from tocsin.inbox.admin import (
    api_replies,
    api_rules,
    api_settings,
    api_sla,
    pages_replies,
    pages_rules,
    pages_settings,
    pages_sla,
)

routers: list[APIRouter] = [
    api_settings.api,
    api_sla.api,
    api_replies.api,
    api_rules.api,
    pages_settings.pages,
    pages_sla.pages,
    pages_replies.pages,
    pages_rules.pages,
]
