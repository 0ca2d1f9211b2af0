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

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process

EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))


class ScheduleError(ValueError):
    """A time, zone or day set that cannot be used. ``suggestions`` holds close zone names."""

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


_HHMM = re.compile(r"^\s*(\d{1,2})(?:[:：.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.I)


def parse_local_time(text: str) -> time:
    """Parse ``HH:MM`` (24 h; also ``7:30``, ``7.30``, ``7pm``, ``7:30 am``, ``19：30``).

    Raises:
        ScheduleError: if the text is not a valid time of day.
    """
    m = _HHMM.match(text)
    if not m:
        raise ScheduleError(f"not a time of day: {text!r} (use HH:MM, e.g. 08:00)")
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    ampm = (m.group(3) or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"not a time of day: {text!r}")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ScheduleError(f"not a time of day: {text!r} (use HH:MM, e.g. 08:00)")
    return time(hour, minute)


# Common city names (English and Chinese) people type instead of IANA names.
CITY_ZONES: dict[str, str] = {
    "beijing": "Asia/Shanghai",
    "北京": "Asia/Shanghai",
    "shanghai": "Asia/Shanghai",
    "上海": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "深圳": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai",
    "广州": "Asia/Shanghai",
    "hangzhou": "Asia/Shanghai",
    "杭州": "Asia/Shanghai",
    "chengdu": "Asia/Shanghai",
    "成都": "Asia/Shanghai",
    "wuhan": "Asia/Shanghai",
    "武汉": "Asia/Shanghai",
    "nanjing": "Asia/Shanghai",
    "南京": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "中国": "Asia/Shanghai",
    "hong kong": "Asia/Hong_Kong",
    "hongkong": "Asia/Hong_Kong",
    "香港": "Asia/Hong_Kong",
    "taipei": "Asia/Taipei",
    "台北": "Asia/Taipei",
    "taiwan": "Asia/Taipei",
    "台湾": "Asia/Taipei",
    "macau": "Asia/Macau",
    "澳门": "Asia/Macau",
    "singapore": "Asia/Singapore",
    "新加坡": "Asia/Singapore",
    "tokyo": "Asia/Tokyo",
    "东京": "Asia/Tokyo",
    "japan": "Asia/Tokyo",
    "日本": "Asia/Tokyo",
    "seoul": "Asia/Seoul",
    "首尔": "Asia/Seoul",
    "london": "Europe/London",
    "伦敦": "Europe/London",
    "uk": "Europe/London",
    "paris": "Europe/Paris",
    "巴黎": "Europe/Paris",
    "berlin": "Europe/Berlin",
    "柏林": "Europe/Berlin",
    "munich": "Europe/Berlin",
    "zurich": "Europe/Zurich",
    "amsterdam": "Europe/Amsterdam",
    "moscow": "Europe/Moscow",
    "莫斯科": "Europe/Moscow",
    "new york": "America/New_York",
    "nyc": "America/New_York",
    "纽约": "America/New_York",
    "boston": "America/New_York",
    "波士顿": "America/New_York",
    "toronto": "America/Toronto",
    "多伦多": "America/Toronto",
    "chicago": "America/Chicago",
    "芝加哥": "America/Chicago",
    "los angeles": "America/Los_Angeles",
    "la": "America/Los_Angeles",
    "洛杉矶": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "旧金山": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "西雅图": "America/Los_Angeles",
    "vancouver": "America/Vancouver",
    "温哥华": "America/Vancouver",
    "sydney": "Australia/Sydney",
    "悉尼": "Australia/Sydney",
    "melbourne": "Australia/Melbourne",
    "墨尔本": "Australia/Melbourne",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "india": "Asia/Kolkata",
    "dubai": "Asia/Dubai",
    "迪拜": "Asia/Dubai",
    "utc": "UTC",
    "gmt": "UTC",
}

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.I)


def resolve_timezone(text: str) -> str:
    """Resolve what a user typed to a time-zone name usable by ``zoneinfo``.

    Accepts IANA names in any case (``asia/shanghai``), UTC offsets (``UTC+8``, ``+08:00``,
    ``GMT-5``; whole hours become ``Etc/GMT-8``-style zones, other offsets are refused), and
    the city names in :data:`CITY_ZONES` (English and Chinese, Traditional folded).

    Raises:
        ScheduleError: unknown zone, with up to 3 close IANA names in ``suggestions``.
    """
    from bot.core.text import to_simplified

    raw = " ".join(text.strip().split())
    if not raw:
        raise ScheduleError("empty time zone")
    key = to_simplified(raw).casefold().replace("_", " ")
    if key in CITY_ZONES:
        return CITY_ZONES[key]
    m = _OFFSET.match(raw.replace(" ", ""))
    if m:
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
        if minutes or hours > 14:
            raise ScheduleError(
                f"offset {raw!r} is not a whole-hour offset; use a city or an "
                "IANA name such as Asia/Kolkata"
            )
        if hours == 0:
            return "UTC"
        # POSIX-style Etc zones have inverted signs: UTC+8 is Etc/GMT-8.
        return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    names = _zone_names()
    lowered = {n.casefold(): n for n in names}
    candidate = raw.replace(" ", "_").casefold()
    if candidate in lowered:
        return lowered[candidate]
    # A bare city part of an IANA name ("kolkata", "new_york").
    by_city = {n.rsplit("/", 1)[-1].casefold(): n for n in names if "/" in n}
    if candidate in by_city:
        return by_city[candidate]
    choices = process.extract(candidate, list(lowered), scorer=fuzz.WRatio, limit=3)
    suggestions = tuple(lowered[c] for c, score, _ in choices if score >= 60)
    raise ScheduleError(f"unknown time zone {raw!r}", suggestions)


_zone_cache: list[str] = []


def _zone_names() -> list[str]:
    if not _zone_cache:
        _zone_cache.extend(sorted(available_timezones()))
    return _zone_cache


_DAY_NAMES = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
    "周一": 0,
    "周二": 1,
    "周三": 2,
    "周四": 3,
    "周五": 4,
    "周六": 5,
    "周日": 6,
    "周天": 6,
    "星期一": 0,
    "星期二": 1,
    "星期三": 2,
    "星期四": 3,
    "星期五": 4,
    "星期六": 5,
    "星期日": 6,
    "星期天": 6,
}


def parse_days(text: str) -> frozenset[int]:
    """Parse reminder days: ``daily``/``every day``/``每天``, ``weekdays``/``工作日``,
    ``weekends``/``周末``, or a list such as ``mon,wed,fri`` / ``周一 周三``.

    Returns:
        Weekday numbers, Monday = 0.

    Raises:
        ScheduleError: if a word is not a day.
    """
    key = text.strip().casefold()
    if key in {"daily", "every day", "everyday", "all", "每天", "每日"}:
        return EVERY_DAY
    if key in {"weekdays", "weekday", "workdays", "工作日", "周一到周五"}:
        return WEEKDAYS
    if key in {"weekends", "weekend", "周末"}:
        return frozenset({5, 6})
    days = set()
    for word in re.split(r"[\s,，、]+", key):
        if not word:
            continue
        if word not in _DAY_NAMES:
            raise ScheduleError(f"not a day: {word!r}")
        days.add(_DAY_NAMES[word])
    if not days:
        raise ScheduleError("no days given")
    return frozenset(days)


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
