"""What people type for a time, a zone and days (bot.core.parse, bot.core.zones)."""

from __future__ import annotations

import contextlib
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.parse import (
    ZONE_ALIASES,
    ParseError,
    format_offset,
    parse_days,
    parse_local_time,
    parse_subscribe_args,
    resolve_timezone,
    zone_label,
)
from bot.core.schedule import EVERY_DAY, WEEKDAYS, ScheduleError
from bot.core.zones import city_zones

# -- times ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("08:00", time(8, 0)),
        ("8:00", time(8, 0)),
        ("8:05", time(8, 5)),
        ("8", time(8, 0)),
        ("20", time(20, 0)),
        ("8 am", time(8, 0)),
        ("8am", time(8, 0)),
        ("8:00 pm", time(20, 0)),
        ("8.30pm", time(20, 30)),
        ("7:30 A.M.", time(7, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("0800", time(8, 0)),
        ("830", time(8, 30)),
        ("2030", time(20, 30)),
        ("20h30", time(20, 30)),
        ("20h", time(20, 0)),
        ("21.30", time(21, 30)),
        ("19：30", time(19, 30)),
        ("８点", time(8, 0)),
        ("8 o'clock", time(8, 0)),
        ("at 7pm", time(19, 0)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
        ("24:00", time(0, 0)),
        ("早上8点", time(8, 0)),
        ("上午8点", time(8, 0)),
        ("8点", time(8, 0)),
        ("8点钟", time(8, 0)),
        ("20点", time(20, 0)),
        ("8点半", time(8, 30)),
        ("8点一刻", time(8, 15)),
        ("8点三刻", time(8, 45)),
        ("8点05", time(8, 5)),
        ("8点零五", time(8, 5)),
        ("8时30分", time(8, 30)),
        ("晚上9点半", time(21, 30)),
        ("晚上9:30", time(21, 30)),
        ("下午3点15分", time(15, 15)),
        ("下午15点", time(15, 0)),
        ("中午12点", time(12, 0)),
        ("中午1点", time(13, 0)),
        ("晚上12点", time(0, 0)),
        ("晚上1点", time(1, 0)),
        ("半夜3点", time(3, 0)),
        ("夜里11点", time(23, 0)),
        ("凌晨1点", time(1, 0)),
        ("凌晨12点", time(0, 0)),
        ("十点", time(10, 0)),
        ("十二点", time(12, 0)),
        ("二十点", time(20, 0)),
        ("二十三点五十九分", time(23, 59)),
        ("二十四点", time(0, 0)),
        ("两点", time(2, 0)),
        ("九點半", time(9, 30)),
        ("晚上十點", time(22, 0)),
    ],
)
def test_times_people_type(text: str, expected: time) -> None:
    assert parse_local_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["25:00", "8:61", "24:30", "13pm", "0am", "8:5", "8..30", "", "  ", "abc", "someday",
     "8 8", "三十点", "早上15点", "下午8pm", "十十点", "8:00 PST"],
)  # fmt: skip
def test_nonsense_times_are_refused(text: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_local_time(text)
    assert err.value.field == "time"
    assert "not a time of day" in str(err.value)


def test_every_clock_time_round_trips() -> None:
    for hour in range(24):
        for minute in (0, 1, 30, 59):
            assert parse_local_time(f"{hour:02d}:{minute:02d}") == time(hour, minute)
            assert parse_local_time(f"{hour}:{minute:02d}") == time(hour, minute)


# -- zones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Asia/Shanghai", "Asia/Shanghai"),
        ("asia/shanghai", "Asia/Shanghai"),
        ("AMERICA/NEW_YORK", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("US/Pacific", "America/Los_Angeles"),
        ("kolkata", "Asia/Kolkata"),
        ("new_york", "America/New_York"),
        ("Shanghai", "Asia/Shanghai"),
        ("上海", "Asia/Shanghai"),
        ("台北", "Asia/Taipei"),
        ("東京", "Asia/Tokyo"),
        ("New York", "America/New_York"),
        ("紐約", "America/New_York"),
        ("Los Angeles", "America/Los_Angeles"),
        ("洛杉磯", "America/Los_Angeles"),
        ("Port-au-Prince", "America/Port-au-Prince"),
        ("Ho Chi Minh City", "Asia/Ho_Chi_Minh"),
        ("北京", "Asia/Shanghai"),
        ("深圳", "Asia/Shanghai"),
        ("广州", "Asia/Shanghai"),
        ("China", "Asia/Shanghai"),
        ("中国", "Asia/Shanghai"),
        ("Taiwan", "Asia/Taipei"),
        ("台湾", "Asia/Taipei"),
        ("台灣", "Asia/Taipei"),
        ("Japan", "Asia/Tokyo"),
        ("日本", "Asia/Tokyo"),
        ("Germany", "Europe/Berlin"),
        ("UK", "Europe/London"),
        ("India", "Asia/Kolkata"),
        ("NYC", "America/New_York"),
        ("SF", "America/Los_Angeles"),
        ("Bay Area", "America/Los_Angeles"),
        ("北京时间", "Asia/Shanghai"),
        ("北京時間", "Asia/Shanghai"),
        ("东京时间", "Asia/Tokyo"),
        ("Pacific Time", "America/Los_Angeles"),
        ("in London", "Europe/London"),
        ("PST", "America/Los_Angeles"),
        ("PDT", "America/Los_Angeles"),
        ("PT", "America/Los_Angeles"),
        ("Pacific", "America/Los_Angeles"),
        ("EST", "America/New_York"),
        ("EDT", "America/New_York"),
        ("ET", "America/New_York"),
        ("Eastern", "America/New_York"),
        ("CST", "America/Chicago"),
        ("CDT", "America/Chicago"),
        ("Central", "America/Chicago"),
        ("MST", "America/Denver"),
        ("BST", "Europe/London"),
        ("CET", "Europe/Berlin"),
        ("CEST", "Europe/Berlin"),
        ("JST", "Asia/Tokyo"),
        ("IST", "Asia/Kolkata"),
        ("HKT", "Asia/Hong_Kong"),
        ("SGT", "Asia/Singapore"),
        ("UTC", "UTC"),
        ("GMT", "UTC"),
        ("Etc/UTC", "UTC"),
        ("UTC+8", "Etc/GMT-8"),
        ("GMT+8", "Etc/GMT-8"),
        ("utc + 8", "Etc/GMT-8"),
        ("+08:00", "Etc/GMT-8"),
        ("+0800", "Etc/GMT-8"),
        ("UTC-3", "Etc/GMT+3"),
        ("UTC−3", "Etc/GMT+3"),
        ("GMT-5", "Etc/GMT+5"),
        ("UTC+0", "UTC"),
        ("UTC+14", "Etc/GMT-14"),
        ("UTC-12", "Etc/GMT+12"),
        ("Etc/GMT-8", "Etc/GMT-8"),
        ("东八区", "Etc/GMT-8"),
        ("東八區", "Etc/GMT-8"),
        ("西五区", "Etc/GMT+5"),
        ("UTC+5:30", "Asia/Kolkata"),
        ("+05:45", "Asia/Kathmandu"),
    ],
)
def test_zones_from_names_cities_abbreviations_and_offsets(text: str, expected: str) -> None:
    assert resolve_timezone(text) == expected
    ZoneInfo(expected)  # every answer is loadable


