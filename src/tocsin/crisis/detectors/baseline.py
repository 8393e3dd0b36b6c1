"""What a series usually does at this hour of this weekday, learned online in bounded memory.

The expected value is modelled on the log scale as ``level + daily[hour] + weekly[weekday]``
(31 numbers and a level): multiplicative rhythms, such as "twice the volume at 18:00 as at
03:00" or "a third less on Sunday", become additions.  Each part is an exponentially
weighted average with its own half-life, and learns from a residual clipped at
``clip_sigmas`` standard deviations, so a burst barely moves the baseline it is judged
against.

Example::

    baseline = SeasonalBaseline(DetectorConfig())
    log_mu = baseline.expected_log(hour=14, weekday=1)
    baseline.learn(hour=14, weekday=1, observed_log=math.log1p(412), sigma=0.4)
"""

from __future__ import annotations

import math
from typing import Any

from tocsin.crisis.detectors.config import DetectorConfig


def half_life_alpha(step_seconds: float, half_life_seconds: float) -> float:
    """Weight of one new observation in an average that halves every ``half_life_seconds``."""
    return 1.0 - math.pow(2.0, -step_seconds / half_life_seconds)


class SeasonalBaseline:
    """Level + hour-of-day profile + weekday offsets, on ``log1p`` of the value."""

    __slots__ = ("_a_daily", "_a_level", "_a_weekly", "_clip", "daily", "level", "weekly")

    def __init__(self, config: DetectorConfig) -> None:
        step = float(config.bucket_seconds)
        self._a_level = half_life_alpha(step, config.level_half_life_hours * 3600.0)
        # A slot is observed one hour a day (weekday offsets: one day a week), so its
        # half-life in observed time is one hour (one day) per day (week) of memory.
        self._a_daily = half_life_alpha(step, config.daily_half_life_days * 3600.0)
        self._a_weekly = half_life_alpha(step, config.weekly_half_life_weeks * 86400.0)
        self._clip = config.clip_sigmas
        self.level: float | None = None
        self.daily = [0.0] * 24
        self.weekly = [0.0] * 7

    def expected_log(self, *, hour: int, weekday: int) -> float:
        """Expected ``log1p(value)``; 0 before the first observation."""
        if self.level is None:
            return 0.0
        return self.level + self.daily[hour] + self.weekly[weekday]

    def learn(self, *, hour: int, weekday: int, observed_log: float, sigma: float) -> None:
        """Move every part towards the observation, by a residual clipped at ``clip`` sigma."""
        if self.level is None:
            self.level = observed_log
            return
        residual = observed_log - self.expected_log(hour=hour, weekday=weekday)
        bound = self._clip * sigma
        residual = max(-bound, min(bound, residual))
        self.level += self._a_level * residual
        self.daily[hour] += self._a_daily * residual
        self.weekly[weekday] += self._a_weekly * residual

    def to_state(self) -> dict[str, Any]:
        return {"level": self.level, "daily": list(self.daily), "weekly": list(self.weekly)}

    def load_state(self, state: dict[str, Any]) -> None:
        level = state["level"]
        daily = [float(v) for v in state["daily"]]
        weekly = [float(v) for v in state["weekly"]]
        if len(daily) != 24 or len(weekly) != 7:
            raise ValueError("baseline state must hold 24 hourly and 7 weekday values")
        self.level = None if level is None else float(level)
        self.daily = daily
        self.weekly = weekly
