"""Streaming spike detector for one series (mentions of a brand per 5 minutes, say).

One pass in time order, using only the past, in constant memory: a seasonal baseline
(:mod:`.baseline`) says what is usual for this hour and weekday, sliding windows
(:mod:`.windows`) compare the last 2 h / 6 h / 12 h with what was expected, the mean of their
z-scores becomes an anomaly score in [0, 1], and an :class:`~.gate.AlertGate` turns it into
one alert per event.  The whole state is a JSON-able dict, so the product stores it as a row
and resumes after a restart with identical future outputs.

Example::

    detector = SpikeDetector(DetectorConfig())
    for at, value in buckets:                  # 5-minute buckets, oldest first
        out = detector.update(at, value)
    out.alert, out.score, out.explanation
    # True, 0.71, '412 mentions in 5 min, expected 85 ± 20 (4.8× usual for Tuesday 14:00);
    #              last 2 h: 3,100 vs 900 expected (z 3.1)'
    row.state = detector.to_state()
    detector = SpikeDetector.from_state(row.state)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tocsin.crisis.detectors.baseline import SeasonalBaseline, half_life_alpha
from tocsin.crisis.detectors.config import DetectorConfig, score_from_z
from tocsin.crisis.detectors.gate import AlertGate
from tocsin.crisis.detectors.windows import WindowTotals

STATE_VERSION = 1
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class DetectorOutput:
    """The detector's reading of one bucket."""

    timestamp: datetime
    value: float
    #: Anomaly score in [0, 1): 0 when at or below the usual level, 0.5 at z = 2.
    score: float
    #: The live decision: this bucket raises an alert.
    alert: bool
    #: The usual value of this bucket and its typical deviation (same unit as ``value``).
    expected: float
    spread: float
    #: Mean z-score over the windows, and each window's z-score (shortest window first).
    zscore: float
    window_zscores: tuple[float, ...]
    warming_up: bool
    explanation: str


