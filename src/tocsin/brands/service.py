"""Managing brands: ours and our competitors, each with its listening query.

A brand's query is compiled on save, so a mistake is reported with its position before it
reaches the matcher.  Changing a brand takes effect at once for new posts (the matcher cache is
keyed by a fingerprint of every brand's query).

Example::

    lumio = create_brand(session=s, data=BrandCreate(slug="lumio", name="Lumio", languages=["fr"]))
    create_brand(session=s, data=BrandCreate(slug="veltra", name="Veltra", competitor_of="lumio"))
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.brands.schemas import BrandCreate, BrandRead, BrandUpdate
from tocsin.listening.matching import brand_query
from tocsin.listening.query import QueryError, compile_query


class BrandError(ValueError):
    """A brand cannot be saved as asked; ``field`` names the culprit."""

    def __init__(self, message: str, *, field: str = "/") -> None:
        super().__init__(message)
        self.field = field


def list_brands(*, session: Session) -> list[Brand]:
    """Our brands first, each followed by its competitors."""
    brands = list(session.scalars(select(Brand).order_by(Brand.name)))
    ours = [b for b in brands if b.competitor_of_id is None]
    ordered: list[Brand] = []
    for brand in ours:
        ordered.append(brand)
        ordered.extend(b for b in brands if b.competitor_of_id == brand.id)
    ordered.extend(b for b in brands if b not in ordered)
    return ordered


def get_brand(*, session: Session, slug: str) -> Brand | None:
    return session.scalar(select(Brand).where(Brand.slug == slug))


def _check_query(brand: Brand) -> None:
    try:
        compile_query(brand_query(brand))
    except QueryError as exc:
        raise BrandError(f"query: {exc}", field="/query") from exc
    except ValueError as exc:  # nothing searchable in names, handles or keywords
        raise BrandError(
            f"{exc}: give the brand a name, a handle, keywords or a query", field="/query"
        ) from exc


def create_brand(*, session: Session, data: BrandCreate) -> Brand:
    if get_brand(session=session, slug=data.slug) is not None:
        raise BrandError(f"a brand with the slug {data.slug!r} already exists", field="/slug")
    parent_id = None
    if data.competitor_of:
        parent = get_brand(session=session, slug=data.competitor_of)
        if parent is None:
            raise BrandError(
                f"no brand with the slug {data.competitor_of!r}", field="/competitor_of"
            )
        if parent.competitor_of_id is not None:
            raise BrandError(
                "a competitor must compete with one of our brands", field="/competitor_of"
            )
        parent_id = parent.id
    brand = Brand(
        slug=data.slug,
        name=data.name,
        aliases=data.aliases,
        handles=[h.model_dump() for h in data.handles],
        keywords=data.keywords,
        query=data.query,
        languages=data.languages,
        time_zone=data.time_zone,
        competitor_of_id=parent_id,
    )
    _check_query(brand)
    session.add(brand)
    session.flush()
    return brand


def update_brand(*, session: Session, brand: Brand, data: BrandUpdate) -> Brand:
    for key, value in data.changes().items():
        if key == "handles":
            value = [h.model_dump() for h in value]
        setattr(brand, key, value)
    _check_query(brand)
    session.flush()
    return brand


def delete_brand(*, session: Session, brand: Brand) -> None:
    """Delete a brand and its competitors (their post links go with them; posts stay)."""
    session.delete(brand)
    session.flush()


def brand_read(brand: Brand) -> BrandRead:
    return BrandRead(
        id=brand.id,
        slug=brand.slug,
        name=brand.name,
        aliases=brand.aliases,
        handles=brand.handles,
        keywords=brand.keywords,
        query=brand.query,
        effective_query=brand_query(brand),
        languages=brand.languages,
        time_zone=brand.time_zone,
        competitor_of=brand.competitor_of.slug if brand.competitor_of else None,
        competitors=[c.slug for c in brand.competitors],
        created_at=brand.created_at,
    )
