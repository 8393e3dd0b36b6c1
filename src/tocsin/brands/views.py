"""Brands in the API (``/api/v1/brands``) and in Settings (``/settings/brands``).

Reading needs ``listening:read``; creating, changing and deleting need ``brands:manage`` and
are audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from tocsin.accounts.permissions import Permission
from tocsin.brands.models import Brand
from tocsin.brands.schemas import BrandCreate, BrandRead, BrandUpdate
from tocsin.brands.service import (
    BrandError,
    brand_read,
    create_brand,
    delete_brand,
    get_brand,
    list_brands,
    update_brand,
)
from tocsin.web.audit import record_change
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem, validation_errors
from tocsin.web.templating import render

api = APIRouter(prefix="/api/v1/brands", tags=["brands"])
pages = APIRouter(include_in_schema=False)
ReadBrands = Annotated[Principal, require(Permission.LISTENING_READ)]
ManageBrands = Annotated[Principal, require(Permission.BRANDS_MANAGE)]


def _invalid(exc: BrandError) -> Problem:
    return Problem(
        422,
        "invalid-brand",
        "Invalid brand",
        str(exc),
        errors=[{"field": exc.field, "message": str(exc)}],
    )


def _found(session: Session, slug: str) -> Brand:
    brand = get_brand(session=session, slug=slug)
    if brand is None:
        raise Problem(404, "not-found", "Not found", f"no brand with the slug {slug!r}")
    return brand


def _audit(session: Session, who: Principal, request: Request, action: str, brand: Brand) -> None:
    record_change(
        request,
        session,
        who,
        action=action,
        target_type="brand",
        target_id=brand.id,
        detail={"slug": brand.slug},
    )


@api.get("", summary="List brands (ours, each followed by its competitors)")
def api_list(session: DbSession, who: ReadBrands) -> list[BrandRead]:
    return [brand_read(b) for b in list_brands(session=session)]


@api.get("/{slug}", summary="Read a brand")
def api_read(slug: str, session: DbSession, who: ReadBrands) -> BrandRead:
    return brand_read(_found(session, slug))


@api.post("", status_code=201, summary="Create a brand or a competitor")
def api_create(
    data: BrandCreate, request: Request, session: DbSession, who: ManageBrands
) -> BrandRead:
    try:
        brand = create_brand(session=session, data=data)
    except BrandError as exc:
        raise _invalid(exc) from None
    _audit(session, who, request, "brand.create", brand)
    session.commit()
    return brand_read(brand)


@api.patch("/{slug}", summary="Change a brand")
def api_update(
    slug: str, data: BrandUpdate, request: Request, session: DbSession, who: ManageBrands
) -> BrandRead:
    brand = _found(session, slug)
    try:
        update_brand(session=session, brand=brand, data=data)
    except (BrandError, ValidationError) as exc:
        session.rollback()
        if isinstance(exc, ValidationError):
            raise Problem(
                422, "invalid-brand", "Invalid brand", errors=validation_errors(exc.errors())
            ) from None
        raise _invalid(exc) from None
    _audit(session, who, request, "brand.update", brand)
    session.commit()
    return brand_read(brand)


@api.delete("/{slug}", status_code=204, summary="Delete a brand and its competitors")
def api_delete(slug: str, request: Request, session: DbSession, who: ManageBrands) -> Response:
    brand = _found(session, slug)
    _audit(session, who, request, "brand.delete", brand)
    delete_brand(session=session, brand=brand)
    session.commit()
    return Response(status_code=204)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


def _handles(value: str) -> list[dict[str, str]]:
    """``x:lumio, bluesky:lumio.bsky.social`` → ``[{platform, handle}, …]``."""
    handles = []
    for item in _split(value):
        platform, _, handle = item.partition(":")
        handles.append({"platform": platform.strip(), "handle": handle.strip()})
    return handles


@pages.get("/settings/brands")
def brands_page(request: Request, session: DbSession, who: ManageBrands) -> Response:
    return _page(request, session)


def _page(
    request: Request,
    session: Session,
    *,
    error: str = "",
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    brands = list_brands(session=session)
    context = {
        "brands": [brand_read(b) for b in brands],
        "ours": [b for b in brands if b.competitor_of_id is None],
        "error": error,
        "values": values or {},
    }
    return render(request, "brands/index.html", context, active="settings", status_code=status_code)


@pages.post("/settings/brands")
def brands_create(
    request: Request,
    session: DbSession,
    who: ManageBrands,
    slug: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    aliases: Annotated[str, Form()] = "",
    handles: Annotated[str, Form()] = "",
    keywords: Annotated[str, Form()] = "",
    query: Annotated[str, Form()] = "",
    languages: Annotated[str, Form()] = "",
    time_zone: Annotated[str, Form()] = "UTC",
    competitor_of: Annotated[str, Form()] = "",
) -> Response:
    values = {
        "slug": slug,
        "name": name,
        "aliases": aliases,
        "handles": handles,
        "keywords": keywords,
        "query": query,
        "languages": languages,
        "time_zone": time_zone,
        "competitor_of": competitor_of,
    }
    try:
        data = BrandCreate(
            slug=slug,
            name=name,
            aliases=_split(aliases),
            handles=_handles(handles),
            keywords=_split(keywords),
            query=query,
            languages=_split(languages),
            time_zone=time_zone or "UTC",
            competitor_of=competitor_of or None,
        )
        brand = create_brand(session=session, data=data)
    except ValidationError as exc:
        first = validation_errors(exc.errors())[0]
        return _page(
            request,
            session,
            error=f"{first['field']}: {first['message']}",
            values=values,
            status_code=422,
        )
    except BrandError as exc:
        session.rollback()
        return _page(request, session, error=str(exc), values=values, status_code=422)
    _audit(session, who, request, "brand.create", brand)
    session.commit()
    return RedirectResponse("/settings/brands", status_code=303)


@pages.post("/settings/brands/{slug}/delete")
def brands_delete(slug: str, request: Request, session: DbSession, who: ManageBrands) -> Response:
    brand = get_brand(session=session, slug=slug)
    if brand is not None:
        _audit(session, who, request, "brand.delete", brand)
        delete_brand(session=session, brand=brand)
        session.commit()
    return RedirectResponse("/settings/brands", status_code=303)


routers = [api, pages]
