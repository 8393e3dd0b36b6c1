"""The crisis radar's rows: series buckets, detector states, alerts and their escalation.

Everything the radar knows lives here, so a restart (or a second worker) resumes exactly where
the last pass stopped: the buckets, each detector's state after the last closed bucket, the
open alerts with their escalation step and due time.  The war room's rows are in
:mod:`tocsin.crisis.incident_models`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tocsin.brands.models import Brand
from tocsin.crisis import incident_models as _incident_models  # noqa: F401 - alerts.incident_id
from tocsin.db import Base
from tocsin.types import JSONType, UTCDateTime, utcnow


class MetricBucket(Base):
    """One metric of one brand over one 5-minute bucket (``bucket_start`` is inclusive)."""

    __tablename__ = "metric_buckets"
    __table_args__ = (UniqueConstraint("brand_id", "metric", "bucket_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(64))
    bucket_start: Mapped[datetime] = mapped_column(UTCDateTime)
    value: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DetectorState(Base):
    """A detector's state after the last closed bucket it consumed, per brand and metric."""

    __tablename__ = "detector_states"
    __table_args__ = (UniqueConstraint("brand_id", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(64))
    #: The start of the last bucket fed to the detector (None: nothing yet).
    last_bucket: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RadarProgress(Base):
    """The single row the radar locks for a pass, with its cursors over the store."""

    __tablename__ = "radar_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The highest ``post_brands.id`` whose bucket was refreshed by the periodic sweep.
    last_link_id: Mapped[int] = mapped_column(Integer, default=0)
    #: The newest ``post_enrichments.enriched_at`` the sweep has seen.
    last_enriched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The newest mention's time seen so far: buckets close by it (event time).
    watermark: Mapped[datetime | None] = mapped_column(UTCDateTime)
    passes: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RadarPolicy(Base):
    """How the radar reacts for a brand (``brand_id`` null: the default for every brand)."""

    __tablename__ = "radar_policies"
    __table_args__ = (UniqueConstraint("brand_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    #: Open an incident automatically from alerts of this severity or above ("never": by hand).
    auto_incident: Mapped[str] = mapped_column(String(16), default="critical")
    #: After an episode ends, no new alert for the brand for this long (event time).
    cooldown_minutes: Mapped[int] = mapped_column(Integer, default=60)
    #: Spikes closer than this to an open alert's last signal belong to the same episode.
    episode_gap_minutes: Mapped[int] = mapped_column(Integer, default=90)
    #: A bucket needs at least this many mentions before any metric of it may alert.
    min_volume: Mapped[int] = mapped_column(Integer, default=8)
    escalation_policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalation_policies.id", ondelete="SET NULL")
    )


class EscalationPolicy(Base):
    """Who is told, how, and who next when nobody acknowledges.

    ``steps`` is ``[{"delay_minutes": 0, "channel_ids": [1, 2], "user_ids": [3]}, …]``: step 0 is
    sent when the alert opens, step *n* ``delay_minutes`` after step *n-1* if the alert is still
    unacknowledged.
    """

    __tablename__ = "escalation_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Alert(Base):
    """A spike episode for one brand: every signal of the episode updates this one row.

    ``status`` is ``open`` → ``acknowledged`` → ``resolved``.  Window times are event times (when
    the posts were written); ``created_at`` and the escalation times are wall-clock times.
    """

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_brand_status", "brand_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    severity: Mapped[str] = mapped_column(String(16), default="warning")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    title: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    #: ``{metric: {"value", "expected", "score", "bucket_start"}}``, the strongest per metric.
    metrics: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The newest post counted when the alert first fired (the one that tipped the series).
    trigger_post_id: Mapped[int | None] = mapped_column(Integer)
    trigger_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signals: Mapped[int] = mapped_column(Integer, default=1)
    escalation_policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalation_policies.id", ondelete="SET NULL")
    )
    escalation_step: Mapped[int] = mapped_column(Integer, default=0)
    next_escalation_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str] = mapped_column(Text, default="")
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    brand: Mapped[Brand] = relationship(lazy="joined")

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "acknowledged")
