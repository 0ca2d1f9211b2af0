"""Reminder due-time logic with a fake clock, including both DST transitions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.schedule import (
    WEEKDAYS,
    Schedule,
    due_date,
    fire_at,
    first_date,
    next_fire,
    pause_end,
)

NY = "America/New_York"
BERLIN = "Europe/Berlin"


def local(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))  # type: ignore[misc, arg-type]


@pytest.mark.parametrize(
    "tz, day",
    [
        (NY, date(2026, 3, 7)),
        (NY, date(2026, 3, 8)),
        (NY, date(2026, 3, 9)),
        (NY, date(2026, 10, 31)),
        (NY, date(2026, 11, 1)),
        (NY, date(2026, 11, 2)),
        (BERLIN, date(2026, 3, 28)),
        (BERLIN, date(2026, 3, 29)),
        (BERLIN, date(2026, 3, 30)),
        (BERLIN, date(2026, 10, 24)),
        (BERLIN, date(2026, 10, 25)),
        (BERLIN, date(2026, 10, 26)),
    ],
)
def test_eight_oclock_stays_eight_oclock_local_across_dst(tz: str, day: date) -> None:
    at = fire_at(day, time(8, 0), tz)
    assert at.astimezone(ZoneInfo(tz)).timetuple()[3:5] == (8, 0)


def test_utc_instant_moves_by_an_hour_across_spring_forward() -> None:
    before = fire_at(date(2026, 3, 7), time(8, 0), NY)
    after = fire_at(date(2026, 3, 9), time(8, 0), NY)
    assert before.hour == 13 and after.hour == 12  # EST -5, then EDT -4


def test_nonexistent_local_time_fires_once_after_the_gap() -> None:
    # 02:30 does not exist on 2026-03-08 in New York (02:00 -> 03:00).
    at = fire_at(date(2026, 3, 8), time(2, 30), NY)
    assert at == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT
    sched = Schedule(time(2, 30), NY)
    assert due_date(sched, datetime(2026, 3, 8, 7, 29, tzinfo=UTC)) is None
    assert due_date(sched, datetime(2026, 3, 8, 7, 30, tzinfo=UTC)) == date(2026, 3, 8)
    # Berlin: 02:30 does not exist on 2026-03-29 (02:00 -> 03:00).
    assert fire_at(date(2026, 3, 29), time(2, 30), BERLIN) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_repeated_local_time_fires_at_the_first_occurrence_only() -> None:
    # 01:30 happens twice on 2026-11-01 in New York.
    sched = Schedule(time(1, 30), NY)
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert fire_at(date(2026, 11, 1), time(1, 30), NY) == first
    assert due_date(sched, first) == date(2026, 11, 1)
    sent = Schedule(time(1, 30), NY, last_sent_date=date(2026, 11, 1))
    assert due_date(sent, second) is None
    # Berlin: 02:30 happens twice on 2026-10-25.
    assert fire_at(date(2026, 10, 25), time(2, 30), BERLIN) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_at_most_one_per_local_day_and_catch_up_after_downtime() -> None:
    sched = Schedule(time(8, 0), "Asia/Shanghai")
    assert due_date(sched, datetime(2026, 3, 2, 23, 59, tzinfo=UTC)) is None  # 07:59 local
    assert due_date(sched, datetime(2026, 3, 3, 0, 0, tzinfo=UTC)) == date(2026, 3, 3)
    # Down from 07:00 to 15:00 local: sent once when back, the same local day.
    assert due_date(sched, datetime(2026, 3, 3, 7, 0, tzinfo=UTC)) == date(2026, 3, 3)
    done = Schedule(time(8, 0), "Asia/Shanghai", last_sent_date=date(2026, 3, 3))
    assert due_date(done, datetime(2026, 3, 3, 15, 59, tzinfo=UTC)) is None  # 23:59 local
    assert due_date(done, datetime(2026, 3, 4, 0, 0, tzinfo=UTC)) == date(2026, 3, 4)


def test_days_pause_start_and_inactive() -> None:
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    saturday = datetime(2026, 3, 7, 9, 0, tzinfo=UTC)
    weekdays = Schedule(time(8, 0), "UTC", days=WEEKDAYS)
    assert due_date(weekdays, monday) == date(2026, 3, 2)
    assert due_date(weekdays, saturday) is None
    paused = Schedule(time(8, 0), "UTC", paused_until=date(2026, 3, 4))
    assert due_date(paused, monday) is None
    assert due_date(paused, monday + timedelta(days=2)) == date(2026, 3, 4)
    assert due_date(Schedule(time(8, 0), "UTC", active=False), monday) is None
    assert due_date(Schedule(time(8, 0), "UTC", start_date=date(2026, 3, 3)), monday) is None
    with pytest.raises(ValueError):
        due_date(weekdays, datetime(2026, 3, 2, 9, 0))


def test_first_date_skips_a_time_already_past_today() -> None:
    evening = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    assert first_date(time(8, 0), "UTC", evening) == date(2026, 3, 3)
    assert first_date(time(21, 0), "UTC", evening) == date(2026, 3, 2)
    sched = Schedule(time(8, 0), "UTC", start_date=date(2026, 3, 3))
    assert next_fire(sched, evening) == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)


def test_pause_skips_exactly_n_reminder_days() -> None:
    sched = Schedule(time(8, 0), "UTC")
    before = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # today's reminder still ahead
    after = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # today's already due
    assert pause_end(sched, 3, before) == date(2026, 3, 5)
    assert pause_end(sched, 3, after) == date(2026, 3, 6)
    paused = Schedule(time(8, 0), "UTC", paused_until=pause_end(sched, 1, before))
    assert due_date(paused, datetime(2026, 3, 2, 8, 0, tzinfo=UTC)) is None
    assert due_date(paused, datetime(2026, 3, 3, 8, 0, tzinfo=UTC)) == date(2026, 3, 3)
