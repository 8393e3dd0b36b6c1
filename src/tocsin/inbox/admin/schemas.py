"""Request bodies of the inbox's management API: validated before anything touches a row.

Each ``…In`` schema is a create body; each ``…Patch`` has every field optional and only the
fields sent are applied (``model_dump(exclude_unset=True)``).  Time zones are checked with
:mod:`zoneinfo`, weekly hours and holidays with the same parser the SLA engine uses, so a
calendar the API accepts is one the engine can run.

Example::

    CalendarIn.model_validate({"name": "Paris office", "time_zone": "Europe/Paris",
                               "weekly": {"mon": [["09:00", "18:00"]]},
                               "holidays": ["2026-12-25"]})
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tocsin.inbox.automation.rules import RULE_EVENTS
from tocsin.inbox.sla.calendar import CalendarError, Hours

MAX_MINUTES = 366 * 24 * 60
LANG_PATTERN = r"^[a-z]{2,3}$"
RuleEvent = Literal[
    "post.received", "case.opened", "case.updated", "sla.at_risk", "sla.missed", "case.no_reply"
]
assert set(RuleEvent.__args__) == set(RULE_EVENTS)  # type: ignore[attr-defined]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {value!r}: use an IANA name, e.g. Europe/Paris"
        ) from exc
    return value


def _weekly(value: dict[str, list[list[str]]]) -> dict[str, list[list[str]]]:
    try:
        Hours.from_weekly("UTC", value)
    except CalendarError as exc:
        raise ValueError(str(exc)) from exc
    return value


class CalendarIn(Body):
    name: str = Field(min_length=1, max_length=120)
    time_zone: str = "UTC"
    #: ``{"mon": [["09:00", "18:00"]], …}``; a day left out is closed.
    weekly: dict[str, list[list[str]]] = Field(default_factory=dict)
    holidays: list[date] = Field(default_factory=list, max_length=400)

    _check_zone = field_validator("time_zone")(_zone)
    _check_weekly = field_validator("weekly")(_weekly)


class CalendarPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    time_zone: str | None = None
    weekly: dict[str, list[list[str]]] | None = None
    holidays: list[date] | None = Field(default=None, max_length=400)

    @field_validator("time_zone")
    @classmethod
    def _check_zone(cls, value: str | None) -> str | None:
        return None if value is None else _zone(value)

    @field_validator("weekly")
    @classmethod
    def _check_weekly(
        cls, value: dict[str, list[list[str]]] | None
    ) -> dict[str, list[list[str]]] | None:
        return None if value is None else _weekly(value)


class PolicyIn(Body):
    name: str = Field(min_length=1, max_length=120)
    platform: str | None = Field(default=None, max_length=32)
    min_priority: int = Field(default=0, ge=0, le=100)
    brand_id: int | None = None
    first_response_minutes: int = Field(ge=1, le=MAX_MINUTES)
    next_response_minutes: int = Field(ge=1, le=MAX_MINUTES)
    resolution_minutes: int = Field(ge=1, le=MAX_MINUTES)
    at_risk_ratio: float = Field(default=0.75, gt=0, lt=1)
    calendar_id: int | None = None
    enabled: bool = True


class PolicyPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    platform: str | None = Field(default=None, max_length=32)
    min_priority: int | None = Field(default=None, ge=0, le=100)
    brand_id: int | None = None
    first_response_minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    next_response_minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    resolution_minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    at_risk_ratio: float | None = Field(default=None, gt=0, lt=1)
    calendar_id: int | None = None
    enabled: bool | None = None


class CannedIn(Body):
    name: str = Field(min_length=1, max_length=120)
    lang: str = Field(pattern=LANG_PATTERN)
    text: str = Field(min_length=1, max_length=5000)
    brand_id: int | None = None


class CannedPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    lang: str | None = Field(default=None, pattern=LANG_PATTERN)
    text: str | None = Field(default=None, min_length=1, max_length=5000)
    brand_id: int | None = None


class CannedPreviewIn(Body):
    """Either a stored reply (``canned_reply_id``) or a draft ``text``; a case fills variables."""

    canned_reply_id: int | None = None
    text: str | None = Field(default=None, min_length=1, max_length=5000)
    case_id: int | None = None


class RuleIn(Body):
    name: str = Field(min_length=1, max_length=120)
    event: RuleEvent
    conditions: dict[str, Any] = Field(default_factory=dict)
    actions: list[dict[str, Any]] = Field(min_length=1, max_length=20)
    position: int = Field(default=100, ge=0, le=100_000)
    minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    enabled: bool = True


class RulePatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    event: RuleEvent | None = None
    conditions: dict[str, Any] | None = None
    actions: list[dict[str, Any]] | None = Field(default=None, min_length=1, max_length=20)
    position: int | None = Field(default=None, ge=0, le=100_000)
    minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    enabled: bool | None = None


class RuleOrderIn(Body):
    """Every rule id in the wanted order (positions become 10, 20, 30…)."""

    ids: list[int] = Field(min_length=1, max_length=1000)


class EnabledIn(Body):
    enabled: bool


class AckTemplateIn(Body):
    text: str = Field(min_length=1, max_length=2000)


class AckPreviewIn(Body):
    """A draft to preview (``text``), or the stored/built-in template when left out."""

    text: str | None = Field(default=None, min_length=1, max_length=2000)
    eta_minutes: int = Field(default=45, ge=1, le=30 * 24 * 60)


class AgentStatusIn(Body):
    status: Literal["online", "away", "offline"]
    on_call: bool | None = None
