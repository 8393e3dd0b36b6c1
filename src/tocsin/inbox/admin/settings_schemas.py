"""Request bodies for the inbox's working settings and the brand-voice profiles.

Shapes and ranges are checked here; what depends on other rows or on the known platforms and
language codes (a calendar that must exist, ``{"facebok": "private"}``) is checked by
:mod:`tocsin.inbox.admin.settings_service`, which points at the exact key
(``/auto_ack_visibility/facebok``).  A map sent in a PATCH replaces the stored map.

Example::

    InboxSettingsPatch.model_validate({"routing_mode": "auto", "escalation_minutes": 30})
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from tocsin.inbox.admin.schemas import Body

DAY = 24 * 60
Minutes = Annotated[int, Field(ge=1, le=30 * DAY)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
RoutingMode = Literal["auto", "queue"]
Visibility = Literal["public", "private"]


class InboxSettingsPatch(Body):
    """Only the fields sent change; ``calendar_id: null`` means "around the clock"."""

    routing_mode: RoutingMode | None = None
    follow_up_window_minutes: Minutes | None = None
    escalation_minutes: Minutes | None = None
    auto_ack_enabled: bool | None = None
    auto_ack_period_minutes: Minutes | None = None
    #: ``{"facebook": "private"}``; a platform left out answers publicly.
    auto_ack_visibility: dict[str, Visibility] | None = Field(default=None, max_length=40)
    #: ``{"en": "call +1 555 0100 (24/7)"}``; an empty text drops the language.
    auto_ack_redirect: dict[str, Annotated[str, Field(max_length=500)]] | None = Field(
        default=None, max_length=40
    )
    default_handle_minutes: Annotated[int, Field(ge=1, le=DAY)] | None = None
    calendar_id: int | None = None


class VoiceProfileIn(Body):
    """One profile per brand; ``brand_id`` null is the profile every other brand uses."""

    brand_id: int | None = None
    banned_words: list[Phrase] = Field(default_factory=list, max_length=500)
    #: Per language, phrases one of which every reply must contain (a disclaimer).
    required: dict[str, list[Phrase]] = Field(default_factory=dict, max_length=40)
    #: Per platform, the longest reply allowed (overrides the platform's own limit).
    max_lengths: dict[str, Annotated[int, Field(ge=1, le=100_000)]] = Field(
        default_factory=dict, max_length=40
    )


class VoiceProfilePatch(Body):
    brand_id: int | None = None
    banned_words: list[Phrase] | None = Field(default=None, max_length=500)
    required: dict[str, list[Phrase]] | None = Field(default=None, max_length=40)
    max_lengths: dict[str, Annotated[int, Field(ge=1, le=100_000)]] | None = Field(
        default=None, max_length=40
    )
