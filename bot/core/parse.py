"""What people type for a reminder: a time of day, a time zone, the days (pure, no I/O).

Every input is folded first (:func:`bot.core.text.fold`: full-width forms, Traditional to
Simplified, case), so ``１９：３０``, ``九點半`` and ``東京`` need no entries of their own.

Decisions, so that callers and tests agree:

* Times are read as written (``8`` and ``8点`` are 08:00); a Chinese period word shifts the
  hour: ``下午3点`` is 15:00, ``中午1点`` 13:00, ``晚上12点`` and ``24:00`` are 00:00, and
  ``晚上1点`` to ``晚上4点`` mean the small hours (01:00-04:00), as people use them.
* Zones: see :mod:`bot.core.zones` (fixed offsets shown as ``UTC+8``, abbreviations keep
  daylight saving, ``CST`` by language, CLDR city names).
* Days are Monday = 0; a range may wrap round the week (``fri-mon``).
"""

from __future__ import annotations

import re
from datetime import time
from typing import Literal

from bot.core.schedule import EVERY_DAY, WEEKDAYS, ScheduleError
from bot.core.text import fold, has_cjk
from bot.core.zones import ZONE_ALIASES, find_zone, format_offset, suggest_zones, zone_label

__all__ = [
    "ZONE_ALIASES",
    "ParseError",
    "format_offset",
    "parse_days",
    "parse_local_time",
    "parse_subscribe_args",
    "resolve_timezone",
    "zone_label",
]

Field = Literal["time", "zone", "days"]


class ParseError(ScheduleError):
    """Input that is not a time, zone or set of days. The message is English (callers localise).

    Attributes:
        field: which part failed: ``"time"``, ``"zone"`` or ``"days"``.
        suggestions: up to 3 IANA zone names close to an unknown zone.
        text: the part that failed as typed (the zone of ``08:00 Mars``), or ``""``.
    """

    def __init__(
        self,
        message: str,
        suggestions: tuple[str, ...] = (),
        field: Field = "time",
        text: str = "",
    ) -> None:
        super().__init__(message, suggestions)
        self.field: Field = field
        self.text = text  # the part that failed, as typed ("Mars" of "08:00 Mars"), or ""


# -- times ------------------------------------------------------------------------------------

_CN = "[0-9零〇一二两三四五六七八九十]"
_PERIODS = {
    "凌晨": "dawn", "早上": "am", "早晨": "am", "清晨": "am", "上午": "am", "早": "am",
    "中午": "noon", "下午": "pm", "午后": "pm", "傍晚": "eve", "晚上": "eve", "今晚": "eve",
    "晚": "eve", "夜里": "night", "夜间": "night", "半夜": "night", "深夜": "night",
}  # fmt: skip
_WORDS = {"noon": 12, "midday": 12, "正午": 12, "中午": 12, "midnight": 0, "午夜": 0}
_TIME = re.compile(
    rf"""(?:at\s*)?(?:
      (?P<period>{"|".join(sorted(_PERIODS, key=len, reverse=True))})?\s*
      (?: (?P<h1>{_CN}{{1,3}})\s*(?:点钟?|时)
            (?:(?P<half>半)|(?P<quarter>[一三])刻|整|(?P<m1>{_CN}{{1,3}})(?:分|(?![\u3400-\u9fff])))?
        | (?P<h2>\d{{1,2}})\s*(?:[:.]\s*|h)(?P<m2>\d{{2}})(?!\d)
        | (?P<h3>\d{{1,2}})(?P<m3>\d{{2}})(?!\d)
        | (?P<h4>\d{{1,2}})h?(?!\d) )
      (?:\s*o'?clock)?
      (?:\s*(?P<ampm>[ap])\.?\s?m\.?(?![a-z]))?
    | (?P<word>{"|".join(_WORDS)})(?![a-z]) )""",
    re.X,
)
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def _number(text: str) -> int | None:
    """``"8"``, ``"08"``, ``"十"``, ``"二十四"``, ``"零五"`` -> int; None if not a number."""
    if text.isascii():
        return int(text) if text.isdigit() else None
    tens, ten, ones = text.partition("十")
    if ten:
        t = _CN_DIGITS.get(tens, -1) if tens else 1
        o = _CN_DIGITS.get(ones, -1) if ones else 0
        return t * 10 + o if t > 0 and o >= 0 and len(ones) <= 1 else None
    if len(text) == 2 and text[0] in "零〇":
        text = text[1]
    return _CN_DIGITS.get(text) if len(text) == 1 else None


