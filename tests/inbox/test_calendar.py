"""Business-time arithmetic across nights, weekends, holidays and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tocsin.inbox.sla.calendar import CalendarError, Hours

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


def test_friday_evening_rolls_over_the_weekend() -> None:
    hours = Hours.from_weekly("Europe/Paris", WEEKDAYS)
    due = hours.add(paris(2026, 3, 27, 17, 50), minutes=30)  # Friday
    assert due == paris(2026, 3, 30, 9, 20)  # Monday, after the DST change of Sunday
    assert hours.minutes_between(paris(2026, 3, 27, 17, 50), due) == pytest.approx(30)


def test_night_and_holiday_are_skipped() -> None:
    hours = Hours.from_weekly("Europe/Paris", WEEKDAYS, holidays=["2026-12-25"])
    due = hours.add(paris(2026, 12, 24, 17, 0), minutes=120)  # Thursday, Friday is a holiday
    assert due == paris(2026, 12, 28, 10, 0)
    assert not hours.is_open(paris(2026, 12, 25, 11, 0))
    assert hours.next_open(paris(2026, 12, 24, 20, 0)) == paris(2026, 12, 28, 9, 0)


def test_a_day_when_clocks_go_forward_has_23_hours() -> None:
    always = {d: [["00:00", "24:00"]] for d in ("sat", "sun", "mon")}
    hours = Hours.from_weekly("Europe/Paris", always)
    start, end = paris(2026, 3, 29, 0, 0), paris(2026, 3, 30, 0, 0)
    assert hours.minutes_between(start, end) == 23 * 60
    assert hours.add(start, minutes=23 * 60) == end


def test_autumn_change_adds_an_hour_inside_business_hours() -> None:
    sunday = {"sun": [["00:00", "06:00"]]}
    hours = Hours.from_weekly("Europe/Paris", sunday)
    # 25 October 2026: 03:00 CEST becomes 02:00 CET, so 00:00-06:00 lasts 7 real hours.
    assert hours.minutes_between(paris(2026, 10, 25, 0, 0), paris(2026, 10, 26, 0, 0)) == 7 * 60


def test_always_open_is_plain_time() -> None:
    hours = Hours.always_open()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert hours.add(start, minutes=90) == datetime(2026, 1, 1, 1, 30, tzinfo=UTC)
    assert hours.is_open(start)


@pytest.mark.parametrize(
    ("zone", "weekly", "message"),
    [
        ("Mars/Olympus", WEEKDAYS, "unknown time zone"),
        ("UTC", {"monday": [["09:00", "18:00"]]}, "unknown day"),
        ("UTC", {"mon": [["18:00", "09:00"]]}, "ends before it starts"),
        ("UTC", {"mon": [["9h", "18:00"]]}, "is not a time"),
    ],
)
def test_invalid_calendars_are_refused(zone: str, weekly: dict, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        Hours.from_weekly(zone, weekly)
