"""The accounts package's web routes, collected for :data:`tocsin.web.app.DOMAIN_VIEWS`.

* ``/api/v1/users``, ``/api/v1/teams`` (:mod:`tocsin.accounts.api`, ``users:manage``);
* ``/settings/team`` (:mod:`tocsin.accounts.pages`, ``users:manage``);
* ``/settings/profile``, ``/settings/password`` (:mod:`tocsin.accounts.profile`, anyone
  signed in, for themselves).

Example: ``app.include_router(r) for r in tocsin.accounts.views.routers``.
"""

from __future__ import annotations

from fastapi import APIRouter

from tocsin.accounts import api, pages, profile

routers: list[APIRouter] = [api.router, pages.router, profile.router]
