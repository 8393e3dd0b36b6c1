"""The streaming spike detector on hand-made series: bursts, daily peaks, state, memory."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tocsin.crisis.detectors import (
    DetectorConfig,
    MultiSeriesDetector,
    SpikeDetector,
    config_for_metric,
    score_from_z,
)

START = datetime(2025, 3, 3, tzinfo=UTC)  # a Monday
STEP = timedelta(minutes=5)
DAY = 288


def usual_rate(at: datetime, base: float) -> float:
    """A brand's usual mentions per 5 min: a daily rhythm peaking at 15:00, quieter weekends."""
    hour = at.hour + at.minute / 60
    daily = 1.0 + 0.7 * math.sin(2 * math.pi * (hour - 9) / 24)
    return base * daily * (0.6 if at.weekday() >= 5 else 1.0)


def poisson(rng: random.Random, lam: float) -> float:
    """Knuth's method for small rates, a rounded normal for large ones."""
    if lam > 60:
        return float(max(0, round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return float(k)
        k += 1


def series(days: int, base: float, seed: int = 7) -> Iterator[tuple[datetime, float]]:
    rng = random.Random(seed)
    for i in range(days * DAY):
        at = START + i * STEP
        yield at, poisson(rng, usual_rate(at, base))


def test_burst_raises_an_alert_within_a_few_buckets() -> None:
    detector = SpikeDetector()
    for at, value in series(days=7, base=40):
        detector.update(at, value)
    burst_at = START + 7 * DAY * STEP + timedelta(hours=14)
    at = detector.last_at
    assert at is not None
    outs = []
    rng = random.Random(1)
    while at < burst_at + timedelta(hours=1):
        at += STEP
        factor = 10.0 if at >= burst_at else 1.0
        outs.append(detector.update(at, poisson(rng, factor * usual_rate(at, 40))))
    alerts = [o for o in outs if o.alert]
    assert alerts, "a ten-fold burst must raise an alert"
    assert alerts[0].timestamp >= burst_at
    assert alerts[0].timestamp - burst_at <= 6 * STEP  # 30 min: the 2 h window fills first
    assert "mentions in 5 min, expected" in alerts[0].explanation
    assert "× usual for Monday 14:00" in alerts[0].explanation
    assert alerts[0].score >= DetectorConfig().alert_score()


@pytest.mark.parametrize("base", [0.3, 5.0, 60.0, 800.0])
def test_normal_daily_and_weekly_rhythm_never_alerts(base: float) -> None:
    detector = SpikeDetector()
    fired = [at for at, v in series(days=15, base=base) if detector.update(at, v).alert]
    assert fired == [], f"false alerts on a normal rhythm at {fired[:3]}"


def test_one_burst_gives_one_alert_not_a_storm() -> None:
    detector = SpikeDetector()
    rng = random.Random(3)
    fired = []
    for i in range(10 * DAY):
        at = START + i * STEP
        lam = usual_rate(at, 30)
        if 8 * DAY + 100 <= i < 8 * DAY + 100 + 36:  # three hours at eight times the usual
            lam *= 8
        if detector.update(at, poisson(rng, lam)).alert:
            fired.append(i)
    assert len(fired) == 1
    assert 8 * DAY + 100 <= fired[0] <= 8 * DAY + 112  # within the hour


def test_an_escalating_event_alerts_again_during_the_cooldown() -> None:
    detector = SpikeDetector(DetectorConfig(escalation_factor=2.0))
    rng = random.Random(4)
    fired = []
    rise, explosion = 8 * DAY, 8 * DAY + 48
    for i in range(explosion + 60):  # ends well inside the 12 h cool-down
        at = START + i * STEP
        lam = usual_rate(at, 30)
        if i >= rise:
            lam *= 8.0 if i < explosion else 80.0
        if detector.update(at, poisson(rng, lam)).alert:
            fired.append(i)
    assert len(fired) == 2
    assert rise <= fired[0] < explosion <= fired[1]


def test_state_round_trip_gives_identical_future_outputs() -> None:
    points = list(series(days=6, base=20, seed=11))
    for i in range(5 * DAY, 5 * DAY + 24):  # two hours at ten times the usual
        points[i] = (points[i][0], points[i][1] * 10 + 10)
    reference = SpikeDetector()
    expected = [reference.update(at, v) for at, v in points]

    first = SpikeDetector()
    for at, v in points[: 4 * DAY + 17]:
        first.update(at, v)
    saved = json.loads(json.dumps(first.to_state()))  # through a database JSON column
    resumed = SpikeDetector.from_state(saved)
    got = [resumed.update(at, v) for at, v in points[4 * DAY + 17 :]]
    assert got == expected[4 * DAY + 17 :]
    assert any(o.alert for o in got)


def test_state_has_constant_size_over_100k_points() -> None:
    detector = SpikeDetector()
    rng = random.Random(5)
    sizes = []
    for i in range(100_000):
        at = START + i * STEP
        detector.update(at, poisson(rng, usual_rate(at, 3)))
        if i in (3_000, 50_000, 99_999):
            state = detector.to_state()
            sizes.append(
                (len(state["windows"]["observed"]), len(state["baseline"]["daily"]), len(state))
            )
    assert sizes[0] == sizes[1] == sizes[2] == (144, 24, 8)


def test_bad_input_is_rejected_without_changing_state() -> None:
    detector = SpikeDetector()
    detector.update(START, 4)
    before = detector.to_state()
    with pytest.raises(ValueError, match="timestamps must increase"):
        detector.update(START, 5)
    with pytest.raises(ValueError, match="non-negative"):
        detector.update(START + STEP, -1)
    with pytest.raises(ValueError, match="non-negative"):
        detector.update(START + STEP, float("nan"))
    assert detector.to_state() == before
    with pytest.raises(ValueError, match="version"):
        SpikeDetector.from_state({"version": 99})
    with pytest.raises(ValueError, match="incomplete"):
        SpikeDetector.from_state({"version": 1, "config": {}})


def test_missing_buckets_count_as_zero_mentions() -> None:
    gapped, full = SpikeDetector(), SpikeDetector()
    points = list(series(days=3, base=10, seed=2))
    for i, (at, v) in enumerate(points):
        full.update(at, 0.0 if DAY <= i < DAY + 6 else v)
        if not DAY <= i < DAY + 6:
            gapped.update(at, v)
    assert gapped.windows.to_state()["observed"] == full.windows.to_state()["observed"]


def test_score_squash_and_threshold() -> None:
    assert score_from_z(-3.0) == 0.0
    assert score_from_z(2.0) == pytest.approx(0.5)
    assert 0.0 < score_from_z(1.0) < score_from_z(4.0) < score_from_z(8.0) < 1.0
    config = DetectorConfig()
    assert config.alert_score() == pytest.approx(score_from_z(config.alert_z))


def test_timezone_sets_the_explained_hour() -> None:
    detector = SpikeDetector(DetectorConfig(timezone="Europe/Paris"))
    out = detector.update(datetime(2025, 3, 4, 13, 0, tzinfo=UTC), 10)
    assert "Tuesday 14:00" in out.explanation


def test_multi_series_keeps_one_detector_per_key_and_resumes() -> None:
    radar = MultiSeriesDetector()
    for at, v in series(days=1, base=8):
        radar.update(("acme", "volume"), at, v)
        radar.update(("acme", "negative_share"), at, min(v / 20, 1.0))
    assert len(radar) == 2
    states = json.loads(json.dumps({"|".join(k): s for k, s in radar.export_states().items()}))
    resumed = MultiSeriesDetector.from_states(
        {tuple(k.split("|")): s for k, s in states.items()}  # type: ignore[misc]
    )
    at = START + DAY * STEP
    assert resumed.update(("acme", "volume"), at, 9) == radar.update(("acme", "volume"), at, 9)
    share = resumed.detector(("acme", "negative_share")).config
    assert share == config_for_metric("negative_share")
    assert not share.counts
    assert share.value_scale == 100.0
