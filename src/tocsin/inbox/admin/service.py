"""Managing the inbox's configuration: calendars, SLA policies, canned replies, templates.

Every function checks what a schema cannot (a name already taken, a referenced row that does
not exist, a rule tree the engine would refuse) and raises :class:`~tocsin.errors.AdminError`
(:class:`~tocsin.errors.ConflictError` for a name taken) with a JSON Pointer to the bad field,
so the API answers a 422 (or 409) naming it and never stores a half-valid row.  Nothing here
commits: the caller audits and commits.

Example::

    calendar = create_calendar(session=s, data=CalendarIn(name="Paris", time_zone="Europe/Paris"))
    update_policy(session=s, policy=p, changes={"calendar_id": calendar.id})
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.errors import AdminError, ConflictError
from tocsin.inbox.admin.schemas import CalendarIn, CannedIn, PolicyIn
from tocsin.inbox.canned import VARIABLES, CannedError, create_canned
from tocsin.inbox.models import InboxSettings
from tocsin.inbox.reply_models import AckTemplate, CannedReply
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy

ACK_KINDS = ("eta", "redirect")
ACK_VARIABLES = ("eta", "redirect", "case_id")
_VARIABLE = re.compile(r"\{([a-z_]+)\}")


def fail(field: str, message: str) -> AdminError:
    """The refusal of one value: ``/name: may not be null`` (422)."""
    return AdminError.naming([{"field": field, "message": message}])


def taken(field: str, message: str) -> ConflictError:
    """The refusal of a value the current state forbids: ``/name: 'Paris' is already taken``."""
    return ConflictError.naming([{"field": field, "message": message}])


def unique(session: Session, column: Any, value: str, current_id: int | None, field: str) -> None:
    found = session.scalar(select(column.class_.id).where(column == value))
    if found is not None and found != current_id:
        raise taken(field, f"{value!r} is already taken")


def exists(session: Session, model: type[Any], row_id: int | None, field: str) -> None:
    if row_id is not None and session.get(model, row_id) is None:
        raise fail(field, f"no such {model.__tablename__.rstrip('s')}: {row_id}")


# -- calendars --------------------------------------------------------------------------------


def create_calendar(*, session: Session, data: CalendarIn) -> BusinessCalendar:
    unique(session, BusinessCalendar.name, data.name, None, "/name")
    row = BusinessCalendar(
        name=data.name,
        time_zone=data.time_zone,
        weekly=data.weekly,
        holidays=[d.isoformat() for d in data.holidays],
    )
    session.add(row)
    session.flush()
    return row


def update_calendar(
    *, session: Session, calendar: BusinessCalendar, changes: dict[str, Any]
) -> BusinessCalendar:
    if changes.get("name") is not None:
        unique(session, BusinessCalendar.name, changes["name"], calendar.id, "/name")
    for key, value in changes.items():
        if value is None:
            raise fail(f"/{key}", "may not be null")
        if key == "holidays":
            value = [d.isoformat() for d in value]
        setattr(calendar, key, value)
    session.flush()
    return calendar


def delete_calendar(*, session: Session, calendar: BusinessCalendar) -> None:
    """Policies and the inbox settings that used it fall back to around-the-clock time."""
    for policy in session.scalars(select(SlaPolicy).where(SlaPolicy.calendar_id == calendar.id)):
        policy.calendar_id = None
    settings = session.get(InboxSettings, 1)
    if settings is not None and settings.calendar_id == calendar.id:
        settings.calendar_id = None
    session.delete(calendar)
    session.flush()


# -- SLA policies -----------------------------------------------------------------------------


def _policy_refs(session: Session, values: dict[str, Any]) -> None:
    exists(session, Brand, values.get("brand_id"), "/brand_id")
    exists(session, BusinessCalendar, values.get("calendar_id"), "/calendar_id")


def create_policy(*, session: Session, data: PolicyIn) -> SlaPolicy:
    unique(session, SlaPolicy.name, data.name, None, "/name")
    values = data.model_dump()
    _policy_refs(session, values)
    row = SlaPolicy(**values)
    session.add(row)
    session.flush()
    return row


def update_policy(*, session: Session, policy: SlaPolicy, changes: dict[str, Any]) -> SlaPolicy:
    nullable = {"platform", "brand_id", "calendar_id"}
    for key, value in changes.items():
        if value is None and key not in nullable:
            raise fail(f"/{key}", "may not be null")
    if changes.get("name") is not None:
        unique(session, SlaPolicy.name, changes["name"], policy.id, "/name")
    _policy_refs(session, changes)
    for key, value in changes.items():
        setattr(policy, key, value)
    session.flush()
    session.refresh(policy)
    return policy


# -- canned replies ---------------------------------------------------------------------------


def _cannedunique(session: Session, name: str, lang: str, current_id: int | None) -> None:
    found = session.scalar(
        select(CannedReply.id).where(CannedReply.name == name, CannedReply.lang == lang)
    )
    if found is not None and found != current_id:
        raise taken("/name", f"{name!r} already exists in {lang}")


def add_canned(*, session: Session, data: CannedIn) -> CannedReply:
    _cannedunique(session, data.name, data.lang, None)
    exists(session, Brand, data.brand_id, "/brand_id")
    try:
        return create_canned(
            session=session, name=data.name, lang=data.lang, text=data.text, brand_id=data.brand_id
        )
    except CannedError as exc:
        raise fail("/text", str(exc)) from exc


def update_canned(*, session: Session, canned: CannedReply, changes: dict[str, Any]) -> CannedReply:
    for key in ("name", "lang", "text"):
        if key in changes and changes[key] is None:
            raise fail(f"/{key}", "may not be null")
    merged = {"name": canned.name, "lang": canned.lang, "text": canned.text} | changes
    _cannedunique(session, merged["name"], merged["lang"], canned.id)
    exists(session, Brand, changes.get("brand_id"), "/brand_id")
    unknown = unknown_variables(merged["text"])
    if unknown:
        raise fail("/text", f"unknown variable(s) {', '.join(unknown)}: use {', '.join(VARIABLES)}")
    for key, value in changes.items():
        setattr(canned, key, value)
    session.flush()
    return canned


def unknown_variables(text: str) -> list[str]:
    return sorted(set(_VARIABLE.findall(text)) - set(VARIABLES))


# -- acknowledgement templates ----------------------------------------------------------------


def save_ack_template(*, session: Session, lang: str, kind: str, text: str) -> AckTemplate:
    """Create or replace the stored template for ``lang``/``kind``."""
    if kind not in ACK_KINDS:
        raise fail("/kind", f"use one of {', '.join(ACK_KINDS)}")
    unknown = sorted(set(_VARIABLE.findall(text)) - set(ACK_VARIABLES))
    if unknown:
        raise fail(
            "/text", f"unknown variable(s) {', '.join(unknown)}: use {', '.join(ACK_VARIABLES)}"
        )
    row = session.scalar(
        select(AckTemplate).where(AckTemplate.lang == lang, AckTemplate.kind == kind)
    )
    if row is None:
        row = AckTemplate(lang=lang, kind=kind, text=text)
        session.add(row)
    else:
        row.text = text
    session.flush()
    return row
