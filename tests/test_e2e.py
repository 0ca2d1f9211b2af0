"""End to end: the real Application plays a user's journey. In-process on a fake Telegram that
enforces Telegram's rules, and once over HTTP (python-telegram-bot's HTTP layer against the fake
Bot API on loopback) as a smoke test of the wire."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.console import plain
from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from tests.botapi import FakeBotAPI
from tests.botmethods import FakeTelegram
from tests.botmodel import Request
from tests.conftest import FakeClock
from tests.harness import OfflineBot, RunningBot

CHAT = 777


def reminders(telegram: FakeTelegram, chat: int) -> list[Request]:
    return [r for r in telegram.sent(chat) if "daily paper" in plain(r.text or "")]


async def test_user_journey_start_question_next_read_progress_subscribe_reminder(
    telegram: FakeTelegram, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))  # 04:00 next day in Shanghai
    async with OfflineBot(telegram, db_path, catalogue, clock) as bot:
        # Menus are registered in both languages at start-up.
        codes = {c.params.get("language_code") for c in telegram.calls("setMyCommands")}
        assert codes == {None, "zh"}

        start = await bot.say(CHAT, "/start", first_name="Ada")
        assert "Hi Ada" in plain(start.text or "") and "/next" in plain(start.text or "")
        assert start.buttons, "start offers buttons"

        card = await bot.say(CHAT, "what is Pointer Networks")
        shown = plain(card.text or "")
        assert shown.startswith("Pointer Networks")
        assert "Oriol Vinyals" in shown and "2015" in shown
        assert "https://arxiv.org/abs/1506.03134" in shown
        assert card.params["parse_mode"] == "HTML"

        zh = plain((await bot.say(CHAT, "指针网络是什么", language_code="en")).text or "")
        assert zh.startswith("指针网络") and "为什么读" in zh

        nxt = await bot.say(CHAT, "/next")
        assert "The Annotated Transformer" in plain(nxt.text or "")
        assert "0/27" in plain(nxt.text or "")
        answer = await bot.tap(CHAT, nxt, cb.MarkRead("annotated-transformer"))  # a toast
        assert answer.params.get("text") == (
            "✅ Marked The Annotated Transformer as read. 1/27 on Ilya Sutskever's ~30 papers."
        )
        marked = telegram.take_reply(CHAT)  # the card stays, its buttons change
        assert (marked.method, marked.message_id) == ("editMessageReplyMarkup", nxt.message_id)
        assert [b["text"] for b in marked.buttons[0]] == ["✅ Read", "↩ Undo", "📖 Next paper"]

        prog = plain((await bot.say(CHAT, "/progress")).text or "")
        assert "1/27" in prog and "First Law of Complexodynamics" in prog

        sub = plain((await bot.say(CHAT, "/subscribe 08:00 Asia/Shanghai")).text or "")
        assert "every day at 08:00 (Asia/Shanghai)" in sub
        assert "First one: 3 Mar 2026 08:00" in sub  # Babel's date, the local time

        # 07:59 in Shanghai: nothing yet.
        clock.set(datetime(2026, 3, 2, 23, 59, tzinfo=UTC))
        await bot.run_reminder_job()
        telegram.check_no_reply(CHAT)
        # 08:00:30 in Shanghai: exactly one reminder, with its buttons.
        clock.set(datetime(2026, 3, 3, 0, 0, 30, tzinfo=UTC))
        await bot.run_reminder_job()
        reminder = telegram.take_reply(CHAT)
        assert "daily paper" in plain(reminder.text or "")
        assert "First Law of Complexodynamics" in plain(reminder.text or "")
        labels = [b["text"] for row in reminder.buttons for b in row]
        assert any("Snooze" in x for x in labels) and any("Pause" in x for x in labels)
        await bot.run_reminder_job()
        telegram.check_no_reply(CHAT)

    # A restart later the same local day must not send it again.
    clock.set(datetime(2026, 3, 3, 6, 0, tzinfo=UTC))
    async with OfflineBot(telegram, db_path, catalogue, clock) as bot:
        await bot.run_reminder_job()
        telegram.check_no_reply(CHAT)
        # The next local day it comes again, once.
        clock.set(datetime(2026, 3, 4, 0, 1, tzinfo=UTC))
        await bot.run_reminder_job()
        assert "daily paper" in plain(telegram.take_reply(CHAT).text or "")
        await bot.run_reminder_job()
        telegram.check_no_reply(CHAT)
    assert len(reminders(telegram, CHAT)) == 2


async def test_over_http_a_question_a_button_and_a_reminder(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    """The same Application polling the fake Bot API over HTTP, as ``paperbot run`` does."""
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    async with RunningBot(api, db_path, catalogue, clock) as bot:
        assert {c.params.get("language_code") for c in api.calls("setMyCommands")} == {None, "zh"}
        api.send_text(CHAT, "what is resnet")
        card = await api.next_reply(CHAT)
        assert plain(card.text or "").startswith("Deep Residual Learning")
        assert card.message_id is not None
        zh = cb.ShowCard("resnet", "zh").encode()
        await api.answered(api.press(CHAT, card.message_id, zh))
        switched = await api.next_reply(CHAT)
        assert switched.method == "editMessageText" and switched.message_id == card.message_id
        assert plain(switched.text or "").startswith("用于图像识别的深度残差学习")
        api.send_text(CHAT, "/subscribe 08:00 UTC")
        assert "every day at 08:00 (UTC)" in plain((await api.next_reply(CHAT)).text or "")
        api.send_text(CHAT, "/export")
        await bot.idle()
        exports = api.unread(CHAT)
        assert [r.method for r in exports] == ["sendDocument", "sendDocument"]
        names = [r.params["document"].filename for r in exports]
        assert names == ["paperbot-export.json", "paperbot-reading-log.md"]
        assert all(r.params["document"].content for r in exports), "uploaded over the wire"
        clock.set(datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC))
        await bot.run_reminder_job()
        assert "daily paper" in plain((await api.next_reply(CHAT)).text or "")
        await bot.idle()
        await api.assert_no_reply(CHAT)


async def test_missed_reminder_is_sent_once_after_downtime(
    telegram: FakeTelegram, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    async with OfflineBot(telegram, db_path, catalogue, clock) as bot:
        await bot.say(CHAT, "/subscribe 09:00 Europe/Berlin")
    # The bot was down at 09:00 Berlin on 3 March; it comes back at 15:00 the same day.
    clock.set(datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
    async with OfflineBot(telegram, db_path, catalogue, clock) as bot:
        await bot.run_reminder_job()
        assert "daily paper" in plain(telegram.take_reply(CHAT).text or "")
        await bot.run_reminder_job()
        telegram.check_no_reply(CHAT)


async def test_choices_none_and_language_switch_buttons(bot: OfflineBot) -> None:
    none = plain((await bot.say(CHAT, "how do I cook rice")).text or "")
    assert "won't guess" in none and "/list" in none

    card = await bot.say(CHAT, "resnet")
    assert plain(card.text or "").startswith("Deep Residual Learning")
    switched = await bot.press(CHAT, card, cb.ShowCard("resnet", "zh"))
    assert switched.method.lower() == "editmessagetext"
    assert plain(switched.text or "").startswith("用于图像识别的深度残差学习")

    await bot.say(CHAT, "/lang zh-hant")
    trad = plain((await bot.say(CHAT, "指针网络")).text or "")
    assert "指標網路" in trad or "指針網路" in trad or "指針網絡" in trad


async def test_group_chatter_is_ignored_but_mentions_are_answered(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    group = -100123
    telegram.send_text(group, "lunch anyone?", chat_type="group", user_id=5)
    await bot.idle()
    telegram.check_no_reply(group)
    reply = await bot.say(
        group, "@paperbot_test_bot what is alexnet", chat_type="group", user_id=5
    )
    assert "ImageNet Classification" in plain(reply.text or "")
