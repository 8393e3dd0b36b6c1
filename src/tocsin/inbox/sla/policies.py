"""Which SLA targets apply to a case: the most specific enabled policy, else the defaults.

Defaults follow what customers expect on each channel: X 15 minutes; Bluesky, Mastodon and
Reddit 30; Facebook and Instagram 60; reviews, news and blogs 24 hours.  They run around the
clock unless the inbox settings name a business calendar.

Example::

    targets = targets_for(session=s, platform="x", priority=40, brand_id=None)
    targets.first_response_minutes   # -> 15
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.inbox.models import InboxSettings
from tocsin.inbox.sla.calendar import Hours
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy

#: First-response target in minutes per platform; anything else gets :data:`FALLBACK_MINUTES`.
DEFAULT_FIRST_RESPONSE = {
    "x": 15,
    "bluesky": 30,
    "mastodon": 30,
    "reddit": 30,
    "threads": 30,
    "facebook": 60,
    "instagram": 60,
    "review": 24 * 60,
    "news": 24 * 60,
    "blog": 24 * 60,
    "rss": 24 * 60,
}
FALLBACK_MINUTES = 60
#: Resolution target when a default applies: a day on social, three on slow channels.
DEFAULT_RESOLUTION = 24 * 60
SLOW_RESOLUTION = 3 * 24 * 60
DEFAULT_AT_RISK_RATIO = 0.75


@dataclass(frozen=True)
class Targets:
    """The targets one case gets, and the clock they run on."""

    policy_id: int | None
    first_response_minutes: int
    next_response_minutes: int
    resolution_minutes: int
    at_risk_ratio: float
    hours: Hours


def hours_of(calendar: BusinessCalendar | None) -> Hours:
    """The arithmetic view of a stored calendar (24/7 for None)."""
    if calendar is None:
        return Hours.always_open()
    return Hours.from_weekly(calendar.time_zone, calendar.weekly, holidays=calendar.holidays)


def inbox_settings(session: Session) -> InboxSettings:
    """The settings row, created with defaults on first use."""
    row = session.get(InboxSettings, 1)
    if row is None:
        row = InboxSettings(id=1)
        session.add(row)
        session.flush()
    return row


def default_hours(session: Session) -> Hours:
    """The business hours of the team (settings' calendar), used for out-of-hours decisions."""
    settings = inbox_settings(session)
    calendar = session.get(BusinessCalendar, settings.calendar_id) if settings.calendar_id else None
    return hours_of(calendar)


def default_targets(platform: str, *, hours: Hours | None = None) -> Targets:
    first = DEFAULT_FIRST_RESPONSE.get(platform, FALLBACK_MINUTES)
    slow = first >= 24 * 60
    return Targets(
        policy_id=None,
        first_response_minutes=first,
        next_response_minutes=first,
        resolution_minutes=SLOW_RESOLUTION if slow else DEFAULT_RESOLUTION,
        at_risk_ratio=DEFAULT_AT_RISK_RATIO,
        hours=hours or Hours.always_open(),
    )


def policy_for(
    *, session: Session, platform: str, priority: int, brand_id: int | None
) -> SlaPolicy | None:
    """The most specific enabled policy: platform, then brand, then highest priority floor."""
    rows = session.scalars(
        select(SlaPolicy).where(
            SlaPolicy.enabled.is_(True),
            (SlaPolicy.platform == platform) | SlaPolicy.platform.is_(None),
            (SlaPolicy.brand_id == brand_id) | SlaPolicy.brand_id.is_(None)
            if brand_id is not None
            else SlaPolicy.brand_id.is_(None),
            SlaPolicy.min_priority <= priority,
        )
    ).all()
    if not rows:
        return None
    return max(
        rows,
        key=lambda p: (p.platform is not None, p.brand_id is not None, p.min_priority, -p.id),
    )


def targets_for(*, session: Session, platform: str, priority: int, brand_id: int | None) -> Targets:
    policy = policy_for(session=session, platform=platform, priority=priority, brand_id=brand_id)
    if policy is None:
        return default_targets(platform, hours=default_hours(session))
    return targets_of(policy)


def targets_of(policy: SlaPolicy) -> Targets:
    return Targets(
        policy_id=policy.id,
        first_response_minutes=policy.first_response_minutes,
        next_response_minutes=policy.next_response_minutes,
        resolution_minutes=policy.resolution_minutes,
        at_risk_ratio=policy.at_risk_ratio,
        hours=hours_of(policy.calendar),
    )


def ensure_default_policies(*, session: Session) -> int:
    """Store the default policies as editable rows (once); return how many were added."""
    existing = set(session.scalars(select(SlaPolicy.name)))
    added = 0
    for platform in DEFAULT_FIRST_RESPONSE:
        name = f"default-{platform}"
        if name in existing:
            continue
        targets = default_targets(platform)
        session.add(
            SlaPolicy(
                name=name,
                platform=platform,
                first_response_minutes=targets.first_response_minutes,
                next_response_minutes=targets.next_response_minutes,
                resolution_minutes=targets.resolution_minutes,
                at_risk_ratio=targets.at_risk_ratio,
            )
        )
        added += 1
    if "default-any" not in existing:
        session.add(
            SlaPolicy(
                name="default-any",
                first_response_minutes=FALLBACK_MINUTES,
                next_response_minutes=FALLBACK_MINUTES,
                resolution_minutes=DEFAULT_RESOLUTION,
            )
        )
        added += 1
    session.flush()
    return added