class SpikeDetector:
    """Seasonal, multi-window, robust spike detector; see the module docstring."""

    def __init__(self, config: DetectorConfig | None = None) -> None:
        self.config = config or DetectorConfig()
        cfg = self.config
        self._zone = None if cfg.timezone == "UTC" else ZoneInfo(cfg.timezone)
        self._step = timedelta(seconds=cfg.bucket_seconds)
        self._warmup = timedelta(hours=cfg.warmup_hours)
        self._a_point = half_life_alpha(
            float(cfg.bucket_seconds), cfg.dispersion_half_life_hours * 3600.0
        )
        self._poisson = 1.0 if cfg.counts else 0.0
        self.baseline = SeasonalBaseline(cfg)
        self.windows = WindowTotals(cfg)
        self.gate = AlertGate(cfg)
        self.point_variance = cfg.initial_dispersion
        self.first_at: datetime | None = None
        self.last_at: datetime | None = None

    def update(self, timestamp: datetime, value: float) -> DetectorOutput:
        """Read the next bucket; ``timestamp`` must be later than the previous one.

        Naive timestamps are taken as UTC.  Missing buckets between two updates count as
        zero (for counts) or as usual (for other values), up to the longest window.
        """
        at = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=UTC)
        if not math.isfinite(value) or (self.config.counts and value < 0):
            raise ValueError(f"value must be a finite non-negative number, got {value!r}")
        if self.last_at is not None:
            if at <= self.last_at:
                raise ValueError(
                    f"timestamps must increase: {at.isoformat()} after {self.last_at.isoformat()}"
                )
            self._fill_gap(at)
        else:
            self.first_at = at
        self.last_at = at
        x = value * self.config.value_scale
        hour, weekday = self._slot(at)
        if self.baseline.level is None:  # the first value is its own expectation
            self.baseline.learn(hour=hour, weekday=weekday, observed_log=math.log1p(x), sigma=0.0)
        log_mu = self.baseline.expected_log(hour=hour, weekday=weekday)
        mu = max(math.expm1(log_mu), 0.0)
        zs = self.windows.push(observed=x, expected=mu)
        sigma = self._learn_point(math.log1p(x), log_mu, mu, hour, weekday)
        z = math.fsum(zs) / len(zs)
        score = score_from_z(z)
        warming = at - (self.first_at or at) < self._warmup
        alert = self.gate.decide(at=at, zscore=z, warming_up=warming)
        spread = (mu + 1.0) * math.expm1(sigma)
        scale = self.config.value_scale
        return DetectorOutput(
            timestamp=at,
            value=value,
            score=score,
            alert=alert,
            expected=mu / scale,
            spread=spread / scale,
            zscore=z,
            window_zscores=tuple(zs),
            warming_up=warming,
            explanation=self._explain(x, mu, spread, zs, hour, weekday),
        )

    def _slot(self, at: datetime) -> tuple[int, int]:
        local = at.astimezone(self._zone) if self._zone else at.astimezone(UTC)
        return local.hour, local.weekday()

    def _learn_point(self, y: float, log_mu: float, mu: float, hour: int, weekday: int) -> float:
        poisson = self._poisson / (mu + 1.0)
        sigma = math.sqrt(poisson + self.point_variance)
        if self.baseline.level is not None:
            residual = min(abs(y - log_mu), self.config.clip_sigmas * sigma)
            extra = max(residual * residual - poisson, 0.0)
            var = self.point_variance + self._a_point * (extra - self.point_variance)
            self.point_variance = max(var, self.config.min_dispersion)
        self.baseline.learn(hour=hour, weekday=weekday, observed_log=y, sigma=sigma)
        return sigma

    def _fill_gap(self, at: datetime) -> None:
        assert self.last_at is not None
        missing = int((at - self.last_at) / self._step) - 1
        missing = min(missing, len(self.windows.observed_buf))
        for i in range(missing, 0, -1):
            hour, weekday = self._slot(at - i * self._step)
            mu = max(math.expm1(self.baseline.expected_log(hour=hour, weekday=weekday)), 0.0)
            self.windows.push(observed=0.0 if self.config.counts else mu, expected=mu)

    def _explain(
        self, x: float, mu: float, spread: float, zs: list[float], hour: int, weekday: int
    ) -> str:
        cfg = self.config
        scale = cfg.value_scale
        usual = f"{_WEEKDAYS[weekday]} {hour:02d}:00"
        ratio = f"{x / mu:.1f}× usual for {usual}" if mu >= 0.5 else f"usually under 1 on {usual}"
        text = (
            f"{_num(x / scale)} {cfg.unit} in {_duration(cfg.bucket_seconds / 60)}, "
            f"expected {_num(mu / scale)} ± {_num(spread / scale)} ({ratio})"
        )
        j = max(range(len(zs)), key=zs.__getitem__)
        if zs[j] > 0:
            obs, exp = self.windows.totals(j)
            text += (
                f"; last {_duration(cfg.window_minutes[j])}: {_num(obs / scale)} "
                f"vs {_num(exp / scale)} expected (z {zs[j]:.1f})"
            )
        return text

    def to_state(self) -> dict[str, Any]:
        """Everything needed to resume, as JSON-able data of constant size."""
        return {
            "version": STATE_VERSION,
            "config": self.config.model_dump(mode="json"),
            "baseline": self.baseline.to_state(),
            "windows": self.windows.to_state(),
            "gate": self.gate.to_state(),
            "point_variance": self.point_variance,
            "first_at": self.first_at.isoformat() if self.first_at else None,
            "last_at": self.last_at.isoformat() if self.last_at else None,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SpikeDetector:
        """Rebuild a detector saved with :meth:`to_state`; raises ``ValueError`` if malformed."""
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise ValueError(f"not a version {STATE_VERSION} spike detector state")
        try:
            detector = cls(DetectorConfig.model_validate(state["config"]))
            detector.baseline.load_state(state["baseline"])
            detector.windows.load_state(state["windows"])
            detector.gate.load_state(state["gate"])
            detector.point_variance = float(state["point_variance"])
            first, last = state["first_at"], state["last_at"]
        except (KeyError, TypeError) as exc:
            raise ValueError(f"incomplete spike detector state: {exc}") from None
        detector.first_at = datetime.fromisoformat(first) if first else None
        detector.last_at = datetime.fromisoformat(last) if last else None
        return detector


def _num(v: float) -> str:
    if v >= 9.95 or v == int(v):
        return f"{round(v):,}"
    return f"{v:.1f}"


def _duration(minutes: float) -> str:
    if minutes >= 60 and minutes % 60 == 0:
        return f"{int(minutes // 60)} h"
    return f"{minutes:g} min"
