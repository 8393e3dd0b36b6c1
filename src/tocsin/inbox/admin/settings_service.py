"""Changing the inbox's working settings (the one ``InboxSettings`` row) and voice profiles.

Routing, triage and automatic acknowledgements read the row through
:func:`tocsin.inbox.sla.policies.inbox_settings` on every decision, so a change committed here
applies to the next case without a restart.  Checks that need the database or the known
vocabularies raise :class:`~tocsin.errors.AdminError` pointing at the exact key
(``/auto_ack_redirect/EN``, ``/max_lengths/myspace``).  Nothing here commits.

Example::

    update_settings(session=s, changes={"routing_mode": "auto", "calendar_id": 3})
    create_voice_profile(session=s, data=VoiceProfileIn(brand_id=None, banned_words=["cheap"]))
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.errors import AdminError
from tocsin.inbox.admin.service import exists, fail, taken
from tocsin.inbox.admin.settings_schemas import VoiceProfileIn
from tocsin.inbox.models import InboxSettings
from tocsin.inbox.reply_models import VoiceProfile
from tocsin.inbox.sla.models import BusinessCalendar
from tocsin.inbox.sla.policies import inbox_settings
from tocsin.inbox.voice import PLATFORM_LIMITS
from tocsin.ingestion.schemas import PLATFORMS
from tocsin.types import utcnow

LANG = re.compile(r"^[a-z]{2,3}$")
#: Platforms a setting may name: those posts come from, and those with a reply limit.
KNOWN_PLATFORMS = tuple(dict.fromkeys([*PLATFORMS, *PLATFORM_LIMITS]))


def _keys(values: dict[str, Any], field: str, *, platforms: bool) -> list[dict[str, str]]:
    """An error for each key that is not a known platform (or not a language code)."""
    errors = []
    for key in values:
        if platforms and key not in KNOWN_PLATFORMS:
            message = f"unknown platform {key!r}: use one of {', '.join(KNOWN_PLATFORMS)}"
        elif not platforms and not LANG.match(key):
            message = f"{key!r} is not a language code: write two or three letters, e.g. fr"
        else:
            continue
        errors.append({"field": f"{field}/{key}", "message": message})
    return errors


def update_settings(*, session: Session, changes: dict[str, Any]) -> InboxSettings:
    """Apply the fields of an :class:`InboxSettingsPatch` (as sent) to the settings row."""
    for key, value in changes.items():
        if value is None and key != "calendar_id":
            raise fail(f"/{key}", "may not be null")
    errors = _keys(changes.get("auto_ack_visibility") or {}, "/auto_ack_visibility", platforms=True)
    errors += _keys(changes.get("auto_ack_redirect") or {}, "/auto_ack_redirect", platforms=False)
    if errors:
        raise AdminError.naming(errors)
    exists(session, BusinessCalendar, changes.get("calendar_id"), "/calendar_id")
    row = inbox_settings(session)
    for key, value in changes.items():
        if key == "auto_ack_redirect":
            value = {lang: text.strip() for lang, text in value.items() if text.strip()}
        setattr(row, key, value)
    row.updated_at = utcnow()
    session.flush()
    return row


# -- voice profiles ---------------------------------------------------------------------------


def _profile_checks(session: Session, values: dict[str, Any], current_id: int | None) -> None:
    errors = _keys(values.get("required") or {}, "/required", platforms=False)
    errors += _keys(values.get("max_lengths") or {}, "/max_lengths", platforms=True)
    if errors:
        raise AdminError.naming(errors)
    if "brand_id" not in values:
        return
    brand_id = values["brand_id"]
    exists(session, Brand, brand_id, "/brand_id")
    holder = session.scalar(
        select(VoiceProfile.id).where(
            VoiceProfile.brand_id == brand_id
            if brand_id is not None
            else VoiceProfile.brand_id.is_(None)
        )
    )
    if holder is not None and holder != current_id:
        owner = f"brand {brand_id}" if brand_id is not None else "every brand (global)"
        raise taken("/brand_id", f"{owner} already has a voice profile ({holder})")


def list_voice_profiles(*, session: Session) -> list[VoiceProfile]:
    """The global profile first, then one per brand by brand id."""
    rows = session.scalars(select(VoiceProfile)).all()
    return sorted(rows, key=lambda p: (p.brand_id is not None, p.brand_id or 0))


def create_voice_profile(*, session: Session, data: VoiceProfileIn) -> VoiceProfile:
    values = data.model_dump()
    _profile_checks(session, values, None)
    row = VoiceProfile(**values)
    session.add(row)
    session.flush()
    return row


def update_voice_profile(
    *, session: Session, profile: VoiceProfile, changes: dict[str, Any]
) -> VoiceProfile:
    for key, value in changes.items():
        if value is None and key != "brand_id":
            raise fail(f"/{key}", "may not be null")
    _profile_checks(session, changes, profile.id)
    for key, value in changes.items():
        setattr(profile, key, value)
    session.flush()
    return profile