def test_cities_come_from_cldr_not_from_a_hand_written_table() -> None:
    for name in ("shanghai", "上海", "台北", "东京", "new york", "纽约", "los angeles"):
        assert name not in ZONE_ALIASES
        assert name in city_zones()


def test_cst_means_china_standard_time_for_chinese_readers() -> None:
    assert resolve_timezone("CST") == "America/Chicago"
    assert resolve_timezone("CST", "en") == "America/Chicago"
    assert resolve_timezone("CST", "zh") == "Asia/Shanghai"
    assert resolve_timezone("cst", "zh-hant") == "Asia/Shanghai"


@pytest.mark.parametrize("text", ["PST", "PT", "Pacific", "EST", "CST", "CET", "BST"])
def test_abbreviations_keep_daylight_saving(text: str) -> None:
    tz = ZoneInfo(resolve_timezone(text))
    january, july = datetime(2026, 1, 15, tzinfo=tz), datetime(2026, 7, 15, tzinfo=tz)
    assert january.utcoffset() != july.utcoffset()


@pytest.mark.parametrize(
    "name, label",
    [
        ("Etc/GMT-8", "UTC+8"),
        ("Etc/GMT+3", "UTC-3"),
        ("Etc/GMT-14", "UTC+14"),
        ("UTC", "UTC"),
        ("Etc/UTC", "UTC"),
        ("Asia/Shanghai", "Asia/Shanghai"),
        ("America/New_York", "America/New_York"),
    ],
)
def test_zone_labels_show_offsets_as_people_write_them(name: str, label: str) -> None:
    assert zone_label(name, "en") == label
    assert zone_label(name, "zh") == label


def test_resolved_offsets_are_never_shown_as_etc_names() -> None:
    for text in ("UTC+8", "GMT-3", "+09:00", "东八区", "UTC+5:30"):
        assert not zone_label(resolve_timezone(text)).startswith("Etc/")


def test_format_offset() -> None:
    assert format_offset(timedelta(hours=8)) == "UTC+8"
    assert format_offset(timedelta(hours=5, minutes=30)) == "UTC+5:30"
    assert format_offset(timedelta(hours=-3, minutes=-30)) == "UTC-3:30"
    assert format_offset(timedelta(0)) == "UTC"


@pytest.mark.parametrize(
    "text, suggestion",
    [("Asia/Shangai", "Asia/Shanghai"), ("Shangai", "Asia/Shanghai"),
     ("Nwe York", "America/New_York"), ("Tokio", "Asia/Tokyo"), ("杭洲", "Asia/Shanghai")],
)  # fmt: skip
def test_unknown_zone_suggests_close_names(text: str, suggestion: str) -> None:
    with pytest.raises(ParseError) as err:
        resolve_timezone(text)
    assert err.value.field == "zone"
    assert err.value.suggestions[0] == suggestion
    assert len(err.value.suggestions) <= 3


