"""Message catalogues (``bot/locales/en.yaml``, ``zh.yaml``), language selection and formatting.

Languages: ``en``, ``zh`` (Simplified), ``zh-hant`` (Traditional, Taiwan usage) and
``zh-hk`` (Traditional, Hong Kong). Traditional text is rendered from our Simplified text at
the very end (:func:`localise`), so there is one Chinese catalogue to maintain: OpenCC converts
character by character (``s2tw``, ``s2hk``), then, for Taiwan, a short table of our own swaps
the few terms Taiwan writes differently (網絡 -> 網路, 數據 -> 資料...). OpenCC's phrase
conversion (``s2twp``) is not used: it turns the field's terms into other words (参数 into
引數, 激活 into 啟用, 局部 into 區域性).

Dates, weekday names, lists, plurals and units come from Babel (CLDR data), per language:
English as in ``en_GB`` ("28 Nov 2026", "Mon, Wed and Fri"), ``zh_Hans_CN``, ``zh_Hant_TW``
and ``zh_Hant_HK``. The ``format_*`` helpers return text already in the script of ``lang``;
passing it through :func:`localise` again changes nothing.
"""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import opencc
import yaml
from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import get_day_names
from babel.lists import format_list
from babel.units import format_unit

from bot.core.text import has_cjk, is_traditional

LOCALES = Path(__file__).with_name("locales")
LANGS = ("en", "zh", "zh-hant", "zh-hk")
_OPENCC = {"zh-hant": "s2tw", "zh-hk": "s2hk"}
_BABEL = {"en": "en_GB", "zh": "zh_Hans_CN", "zh-hant": "zh_Hant_TW", "zh-hk": "zh_Hant_HK"}
# libyaml's safe loader when available (same result as yaml.safe_load, several times faster).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Terms that Taiwan writes differently from the character-by-character conversion, keyed by
# the Simplified term (longest match wins, so 大数据 and 比特币 keep their usual forms). Only
# terms Taiwanese writing about machine learning clearly uses; the field's own terms
# (参数 參數, 激活 激活, 局部 局部, 卷积 卷積) are left to the character conversion.
TAIWAN_TERMS = {
    "网络": "網路",
    "互联网": "網際網路",
    "视频": "影片",
    "数据": "資料",
    "大数据": "大數據",
    "信息": "資訊",
    "信息论": "資訊理論",
    "代码": "程式碼",
    "源代码": "原始碼",
    "伪代码": "虛擬碼",
    "软件": "軟體",
    "硬件": "硬體",
    "算法": "演算法",
    "默认": "預設",
    "分辨率": "解析度",
    "服务器": "伺服器",
    "内存": "記憶體",
    "博客": "部落格",
    "链接": "連結",
    "字符": "字元",
    "字符串": "字串",
    "人工智能": "人工智慧",
    "超级智能": "超級智慧",
    "模块": "模組",
    "变量": "變數",
    "队列": "佇列",
    "概率": "機率",
    "比特": "位元",
    "比特币": "比特幣",
    "搜索": "搜尋",
    "可视化": "視覺化",
    "指针": "指標",
    "批量": "批次",
    "性能": "效能",
    "设置": "設定",
    "导出": "匯出",
    "当前": "目前",
    "斯坦福": "史丹佛",
    "计算机视觉": "電腦視覺",
}

# OpenCC mistakes, fixed for both Traditional variants: its phrase 单于 (a Xiongnu title)
# swallows the 单 of 清单于 ("the list, in 2024...") and leaves 于 unconverted; 被复制机制
# ("by the copy mechanism") comes out as 被複制機制.
OPENCC_FIXES = {"单于": "單於", "被复制机制": "被複製機制"}

