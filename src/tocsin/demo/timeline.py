"""Daily and weekly rhythms, Poisson arrivals and care-team reply delays.

People post little at night, most in the evening, and less at the weekend; the care team
works 08:00-22:00 local time.  :func:`activity` is normalised so that its mean over a week is
1: a rate of 15 posts/hour times ``activity(t)`` gives about 15 × 168 posts in a week.

Example::

    times = arrivals(rng, start=monday, hours=24, rate=lambda t: 15 * activity(t, tz))
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

#: Relative activity per local hour (0-23): quiet nights, lunch bump, evening peak.
HOURLY = (
    0.35, 0.2, 0.12, 0.08, 0.08, 0.12, 0.3, 0.6, 0.95, 1.1, 1.1, 1.05,
    1.15, 1.1, 1.0, 0.95, 1.0, 1.15, 1.35, 1.55, 1.7, 1.6, 1.2, 0.7,
)  # fmt: skip
#: Relative activity per weekday (Monday first): a calmer weekend.
WEEKDAY = (1.08, 1.08, 1.04, 1.04, 1.0, 0.9, 0.86)
_NORM = 1 / ((sum(HOURLY) / 24) * (sum(WEEKDAY) / 7))

TEAM_OPENS = 8
TEAM_CLOSES = 22


def activity(moment: datetime, tz: ZoneInfo) -> float:
    """How busy ``moment`` is compared with the average hour of the week."""
    local = moment.astimezone(tz)
    hour = HOURLY[local.hour] + (HOURLY[(local.hour + 1) % 24] - HOURLY[local.hour]) * (
        local.minute / 60
    )
    return hour * WEEKDAY[local.weekday()] * _NORM


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth's method for small means, a rounded normal for large ones)."""
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def arrivals(
    rng: random.Random,
    *,
    start: datetime,
    hours: float,
    rate: Callable[[datetime], float],
    step_minutes: int = 10,
) -> list[datetime]:
    """Arrival times of an inhomogeneous Poisson process of ``rate`` posts/hour, sorted."""
    times: list[datetime] = []
    step = timedelta(minutes=step_minutes)
    steps = int(hours * 60 // step_minutes)
    for n in range(steps):
        begin = start + n * step
        count = poisson(rng, rate(begin + step / 2) * step_minutes / 60)
        times.extend(
            begin + timedelta(seconds=rng.uniform(0, step.total_seconds())) for _ in range(count)
        )
    times.sort()
    return times


def care_reply_time(
    rng: random.Random, *, after: datetime, tz: ZoneInfo, median_minutes: float
) -> datetime:
    """When the care team answers a post made at ``after`` (next morning if made at night)."""
    local = after.astimezone(tz)
    base = after
    if local.hour >= TEAM_CLOSES or local.hour < TEAM_OPENS:
        day = local if local.hour < TEAM_OPENS else local + timedelta(days=1)
        opening = day.replace(hour=TEAM_OPENS, minute=0, second=0, microsecond=0)
        base = opening.astimezone(after.tzinfo)
    delay = median_minutes * rng.lognormvariate(0, 0.8)
    return base + timedelta(minutes=max(1.5, delay))


def lognormal_delay(rng: random.Random, median_minutes: float, sigma: float = 0.9) -> timedelta:
    """A delay whose median is ``median_minutes`` with a long tail (people answer when they can)."""
    return timedelta(minutes=max(0.5, median_minutes * rng.lognormvariate(0, sigma)))
