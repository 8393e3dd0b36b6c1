"""Streaming spike detectors for the crisis radar (mention volume, negativity, authors…).

Example::

    from tocsin.crisis.detectors import DetectorConfig, SpikeDetector

    detector = SpikeDetector(DetectorConfig())
    for at, value in buckets:
        out = detector.update(at, value)
        if out.alert:
            print(out.explanation)
"""

from tocsin.crisis.detectors.config import (
    DetectorConfig,
    DetectorConfigError,
    config_for_metric,
    load_config,
    score_from_z,
)
from tocsin.crisis.detectors.gate import AlertGate
from tocsin.crisis.detectors.multi import MultiSeriesDetector, SeriesKey
from tocsin.crisis.detectors.series_csv import SeriesInputError, detect_csv
from tocsin.crisis.detectors.spike import DetectorOutput, SpikeDetector

__all__ = [
    "AlertGate",
    "DetectorConfig",
    "DetectorConfigError",
    "DetectorOutput",
    "MultiSeriesDetector",
    "SeriesInputError",
    "SeriesKey",
    "SpikeDetector",
    "config_for_metric",
    "detect_csv",
    "load_config",
    "score_from_z",
]