# Counted nouns: CLDR units (Babel knows their plurals in every language), and our own.
_UNITS = {
    "second": "duration-second",
    "minute": "duration-minute",
    "hour": "duration-hour",
    "day": "duration-day",
    "week": "duration-week",
    "month": "duration-month",
    "year": "duration-year",
}
_NOUNS = {
    "paper": {"one": "{n} paper", "other": "{n} papers", "zh": "{n} 篇论文"},
    "video": {"one": "{n} video", "other": "{n} videos", "zh": "{n} 个视频"},
    "list": {"one": "{n} list", "other": "{n} lists", "zh": "{n} 个清单"},
}


@lru_cache(maxsize=2)
def catalogue(base: str) -> dict[str, str]:
    """Return the message catalogue for ``en`` or ``zh`` (loaded once)."""
    data = yaml.load((LOCALES / f"{base}.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    return {str(k): str(v) for k, v in data.items()}


def placeholders(template: str) -> set[str]:
    """Return the named ``{placeholders}`` of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def base_lang(lang: str) -> str:
    """Return the catalogue a language uses: ``zh`` for every Chinese variant, else ``en``."""
    return "zh" if lang.startswith("zh") else "en"


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@lru_cache(maxsize=2)
def _terms(lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """Our table for ``lang``, keyed by what OpenCC makes of each Simplified term, and its
    pattern. Each result maps to itself too, so text converted twice stays the same (演算法
    must not become 演演算法)."""
    convert = _converter(_OPENCC[lang]).convert
    terms = {**OPENCC_FIXES, **(TAIWAN_TERMS if lang == "zh-hant" else {})}
    table = {str(convert(simplified)): result for simplified, result in terms.items()}
    table.update({result: result for result in terms.values()})
    keys = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), table


def _to_traditional(text: str, lang: str) -> str:
    pattern, table = _terms(lang)
    converted = str(_converter(_OPENCC[lang]).convert(text))
    return pattern.sub(lambda m: table[m.group()], converted)


def localise(text: str, lang: str) -> str:
    """Convert finished Simplified-Chinese text to the Traditional variant ``lang`` asks for.

    ``zh-hant``: OpenCC ``s2tw`` (characters, Taiwan variants), then :data:`TAIWAN_TERMS`.
    ``zh-hk``: OpenCC ``s2hk``. Any other language: ``text`` unchanged.

    OpenCC stops at a NUL character (C strings), so the text is converted piece by piece
    around any NUL a user sent, instead of being cut short (and its HTML left unbalanced).
    """
    if lang not in _OPENCC:
        return text
    return "\x00".join(_to_traditional(part, lang) for part in text.split("\x00"))


def t(lang: str, key: str, /, **params: Any) -> str:
    """Return message ``key`` in ``lang`` with ``params`` filled in (no script conversion).

    Raises:
        KeyError: for an unknown key or a missing placeholder value (a bug, caught by tests).
    """
    return catalogue(base_lang(lang))[key].format(**params)


def from_telegram(language_code: str | None) -> str:
    """Map a Telegram ``language_code`` (IETF tag) to one of :data:`LANGS`.

    ``zh-hans``/``zh-cn``/``zh-sg``/``zh`` -> ``zh``; ``zh-hant``/``zh-tw`` -> ``zh-hant``;
    ``zh-hk``/``zh-mo`` -> ``zh-hk``; anything else (or None) -> ``en``.
    """
    code = (language_code or "").lower().replace("_", "-")
    if not code.startswith("zh"):
        return "en"
    if code in {"zh-hk", "zh-mo"}:
        return "zh-hk"
    if code in {"zh-hant", "zh-tw"} or code.startswith("zh-hant"):
        return "zh-hant"
    return "zh"


def reply_lang(question: str, user_lang: str) -> str:
    """Choose the reply language of ``question``: a Chinese question gets Chinese, in the
    user's Chinese variant if they have one, else in the question's script (Traditional
    characters -> ``zh-hant``, otherwise ``zh``); any other question the user's language."""
    if not has_cjk(question):
        return user_lang
    if user_lang.startswith("zh"):
        return user_lang
    return "zh-hant" if is_traditional(question) else "zh"


# --- Formatting with Babel -------------------------------------------------------------------


@lru_cache(maxsize=8)
def babel_locale(lang: str) -> Locale:
    """Return the Babel locale of one of :data:`LANGS` (anything else: English)."""
    return Locale.parse(_BABEL.get(lang, _BABEL["en"]))


def format_date(day: datetime.date, lang: str) -> str:
    """Return a calendar date: ``28 Nov 2026`` (en) or ``2026年11月28日`` (Chinese)."""
    return str(_babel_date(day, "medium", locale=babel_locale(lang)))


def format_weekdays(days: Iterable[int], lang: str) -> str:
    """Return weekdays as a list in words, Monday first.

    Args:
        days: weekday numbers, Monday = 0 ... Sunday = 6 (``date.weekday()``).
        lang: one of :data:`LANGS`.

    Returns:
        ``"Mon, Wed and Fri"``, ``"周一、周三和周五"``, ``"週一、週三和週五"`` (zh-hant);
        an empty string for no days.

    Raises:
        ValueError: for a number outside 0-6.
    """
    wanted = sorted(set(days))
    if any(not 0 <= d <= 6 for d in wanted):
        raise ValueError(f"weekdays are 0 (Monday) to 6 (Sunday), got {wanted}")
    locale = babel_locale(lang)
    names = get_day_names("abbreviated", "format", locale)
    return str(format_list([names[d] for d in wanted], locale=locale)) if wanted else ""


def plural(n: int, one: str, other: str, lang: str) -> str:
    """Return ``one`` or ``other`` by the plural rules of ``lang`` (Chinese: always ``other``)."""
    return one if babel_locale(lang).plural_form(n) == "one" else other


def format_count(n: int, noun: str, lang: str) -> str:
    """Return ``n`` with its noun: ``"1 day"``, ``"2 days"``, ``"2天"``, ``"3 篇论文"``.

    Args:
        n: the count.
        noun: ``second``, ``minute``, ``hour``, ``day``, ``week``, ``month``, ``year``
            (CLDR units, every language from Babel) or ``paper``, ``video``, ``list``.
        lang: one of :data:`LANGS`.

    Raises:
        KeyError: for an unknown noun.
    """
    if noun in _UNITS:
        return str(format_unit(n, _UNITS[noun], length="long", locale=babel_locale(lang)))
    forms = _NOUNS[noun]
    if lang.startswith("zh"):
        return localise(forms["zh"].format(n=n), lang)
    return plural(n, forms["one"], forms["other"], lang).format(n=n)


def format_duration(seconds: int, lang: str) -> str:
    """Return a length of time to the minute: ``"1 hr 5 mins"``, ``"1小时5分钟"``, ``"45 sec"``.

    Args:
        seconds: the length; under a minute it is shown in seconds, otherwise rounded to
            the nearest minute.
        lang: one of :data:`LANGS`.
    """
    locale = babel_locale(lang)
    if seconds < 60:
        return str(format_unit(max(seconds, 0), "duration-second", length="short", locale=locale))
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = [format_unit(hours, "duration-hour", length="short", locale=locale)] if hours else []
    if minutes or not hours:
        parts.append(format_unit(minutes, "duration-minute", length="short", locale=locale))
    # CLDR's narrow unit list has no separator ("1 hr 5 mins", "1小时5分钟"), but its
    # Traditional Chinese units carry a space ("1 小時"): they read better spaced evenly.
    style: Literal["unit-short", "unit-narrow"] = (
        "unit-short" if lang in {"zh-hant", "zh-hk"} else "unit-narrow"
    )
    return str(format_list(parts, style=style, locale=locale))


def format_hours(seconds: int, lang: str) -> str:
    """Return a total in hours, to one decimal: ``"12.5 hours"``, ``"1 hour"``, ``"12.5小时"``.

    Args:
        seconds: the total length.
        lang: one of :data:`LANGS`.
    """
    hours = round(seconds / 3600, 1)
    value = int(hours) if hours == int(hours) else hours
    return str(
        format_unit(
            value, "duration-hour", length="long", format="#,##0.#", locale=babel_locale(lang)
        )
    )
