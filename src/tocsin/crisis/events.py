"""Events of the crisis radar, written to the outbox with the change that caused them.

Example::

    emit(session, SpikeDetected(alert_id=alert.id, brand_id=alert.brand_id, severity="critical"))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tocsin.events.types import Event


@dataclass(frozen=True)
class SpikeDetected(Event):
    """A new alert opened (``new``) or an open one got a stronger signal."""

    name: ClassVar[str] = "crisis.spike_detected"
    alert_id: int
    brand_id: int
    severity: str
    new: bool = True


@dataclass(frozen=True)
class AlertAcknowledged(Event):
    name: ClassVar[str] = "crisis.alert_acknowledged"
    alert_id: int
    user_id: int | None = None


@dataclass(frozen=True)
class IncidentOpened(Event):
    name: ClassVar[str] = "crisis.incident_opened"
    incident_id: int
    brand_id: int
    automatic: bool = False
