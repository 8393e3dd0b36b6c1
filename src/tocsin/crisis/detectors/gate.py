"""The live alert decision: one alert per event, a new one only when the event escalates.

The gate fires when the mean window z-score first reaches ``alert_z``.  NAB, like an on-call
person, counts every alert outside a real event as a false alarm and only the first alert
inside one as useful.  So after an alert the gate holds quiet for ``cooldown_hours``; with an
``escalation_factor`` it fires again inside the cool-down when the z-score reaches that
multiple of the last alert's.
Nothing fires during the warm-up, while the baseline is still being learned.

Example::

    gate = AlertGate(DetectorConfig())
    fired = gate.decide(at=now, zscore=3.1, warming_up=False)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tocsin.crisis.detectors.config import DetectorConfig


class AlertGate:
    """Threshold + cool-down + escalation, with its state kept as data."""

    __slots__ = ("_cooldown", "_escalation", "_threshold", "last_alert_at", "last_alert_z")

    def __init__(self, config: DetectorConfig) -> None:
        self._threshold = config.alert_z
        self._cooldown = timedelta(hours=config.cooldown_hours)
        self._escalation = config.escalation_factor
        self.last_alert_at: datetime | None = None
        self.last_alert_z = 0.0

    def decide(self, *, at: datetime, zscore: float, warming_up: bool) -> bool:
        """True when this bucket raises an alert (and remember it)."""
        if warming_up or zscore < self._threshold:
            return False
        if (
            self.last_alert_at is not None
            and at - self.last_alert_at < self._cooldown
            and (self._escalation is None or zscore < self._escalation * self.last_alert_z)
        ):
            return False
        self.last_alert_at = at
        self.last_alert_z = zscore
        return True

    def to_state(self) -> dict[str, Any]:
        last = self.last_alert_at.isoformat() if self.last_alert_at else None
        return {"last_alert_at": last, "last_alert_z": self.last_alert_z}

    def load_state(self, state: dict[str, Any]) -> None:
        last = state["last_alert_at"]
        self.last_alert_at = datetime.fromisoformat(last) if last else None
        self.last_alert_z = float(state["last_alert_z"])
