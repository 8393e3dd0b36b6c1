"""Listening routes: the JSON API (``/api/v1/listening/…``) and the pages (``/listening…``)."""

from __future__ import annotations

from fastapi import APIRouter

from tocsin.listening import api, pages

routers: list[APIRouter] = [api.router, pages.router]
