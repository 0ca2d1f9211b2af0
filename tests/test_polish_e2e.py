"""Polish of issue 14, end to end (1/2): a reader's language without /lang, a finished list's
buttons, and time: the zone /subscribe asks for, abbreviations with daylight saving, Chinese
times, offset labels, reminder days and pauses.

The real Application, in-process, on a fake Telegram that enforces Telegram's rules; users
press only buttons the bot sent (``tests/ux.py``). The other polish items (inline mode, edited
questions, wording, ``paperbot chat``) are in ``tests/test_polish_words_e2e.py``, groups in
``tests/test_groups_e2e.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from tests.botmethods import FakeTelegram
from tests.conftest import FakeClock
from tests.harness import OfflineBot
from tests.ux import CODES, EN, TW, ZH, User, data, is_edit_of, labels, of_kind, text_of

# -- 1. the Telegram language, remembered -----------------------------------------------------

#: What a reader who never ran /lang sees, in the language their Telegram reports. The list is
#: read but for its last paper (CS231n).
REMINDED: dict[int, dict[str, Any]] = {
    ZH: {
        "head": "⏰ 今天的论文，来自 Ilya Sutskever 的约 30 篇论文（已完成 26/27）：",
        "title": "CS231n：用于视觉识别的卷积神经网络",
        "buttons": ["✅ 标为已读", "⏭ 跳过", "⏰ 1 小时后提醒", "🔕 暂停", "📄 打开"],
        "toast": "✅ 已将 CS231n：用于视觉识别的卷积神经网络 标记为已读。"
        "Ilya Sutskever 的约 30 篇论文 已完成 27/27。",
        "marked": ["✅ 已读", "↩ 撤销", "📖 下一篇"],
        "finished": "🎉 恭喜！你已经读完 Ilya Sutskever 的约 30 篇论文，提醒已暂停："
        "用 /lists 换一个清单，再用 /resume 继续。",
        "lists": "🗂 切换清单",
        "lists_head": "阅读清单（✓ 为当前清单）：",
    },
    TW: {
        "head": "⏰ 今天的論文，來自 Ilya Sutskever 的約 30 篇論文（已完成 26/27）：",
        "title": "CS231n：用於視覺識別的卷積神經網路",
        "buttons": ["✅ 標為已讀", "⏭ 跳過", "⏰ 1 小時後提醒", "🔕 暫停", "📄 打開"],
        "toast": "✅ 已將 CS231n：用於視覺識別的卷積神經網路 標記為已讀。"
        "Ilya Sutskever 的約 30 篇論文 已完成 27/27。",
        "marked": ["✅ 已讀", "↩ 撤銷", "📖 下一篇"],
        "finished": "🎉 恭喜！你已經讀完 Ilya Sutskever 的約 30 篇論文，提醒已暫停："
        "用 /lists 換一個清單，再用 /resume 繼續。",
        "lists": "🗂 切換清單",
        "lists_head": "閱讀清單（✓ 為目前清單）：",
    },
    EN: {
        "head": "⏰ Your daily paper from Ilya Sutskever's ~30 papers (26/27 done):",
        "title": "CS231n: Convolutional Neural Networks for Visual Recognition",
        "buttons": ["✅ Mark read", "⏭ Skip", "⏰ Snooze 1 h", "🔕 Pause", "📄 Open"],
        "toast": "✅ Marked CS231n: Convolutional Neural Networks for Visual Recognition as "
        "read. 27/27 on Ilya Sutskever's ~30 papers.",
        "marked": ["✅ Read", "↩ Undo", "📖 Next paper"],
        "finished": "🎉 Congratulations! You have finished Ilya Sutskever's ~30 papers. "
        "Reminders are paused: pick another list with /lists, then /resume.",
        "lists": "🗂 Switch list",
        "lists_head": "Reading lists (✓ = your current list):",
    },
}


@pytest.mark.parametrize("chat", [ZH, TW, EN], ids=["zh-hans", "zh-TW", "en"])
async def test_reminders_speak_the_telegram_language_of_a_reader_who_never_chose_one(
    bot: OfflineBot, telegram: FakeTelegram, catalogue: Catalogue, clock: FakeClock, chat: int
) -> None:
    """The reminder is sent unprompted, so no update carries a language: the bot uses the
    Telegram language it last saw (``users.tg_lang``). Read is pressed from a client that
    reports no language: the stored one answers too."""
    user, want = User(bot, chat), REMINDED[chat]
    await user.say("/subscribe 08:00 Asia/Shanghai")
    stored = await bot.store.users.get(chat)
    assert stored is not None and stored.lang is None and stored.tg_lang == CODES[chat]
    order = catalogue.lists["sutskever-30"].order
    for pid in order[:-1]:
        await bot.store.progress.mark(chat, pid, "read", clock())

    clock.set(datetime(2026, 3, 3, 0, 0, 30, tzinfo=UTC))  # 08:00:30 in Shanghai
    await bot.run_reminder_job()
    reminder = telegram.take_reply(chat)
    telegram.check_no_reply(chat)
    assert text_of(reminder).startswith(want["head"] + "\n\n" + want["title"])
    assert labels(reminder) == want["buttons"]

    answer = await bot.tap(chat, reminder, cb.MarkRead(order[-1]), language_code=None)
    assert answer.params.get("text") == want["toast"]
    assert labels(telegram.take_reply(chat))[:3] == want["marked"]

    # The next morning: the list is finished, said in the same language, with Lists.
    clock.set(datetime(2026, 3, 4, 0, 0, 30, tzinfo=UTC))
    await bot.run_reminder_job()
    finished = telegram.take_reply(chat)
    assert text_of(finished) == want["finished"]
    assert labels(finished) == [want["lists"]]
    assert finished.callback_data == data(cb.Menu("lists"))
    lists = await bot.press(chat, finished, cb.Menu("lists"), language_code=None)
    assert text_of(lists).startswith(want["lists_head"])
    sub = await bot.store.reminders.get(chat)
    assert sub is not None and sub.schedule.paused_until is not None, "paused when finished"


# -- 3. a finished list -----------------------------------------------------------------------

FINISHED: dict[int, tuple[str, str, str]] = {
    #: (what /progress says, what /next says, the Lists button)
    EN: (
        "🎉 All done!",
        "🎉 You have finished Ilya Sutskever's ~30 papers: 26 read, 1 skipped. "
        "Try /lists for another list.",
        "🗂 Switch list",
    ),
    ZH: (
        "🎉 全部完成！",
        "🎉 Ilya Sutskever 的约 30 篇论文 已经读完：已读 26 篇，跳过 1 篇。"
        "试试 /lists 换一个清单。",
        "🗂 切换清单",
    ),
    TW: (
        "🎉 全部完成！",
        "🎉 Ilya Sutskever 的約 30 篇論文 已經讀完：已讀 26 篇，跳過 1 篇。"
        "試試 /lists 換一個清單。",
        "🗂 切換清單",
    ),
}


@pytest.mark.parametrize("chat", [EN, ZH, TW], ids=["en", "zh-hans", "zh-TW"])
async def test_progress_and_next_on_a_finished_list_offer_lists_not_next_paper(
    bot: OfflineBot, catalogue: Catalogue, clock: FakeClock, chat: int
) -> None:
    user = User(bot, chat)
    order = catalogue.lists["sutskever-30"].order
    before = await user.say("/progress")
    assert before.callback_data == data(cb.Menu("next")), "a list with papers left: Next"
    for pid in order:
        await bot.store.progress.mark(chat, pid, "skipped" if pid == order[0] else "read", clock())
    done, finished, lists_label = FINISHED[chat]

    progress = await user.say("/progress")
    assert done in text_of(progress).splitlines()
    assert labels(progress) == [lists_label]
    assert progress.callback_data == data(cb.Menu("lists"))

    nxt = await user.say("/next")
    assert text_of(nxt) == finished
    assert nxt.callback_data == data(cb.Menu("lists"))
    lists = await user.press(progress, cb.Menu("lists"))
    assert of_kind(lists, cb.SwitchList) == [
        cb.SwitchList("sutskever-30"),
        cb.SwitchList("paper-reading"),
    ]


# -- 4. time zones and reminders --------------------------------------------------------------

#: The zones /subscribe offers a reader it knows no zone of, by the reader's language.
ASKED_ZONES = {
    ZH: ["Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "Asia/Singapore", "UTC"],
    TW: ["Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "Asia/Singapore", "UTC"],
    EN: [
        "Europe/London",
        "Europe/Berlin",
        "America/New_York",
        "America/Los_Angeles",
        "Asia/Kolkata",
        "Asia/Shanghai",
        "UTC",
    ],
}
ASK: dict[int, tuple[str, str, str]] = {
    #: (the question, the zone pressed, the confirmation)
    ZH: (
        "⏰ 08:00 是哪个时区的时间？选一个，或者把城市和时间一起发给我，比如 /subscribe 08:00 上海"
        "（也可以写 UTC+8 或 北京时间）。",
        "Asia/Taipei",
        "⏰ 我会每天 08:00（Asia/Taipei）发给你下一篇论文。第一次：2026年3月3日 08:00。"
        "随时用 /unsubscribe 关闭。",
    ),
    TW: (
        "⏰ 08:00 是哪個時區的時間？選一個，或者把城市和時間一起發給我，比如 /subscribe 08:00 上海"
        "（也可以寫 UTC+8 或 北京時間）。",
        "Asia/Hong_Kong",
        "⏰ 我會每天 08:00（Asia/Hong_Kong）發給你下一篇論文。第一次：2026年3月3日 08:00。"
        "隨時用 /unsubscribe 關閉。",
    ),
    EN: (
        "⏰ 08:00 in which time zone? Pick one, or type it with the time, e.g. "
        "/subscribe 08:00 Tokyo (a city, UTC+8, or PST).",
        "America/New_York",
        "⏰ I'll send you your next paper every day at 08:00 (America/New_York). "
        "First one: 2 Mar 2026 08:00. Stop any time with /unsubscribe.",
    ),
}


@pytest.mark.parametrize("chat", [ZH, TW, EN], ids=["zh-hans", "zh-TW", "en"])
async def test_subscribe_without_a_zone_asks_for_one_with_zones_suited_to_the_language(
    bot: OfflineBot, telegram: FakeTelegram, chat: int
) -> None:
    user = User(bot, chat)
    question, zone, confirmed = ASK[chat]
    asked = await user.say("/subscribe 8 am")
    assert text_of(asked) == question
    assert of_kind(asked, cb.SubscribeIn) == [
        cb.SubscribeIn("08:00", z) for z in ASKED_ZONES[chat]
    ]
    assert all("/" not in x and "_" not in x for x in labels(asked)), labels(asked)
    assert await bot.store.reminders.get(chat) is None, "asking subscribes nobody"

    done = await user.press(asked, cb.SubscribeIn("08:00", zone))
    assert is_edit_of(done, asked) and done.buttons == []
    assert text_of(done) == confirmed
    sub = await bot.store.reminders.get(chat)
    assert sub is not None and sub.schedule.active
    assert (sub.schedule.local_time.strftime("%H:%M"), sub.schedule.timezone) == ("08:00", zone)
    stored = await bot.store.users.get(chat)
    assert stored is not None and stored.timezone == zone, "the zone is remembered"
    again = await user.say("/subscribe 9 am")  # now the zone is known: no question
    assert not of_kind(again, cb.SubscribeIn) and "09:00" in text_of(again)
    telegram.check_no_reply(chat)


async def reminded_at(bot: OfflineBot, clock: FakeClock, chat: int, now: datetime) -> bool:
    """Run the reminder job at ``now``; whether it sent ``chat`` a reminder (consumed)."""
    clock.set(now)
    await bot.run_reminder_job()
    sent = bot.telegram.unread(chat)
    assert len(sent) <= 1, sent
    return bool(sent)


async def test_pst_means_los_angeles_with_daylight_saving(
    bot: OfflineBot, clock: FakeClock
) -> None:
    """20:00 "PST" is 04:00 UTC in winter and 03:00 UTC once daylight saving starts (8 March
    2026): a fixed UTC-8 would come an hour late all summer."""
    user = User(bot, EN)
    said = text_of(await user.say("/subscribe 8:00 pm PST"))
    assert said == (
        "⏰ I'll send you your next paper every day at 20:00 (America/Los_Angeles). "
        "First one: 1 Mar 2026 20:00. Stop any time with /unsubscribe."
    )
    sub = await bot.store.reminders.get(EN)
    assert sub is not None and sub.schedule.timezone == "America/Los_Angeles"
    # Friday 6 March, standard time (UTC-8).
    assert not await reminded_at(bot, clock, EN, datetime(2026, 3, 7, 3, 59, tzinfo=UTC))
    assert await reminded_at(bot, clock, EN, datetime(2026, 3, 7, 4, 0, 30, tzinfo=UTC))
    # Monday 9 March, daylight time (UTC-7).
    assert not await reminded_at(bot, clock, EN, datetime(2026, 3, 10, 2, 59, tzinfo=UTC))
    assert await reminded_at(bot, clock, EN, datetime(2026, 3, 10, 3, 0, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    ("chat", "typed", "confirmed"),
    [
        (
            ZH,
            "/subscribe 晚上9点半 北京时间",
            "⏰ 我会每天 21:30（Asia/Shanghai）发给你下一篇论文。第一次：2026年3月2日 21:30。"
            "随时用 /unsubscribe 关闭。",
        ),
        (
            TW,
            "/subscribe 晚上9點半 北京時間",
            "⏰ 我會每天 21:30（Asia/Shanghai）發給你下一篇論文。第一次：2026年3月2日 21:30。"
            "隨時用 /unsubscribe 關閉。",
        ),
    ],
    ids=["zh-hans", "zh-TW"],
)
async def test_a_time_and_zone_said_in_chinese_subscribe(
    bot: OfflineBot, clock: FakeClock, chat: int, typed: str, confirmed: str
) -> None:
    assert text_of(await User(bot, chat).say(typed)) == confirmed
    sub = await bot.store.reminders.get(chat)
    assert sub is not None and sub.schedule.timezone == "Asia/Shanghai"
    assert sub.schedule.local_time.strftime("%H:%M") == "21:30"
    assert not await reminded_at(bot, clock, chat, datetime(2026, 3, 2, 13, 29, tzinfo=UTC))
    assert await reminded_at(bot, clock, chat, datetime(2026, 3, 2, 13, 30, 30, tzinfo=UTC))


#: (/timezone UTC+8, /timezone, the zone line of /settings, /subscribe 07:00, /timezone
#: UTC+5:30) as each reader reads them; the clock says 00:00 UTC.
OFFSETS: dict[int, tuple[str, str, str, str, str]] = {
    EN: (
        "🕒 Time zone set to UTC+8 (local time now 08:00).",
        "Your time zone is UTC+8.",
        "🕒 Time zone: UTC+8",
        "every day at 07:00 (UTC+8)",
        "🕒 Time zone set to Asia/Kolkata (local time now 05:30).",
    ),
    ZH: (
        "🕒 时区已设为 UTC+8（当地现在 08:00）。",
        "你的时区是 UTC+8。",
        "🕒 时区：UTC+8",
        "每天 07:00（UTC+8）",
        "🕒 时区已设为 Asia/Kolkata（当地现在 05:30）。",
    ),
}


@pytest.mark.parametrize("chat", [EN, ZH], ids=["en", "zh-hans"])
async def test_offsets_are_shown_as_utc_offsets_never_as_etc_zones(
    bot: OfflineBot, telegram: FakeTelegram, chat: int
) -> None:
    user = User(bot, chat)
    set_to, current, line, schedule, kolkata = OFFSETS[chat]
    assert text_of(await user.say("/timezone UTC+8")) == set_to
    stored = await bot.store.users.get(chat)
    assert stored is not None and stored.timezone == "Etc/GMT-8", "stored as a fixed zone"
    assert text_of(await user.say("/timezone")).startswith(current)
    assert line in text_of(await user.say("/settings")).splitlines()
    assert schedule in text_of(await user.say("/subscribe 07:00"))
    assert schedule in text_of(await user.say("/settings"))
    # Half-hour offsets have no Etc zone: the zone that keeps UTC+5:30 all year.
    # (a second line says the reminder follows the zone)
    assert text_of(await user.say("/timezone UTC+5:30")).splitlines()[0] == kolkata
    assert not [t for t in telegram.texts(chat) if "Etc/" in t or "GMT" in t]


#: (/days weekdays, /settings once paused for 3 days, /pause again, /pause again once paused
#: until /resume); the reminder is at 07:00 in Shanghai and the clock says 2 March 08:00 there.
PAUSES: dict[int, tuple[str, str, str, str]] = {
    EN: (
        "📅 Your reminder now comes every weekday at 07:00 (Asia/Shanghai).",
        "⏰ Reminder: every weekday at 07:00 (Asia/Shanghai), paused until 6 Mar 2026",
        "🔕 Your reminder is already paused: every weekday at 07:00 (Asia/Shanghai), paused "
        "until 6 Mar 2026. /resume brings it back.",
        "🔕 Your reminder is already paused: every weekday at 07:00 (Asia/Shanghai), paused "
        "until /resume. /resume brings it back.",
    ),
    ZH: (
        "📅 现在的提醒时间：每个工作日 07:00（Asia/Shanghai）。",
        "⏰ 提醒：每个工作日 07:00（Asia/Shanghai），暂停到 2026年3月6日",
        "🔕 提醒已经暂停了：每个工作日 07:00（Asia/Shanghai），暂停到 2026年3月6日。"
        "用 /resume 恢复。",
        "🔕 提醒已经暂停了：每个工作日 07:00（Asia/Shanghai），已暂停，直到 /resume。"
        "用 /resume 恢复。",
    ),
    TW: (
        "📅 現在的提醒時間：每個工作日 07:00（Asia/Shanghai）。",
        "⏰ 提醒：每個工作日 07:00（Asia/Shanghai），暫停到 2026年3月6日",
        "🔕 提醒已經暫停了：每個工作日 07:00（Asia/Shanghai），暫停到 2026年3月6日。"
        "用 /resume 恢復。",
        "🔕 提醒已經暫停了：每個工作日 07:00（Asia/Shanghai），已暫停，直到 /resume。"
        "用 /resume 恢復。",
    ),
}


@pytest.mark.parametrize("chat", [EN, ZH, TW], ids=["en", "zh-hans", "zh-TW"])
async def test_days_and_pauses_are_confirmed_and_shown_in_settings(
    bot: OfflineBot, clock: FakeClock, chat: int
) -> None:
    user = User(bot, chat)
    days, settings, again, again_open = PAUSES[chat]
    await user.say("/subscribe 07:00 Asia/Shanghai")
    assert text_of(await user.say("/days weekdays")) == days
    sub = await bot.store.reminders.get(chat)
    assert sub is not None and sub.schedule.days == frozenset(range(5))

    await user.say("/pause 3")  # 07:00 today has passed: Tue, Wed and Thu; back on Friday
    assert settings in text_of(await user.say("/settings")).splitlines()
    before = await bot.store.reminders.get(chat)
    assert text_of(await user.say("/pause")) == again
    assert await bot.store.reminders.get(chat) == before, "a second /pause changes nothing"

    await user.say("/resume")
    await user.say("/pause")
    assert text_of(await user.say("/pause")) == again_open
