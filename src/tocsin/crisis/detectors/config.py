"""The detector's fixed configuration: one set of defaults for every brand and metric.

The defaults were chosen on principle (half-lives that span the daily and weekly rhythms,
robust clipping at 3 sigma) and the alert threshold was measured on the Numenta Anomaly
Benchmark Twitter series with a leave-one-series-out check (``bench/nab.py``,
``docs/crisis-radar.md``).  Change them per deployment with a JSON or TOML file, never per
series.

Example::

    config = DetectorConfig()                       # the product defaults
    config = load_config(Path("detector.toml"))     # overrides, checked
    config = config_for_metric("negative_share")    # a share, not a count
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

#: z-score at which the anomaly score is 0.5 (the score is z²/(z² + SCORE_HALF_Z²)).
SCORE_HALF_Z = 2.0


class DetectorConfigError(ValueError):
    """A configuration file is unreadable or holds an invalid value; the message says which."""


class DetectorConfig(BaseModel):
    """Everything that shapes a :class:`~tocsin.crisis.detectors.SpikeDetector`'s decisions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Width of one bucket of the series; the detector expects one update per bucket.
    bucket_seconds: int = Field(default=300, ge=1, le=86_400)
    #: Lengths of the sliding windows whose totals are compared with their expected totals.
    window_minutes: tuple[int, ...] = (120, 360, 720)
    #: Half-life of the slowly moving level (the brand's usual volume).
    level_half_life_hours: float = Field(default=72.0, gt=0)
    #: Half-life of each hour-of-day slot, counted in days during which that hour is observed.
    daily_half_life_days: float = Field(default=8.0, gt=0)
    #: Half-life of each weekday offset, counted in weeks.
    weekly_half_life_weeks: float = Field(default=2.0, gt=0)
    #: Half-life of the learned dispersion (how noisy the series is beyond Poisson noise).
    dispersion_half_life_hours: float = Field(default=168.0, gt=0)
    #: Residuals are clipped at this many standard deviations before the model learns from
    #: them, so a burst barely moves the baseline it is measured against.
    clip_sigmas: float = Field(default=3.0, gt=0)
    initial_dispersion: float = Field(default=0.1, gt=0)
    min_dispersion: float = Field(default=0.005, gt=0)
    #: Values are counts (mentions, authors): add Poisson noise, which dominates small counts.
    counts: bool = True
    #: Values are multiplied by this before modelling (e.g. 100 to read a share as percent).
    value_scale: float = Field(default=1.0, gt=0)
    #: An alert is raised when the mean window z-score reaches this value (anomaly score
    #: 0.559).  Chosen on the NAB Twitter series, checked leaving each series out in turn.
    alert_z: float = Field(default=2.25, gt=0)
    #: After an alert the series stays quiet this long, unless it escalates.
    cooldown_hours: float = Field(default=12.0, ge=0)
    #: If set, an alert during the cool-down needs a z-score this many times the last
    #: alert's.  Off by default: the first alert of an event fires near the threshold, so
    #: every large event would "escalate" once its windows fill; the incident follows it.
    escalation_factor: float | None = Field(default=None, ge=1)
    #: No alert before the detector has seen this much of the series.
    warmup_hours: float = Field(default=48.0, ge=0)
    #: Time zone of the daily and weekly rhythm and of the explanations.
    timezone: str = "UTC"
    #: What one unit of the value is, for explanations ("412 mentions in 5 min").
    unit: str = "mentions"

    @field_validator("window_minutes")
    @classmethod
    def _windows_fit_buckets(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or len(value) > 8:
            raise ValueError("give between 1 and 8 window lengths in minutes")
        if any(w <= 0 or w > 7 * 24 * 60 for w in value):
            raise ValueError("window lengths must be between 1 minute and 7 days")
        return tuple(sorted(set(value)))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from exc
        return value

    def window_points(self) -> tuple[int, ...]:
        """Window lengths in buckets (at least one bucket each)."""
        return tuple(max(1, round(w * 60 / self.bucket_seconds)) for w in self.window_minutes)

    def alert_score(self) -> float:
        """The anomaly score at which alerts start (:attr:`alert_z` squashed)."""
        return score_from_z(self.alert_z)


def score_from_z(z: float) -> float:
    """Squash a z-score into [0, 1): 0 for z <= 0, 0.5 at z = 2, 0.8 at z = 4, 0.94 at z = 8."""
    if z <= 0.0:
        return 0.0
    zz = z * z
    return zz / (zz + SCORE_HALF_Z * SCORE_HALF_Z)


def load_config(path: Path) -> DetectorConfig:
    """Read overrides of the defaults from a ``.json`` or ``.toml`` file.

    Raises :class:`DetectorConfigError` with a one-line reason for a missing file, bad syntax,
    an unknown key or an out-of-range value.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DetectorConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data: Any = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        kind = path.suffix[1:].upper() or "JSON"
        raise DetectorConfigError(f"{path} is not valid {kind}: {exc}") from None
    if not isinstance(data, dict):
        raise DetectorConfigError(f"{path} must hold a table of settings, e.g. cooldown_hours = 6")
    try:
        return DetectorConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "config"
        raise DetectorConfigError(f"{path}: {where}: {first['msg']}") from None


def config_for_metric(metric: str, base: DetectorConfig | None = None) -> DetectorConfig:
    """The configuration for a radar metric: counts by default, shares read as percent.

    ``negative_share`` is a ratio in [0, 1]; it is modelled as percentage points without
    Poisson noise.  Every other metric (volumes, authors, reshares, narratives) is a count.
    """
    config = base or DetectorConfig()
    if metric.split(":", 1)[0].endswith("_share"):
        return config.model_copy(update={"counts": False, "value_scale": 100.0, "unit": "%"})
    return config
