"""Reminder due-time logic: pure functions of ``now`` (no clock reads, no I/O).

A subscription stores a *local* wall-clock time and an IANA zone, never a UTC instant, so a
08:00 reminder stays at 08:00 local across daylight-saving changes. Each local day's instant is
computed from the zone's rules at that date (PEP 495 semantics through ``zoneinfo``):

* a local time that does not exist (02:30 on a spring-forward day) fires at the same offset as
  just before the gap, i.e. one hour later on the wall clock (03:30);
* a local time that occurs twice (01:30 on a fall-back day) fires at its first occurrence.

At most one reminder per local day: a reminder is due when the local date is not the date of
the last send, the day is a reminder day, the subscription is active and not paused, and the
local time has passed. A reminder missed while the bot was down is therefore sent once, later
the same local day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))


class ScheduleError(ValueError):
    """A time, zone or day set that cannot be used. ``suggestions`` holds close zone names.

    User input that cannot be read raises the subclass :class:`bot.core.parse.ParseError`.
    """

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


@dataclass(frozen=True)
class Schedule:
    """The schedule part of a subscription.

    Attributes:
        local_time: wall-clock time in ``timezone`` (naive ``datetime.time``, minutes).
        timezone: an IANA zone name.
        days: local weekdays to remind on, Monday = 0.
        active: False after /unsubscribe or when Telegram says the chat is gone.
        start_date: first local date a reminder may be sent (None = no limit).
        last_sent_date: local date of the last reminder claimed for sending.
        paused_until: no reminders before this local date (exclusive end of a pause).
    """

    local_time: time
    timezone: str
    days: frozenset[int] = field(default=EVERY_DAY)
    active: bool = True
    start_date: date | None = None
    last_sent_date: date | None = None
    paused_until: date | None = None


def zone(name: str) -> ZoneInfo:
    """Return the ``ZoneInfo`` for an IANA name. Raises :class:`ScheduleError` if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"unknown time zone {name!r}") from None


def local_date(now: datetime, tz: str) -> date:
    """Return the local calendar date in zone ``tz`` at the aware instant ``now``."""
    return now.astimezone(zone(tz)).date()


def fire_at(day: date, local_time: time, tz: str) -> datetime:
    """Return the aware UTC instant at which ``local_time`` falls on local date ``day``.

    Non-existent local times (DST gap) resolve with the pre-transition offset (one hour later
    on the wall clock); repeated local times (DST overlap) resolve to the first occurrence.
    """
    local = datetime.combine(day, local_time, tzinfo=zone(tz)).replace(fold=0)
    return local.astimezone(UTC)


