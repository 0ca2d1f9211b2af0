"""Asking for the papers with Li Mu's videos, and a question in Traditional Chinese from a
reader whose Telegram is in English, through the real Application."""

from __future__ import annotations

import pytest

from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from tests.botmethods import FakeTelegram
from tests.harness import OfflineBot
from tests.ux import EN, TW, ZH, User, labels, of_kind, text_of


@pytest.mark.parametrize(
    ("chat", "question", "heading"),
    [
        (EN, "which papers have videos?", "Papers on Ilya Sutskever's ~30 papers with a video"),
        (ZH, "有视频的论文", "Ilya Sutskever 的约 30 篇论文里有李沐精读视频的论文"),
        (TW, "哪些論文有影片", "Ilya Sutskever 的約 30 篇論文裡有李沐精讀影片的論文"),
    ],
    ids=["en", "zh-hans", "zh-TW"],
)
async def test_the_papers_with_videos_and_the_rest_on_li_mus_list(
    bot: OfflineBot,
    telegram: FakeTelegram,
    catalogue: Catalogue,
    chat: int,
    question: str,
    heading: str,
) -> None:
    user = User(bot, chat)
    reply = await user.say(question)
    lines = text_of(reply).splitlines()
    assert lines[0].startswith(heading), lines[0]
    shown = {a.paper_id for a in of_kind(reply, cb.ShowCard)}
    papers = catalogue.papers
    assert shown and all(papers[pid].videos for pid in shown)
    (more,) = of_kind(reply, cb.ListingOn)
    assert (more.list_id, more.kind) == ("paper-reading", "video")
    answer = await user.tap(reply, more)
    assert answer.params.get("text") is None, answer.params.get("text")  # not "expired"
    rest = {a.paper_id for a in of_kind(telegram.take_reply(chat), cb.ShowCard)}
    assert rest and not rest & shown and all(papers[pid].videos for pid in rest)


async def test_traditional_chinese_gets_traditional_from_an_english_telegram(
    bot: OfflineBot,
) -> None:
    """The reader's Telegram is in English and they write in Traditional characters: the
    answer is in Traditional Chinese, not Simplified."""
    reply = await User(bot, EN).say("誰寫了 BERT？")
    assert text_of(reply).startswith("BERT（2018）的作者：Jacob Devlin")  # its usual name
    assert "📄 打開" in labels(reply), labels(reply)


async def test_a_simplified_chinese_telegram_keeps_its_script(bot: OfflineBot) -> None:
    reply = await User(bot, ZH).say("誰寫了 BERT？")
    assert "📄 打开" in labels(reply), labels(reply)
