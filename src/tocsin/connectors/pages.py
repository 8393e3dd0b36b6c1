"""The Sources settings page: every source with its health; create, edit, enable, disable.

Credentials are write-only: the form shows each stored one masked (``••••••wxyz``) and an empty
field keeps it.  Every change is audited.  Everything here needs ``sources:manage``.

Example::

    GET  /settings/sources                 the list with health
    GET  /settings/sources/new?platform=rss
    POST /settings/sources                 create
    GET  /settings/sources/3               edit form
    POST /settings/sources/3               save
    POST /settings/sources/3/enabled       enable or disable
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from tocsin.accounts.permissions import Permission
from tocsin.brands.models import Brand
from tocsin.config import Settings
from tocsin.connectors.health import duration_text, source_health
from tocsin.connectors.models import Source
from tocsin.connectors.registry import PLATFORMS, UnknownSourcePlatformError, platform_spec
from tocsin.connectors.service import (
    SourceError,
    create_source,
    list_sources,
    masked_credentials,
    update_source,
)
from tocsin.types import utcnow
from tocsin.web.audit import record_change
from tocsin.web.deps import AppSettings, DbSession, Principal, require
from tocsin.web.problems import Problem
from tocsin.web.templating import render

router = APIRouter(include_in_schema=False)
ManageSources = Annotated[Principal, require(Permission.SOURCES_MANAGE)]


def _brands(session: Session) -> list[Brand]:
    from sqlalchemy import select

    return list(session.scalars(select(Brand).order_by(Brand.name)))


@router.get("/settings/sources")
def sources_page(request: Request, session: DbSession, who: ManageSources) -> Response:
    now = utcnow()
    rows = [(s, source_health(s, now=now)) for s in list_sources(session=session)]
    context: dict[str, Any] = {
        "rows": rows,
        "duration": duration_text,
        "platforms": sorted(PLATFORMS.values(), key=lambda p: p.label),
        "base_url": str(request.app.state.settings.base_url).rstrip("/"),
        "now": now,
        "saved": request.query_params.get("saved", ""),
    }
    return render(request, "sources/index.html", context, active="settings")


def _form(
    request: Request,
    session: Session,
    settings: Settings,
    *,
    platform: str,
    source: Source | None = None,
    values: dict[str, Any] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    try:
        spec = platform_spec(platform)
    except UnknownSourcePlatformError as exc:
        raise Problem(404, "not-found", "Unknown platform", str(exc)) from None
    masked = masked_credentials(source=source, settings=settings) if source else {}
    context: dict[str, Any] = {
        "spec": spec,
        "source": source,
        "values": values if values is not None else dict(source.settings if source else {}),
        "masked": masked,
        "brands": _brands(session),
        "error": error,
    }
    return render(request, "sources/form.html", context, active="settings", status_code=status_code)


@router.get("/settings/sources/new")
def new_source_page(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageSources,
    platform: str = "rss",
) -> Response:
    return _form(request, session, settings, platform=platform)


def _split(form: Any, spec_platform: str) -> tuple[dict[str, Any], dict[str, Any]]:
    spec = platform_spec(spec_platform)
    options = {f.name: str(form.get(f"opt_{f.name}", "")).strip() for f in spec.fields}
    secrets = {f.name: str(form.get(f"cred_{f.name}", "")).strip() for f in spec.credentials}
    return options, secrets


def _brand_id(form: Any) -> int | None:
    value = str(form.get("brand_id", "")).strip()
    return int(value) if value.isdigit() else None


@router.post("/settings/sources")
async def create_source_form(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageSources,
    name: Annotated[str, Form(max_length=120)] = "",
    platform: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    form = await request.form()
    try:
        options, secrets = _split(form, platform)
        source = create_source(
            session=session,
            settings=settings,
            name=name,
            platform=platform,
            options=options,
            credentials=secrets,
            brand_id=_brand_id(form),
        )
    except (SourceError, UnknownSourcePlatformError) as exc:
        session.rollback()
        values = {k[4:]: v for k, v in form.items() if k.startswith("opt_")}
        return _form(
            request,
            session,
            settings,
            platform=platform if platform in PLATFORMS else "rss",
            values={**values, "_name": name},
            error=str(exc),
            status_code=422,
        )
    _audit(request, session, who, "source.created", source)
    session.commit()
    return RedirectResponse(f"/settings/sources?saved={source.id}", status_code=303)


def _get(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise Problem(404, "not-found", "No such source", "it may have been deleted")
    return source


@router.get("/settings/sources/{source_id}")
def edit_source_page(
    source_id: int,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageSources,
) -> Response:
    source = _get(session, source_id)
    return _form(request, session, settings, platform=source.platform, source=source)


@router.post("/settings/sources/{source_id}")
async def update_source_form(
    source_id: int,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageSources,
) -> Response:
    source = _get(session, source_id)
    form = await request.form()
    options, secrets = _split(form, source.platform)
    try:
        update_source(
            session=session,
            settings=settings,
            source=source,
            options=options,
            credentials=secrets,
            brand_id=_brand_id(form) or 0,
            reset_checkpoint=form.get("reset_checkpoint") == "1",
        )
    except SourceError as exc:
        session.rollback()
        return _form(
            request,
            session,
            settings,
            platform=source.platform,
            source=source,
            values=options,
            error=str(exc),
            status_code=422,
        )
    _audit(request, session, who, "source.updated", source)
    session.commit()
    return RedirectResponse(f"/settings/sources?saved={source.id}", status_code=303)


@router.post("/settings/sources/{source_id}/enabled")
def toggle_source_form(
    source_id: int,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageSources,
    enabled: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    source = _get(session, source_id)
    update_source(session=session, settings=settings, source=source, enabled=enabled == "1")
    _audit(request, session, who, "source.enabled" if source.enabled else "source.disabled", source)
    session.commit()
    return RedirectResponse("/settings/sources", status_code=303)


def _audit(request: Request, session: Session, who: Principal, action: str, source: Source) -> None:
    record_change(
        request,
        session,
        who,
        action=action,
        target_type="source",
        target_id=source.id,
        detail={"name": source.name, "platform": source.platform, "enabled": source.enabled},
    )
