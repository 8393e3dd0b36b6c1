"""Managing the radar: escalation policies, radar policies per brand, and war-room changes.

Every function checks what a schema cannot (a channel or a person that exists and is active, a
name already taken, a policy still in use) and raises :class:`~tocsin.errors.AdminError` (409:
``ConflictError``, 404: ``NotFoundError``) with one JSON pointer per refused value, so the API
answers ``422`` with ``errors: [{"field": "/steps/1/channel_ids/0", …}]`` and a form shows the
first message.  Nothing is written when a check fails.

A radar policy is addressed by *scope*: a brand's slug, or ``default`` for the policy every
brand without its own falls back to.  Deleting an escalation policy that a radar policy uses is
refused (409, naming the scopes): detach it first, so no brand silently loses its escalation.

Example::

    policy = create_escalation_policy(session=s, data=EscalationPolicyIn(name="On call", steps=[
        EscalationStepIn(delay_minutes=0, channel_ids=[slack.id]),
        EscalationStepIn(delay_minutes=15, user_ids=[boss.id]),
    ]))
    put_radar_policy(session=s, brand=None, data=RadarPolicyIn(min_volume=20,
                     escalation_policy_id=policy.id))
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tocsin.accounts.models import User
from tocsin.accounts.permissions import Permission
from tocsin.brands.models import Brand
from tocsin.crisis import incidents
from tocsin.crisis.admin_schemas import (
    EscalationPolicyIn,
    EscalationPolicyPatch,
    EscalationStepIn,
    IncidentPatch,
    RadarPolicyIn,
)
from tocsin.crisis.incident_models import Incident
from tocsin.crisis.models import Alert, EscalationPolicy, RadarPolicy
from tocsin.crisis.policies import radar_policy
from tocsin.errors import AdminError, ConflictError, FieldError, NotFoundError
from tocsin.notifications.models import NotificationChannel
from tocsin.types import utcnow

DEFAULT_SCOPE = "default"


def _invalid(errors: list[FieldError]) -> AdminError:
    return AdminError(errors[0]["message"], errors=errors)


# -- scopes -------------------------------------------------------------------------------------


def scope_brand(*, session: Session, scope: str) -> Brand | None:
    """The brand a scope names (None for ``default``); 404 when no brand has that slug."""
    if scope == DEFAULT_SCOPE:
        return None
    brand = session.scalar(select(Brand).where(Brand.slug == scope))
    if brand is None:
        raise NotFoundError(f"no brand with the slug {scope!r}")
    return brand


def scope_of(brand: Brand | None) -> str:
    return DEFAULT_SCOPE if brand is None else brand.slug


def brands(*, session: Session) -> list[Brand]:
    return list(session.scalars(select(Brand).order_by(Brand.name)))


# -- escalation policies ------------------------------------------------------------------------


def escalation_policies(*, session: Session) -> list[EscalationPolicy]:
    return list(session.scalars(select(EscalationPolicy).order_by(EscalationPolicy.name)))


def active_channels(*, session: Session) -> list[NotificationChannel]:
    """The channels a step may name: enabled ones (the channels page manages them)."""
    return list(
        session.scalars(
            select(NotificationChannel)
            .where(NotificationChannel.enabled.is_(True))
            .order_by(NotificationChannel.name)
        )
    )


def active_users(*, session: Session) -> list[User]:
    return list(
        session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.name, User.id))
    )


def check_steps(*, session: Session, steps: list[EscalationStepIn]) -> list[dict[str, Any]]:
    """The steps as stored, or :class:`AdminError` pointing at every refused value.

    Delays are relative: step 0 goes out when the alert opens (delay 0), each later step
    ``delay_minutes`` (at least 1) after the previous one.
    """
    channels = {c.id for c in active_channels(session=session)}
    users = {u.id for u in active_users(session=session)}
    errors: list[FieldError] = []
    clean: list[dict[str, Any]] = []
    for index, step in enumerate(steps):
        where = f"/steps/{index}"
        if index == 0 and step.delay_minutes != 0:
            errors.append(
                {"field": f"{where}/delay_minutes", "message": "the first step goes out at once: 0"}
            )
        if index > 0 and step.delay_minutes < 1:
            errors.append(
                {
                    "field": f"{where}/delay_minutes",
                    "message": f"step {index + 1} must wait at least 1 minute after step {index}",
                }
            )
        if not step.channel_ids and not step.user_ids:
            errors.append(
                {"field": where, "message": f"step {index + 1}: name a channel or a person"}
            )
        for position, channel_id in enumerate(step.channel_ids):
            if channel_id not in channels:
                errors.append(
                    {
                        "field": f"{where}/channel_ids/{position}",
                        "message": f"channel {channel_id} does not exist or is disabled",
                    }
                )
        for position, user_id in enumerate(step.user_ids):
            if user_id not in users:
                errors.append(
                    {
                        "field": f"{where}/user_ids/{position}",
                        "message": f"user {user_id} does not exist or is deactivated",
                    }
                )
        clean.append(
            {
                "delay_minutes": step.delay_minutes,
                "channel_ids": list(dict.fromkeys(step.channel_ids)),
                "user_ids": list(dict.fromkeys(step.user_ids)),
            }
        )
    if errors:
        raise _invalid(errors)
    return clean


def _check_name(session: Session, name: str, own_id: int | None) -> None:
    taken = session.scalar(
        select(EscalationPolicy.id).where(
            func.lower(EscalationPolicy.name) == name.lower(), EscalationPolicy.id != (own_id or 0)
        )
    )
    if taken is not None:
        raise ConflictError(
            f"an escalation policy is already named {name!r}",
            errors=[{"field": "/name", "message": "this name is taken"}],
        )


def create_escalation_policy(*, session: Session, data: EscalationPolicyIn) -> EscalationPolicy:
    steps = check_steps(session=session, steps=data.steps)
    _check_name(session, data.name, None)
    policy = EscalationPolicy(name=data.name, steps=steps, created_at=utcnow())
    session.add(policy)
    session.flush()
    return policy


def update_escalation_policy(
    *, session: Session, policy: EscalationPolicy, data: EscalationPolicyPatch
) -> EscalationPolicy:
    """Rename and/or replace the steps; alerts already escalating continue with the new steps."""
    steps = check_steps(session=session, steps=data.steps) if data.steps is not None else None
    if data.name is not None:
        _check_name(session, data.name, policy.id)
        policy.name = data.name
    if steps is not None:
        policy.steps = steps
    session.flush()
    return policy


def policy_users(*, session: Session, policy_id: int) -> list[str]:
    """The scopes (``default`` or brand slugs) whose radar policy uses ``policy_id``."""
    rows = session.execute(
        select(RadarPolicy.brand_id, Brand.slug)
        .outerjoin(Brand, Brand.id == RadarPolicy.brand_id)
        .where(RadarPolicy.escalation_policy_id == policy_id)
    )
    return sorted(DEFAULT_SCOPE if brand_id is None else str(slug) for brand_id, slug in rows)


def delete_escalation_policy(*, session: Session, policy: EscalationPolicy) -> None:
    """Delete an unused policy (409 while a radar policy names it); open alerts fall back to
    notifying every enabled channel."""
    if used := policy_users(session=session, policy_id=policy.id):
        raise ConflictError(
            f"{policy.name!r} is used by the radar policy of {', '.join(used)}: "
            "choose another escalation policy there first"
        )
    session.execute(
        update(Alert)
        .where(Alert.escalation_policy_id == policy.id)
        .values(escalation_policy_id=None)
    )
    session.delete(policy)
    session.flush()


# -- radar policies -----------------------------------------------------------------------------


def stored_radar_policy(*, session: Session, brand: Brand | None) -> RadarPolicy | None:
    where = RadarPolicy.brand_id.is_(None) if brand is None else RadarPolicy.brand_id == brand.id
    return session.scalar(select(RadarPolicy).where(where))


def radar_policy_view(*, session: Session, brand: Brand | None) -> dict[str, Any]:
    """The values in force for a scope and where they come from: ``brand``, ``default`` or
    ``builtin`` (nothing stored)."""
    own = stored_radar_policy(session=session, brand=brand)
    if own is not None:
        effective, source = own, ("default" if brand is None else "brand")
    elif brand is not None:
        effective = radar_policy(session=session, brand_id=brand.id)
        source = "builtin" if effective.id is None else "default"
    else:
        effective, source = radar_policy(session=session, brand_id=-1), "builtin"
    return {
        "scope": scope_of(brand),
        "brand": None if brand is None else brand.name,
        "source": source,
        "auto_incident": effective.auto_incident,
        "cooldown_minutes": effective.cooldown_minutes,
        "episode_gap_minutes": effective.episode_gap_minutes,
        "min_volume": effective.min_volume,
        "escalation_policy_id": effective.escalation_policy_id,
    }


def put_radar_policy(*, session: Session, brand: Brand | None, data: RadarPolicyIn) -> RadarPolicy:
    """Store every value of a scope's policy; the next radar pass uses it."""
    if (
        data.escalation_policy_id is not None
        and session.get(EscalationPolicy, data.escalation_policy_id) is None
    ):
        raise _invalid(
            [
                {
                    "field": "/escalation_policy_id",
                    "message": f"escalation policy {data.escalation_policy_id} does not exist",
                }
            ]
        )
    row = stored_radar_policy(session=session, brand=brand)
    if row is None:
        row = RadarPolicy(brand_id=None if brand is None else brand.id)
        session.add(row)
    for name, value in data.model_dump().items():
        setattr(row, name, value)
    session.flush()
    return row


