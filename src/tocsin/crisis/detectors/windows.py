"""Observed against expected totals over several sliding windows, as z-scores.

A burst of mentions shows over minutes, a crisis that builds up over hours: the detector
compares the total of the last 2 h, 6 h and 12 h (by default) with the total the baseline
expected for those buckets.  For each window the statistic is the log ratio
``log1p(observed) - log1p(expected)`` divided by its standard deviation, which has two parts:

* Poisson noise of a count, about ``1 / (expected + 1)`` on the log scale, which dominates
  small brands (two mentions instead of none is not a crisis);
* the series' own extra dispersion, learned as a clipped exponentially weighted mean square.

Memory is two ring buffers of the longest window's length, whatever the series' length.

Example::

    windows = WindowTotals(DetectorConfig())
    zs = windows.push(observed=412.0, expected=85.0)   # one z per window
"""

from __future__ import annotations

import math
from typing import Any

from tocsin.crisis.detectors.baseline import half_life_alpha
from tocsin.crisis.detectors.config import DetectorConfig


class WindowTotals:
    """Sliding totals of observed and expected values, with a learned dispersion per window."""

    __slots__ = (
        "_a_disp",
        "_clip",
        "_floor",
        "_poisson",
        "expected_buf",
        "expected_sums",
        "n",
        "observed_buf",
        "observed_sums",
        "pos",
        "sizes",
        "variances",
    )

    def __init__(self, config: DetectorConfig) -> None:
        self.sizes = config.window_points()
        size = max(self.sizes)
        self._a_disp = half_life_alpha(
            float(config.bucket_seconds), config.dispersion_half_life_hours * 3600.0
        )
        self._clip = config.clip_sigmas
        self._floor = config.min_dispersion
        self._poisson = 1.0 if config.counts else 0.0
        self.observed_buf = [0.0] * size
        self.expected_buf = [0.0] * size
        self.pos = 0
        self.n = 0
        self.observed_sums = [0.0] * len(self.sizes)
        self.expected_sums = [0.0] * len(self.sizes)
        self.variances = [config.initial_dispersion] * len(self.sizes)

    def push(self, *, observed: float, expected: float) -> list[float]:
        """Add one bucket, return the z-score of each window and learn the dispersions."""
        size = len(self.observed_buf)
        for j, k in enumerate(self.sizes):
            if self.n >= k:
                old = (self.pos - k) % size
                self.observed_sums[j] -= self.observed_buf[old]
                self.expected_sums[j] -= self.expected_buf[old]
            self.observed_sums[j] += observed
            self.expected_sums[j] += expected
        self.observed_buf[self.pos] = observed
        self.expected_buf[self.pos] = expected
        self.pos = (self.pos + 1) % size
        self.n = min(self.n + 1, size)  # only "is the window full yet" matters
        if self.pos == 0:
            self._resum()
        zs: list[float] = []
        for j in range(len(self.sizes)):
            obs = max(self.observed_sums[j], 0.0)
            exp = max(self.expected_sums[j], 0.0)
            residual = math.log1p(obs) - math.log1p(exp)
            poisson = self._poisson / (exp + 1.0)
            sigma = math.sqrt(poisson + self.variances[j])
            zs.append(residual / sigma)
            clipped = min(abs(residual), self._clip * sigma)
            extra = max(clipped * clipped - poisson, 0.0)
            var = self.variances[j] + self._a_disp * (extra - self.variances[j])
            self.variances[j] = max(var, self._floor)
        return zs

    def totals(self, index: int) -> tuple[float, float]:
        """(observed, expected) totals of window ``index`` as last pushed."""
        return max(self.observed_sums[index], 0.0), max(self.expected_sums[index], 0.0)

    def _resum(self) -> None:
        """Recompute the sums exactly once per lap, so rounding errors never accumulate."""
        size = len(self.observed_buf)
        for j, k in enumerate(self.sizes):
            idx = [(self.pos - 1 - i) % size for i in range(min(k, self.n))]
            self.observed_sums[j] = math.fsum(self.observed_buf[i] for i in idx)
            self.expected_sums[j] = math.fsum(self.expected_buf[i] for i in idx)

    def to_state(self) -> dict[str, Any]:
        return {
            "observed": list(self.observed_buf),
            "expected": list(self.expected_buf),
            "pos": self.pos,
            "n": self.n,
            "observed_sums": list(self.observed_sums),
            "expected_sums": list(self.expected_sums),
            "variances": list(self.variances),
        }

    def load_state(self, state: dict[str, Any]) -> None:
        size = len(self.observed_buf)
        observed = [float(v) for v in state["observed"]]
        expected = [float(v) for v in state["expected"]]
        if len(observed) != size or len(expected) != size:
            raise ValueError(f"window state must hold {size} buckets for this configuration")
        sums = [float(v) for v in state["observed_sums"]]
        exp_sums = [float(v) for v in state["expected_sums"]]
        variances = [float(v) for v in state["variances"]]
        if not len(sums) == len(exp_sums) == len(variances) == len(self.sizes):
            raise ValueError("window state does not match the configured windows")
        self.observed_buf, self.expected_buf = observed, expected
        self.pos, self.n = int(state["pos"]) % size, min(int(state["n"]), size)
        self.observed_sums, self.expected_sums, self.variances = sums, exp_sums, variances
