"""End to end: the real Application and python-telegram-bot's HTTP layer, against a Bot API
server on loopback. The tests play a user and read what the bot sends."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.console import plain
from bot.core.catalogue import Catalogue

try:
    from tests.botapi import FakeBotAPI
    from tests.conftest import TOKEN, FakeClock
    from tests.harness import RunningBot
except ImportError:  # pragma: no cover
    from botapi import FakeBotAPI  # type: ignore[no-redef]
    from conftest import TOKEN, FakeClock  # type: ignore[no-redef]
    from harness import RunningBot  # type: ignore[no-redef]

CHAT = 777


def button_data(request: object, label_part: str) -> str:
    for row in request.buttons:  # type: ignore[attr-defined]
        for b in row:
            if label_part in b.get("text", "") and "callback_data" in b:
                return str(b["callback_data"])
    raise AssertionError(f"no button {label_part!r} in {request.buttons}")  # type: ignore[attr-defined]


async def test_user_journey_start_question_next_read_progress_subscribe_reminder(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))  # 04:00 next day in Shanghai
    async with RunningBot(api, db_path, catalogue, TOKEN, clock) as bot:
        # Menus are registered in both languages at start-up.
        codes = {c.params.get("language_code") for c in api.calls("setMyCommands")}
        assert codes == {None, "zh"}

        api.send_text(CHAT, "/start", first_name="Ada")
        start = await api.next_reply(CHAT)
        assert "Hi Ada" in plain(start.text) and "/next" in plain(start.text)
        assert start.buttons, "start offers buttons"

        api.send_text(CHAT, "what is Pointer Networks")
        card = await api.next_reply(CHAT)
        assert plain(card.text).startswith("Pointer Networks")
        assert "Oriol Vinyals" in plain(card.text) and "2015" in plain(card.text)
        assert "https://arxiv.org/abs/1506.03134" in plain(card.text)
        assert card.params["parse_mode"] == "HTML"

        api.send_text(CHAT, "指针网络是什么", language_code="en")
        zh = await api.next_reply(CHAT)
        assert plain(zh.text).startswith("指针网络") and "为什么读" in plain(zh.text)

        api.send_text(CHAT, "/next")
        nxt = await api.next_reply(CHAT)
        assert "The Annotated Transformer" in plain(nxt.text) and "0/27" in plain(nxt.text)
        api.press(CHAT, nxt.message_id, button_data(nxt, "Read"))
        marked = await api.next_reply(CHAT)
        assert marked.method.lower() == "editmessagetext"
        assert "1/27" in plain(marked.text)

        api.send_text(CHAT, "/progress")
        prog = await api.next_reply(CHAT)
        assert "1/27" in plain(prog.text) and "First Law of Complexodynamics" in plain(prog.text)

        api.send_text(CHAT, "/subscribe 08:00 Asia/Shanghai")
        sub = await api.next_reply(CHAT)
        assert "08:00" in plain(sub.text) and "Asia/Shanghai" in plain(sub.text)

        # 07:59 in Shanghai: nothing yet.
        clock.set(datetime(2026, 3, 2, 23, 59, tzinfo=UTC))
        await bot.run_reminder_job()
        await api.assert_no_reply(CHAT)
        # 08:00:30 in Shanghai: exactly one reminder, with its buttons.
        clock.set(datetime(2026, 3, 3, 0, 0, 30, tzinfo=UTC))
        await bot.run_reminder_job()
        reminder = await api.next_reply(CHAT)
        assert "daily paper" in plain(reminder.text) and "First Law of Complexodynamics" in plain(
            reminder.text
        )
        labels = [b["text"] for row in reminder.buttons for b in row]
        assert any("Snooze" in x for x in labels) and any("Pause" in x for x in labels)
        await bot.run_reminder_job()
        await api.assert_no_reply(CHAT)

    # A restart later the same local day must not send it again.
    clock.set(datetime(2026, 3, 3, 6, 0, tzinfo=UTC))
    async with RunningBot(api, db_path, catalogue, TOKEN, clock) as bot:
        await bot.run_reminder_job()
        await api.assert_no_reply(CHAT)
        # The next local day it comes again, once.
        clock.set(datetime(2026, 3, 4, 0, 1, tzinfo=UTC))
        await bot.run_reminder_job()
        again = await api.next_reply(CHAT)
        assert "daily paper" in plain(again.text)
        await bot.run_reminder_job()
        await api.assert_no_reply(CHAT)
    reminders = [r for r in api.sent(CHAT) if "daily paper" in (r.text or "")]
    assert len(reminders) == 2


async def test_missed_reminder_is_sent_once_after_downtime(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    async with RunningBot(api, db_path, catalogue, TOKEN, clock):
        api.send_text(CHAT, "/subscribe 09:00 Europe/Berlin")
        await api.next_reply(CHAT)
    # The bot was down at 09:00 Berlin on 3 March; it comes back at 15:00 the same day.
    clock.set(datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
    async with RunningBot(api, db_path, catalogue, TOKEN, clock) as bot:
        await bot.run_reminder_job()
        got = await api.next_reply(CHAT)
        assert "daily paper" in plain(got.text)
        await bot.run_reminder_job()
        await api.assert_no_reply(CHAT)


async def test_choices_none_and_language_switch_buttons(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    async with RunningBot(api, db_path, catalogue, TOKEN, clock):
        api.send_text(CHAT, "how do I cook rice")
        none = await api.next_reply(CHAT)
        assert "won't guess" in plain(none.text) and "/list" in plain(none.text)

        api.send_text(CHAT, "resnet")
        card = await api.next_reply(CHAT)
        assert plain(card.text).startswith("Deep Residual Learning")
        api.press(CHAT, card.message_id, button_data(card, "中文"))
        switched = await api.next_reply(CHAT)
        assert switched.method.lower() == "editmessagetext"
        assert plain(switched.text).startswith("用于图像识别的深度残差学习") or "残差" in plain(
            switched.text
        )

        api.send_text(CHAT, "/lang zh-hant")
        await api.next_reply(CHAT)
        api.send_text(CHAT, "指针网络")
        trad = await api.next_reply(CHAT)
        assert (
            "指標網路" in plain(trad.text)
            or "指針網路" in plain(trad.text)
            or "指針網絡" in plain(trad.text)
        )


async def test_group_chatter_is_ignored_but_mentions_are_answered(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    group = -100123
    async with RunningBot(api, db_path, catalogue, TOKEN, clock):
        api.send_text(group, "lunch anyone?", chat_type="group", user_id=5)
        await api.assert_no_reply(group, within=0.5)
        api.send_text(group, "@paperbot_test_bot what is alexnet", chat_type="group", user_id=5)
        reply = await api.next_reply(group)
        assert "ImageNet Classification" in plain(reply.text)