@pytest.mark.parametrize("text", ["", "火星", "UTC+3:15", "UTC+15", "UTC-13", "UTC+5:75"])
def test_zones_that_cannot_be_used_are_refused(text: str) -> None:
    with pytest.raises(ParseError) as err:
        resolve_timezone(text)
    assert err.value.field == "zone"


def test_existing_except_schedule_error_still_catches_parse_errors() -> None:
    with pytest.raises(ScheduleError):
        resolve_timezone("nowhere at all")
    with pytest.raises(ScheduleError):
        parse_local_time("25:00")
    with pytest.raises(ValueError):
        parse_days("someday")


# -- days -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("daily", EVERY_DAY),
        ("every day", EVERY_DAY),
        ("每天", EVERY_DAY),
        ("weekdays", WEEKDAYS),
        ("工作日", WEEKDAYS),
        ("每个工作日", WEEKDAYS),
        ("weekends", {5, 6}),
        ("周末", {5, 6}),
        ("mon,wed,fri", {0, 2, 4}),
        ("mon, wed,fri", {0, 2, 4}),
        ("Mon Wed Fri", {0, 2, 4}),
        ("mondays and fridays", {0, 4}),
        ("every monday", {0}),
        ("周一 周三", {0, 2}),
        ("週一、週三", {0, 2}),
        ("周一三五", {0, 2, 4}),
        ("每周一三五", {0, 2, 4}),
        ("星期天", {6}),
        ("礼拜六", {5}),
        ("mon-fri", WEEKDAYS),
        ("Monday to Friday", WEEKDAYS),
        ("周一到周五", WEEKDAYS),
        ("周一至五", WEEKDAYS),
        ("fri-mon", {4, 5, 6, 0}),
        ("周一-周三，周五", {0, 1, 2, 4}),
        ("weekends, mon", {0, 5, 6}),
    ],
)
def test_days_people_type(text: str, expected: set[int]) -> None:
    assert parse_days(text) == frozenset(expected)


@pytest.mark.parametrize("text", ["someday", "", "周八", "mon-", "mon-tue-wed", "每周"])
def test_words_that_are_not_days_are_refused(text: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_days(text)
    assert err.value.field == "days"


# -- /subscribe -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, at, tz",
    [
        ("8am PST", time(8, 0), "America/Los_Angeles"),
        ("8 am PST", time(8, 0), "America/Los_Angeles"),
        ("08:00 Asia/Shanghai", time(8, 0), "Asia/Shanghai"),
        ("晚上9点半 上海", time(21, 30), "Asia/Shanghai"),
        ("21:30 北京时间", time(21, 30), "Asia/Shanghai"),
        ("21:30北京时间", time(21, 30), "Asia/Shanghai"),
        ("8点半上海", time(8, 30), "Asia/Shanghai"),
        ("8点三藩市", time(8, 0), "America/Los_Angeles"),
        ("8:00 pm New York", time(20, 0), "America/New_York"),
        ("8 amsterdam", time(8, 0), "Europe/Amsterdam"),
        ("0800 UTC+8", time(8, 0), "Etc/GMT-8"),
        ("at 8pm in London", time(20, 0), "Europe/London"),
        ("Tokyo 7:00", time(7, 0), "Asia/Tokyo"),
        ("UTC+8 8:00", time(8, 0), "Etc/GMT-8"),
        ("上海 晚上9点半", time(21, 30), "Asia/Shanghai"),
        ("8点", time(8, 0), None),
        ("7:30 am", time(7, 30), None),
    ],
)
def test_subscribe_args_split_into_time_and_zone(text: str, at: time, tz: str | None) -> None:
    assert parse_subscribe_args(text) == (at, tz)


def test_subscribe_args_pass_the_language_on() -> None:
    assert parse_subscribe_args("9pm CST", "zh") == (time(21, 0), "Asia/Shanghai")


@pytest.mark.parametrize(
    "text, field",
    [("Asia/Shanghai", "time"), ("UTC+8", "time"), ("hello", "time"), ("8:61 PST", "time"),
     ("", "time"), ("8amPST", "time"), ("8am Asia/Shangai", "zone"), ("8点 火星", "zone")],
)  # fmt: skip
def test_subscribe_args_say_which_part_is_wrong(text: str, field: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_subscribe_args(text)
    assert err.value.field == field


# -- any input --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["en", "zh", None]))
def test_any_text_gives_a_value_or_a_parse_error(text: str, lang: str | None) -> None:
    for parse in (parse_local_time, parse_days, resolve_timezone):
        with contextlib.suppress(ParseError):
            parse(text)
    try:
        at, tz = parse_subscribe_args(text, lang)
    except ParseError:
        return
    assert isinstance(at, time)
    if tz is not None:
        ZoneInfo(tz)


def test_very_long_input_is_refused_quickly() -> None:
    text = "晚上九点半 Asia/Shanghai " * 400
    for parse in (parse_local_time, parse_days, resolve_timezone, parse_subscribe_args):
        with pytest.raises(ParseError):
            parse(text)
