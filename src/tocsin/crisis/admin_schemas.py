"""Request bodies of the crisis management API, checked before anything touches a row.

Shapes only: whether a channel, a user or a policy exists is checked by
:mod:`tocsin.crisis.admin_service`, which answers with a JSON pointer per refused value.  A
``…Patch`` applies only the fields sent (``model_dump(exclude_unset=True)``).

Example::

    EscalationPolicyIn.model_validate({"name": "On call", "steps": [
        {"delay_minutes": 0, "channel_ids": [1], "user_ids": []},
        {"delay_minutes": 15, "channel_ids": [], "user_ids": [4]},
    ]})
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AutoIncident = Literal["never", "info", "warning", "critical"]
Severity = Literal["info", "warning", "critical"]
Status = Literal["open", "monitoring", "resolved", "closed"]
Lang = Literal["en", "fr", "es", "nl"]
#: One week: the longest cooldown, episode gap or escalation delay that still makes sense.
MAX_MINUTES = 7 * 24 * 60


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EscalationStepIn(_Body):
    #: Minutes after the previous step (the first step goes out when the alert opens: 0).
    delay_minutes: int = Field(ge=0, le=MAX_MINUTES)
    channel_ids: list[int] = Field(default_factory=list, max_length=20)
    user_ids: list[int] = Field(default_factory=list, max_length=50)


class EscalationPolicyIn(_Body):
    name: str = Field(min_length=1, max_length=120)
    steps: list[EscalationStepIn] = Field(min_length=1, max_length=10)


class EscalationPolicyPatch(_Body):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    steps: list[EscalationStepIn] | None = Field(default=None, min_length=1, max_length=10)


class RadarPolicyIn(_Body):
    auto_incident: AutoIncident = "critical"
    cooldown_minutes: int = Field(default=60, ge=0, le=MAX_MINUTES)
    episode_gap_minutes: int = Field(default=90, ge=5, le=MAX_MINUTES)
    min_volume: int = Field(default=8, ge=1, le=1_000_000)
    escalation_policy_id: int | None = None


class StatementTemplateIn(_Body):
    body: str = Field(min_length=1, max_length=4000)


class StatementPreviewIn(_Body):
    body: str = Field(min_length=1, max_length=4000)
    brand: str | None = Field(default=None, max_length=64)
    values: dict[str, str] = Field(default_factory=dict, max_length=8)


class PlaybookTemplateIn(_Body):
    items: list[str] = Field(min_length=1, max_length=50)


class IncidentPatch(_Body):
    """``owner_id: null`` leaves the incident without an owner."""

    owner_id: int | None = None
    severity: Severity | None = None
    status: Status | None = None
    title: str | None = Field(default=None, min_length=1, max_length=300)


# -- what the API answers -----------------------------------------------------------------------


class EscalationStepRead(BaseModel):
    delay_minutes: int
    channel_ids: list[int]
    user_ids: list[int]


class EscalationPolicyRead(BaseModel):
    id: int
    name: str
    steps: list[EscalationStepRead]
    #: The radar-policy scopes (``default`` or brand slugs) that use this policy.
    used_by: list[str]


class RadarPolicyRead(BaseModel):
    scope: str
    brand: str | None
    #: Where the values come from: ``brand`` (its own), ``default`` or ``builtin``.
    source: Literal["brand", "default", "builtin"]
    auto_incident: str
    cooldown_minutes: int
    episode_gap_minutes: int
    min_volume: int
    escalation_policy_id: int | None


class StatementTemplateRead(BaseModel):
    scope: str
    lang: str
    body: str
    source: Literal["brand", "default", "builtin"]
    own: bool
    fallback: str
    builtin: str


class PreviewRead(BaseModel):
    text: str


class PlaybookTemplateRead(BaseModel):
    scope: str
    items: list[str]
    source: Literal["brand", "default", "builtin"]
    own: bool
    fallback: list[str]
    builtin: list[str]
