"""Time zones: what people call them, and how we show them (pure; CLDR data from Babel).

Zones are stored as names ``zoneinfo`` can load:

* A whole-hour offset (``UTC+8``, ``+08:00``, ``东八区``) is a fixed ``Etc/GMT-8`` zone, even
  where a city has that offset; :func:`zone_label` shows it as ``UTC+8``, never ``Etc/GMT-8``.
  No such zone exists for other offsets, so ``UTC+5:30`` becomes the zone that keeps that
  offset all year (``Asia/Kolkata``); offsets no zone keeps (``UTC+3:15``) are refused.
* Abbreviations mean the zone *with* its daylight-saving rules: ``PST``/``PDT``/``PT`` are all
  ``America/Los_Angeles``. ``CST`` is US Central unless the reader's language is Chinese,
  where it is China Standard Time. ``IST`` is India, ``BST`` British Summer Time, ``CET``
  Europe/Berlin, ``GMT`` UTC; ``北京时间`` is Asia/Shanghai.
* Cities and countries come from Babel's CLDR data (exemplar cities in English, Simplified
  and Traditional Chinese; countries with a single zone); :data:`ZONE_ALIASES` holds only what
  CLDR lacks. IANA links (``Asia/Calcutta``, ``US/Pacific``) become their current names.

Users' words go through :func:`bot.core.parse.resolve_timezone`, which turns "not found" into
a ``ParseError`` with suggestions; this module only looks names up.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from zoneinfo import available_timezones

from babel import Locale
from babel.core import get_global
from rapidfuzz import fuzz, process, utils

from bot.core.text import fold, has_cjk

# What CLDR's exemplar cities and single-zone countries do not give. Keys are folded.
ZONE_ALIASES: dict[str, str] = {
    name: zone_name
    for zone_name, names in {
        "UTC": "utc, gmt, z, zulu, 零时区, 中时区, 世界时, 格林尼治时间",
        "Asia/Shanghai": "beijing, 北京, shenzhen, 深圳, guangzhou, 广州, hangzhou, 杭州, chengdu,"
        " 成都, wuhan, 武汉, nanjing, 南京, xian, xi an, 西安, tianjin, 天津, chongqing, 重庆,"
        " suzhou, 苏州, xiamen, 厦门, qingdao, 青岛, china, 中国, 中国大陆, 大陆, prc,"
        " china standard time, 中国标准时间",
        "Asia/Taipei": "taiwan, 台湾, 台中, 高雄, kaohsiung, 新竹, hsinchu",
        "Asia/Hong_Kong": "hongkong, hkt",
        "Asia/Macau": "macau, 澳门",
        "Asia/Tokyo": "jst, osaka, 大阪, kyoto, 京都",
        "Asia/Seoul": "kst, korea, south korea, 韩国, busan, 釜山",
        "Asia/Singapore": "sgt",
        "Asia/Kolkata": "ist, delhi, new delhi, 新德里, mumbai, 孟买, bangalore, bengaluru,"
        " 班加罗尔, hyderabad, chennai",
        "Europe/London": "uk, u k, britain, great britain, england, 英国, bst",
        "Europe/Berlin": "cet, cest, germany, 德国, munich, 慕尼黑, frankfurt, 法兰克福",
        "Europe/Moscow": "msk",
        "America/New_York": "est, edt, et, eastern, nyc, washington dc, dc, 华盛顿,"
        " philadelphia, atlanta, miami, pittsburgh",
        "America/Chicago": "cst, cdt, ct, central, houston, 休斯顿, dallas, 达拉斯, austin",
        "America/Denver": "mst, mdt, mountain",
        "America/Los_Angeles": "pst, pdt, pt, pacific, sf, san francisco, 旧金山, 三藩市,"
        " bay area, 湾区, silicon valley, 硅谷, san jose, seattle, 西雅图, la, san diego,"
        " portland",
        "America/Toronto": "montreal, ottawa",
        "America/Anchorage": "akst, akdt, alaska",
        "Pacific/Honolulu": "hst, hawaii, 夏威夷",
        "Australia/Sydney": "aest, aedt, canberra, 雪梨",
        "Australia/Perth": "awst",
        "Pacific/Auckland": "nzst, nzdt",
    }.items()
    for name in names.split(", ")
}
_ZH_ALIASES = {"cst": "Asia/Shanghai"}
_PREFIX = re.compile(r"^(?:in|at) ")
_SUFFIX = re.compile(r"(?: standard time| time zone| timezone| time|标准时间|时间|时区|市)$")
_OFFSET = re.compile(r"(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?")
_ZH_OFFSET = re.compile(r"([东西])(\d{1,2}|十[一二]?|[一二三四五六七八九])区")
_ZH_HOURS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"十一": 11, "十二": 12}
# Offsets that are not whole hours: the zone that keeps each all year (no daylight saving).
_ODD_OFFSETS = {
    330: "Asia/Kolkata", 345: "Asia/Kathmandu", 270: "Asia/Kabul", 210: "Asia/Tehran",
    390: "Asia/Yangon", 525: "Australia/Eucla", 570: "Australia/Darwin",
    -570: "Pacific/Marquesas",
}  # fmt: skip
_LONGEST = 80  # no zone name is longer; longer text is not looked up at all
_UTC_NAMES = re.compile(r"(?:etc/)?(?:utc|uct|universal|zulu|greenwich|gmt(?:[+-]?0)?)")


def _clean(text: str) -> str:
    """Folded (:func:`bot.core.text.fold`), one space between words, ASCII minus."""
    return " ".join(fold(text).replace("−", "-").split())


def _key(text: str) -> str:
    """A name as the tables key it: ``Port-au-Prince`` and ``port au prince`` alike."""
    return " ".join(re.sub(r"[_\-.,'’()]", " ", _clean(text)).split())


@lru_cache(maxsize=1)
def _zone_names() -> list[str]:
    """Every IANA name ``zoneinfo`` knows, sorted."""
    return sorted(available_timezones())


def _link_target(name: str) -> str:
    """The current IANA name for a link (``Asia/Calcutta`` -> ``Asia/Kolkata``), per CLDR."""
    target = get_global("zone_aliases").get(name, name)
    return str(target) if target in _iana_names() else name


def _canonical(name: str) -> str:
    """``name`` as we store it: the link target, and ``UTC`` for every zero-offset alias."""
    return "UTC" if _UTC_NAMES.fullmatch(name.casefold()) else _link_target(name)


@lru_cache(maxsize=1)
def _iana_names() -> frozenset[str]:
    return frozenset(_zone_names())


@lru_cache(maxsize=1)
def _iana_by_folded() -> dict[str, str]:
    """Folded IANA name (``asia/shanghai``) -> IANA name."""
    return {n.casefold(): n for n in _zone_names() if n != "Factory"}


@lru_cache(maxsize=1)
def _iana_by_last_part() -> dict[str, str]:
    """Folded last part of an IANA name (``new_york``, ``calcutta``) -> canonical name."""
    names = sorted(_iana_by_folded().values(), key=lambda n: _link_target(n) != n)
    table: dict[str, str] = {}
    for name in names:
        table.setdefault(name.rsplit("/", 1)[-1].casefold(), _link_target(name))
    return table


@lru_cache(maxsize=1)
def city_zones() -> dict[str, str]:
    """The city -> zone table from CLDR: exemplar cities and single-zone countries.

    Returns:
        Folded name (``"new york"``, ``"纽约"``, ``"japan"``) -> IANA zone name.
    """
    table: dict[str, str] = {}
    known = set(_zone_names())
    locales = [Locale.parse(code) for code in ("en", "zh_Hans", "zh_Hant")]
    ids = [z for z in locales[1].time_zones if z in known and not z.startswith("Etc/")]
    for loc in locales:
        for zone_id in ids:
            city = loc.time_zones.get(zone_id, {}).get("city")
            if city is None and loc.language == "en":
                city = zone_id.rsplit("/", 1)[-1].replace("_", " ")
            if city:
                table.setdefault(_key(city), zone_id)
    by_territory = get_global("territory_zones")
    for loc in locales:
        for code, country in loc.territories.items():
            zones = by_territory.get(code, ())
            if len(zones) == 1 and zones[0] in known:
                table.setdefault(_key(country), zones[0])
    return table


def format_offset(offset: timedelta) -> str:
    """Write a UTC offset the way people do: ``UTC+8``, ``UTC+5:30``, ``UTC-3``, ``UTC``."""
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def zone_label(tz_name: str, lang: str = "en") -> str:
    """Return how to show a stored zone: ``UTC+8`` for a fixed offset, else the IANA name.

    Args:
        tz_name: a name returned by :func:`find_zone` (or any IANA name).
        lang: the reader's language; the label is the same in every language for now.
    """
    m = re.fullmatch(r"Etc/GMT([+-])(\d{1,2})", tz_name)
    if m:  # POSIX-style Etc zones have inverted signs: Etc/GMT-8 is UTC+8.
        hours = int(m.group(2)) * (-1 if m.group(1) == "+" else 1)
        return format_offset(timedelta(hours=hours))
    return "UTC" if _UTC_NAMES.fullmatch(tz_name.casefold()) else tz_name


def _fixed(raw: str, minutes: int) -> str:
    """Zone name for a fixed offset in minutes east of UTC. Raises ValueError if none."""
    if minutes == 0:
        return "UTC"
    if minutes % 60 == 0 and -12 <= minutes // 60 <= 14:
        hours = minutes // 60
        return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"
    if minutes in _ODD_OFFSETS:
        return _ODD_OFFSETS[minutes]
    raise ValueError(f"no time zone keeps the offset {raw!r}; name a city instead")


def _offset_zone(raw: str, compact: str) -> str | None:
    """The zone for an offset (``utc+8``, ``+05:30``, ``东八区``), or None if not an offset."""
    m = _OFFSET.fullmatch(compact)
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if minutes >= 60:
            raise ValueError(f"not an offset: {raw!r}")
        return _fixed(raw, (hours * 60 + minutes) * (1 if m.group(1) == "+" else -1))
    m = _ZH_OFFSET.fullmatch(compact)
    if m:
        hours = int(m.group(2)) if m.group(2).isdigit() else _ZH_HOURS[m.group(2)]
        return _fixed(raw, hours * 60 * (1 if m.group(1) == "东" else -1))
    return None


def _lookup(key: str, lang: str | None) -> str | None:
    if lang and lang.casefold().startswith("zh") and key in _ZH_ALIASES:
        return _ZH_ALIASES[key]
    if key in ZONE_ALIASES:
        return ZONE_ALIASES[key]
    if key in city_zones():
        return city_zones()[key]
    iana = _iana_by_folded().get(key.replace(" ", "_"))
    iana = iana or _iana_by_last_part().get(key.replace(" ", "_"))
    return _canonical(iana) if iana else None


def find_zone(text: str, lang: str | None = None) -> str | None:
    """Return the zone a user means, or None if nothing matches.

    Accepts IANA names in any case (``asia/shanghai``), offsets (``UTC+8``, ``GMT-3``,
    ``+05:30``, ``东八区``), abbreviations (``PST``, ``CET``, ``JST``), cities and countries in
    English or Chinese (``New York``, ``紐約``, ``台北``, ``Japan``), with or without "in" and a
    trailing "time"/"时间" (``北京时间``, ``Pacific Time``).

    Args:
        text: the user's words.
        lang: the reader's language; only decides ``CST`` (Chinese: Asia/Shanghai).

    Returns:
        An IANA name (``Asia/Shanghai``), ``UTC``, ``Etc/GMT-8`` for a whole-hour offset, or
        None.

    Raises:
        ValueError: for an offset that no zone keeps (``UTC+3:15``, ``UTC+15``).
    """
    raw = " ".join(text.split())
    compact = _clean(raw).replace(" ", "")
    if not compact or len(raw) > _LONGEST:
        return None
    offset = _offset_zone(raw, compact)
    if offset is not None:
        return offset
    iana = _iana_by_folded().get(_clean(raw).replace(" ", "_"))
    if iana is not None and "/" in iana:  # before the aliases: "EST" means New York there
        return _canonical(iana)
    key = _key(raw)
    for candidate in (key, _SUFFIX.sub("", _PREFIX.sub("", key)).strip()):
        found = _lookup(candidate, lang) if candidate else None
        if found is not None:
            return found
    return None


@lru_cache(maxsize=2)
def _suggestion_choices(chinese: bool) -> dict[str, str]:
    """Name -> zone to suggest from: Chinese names, or IANA names and English city names."""
    if chinese:
        return {k: v for k, v in (city_zones() | ZONE_ALIASES).items() if has_cjk(k)}
    canonical = {_canonical(n) for n in _zone_names() if not n.startswith(("Etc/", "SystemV"))}
    choices = {n.casefold(): n for n in canonical if "/" in n}
    choices.update({k: v for k, v in city_zones().items() if k.isascii()})
    return choices


def suggest_zones(text: str) -> tuple[str, ...]:
    """Return up to 3 zone names close to ``text``, best first (may be empty).

    Plain ``ratio`` over IANA names and English city names (cutoff 78: "Tokio" -> Tokyo
    scores 80, "Narnia" -> Yerevan 77 is left out; partial-match scorers suggested
    America/St_Thomas for "Mars"); Chinese names are two or three characters, so their
    cutoff is 50 (one character of two right).
    """
    raw = " ".join(text.split())
    if len(raw) > _LONGEST:
        return ()
    chinese = has_cjk(raw)
    choices = _suggestion_choices(chinese)
    found = process.extract(
        _key(raw) if chinese else _clean(raw).replace(" ", "_"),
        list(choices),
        scorer=fuzz.ratio,
        processor=utils.default_process,
        limit=10,
        score_cutoff=50 if chinese else 78,
    )
    out: list[str] = []
    for choice, _, _ in found:
        if choices[choice] not in out:
            out.append(choices[choice])
    return tuple(out[:3])
