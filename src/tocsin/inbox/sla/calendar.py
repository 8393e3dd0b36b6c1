"""Business-time arithmetic: add working minutes, count them, find the next opening.

Opening windows are built per local date in the calendar's time zone and converted to UTC,
so nights, weekends, holidays and daylight-saving changes are all handled by one rule: only
the real time inside a window counts.  On the night clocks go forward, a 09:00-18:00 day is
still nine real hours; on a local time that does not exist (02:30 during the spring gap) the
window starts at the first instant that does.

Example::

    cal = Hours.from_weekly("Europe/Paris", {"mon": [["09:00", "18:00"]]}, holidays=[])
    friday_evening = datetime(2026, 3, 27, 17, 50, tzinfo=UTC)
    cal.add(friday_evening, minutes=30)   # -> Monday 08:20 UTC (09:20 Paris)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tocsin.types import as_utc

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: How far ahead a calendar is searched for open time before it is declared always closed.
MAX_DAYS = 800


class CalendarError(ValueError):
    """A calendar definition is invalid; the message says what to fix."""


def _parse_time(value: str) -> tuple[time, bool]:
    """``"09:30"`` → (09:30, False); ``"24:00"`` → (00:00, True) meaning next midnight."""
    if value == "24:00":
        return time(0, 0), True
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes)), False
    except ValueError as exc:
        raise CalendarError(f"{value!r} is not a time: write HH:MM, e.g. 09:00") from exc


@dataclass(frozen=True)
class Hours:
    """A weekly timetable in a time zone, with holidays; ``always_open()`` is the 24/7 clock."""

    zone: str = "UTC"
    #: Per weekday (0 = Monday): ``((start, end, end_is_next_midnight), …)``.
    weekly: Mapping[int, tuple[tuple[time, time, bool], ...]] | None = None
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def always_open(cls) -> Hours:
        return cls()

    @classmethod
    def from_weekly(
        cls,
        zone: str,
        weekly: Mapping[str, Sequence[Sequence[str]]],
        *,
        holidays: Sequence[str] = (),
    ) -> Hours:
        """Build from stored JSON; raise :class:`CalendarError` on a bad zone, day or time."""
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CalendarError(f"unknown time zone {zone!r}: use e.g. Europe/Paris") from exc
        table: dict[int, tuple[tuple[time, time, bool], ...]] = {}
        for day, ranges in weekly.items():
            if day not in DAY_NAMES:
                raise CalendarError(f"unknown day {day!r}: use {', '.join(DAY_NAMES)}")
            parsed = []
            for pair in ranges:
                if len(pair) != 2:
                    raise CalendarError(f"{day}: each range is [start, end], got {pair!r}")
                start, _ = _parse_time(pair[0])
                end, next_midnight = _parse_time(pair[1])
                if not next_midnight and end <= start:
                    raise CalendarError(f"{day}: {pair[0]}-{pair[1]} ends before it starts")
                parsed.append((start, end, next_midnight))
            table[DAY_NAMES.index(day)] = tuple(sorted(parsed))
        try:
            days = frozenset(date.fromisoformat(h) for h in holidays)
        except ValueError as exc:
            raise CalendarError(f"holidays must be ISO dates (2026-12-25): {exc}") from exc
        return cls(zone=zone, weekly=table, holidays=days)

    @property
    def is_always_open(self) -> bool:
        return self.weekly is None

    def windows(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open windows in UTC, in order, that end after ``start`` (the first may hold it)."""
        start = as_utc(start)
        if self.weekly is None:
            yield start, datetime.max.replace(tzinfo=UTC)
            return
        tz = ZoneInfo(self.zone)
        day = start.astimezone(tz).date() - timedelta(days=1)
        for _ in range(MAX_DAYS):
            if day not in self.holidays:
                for open_at, close_at, next_midnight in self.weekly.get(day.weekday(), ()):
                    begin = datetime.combine(day, open_at, tzinfo=tz).astimezone(UTC)
                    end_day = day + timedelta(days=1) if next_midnight else day
                    end = datetime.combine(end_day, close_at, tzinfo=tz).astimezone(UTC)
                    if end > start and end > begin:
                        yield begin, end
            day += timedelta(days=1)

    def is_open(self, at: datetime) -> bool:
        at = as_utc(at)
        for begin, end in self.windows(at):
            return begin <= at < end
        return False

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself when open, else the start of the next window."""
        at = as_utc(at)
        for begin, _end in self.windows(at):
            return max(begin, at)
        raise CalendarError("this calendar has no working hours at all")

    def add(self, start: datetime, *, minutes: float) -> datetime:
        """The instant at which ``minutes`` of business time have elapsed after ``start``."""
        remaining = timedelta(minutes=minutes)
        cursor = as_utc(start)
        if self.weekly is None:
            return cursor + remaining
        for begin, end in self.windows(cursor):
            at = max(begin, cursor)
            available = end - at
            if remaining <= available:
                return at + remaining
            remaining -= available
        raise CalendarError("this calendar has no working hours at all")

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Business minutes in ``[start, end)`` (0 when ``end`` is not after ``start``)."""
        start, end = as_utc(start), as_utc(end)
        if end <= start:
            return 0.0
        if self.weekly is None:
            return (end - start).total_seconds() / 60
        total = 0.0
        for begin, close in self.windows(start):
            if begin >= end:
                break
            total += (min(close, end) - max(begin, start)).total_seconds()
        return total / 60
