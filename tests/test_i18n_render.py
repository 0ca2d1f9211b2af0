"""Message catalogues agree; every card fits Telegram's limit; HTML is always escaped."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from bot.core.answers import Answerer
from bot.core.catalogue import Catalogue
from bot.i18n import catalogue as messages
from bot.i18n import from_telegram, localise, placeholders
from bot.render import TELEGRAM_TEXT_LIMIT, answer_reply, card


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    en, zh = messages("en"), messages("zh")
    assert set(en) == set(zh)
    for key in en:
        assert placeholders(en[key]) == placeholders(zh[key]), key


def test_no_user_facing_literals_in_handlers() -> None:
    """Handlers and the service only use message keys; no sentence literal is hard-coded."""
    root = Path(__file__).resolve().parents[1] / "bot"
    for path in (root / "telegram" / "handlers.py", root / "service.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "Reply(" in line and re.search(r'Reply\(\s*"[A-Za-z\u4e00-\u9fff]', line):
                pytest.fail(f"literal reply text in {path.name}: {line.strip()}")


@pytest.mark.parametrize("lang", ["en", "zh", "zh-hant", "zh-hk"])
def test_every_card_fits_telegram_after_escaping(catalogue: Catalogue, lang: str) -> None:
    for paper in catalogue:
        text = localise(card(catalogue, paper, lang), lang)
        assert len(text) <= TELEGRAM_TEXT_LIMIT, paper.id
        assert len(text) < 1500, f"{paper.id} card is too long for a phone screen"
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