def _shift(period: str, h: int) -> int | None:
    """Apply a Chinese period word to a written hour; None when they do not fit."""
    kind = _PERIODS[period]
    if kind in ("dawn", "am"):
        return (0 if kind == "dawn" and h == 12 else h) if h <= 12 else None
    if kind == "noon":
        return h + 12 if 1 <= h <= 3 else h if h in (11, 12, 13, 14, 15) else None
    if kind == "pm":
        return h + 12 if 1 <= h <= 11 else h if 12 <= h <= 23 else None
    if h in (0, 12, 24):
        return 0
    small = 4 if kind == "eve" else 5  # 晚上1点 / 半夜3点 are after midnight
    return h if h <= small or h >= 13 else h + 12 if h <= 11 else None


def _time_of(m: re.Match[str], text: str) -> time:
    g = m.groupdict()
    bad = ParseError(f"not a time of day: {text!r} (use HH:MM, e.g. 08:00)")
    if g["word"]:
        return time(_WORDS[g["word"]], 0)
    hour = _number(g["h1"] or g["h2"] or g["h3"] or g["h4"])
    minute: int | None = 30 if g["half"] else 0
    if g["quarter"]:
        minute = 15 if g["quarter"] == "一" else 45
    elif g["m1"] or g["m2"] or g["m3"]:
        minute = _number(g["m1"] or g["m2"] or g["m3"])
    if hour is None or minute is None or (g["period"] and g["ampm"]):
        raise bad
    if g["ampm"]:
        if not 1 <= hour <= 12:
            raise bad
        hour = hour % 12 + (12 if g["ampm"] == "p" else 0)
    elif g["period"]:
        shifted = _shift(g["period"], hour)
        if shifted is None:
            raise bad
        hour = shifted
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise bad
    return time(hour, minute)


def _clean(text: str) -> str:
    return " ".join(fold(text).replace("’", "'").replace("−", "-").split())


def parse_local_time(text: str) -> time:
    """Parse a time of day as people type it, in English or Chinese.

    Accepts ``08:00``, ``8:00``, ``8``, ``8 am``, ``8:00 pm``, ``8.30pm``, ``0800``, ``20h30``,
    ``noon``, ``8点``, ``8点半``, ``晚上9点半``, ``下午3点15分``, ``凌晨1点``, ``十点``,
    ``九點半`` (see the module docstring for period words and 24:00).

    Returns:
        A naive ``datetime.time`` with minute precision.

    Raises:
        ParseError: (field ``"time"``) if the text is not a valid time of day.
    """
    key = _clean(text)
    m = _TIME.fullmatch(key)
    if not m:
        raise ParseError(f"not a time of day: {text!r} (use HH:MM, e.g. 08:00)")
    return _time_of(m, text)


# -- zones ------------------------------------------------------------------------------------


def resolve_timezone(text: str, lang: str | None = None) -> str:
    """Resolve what a user typed to a zone name ``zoneinfo`` can load.

    IANA names in any case, offsets (``UTC+8``, ``UTC+5:30``, ``东八区``), abbreviations
    (``PST``), cities and countries in English or Chinese; see :mod:`bot.core.zones` for the
    choices made (fixed offsets, ``CST``).

    Args:
        text: the user's words.
        lang: the reader's language; only decides ``CST`` (Chinese: Asia/Shanghai).

    Returns:
        An IANA name (``Asia/Shanghai``), ``UTC``, or ``Etc/GMT-8`` for a whole-hour offset;
        show it with :func:`zone_label`.

    Raises:
        ParseError: (field ``"zone"``) unknown zone, with up to 3 close names in
            ``suggestions``; or an offset no zone keeps.
    """
    raw = " ".join(text.split())
    if not raw:
        raise ParseError("empty time zone", field="zone")
    try:
        found = find_zone(raw, lang)
    except ValueError as err:
        raise ParseError(str(err), field="zone", text=raw) from None
    if found is None:
        raise ParseError(f"unknown time zone {raw!r}", suggest_zones(raw), "zone", raw)
    return found


# -- days -------------------------------------------------------------------------------------

_DAY_NAMES = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
    "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_CN_DAYS = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6, "七": 6}
