"""One detector per (brand, metric) series, with state export for persistence.

Example::

    radar = MultiSeriesDetector()
    out = radar.update(("acme", "volume"), at, 412)
    rows = radar.export_states()              # {("acme", "volume"): {...}, ...}
    radar = MultiSeriesDetector.from_states(rows)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from tocsin.crisis.detectors.config import DetectorConfig, config_for_metric
from tocsin.crisis.detectors.spike import DetectorOutput, SpikeDetector

SeriesKey = tuple[str, str]


class MultiSeriesDetector:
    """Keeps a :class:`SpikeDetector` per ``(brand, metric)`` key, created on first use.

    Each metric gets :func:`config_for_metric` of the shared ``config`` (shares are read as
    percentages, everything else as counts).
    """

    def __init__(self, config: DetectorConfig | None = None) -> None:
        self.config = config or DetectorConfig()
        self._detectors: dict[SeriesKey, SpikeDetector] = {}

    def update(self, key: SeriesKey, timestamp: datetime, value: float) -> DetectorOutput:
        """Feed the next bucket of one series."""
        return self.detector(key).update(timestamp, value)

    def detector(self, key: SeriesKey) -> SpikeDetector:
        """The series' detector, created with the metric's configuration if new."""
        found = self._detectors.get(key)
        if found is None:
            found = SpikeDetector(config_for_metric(key[1], self.config))
            self._detectors[key] = found
        return found

    def export_states(self) -> dict[SeriesKey, dict[str, Any]]:
        """One JSON-able state per series, to store as one row each."""
        return {key: det.to_state() for key, det in self._detectors.items()}

    @classmethod
    def from_states(
        cls, states: Mapping[SeriesKey, dict[str, Any]], config: DetectorConfig | None = None
    ) -> MultiSeriesDetector:
        """Resume from :meth:`export_states` (new series get ``config``)."""
        multi = cls(config)
        for key, state in states.items():
            multi._detectors[key] = SpikeDetector.from_state(state)
        return multi

    def __len__(self) -> int:
        return len(self._detectors)

    def __iter__(self) -> Iterator[SeriesKey]:
        return iter(self._detectors)