def due_date(schedule: Schedule, now: datetime) -> date | None:
    """Return the local date a reminder is due for at ``now``, or None if none is due.

    Args:
        schedule: the subscription's schedule.
        now: the current instant, timezone-aware (any zone).

    Raises:
        ValueError: if ``now`` is naive. ScheduleError: if the zone is unknown.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not schedule.active:
        return None
    today = local_date(now, schedule.timezone)
    if schedule.last_sent_date is not None and schedule.last_sent_date >= today:
        return None
    if schedule.start_date is not None and today < schedule.start_date:
        return None
    if schedule.paused_until is not None and today < schedule.paused_until:
        return None
    if today.weekday() not in schedule.days:
        return None
    if now < fire_at(today, schedule.local_time, schedule.timezone):
        return None
    return today


def first_date(local_time: time, tz: str, now: datetime) -> date:
    """Return the first local date a new subscription should fire on.

    Today if ``local_time`` is still ahead today, else tomorrow: subscribing at 20:00 for
    08:00 must not send a reminder straight away.
    """
    today = local_date(now, tz)
    if now < fire_at(today, local_time, tz):
        return today
    return today + timedelta(days=1)


def next_fire(schedule: Schedule, now: datetime, horizon_days: int = 400) -> datetime | None:
    """Return the next UTC instant a reminder will fire at or after ``now`` (for display)."""
    if not schedule.active:
        return None
    today = local_date(now, schedule.timezone)
    for offset in range(horizon_days):
        day = today + timedelta(days=offset)
        at = fire_at(day, schedule.local_time, schedule.timezone)
        if at < now and offset == 0 and due_date(schedule, now) is None:
            continue
        if schedule.last_sent_date is not None and day <= schedule.last_sent_date:
            continue
        if schedule.start_date is not None and day < schedule.start_date:
            continue
        if schedule.paused_until is not None and day < schedule.paused_until:
            continue
        if day.weekday() not in schedule.days:
            continue
        return max(at, now) if offset == 0 else at
    return None


def pause_end(schedule: Schedule, days: int, now: datetime) -> date:
    """Return the local date reminders come back after pausing for ``days`` days.

    The pause starts with the next reminder that would fire: today if today's time is still
    ahead (and today's reminder was not sent), else tomorrow. ``days`` >= 1.
    """
    today = local_date(now, schedule.timezone)
    sent_today = schedule.last_sent_date is not None and schedule.last_sent_date >= today
    ahead = now < fire_at(today, schedule.local_time, schedule.timezone)
    first = today if ahead and not sent_today else today + timedelta(days=1)
    return first + timedelta(days=days)


# -- the due decision behind the reminder check's index (bot/storage/reminders.py) ----------

# How far ahead the next look may be when next_fire finds no reminder day (a pause beyond its
# horizon): the subscription is looked at again then.
RECHECK_AFTER = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class DueCheck:
    """What one look at a subscription decided.

    Attributes:
        due: the local date a reminder is due for now, or None.
        next_at: when not due, the instant (aware UTC) before which it cannot become due: the
            next fire time, or ``now`` + :data:`RECHECK_AFTER` when none is found. None when
            due (claiming the reminder moves it on, see :func:`next_look`).
        next_date: the local date of ``next_at`` when that is a fire time, else None.
    """

    due: date | None
    next_at: datetime | None = None
    next_date: date | None = None


def next_look(schedule: Schedule, now: datetime) -> tuple[datetime, date | None]:
    """Return ``(instant, local date or None)``: when a subscription must next be looked at.

    The next fire time and its local date, or ``now`` + :data:`RECHECK_AFTER` and None when no
    reminder day is found (a long pause). Used after a check that found it not due and after
    a claim (whose ``last_sent_date`` makes today's reminder no longer due).
    """
    at = next_fire(schedule, now)
    if at is None:
        return now + RECHECK_AFTER, None
    return at, local_date(at, schedule.timezone)


def check_due(schedule: Schedule, now: datetime) -> DueCheck:
    """Decide a subscription at ``now``: due (and for which local date), or when to look again.

    Raises:
        ValueError: if ``now`` is naive. ScheduleError: if the zone is unknown.
    """
    day = due_date(schedule, now)
    if day is not None:
        return DueCheck(day)
    at, on = next_look(schedule, now)
    return DueCheck(None, at, on)


def due_by_index(
    next_at: datetime | None, next_date: date | None, today: date, now: datetime
) -> bool:
    """True when a stored look proves the reminder due today without its schedule.

    ``next_at``/``next_date`` are what :func:`next_look` returned at the last look (None after
    any change to the subscription, which must be decided afresh by :func:`check_due`). When
    that instant has come and its local date is ``today`` (the local date at ``now``), today's
    reminder is due: nothing changed since it was computed, and it was computed as the first
    fire not yet sent. False means "decide with :func:`check_due`", not "not due".
    """
    return next_at is not None and next_at <= now and next_date == today


def days_to_text(days: frozenset[int]) -> str:
    """Return a stable storage form: ``"0,1,2,3,4,5,6"``."""
    return ",".join(str(d) for d in sorted(days))


@lru_cache(maxsize=256)
def days_from_text(text: str) -> frozenset[int]:
    """Inverse of :func:`days_to_text` (empty or invalid text means every day).

    Cached: the reminder check parses the same few day sets for thousands of rows.
    """
    try:
        days = frozenset(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        return EVERY_DAY
    return days if days and days <= EVERY_DAY else EVERY_DAY