def delete_radar_policy(*, session: Session, brand: Brand | None) -> None:
    """Forget a scope's own values: a brand falls back to the default, the default to built-ins."""
    row = stored_radar_policy(session=session, brand=brand)
    if row is None:
        raise NotFoundError(f"{scope_of(brand)} has no radar policy of its own")
    session.delete(row)
    session.flush()


# -- the war room -------------------------------------------------------------------------------


def owner_candidates(*, session: Session) -> list[User]:
    """Active people allowed to run an incident (``incidents:manage``)."""
    return [u for u in active_users(session=session) if u.can(Permission.INCIDENTS_MANAGE)]


def update_incident(
    *, session: Session, incident: Incident, data: IncidentPatch, actor_id: int
) -> dict[str, Any]:
    """Apply the fields sent; return ``{field: [before, after]}`` for the audit log."""
    sent = data.model_dump(exclude_unset=True)
    owner_id = sent.get("owner_id")
    if owner_id is not None and owner_id not in {u.id for u in owner_candidates(session=session)}:
        raise _invalid(
            [
                {
                    "field": "/owner_id",
                    "message": f"user {sent['owner_id']} is not an active incident manager",
                }
            ]
        )
    changes: dict[str, Any] = {}
    for field in ("title", "severity", "owner_id", "status"):
        if field in sent and sent[field] != getattr(incident, field):
            changes[field] = [getattr(incident, field), sent[field]]
    if "title" in changes:
        incidents.set_title(
            session=session, incident=incident, title=sent["title"], actor_id=actor_id
        )
    if "severity" in changes:
        incidents.set_severity(
            session=session, incident=incident, severity=sent["severity"], actor_id=actor_id
        )
    if "owner_id" in changes:
        incidents.set_owner(
            session=session, incident=incident, owner_id=sent["owner_id"], actor_id=actor_id
        )
    if "status" in changes:
        incidents.set_status(
            session=session,
            incident=incident,
            status=sent["status"],
            actor_id=actor_id,
            now=utcnow(),
        )
    return changes
