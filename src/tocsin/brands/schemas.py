"""Request and response shapes for brands (beside, not inside, the ORM model)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tocsin.ingestion.schemas import PLATFORMS

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_LANG = re.compile(r"^[a-z]{2,3}$")


class BrandHandle(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    platform: str
    handle: str = Field(min_length=1, max_length=200)

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        if value not in PLATFORMS:
            raise ValueError(f"unknown platform {value!r}: use one of {', '.join(PLATFORMS)}")
        return value

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        value = value.lstrip("@")
        if not value:
            raise ValueError("handle must not be empty")
        return value


class BrandFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    handles: list[BrandHandle] = Field(default_factory=list, max_length=50)
    keywords: list[str] = Field(default_factory=list, max_length=200)
    query: str = Field(default="", max_length=4000)
    languages: list[str] = Field(default_factory=list, max_length=20)
    time_zone: str = "UTC"

    @field_validator("aliases", "keywords")
    @classmethod
    def _clean(cls, values: list[str]) -> list[str]:
        return [v.strip() for v in values if v.strip()]

    @field_validator("languages")
    @classmethod
    def _languages(cls, values: list[str]) -> list[str]:
        out = []
        for value in values:
            value = value.strip().lower()
            if not _LANG.match(value):
                raise ValueError(f"{value!r} is not a language code such as 'fr'")
            out.append(value)
        return out

    @field_validator("time_zone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use a name such as 'Europe/Paris'"
            ) from None
        return value


class BrandCreate(BrandFields):
    slug: str = Field(min_length=1, max_length=64)
    #: Slug of the brand this one competes with; empty for one of our own brands.
    competitor_of: str | None = None

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        value = value.strip().lower()
        if not _SLUG.match(value):
            raise ValueError("slug: lowercase letters, digits and '-', e.g. 'lumio'")
        return value


class BrandUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    aliases: list[str] | None = None
    handles: list[BrandHandle] | None = None
    keywords: list[str] | None = None
    query: str | None = Field(default=None, max_length=4000)
    languages: list[str] | None = None
    time_zone: str | None = None

    def changes(self) -> dict[str, Any]:
        """The fields given, validated with the same rules as on creation."""
        given = self.model_dump(exclude_unset=True)
        base = BrandFields(
            name=given.get("name") or "x", **{k: v for k, v in given.items() if k != "name"}
        )
        return {k: getattr(base, k) for k in given}


class BrandRead(BaseModel):
    id: int
    slug: str
    name: str
    aliases: list[str]
    handles: list[dict[str, str]]
    keywords: list[str]
    query: str
    effective_query: str
    languages: list[str]
    time_zone: str
    competitor_of: str | None
    competitors: list[str]
    created_at: datetime
