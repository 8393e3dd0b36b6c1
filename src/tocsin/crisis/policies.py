"""Looking up how the radar should react for a brand: its policy, else the default one.

Example::

    policy = radar_policy(session=s, brand_id=3)
    policy.cooldown_minutes        # 60 unless configured
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.crisis.models import RadarPolicy

SEVERITIES = ("info", "warning", "critical")


def radar_policy(*, session: Session, brand_id: int) -> RadarPolicy:
    """The brand's policy, else the stored default (``brand_id`` null), else built-in values.

    The built-in fallback is a transient object, never added to the session.
    """
    rows = list(
        session.scalars(
            select(RadarPolicy).where(
                (RadarPolicy.brand_id == brand_id) | RadarPolicy.brand_id.is_(None)
            )
        )
    )
    for row in rows:
        if row.brand_id == brand_id:
            return row
    if rows:
        return rows[0]
    return RadarPolicy(
        brand_id=None,
        auto_incident="critical",
        cooldown_minutes=60,
        episode_gap_minutes=90,
        min_volume=8,
    )


def radar_policies(*, session: Session, brand_ids: Sequence[int]) -> dict[int, RadarPolicy]:
    """:func:`radar_policy` for many brands in one query."""
    rows = list(
        session.scalars(
            select(RadarPolicy).where(
                RadarPolicy.brand_id.in_(list(brand_ids)) | RadarPolicy.brand_id.is_(None)
            )
        )
    )
    own = {row.brand_id: row for row in rows if row.brand_id is not None}
    default = next((row for row in rows if row.brand_id is None), None) or radar_policy(
        session=session, brand_id=-1
    )
    return {brand_id: own.get(brand_id, default) for brand_id in brand_ids}


def severity_rank(severity: str) -> int:
    """0 for info, 1 warning, 2 critical; 3 for "never" (nothing reaches it)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def set_radar_policy(
    *,
    session: Session,
    brand_id: int | None,
    auto_incident: str | None = None,
    cooldown_minutes: int | None = None,
    episode_gap_minutes: int | None = None,
    min_volume: int | None = None,
    escalation_policy_id: int | None = None,
) -> RadarPolicy:
    """Create or change the policy of a brand (or the default one with ``brand_id=None``)."""
    if auto_incident is not None and auto_incident not in (*SEVERITIES, "never"):
        raise ValueError("auto_incident must be info, warning, critical or never")
    row = session.scalar(
        select(RadarPolicy).where(
            RadarPolicy.brand_id.is_(None) if brand_id is None else RadarPolicy.brand_id == brand_id
        )
    )
    if row is None:
        row = RadarPolicy(brand_id=brand_id)
        session.add(row)
    for name, value in (
        ("auto_incident", auto_incident),
        ("cooldown_minutes", cooldown_minutes),
        ("episode_gap_minutes", episode_gap_minutes),
        ("min_volume", min_volume),
        ("escalation_policy_id", escalation_policy_id),
    ):
        if value is not None:
            setattr(row, name, value)
    session.flush()
    return row
