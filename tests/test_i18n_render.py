"""Message catalogues agree; every card fits Telegram's limit; HTML is always escaped."""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.core.answers import Answerer
from bot.core.catalogue import Catalogue
from bot.features.browsing import page_reply
from bot.features.common import list_name
from bot.features.reminder_run import reminder_reply
from bot.features.render import PAGE_SIZE, answer_reply, card
from bot.features.reply import TELEGRAM_TEXT_LIMIT, Reply
from bot.i18n import catalogue as messages
from bot.i18n import (
    format_count,
    format_date,
    format_duration,
    format_hours,
    format_weekdays,
    from_telegram,
    localise,
    placeholders,
    plural,
)
from bot.storage.progress import ProgressState


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    en, zh = messages("en"), messages("zh")
    assert set(en) == set(zh)
    for key in en:
        assert placeholders(en[key]) == placeholders(zh[key]), key


def test_no_user_facing_literals_in_handlers() -> None:
    """Handlers and features only use message keys; no sentence literal is hard-coded."""
    root = Path(__file__).resolve().parents[1] / "bot"
    for path in (root / "telegram" / "handlers.py", *sorted((root / "features").glob("*.py"))):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "Reply(" in line and re.search(r'Reply\(\s*"[A-Za-z\u4e00-\u9fff]', line):
                pytest.fail(f"literal reply text in {path.name}: {line.strip()}")


@pytest.mark.parametrize("lang", ["en", "zh", "zh-hant", "zh-hk"])
def test_every_card_fits_telegram_after_escaping(catalogue: Catalogue, lang: str) -> None:
    for paper in catalogue:
        text = localise(card(catalogue, paper, lang), lang)
        assert len(text) <= TELEGRAM_TEXT_LIMIT, paper.id
        visible = re.sub(r"<[^>]+>", "", text)  # link targets are not on the screen
        # Summary, key ideas, related papers and videos: about two phone screens at most.
        assert len(visible) < 1700, f"{paper.id} card is too long for a phone screen"
        lines = text.split("\n")
        assert paper.url in lines[-1]


def test_user_text_is_escaped_in_replies(catalogue: Catalogue) -> None:
    answer = Answerer(catalogue).answer("<b>bold</b> & <script>")
    reply = answer_reply(catalogue, answer, "en")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in reply.text
    assert "<script>" not in reply.text


@pytest.mark.parametrize(
    "code, lang",
    [
        ("en", "en"),
        ("en-US", "en"),
        (None, "en"),
        ("zh", "zh"),
        ("zh-hans", "zh"),
        ("zh-CN", "zh"),
        ("zh-hant", "zh-hant"),
        ("zh-TW", "zh-hant"),
        ("zh-HK", "zh-hk"),
        ("de", "en"),
    ],
)
def test_telegram_language_codes(code: str | None, lang: str) -> None:
    assert from_telegram(code) == lang


def test_traditional_chinese_is_rendered_by_opencc() -> None:
    assert localise("指针网络是什么", "zh-hant") != "指针网络是什么"
    assert localise("指针网络", "zh") == "指针网络"
    assert html.unescape(localise("&lt;b&gt;", "zh-hant")) == "<b>"


@pytest.mark.parametrize(
    "lang, date, mon_wed_fri, weekend",
    [
        ("en", "28 Nov 2026", "Mon, Wed and Fri", "Sat and Sun"),
        ("zh", "2026年11月28日", "周一、周三和周五", "周六和周日"),
        ("zh-hant", "2026年11月28日", "週一、週三和週五", "週六和週日"),
        ("zh-hk", "2026年11月28日", "週一、週三及週五", "週六及週日"),
    ],
)
def test_dates_and_weekdays_in_each_language(
    lang: str, date: str, mon_wed_fri: str, weekend: str
) -> None:
    assert format_date(datetime.date(2026, 11, 28), lang) == date
    assert format_weekdays(frozenset({4, 0, 2}), lang) == mon_wed_fri
    assert format_weekdays([6, 5, 5], lang) == weekend
    assert format_weekdays(set(), lang) == ""
    with pytest.raises(ValueError):
        format_weekdays({7}, lang)


def test_counts_and_plurals() -> None:
    assert [format_count(n, "day", "en") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert format_count(2, "day", "zh") == "2天"
    assert format_count(1, "paper", "en") == "1 paper"
    assert format_count(27, "paper", "en") == "27 papers"
    assert format_count(27, "paper", "zh") == "27 篇论文"
    assert format_count(3, "video", "zh-hant") == "3 個影片"
    assert plural(1, "item", "items", "en") == "item"
    assert plural(1, "篇", "篇", "zh") == "篇"
    with pytest.raises(KeyError):
        format_count(1, "parsec", "en")


@pytest.mark.parametrize(
    "seconds, en, zh, hant",
    [
        (45, "45 secs", "45秒", "45 秒"),
        (1199, "20 mins", "20分钟", "20 分鐘"),
        (3600, "1 hr", "1小时", "1 小時"),
        (3930, "1 hr 6 mins", "1小时6分钟", "1 小時 6 分鐘"),
        (4290, "1 hr 12 mins", "1小时12分钟", "1 小時 12 分鐘"),
    ],
)
def test_durations_read_naturally(seconds: int, en: str, zh: str, hant: str) -> None:
    assert format_duration(seconds, "en") == en
    assert format_duration(seconds, "zh") == zh
    assert format_duration(seconds, "zh-hant") == hant


def test_hours_to_one_decimal() -> None:
    assert format_hours(3600, "en") == "1 hour"
    assert format_hours(45000, "en") == "12.5 hours"
    assert format_hours(45000, "zh") == "12.5小时"
    assert format_hours(45000, "zh-hant") == "12.5 小時"


@pytest.mark.parametrize("lang", ["en", "zh", "zh-hant"])
def test_every_reminder_and_list_page_fits_telegram(catalogue: Catalogue, lang: str) -> None:
    """The daily reminder for every paper of every list (it is the paper's card under a
    progress line), and every page of every list: text within 4096 characters, callback data
    within 64 bytes."""
    services = SimpleNamespace(catalogue=catalogue)
    for lst in catalogue.lists.values():
        states: dict[str, ProgressState] = {}
        for pid in lst.order:
            reply = reminder_reply(services, lst, states, lang)  # type: ignore[arg-type]
            assert len(localise(reply.text, lang)) <= TELEGRAM_TEXT_LIMIT, (lst.id, pid)
            assert catalogue.papers[pid].url in reply.text
            _assert_buttons_fit(reply)
            states[pid] = "read"
        done = reminder_reply(services, lst, states, lang)  # type: ignore[arg-type]
        assert list_name(lst, lang) in done.text
        pages = -(-len(lst) // PAGE_SIZE)
        for page in range(pages):
            reply = page_reply(services, lst, page, lang)  # type: ignore[arg-type]
            assert len(localise(reply.text, lang)) <= TELEGRAM_TEXT_LIMIT
            _assert_buttons_fit(reply)


def _assert_buttons_fit(reply: Reply) -> None:
    for row in reply.buttons:
        for button in row:
            if button.data is not None:
                assert len(button.data.encode()) <= 64, button.data