_DAY_SETS = {
    EVERY_DAY: "daily, every day, everyday, each day, all, all days, 每天, 每日, 天天, 全部",
    WEEKDAYS: "weekdays, weekday, workdays, workday, working days, business days, 工作日, 平日",
    frozenset({5, 6}): "weekends, weekend, 周末, 双休日, 双休",
}
_DAY_ALIASES = {name: days for days, names in _DAY_SETS.items() for name in names.split(", ")}
_RANGE = re.compile(r"\s*(?:-|–|—|~|到|至|\bto\b|\bthrough\b|\bthru\b)\s*")


def _days_in(word: str) -> list[int]:
    """Days named by one word: ``mon``, ``fridays``, ``周一``, ``周一三五``, ``星期天``."""
    if word in _DAY_ALIASES:
        return sorted(_DAY_ALIASES[word])
    for name in (word, word.removesuffix("s")):
        if name in _DAY_NAMES:
            return [_DAY_NAMES[name]]
    rest = re.sub(r"^每|周|星期|礼拜", "", word)
    if rest and all(c in _CN_DAYS for c in rest):
        return [_CN_DAYS[c] for c in rest]
    raise ParseError(f"not a day: {word!r}", field="days")


def parse_days(text: str) -> frozenset[int]:
    """Parse reminder days in English or Chinese.

    Accepts ``daily``/``每天``, ``weekdays``/``工作日``, ``weekends``/``周末``, lists
    (``mon,wed,fri``, ``Mon Wed Fri``, ``周一 周三``, ``週一、週三``, ``周一三五``) and ranges
    (``mon-fri``, ``周一到周五``, ``周一至五``, ``fri-mon`` wraps round the week).

    Returns:
        Weekday numbers, Monday = 0.

    Raises:
        ParseError: (field ``"days"``) if a word is not a day, or nothing is given.
    """
    key = _clean(text)
    key = key if key in _DAY_ALIASES else re.sub(r"^(?:every|each|on|only)\s+|^每个", "", key)
    if key in _DAY_ALIASES:
        return _DAY_ALIASES[key]
    days: set[int] = set()
    for item in re.split(r"[\s,;/&+、]+|\band\b|和|及", _RANGE.sub("-", key)):
        if not item:
            continue
        ends = item.split("-")
        if len(ends) == 1:
            days.update(_days_in(item))
            continue
        if len(ends) != 2 or not ends[0] or not ends[1]:
            raise ParseError(f"not a range of days: {item!r}", field="days")
        first, last = _days_in(ends[0])[-1], _days_in(ends[1])[0]
        days.update((first + i) % 7 for i in range((last - first) % 7 + 1))
    if not days:
        raise ParseError("no days given", field="days")
    return frozenset(days)


# -- /subscribe -------------------------------------------------------------------------------


def _apart(left: str, right: str) -> bool:
    """True when a time may end / start where ``left`` meets ``right``: at either end of the
    text, at a space, or next to a Chinese character."""
    if not left or not right:
        return True
    edge = left[-1] + right[0]
    return any(c.isspace() for c in edge) or has_cjk(edge)


def parse_subscribe_args(text: str, lang: str | None = None) -> tuple[time, str | None]:
    """Split ``/subscribe`` arguments into a time and an optional zone, in either order.

    ``8am PST``, ``08:00 Asia/Shanghai``, ``晚上9点半 上海``, ``21:30北京时间``,
    ``Tokyo 7:00``, ``8点`` (zone None: the caller keeps the user's zone or asks).

    Returns:
        ``(local time, zone name or None)``; the zone as :func:`resolve_timezone` returns it.

    Raises:
        ParseError: ``field == "time"`` when no time is found at the start or the end,
            ``field == "zone"`` when the rest is not a zone (with ``suggestions``).
    """
    key = _clean(text)[:120]
    m = _TIME.match(key)
    if m and _apart(key[: m.end()], key[m.end() :]):
        rest = key[m.end() :].strip()
    else:
        starts = (i for i in range(1, len(key)) if _apart(key[:i], key[i:]))
        at = next((i for i in starts if _TIME.fullmatch(key, i)), None)
        if at is None:
            raise ParseError(f"not a time of day: {text!r} (use HH:MM, e.g. 08:00)")
        m, rest = _TIME.fullmatch(key, at), key[:at].strip()
        assert m is not None
    return _time_of(m, text), (resolve_timezone(rest, lang) if rest else None)
