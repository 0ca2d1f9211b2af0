"""Reading marks and your data, end to end, in English and Chinese: ✅ Read / ⏭ Skip / ↩ Undo
change only a card's buttons and confirm in a toast; /export sends the data and a reading log;
/forget asks first; /privacy explains.

The real Application, in-process, on a fake Telegram that enforces Telegram's rules; users
press only buttons the bot sent (``tests/ux.py``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.features import callbacks as cb
from tests.botmethods import FakeTelegram
from tests.botmodel import Request, UploadedFile
from tests.harness import OfflineBot
from tests.ux import EN, ZH, User, data, first_row, is_button_edit_of, is_edit_of, labels, text_of

# -- read / skip / undo -----------------------------------------------------------------------

TOASTS: dict[int, dict[str, str]] = {
    EN: {
        "read": "✅ Marked Deep Residual Learning for Image Recognition as read. "
        "1/27 on Ilya Sutskever's ~30 papers.",
        "skipped": "⏭ Skipped Deep Residual Learning for Image Recognition. "
        "1/27 on Ilya Sutskever's ~30 papers.",
        "undone": "↩ Deep Residual Learning for Image Recognition is unread again.",
    },
    ZH: {
        "read": "✅ 已将 用于图像识别的深度残差学习 标记为已读。"
        "Ilya Sutskever 的约 30 篇论文 已完成 1/27。",
        "skipped": "⏭ 已跳过 用于图像识别的深度残差学习。"
        "Ilya Sutskever 的约 30 篇论文 已完成 1/27。",
        "undone": "↩ 用于图像识别的深度残差学习 已恢复为未读。",
    },
}
#: (Mark read, Skip, Read, Skipped, Undo, Next paper, Check yourself) button labels.
READ_LABELS = {
    EN: (
        "✅ Mark read",
        "⏭ Skip",
        "✅ Read",
        "⏭ Skipped",
        "↩ Undo",
        "📖 Next paper",
        "🧠 Check yourself (2 questions)",
    ),
    ZH: (
        "✅ 标为已读",
        "⏭ 跳过",
        "✅ 已读",
        "⏭ 已跳过",
        "↩ 撤销",
        "📖 下一篇",
        "🧠 自测一下（2 题）",
    ),
}


async def mark(
    user: User, telegram: FakeTelegram, message: Request, action: cb.Action
) -> tuple[str, Request]:
    """Press a button that changes only the buttons of ``message``: return (the toast, the
    edit), after checking nothing else was sent."""
    answer = await user.tap(message, action)
    edit = telegram.take_reply(user.chat)
    telegram.check_no_reply(user.chat)
    assert is_button_edit_of(edit, message), edit
    return str(answer.params.get("text")), edit


@pytest.mark.parametrize("chat", [EN, ZH], ids=["en", "zh-hans"])
async def test_read_and_undo_change_only_the_buttons_and_confirm_in_a_toast(
    bot: OfflineBot, telegram: FakeTelegram, chat: int
) -> None:
    user, store, toast = User(bot, chat), bot.store, TOASTS[chat]
    mark_read, skip, is_read, _, undo, nxt, check = READ_LABELS[chat]
    card = await user.say("resnet")
    assert first_row(card) == [
        (mark_read, cb.MarkRead("resnet")),
        (skip, cb.MarkSkipped("resnet")),
    ]

    # Read: the card stays; its first row becomes [✅ Read] [↩ Undo] [📖 Next paper], a row
    # offers the paper's questions, the other rows (link, language, related papers) stay; the
    # confirmation is the toast.
    said, marked = await mark(user, telegram, card, cb.MarkRead("resnet"))
    assert said == toast["read"]
    assert first_row(marked) == [
        (is_read, cb.MarkRead("resnet")),
        (undo, cb.Undo("resnet")),
        (nxt, cb.Menu("unread")),
    ]
    assert [(b["text"], b["callback_data"]) for b in marked.buttons[1]] == [
        (check, cb.QuizStart("resnet").encode())
    ]
    assert marked.buttons[2:] == card.buttons[1:]
    assert await store.progress.states(chat) == {"resnet": "read"}

    # Pressing ✅ Read again changes nothing and says so again.
    again = await user.tap(marked, cb.MarkRead("resnet"))
    assert again.params.get("text") == toast["read"]
    telegram.check_no_reply(chat)
    assert await store.progress.states(chat) == {"resnet": "read"}

    # Undo: the card's own buttons come back.
    said, undone = await mark(user, telegram, marked, cb.Undo("resnet"))
    assert said == toast["undone"] and undone.buttons == card.buttons
    assert await store.progress.states(chat) == {}


@pytest.mark.parametrize("chat", [EN, ZH], ids=["en", "zh-hans"])
async def test_skip_counts_as_done_and_next_paper_opens_a_new_card(
    bot: OfflineBot, telegram: FakeTelegram, chat: int
) -> None:
    user, toast = User(bot, chat), TOASTS[chat]
    _, _, _, is_skipped, undo, nxt, _ = READ_LABELS[chat]
    card = await user.say("resnet")
    said, skipped = await mark(user, telegram, card, cb.MarkSkipped("resnet"))
    assert said == toast["skipped"]
    assert first_row(skipped) == [
        (is_skipped, cb.MarkSkipped("resnet")),
        (undo, cb.Undo("resnet")),
        (nxt, cb.Menu("unread")),
    ]
    assert skipped.buttons[1:] == card.buttons[1:], "no questions on a skipped paper"
    assert await bot.store.progress.states(chat) == {"resnet": "skipped"}

    # Next paper: a new card below; the marked one keeps its text and buttons.
    following = await user.press(skipped, cb.Menu("unread"))
    assert following.method.lower() == "sendmessage" and "1/27" in text_of(following)
    assert cb.MarkRead("annotated-transformer").encode() in following.callback_data
    assert card.message_id is not None
    assert telegram.buttons(chat, card.message_id) == skipped.buttons


# -- privacy ----------------------------------------------------------------------------------

EXPORT_CAPTION = {
    EN: "Everything paperbot stores about you: the data as JSON, and your reading log in "
    "Markdown.",
    ZH: "paperbot 保存的关于你的全部数据：JSON 格式的数据，以及 Markdown 格式的阅读记录。",
}


async def export_of(user: User, telegram: FakeTelegram) -> tuple[dict[str, Any], str]:
    """Send /export; check it is two documents, the data as JSON under the caption, then the
    reading log in Markdown; return (the data, the log)."""
    first = await user.say("/export")
    second = telegram.take_reply(user.chat)
    telegram.check_no_reply(user.chat)
    assert [r.method for r in (first, second)] == ["sendDocument", "sendDocument"]
    assert text_of(first) == EXPORT_CAPTION[user.chat] and second.text is None
    doc, log = first.params["document"], second.params["document"]
    assert isinstance(doc, UploadedFile) and isinstance(log, UploadedFile)
    assert (doc.filename, log.filename) == ("paperbot-export.json", "paperbot-reading-log.md")
    return json.loads(doc.content.decode("utf-8")), log.content.decode("utf-8")


async def test_export_sends_the_data_as_json_and_a_reading_log_in_markdown(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    user = User(bot, EN)
    card = await user.say("resnet")
    await user.press(card, cb.MarkRead("resnet"))
    await user.say("/subscribe 08:00 Asia/Shanghai")

    exported, log = await export_of(user, telegram)
    assert exported["format"] == "paperbot-export/1"
    assert exported["exported_at"] == "2026-03-02T00:00:00+00:00"
    assert exported["user"]["chat_id"] == EN and exported["user"]["telegram_language"] == "en"
    assert exported["user"]["time_zone"] == "Asia/Shanghai"
    assert exported["progress"] == [
        {
            "paper_id": "resnet",
            "state": "read",
            "at": "2026-03-02T00:00:00+00:00",
            "title": "Deep Residual Learning for Image Recognition",
            "url": "https://arxiv.org/abs/1512.03385",
        }
    ]
    assert exported["subscription"]["time"] == "08:00"
    assert exported["subscription"]["time_zone"] == "Asia/Shanghai"
    assert exported["subscription"]["days"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert exported["quiz_answers"] == [] and exported["notes"] == []
    assert exported["reading_days"] == [{"date": "2026-03-02"}]  # the day of the read
    resnet = "- ✅ read 2026-03-02: [Deep Residual Learning for Image Recognition]"
    resnet += "(https://arxiv.org/abs/1512.03385) (2015)"
    assert log == (
        "# My paperbot reading log\n\n"
        f"## Ilya Sutskever's ~30 papers (1/27)\n\n{resnet}\n\n"
        f"## Li Mu's paper-reading list (1/90)\n\n{resnet}\n"
    )
    assert telegram.calls("sendChatAction")


async def test_privacy_explains_and_forget_asks_first_then_deletes_everything(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    user, store = User(bot, EN), bot.store
    card = await user.say("resnet")
    await user.press(card, cb.MarkRead("resnet"))
    await user.say("/subscribe 08:00 Asia/Shanghai")

    privacy = text_of(await user.say("/privacy"))
    assert "What paperbot stores" in privacy and "/export" in privacy and "/forget" in privacy

    ask = await user.say("/forget")
    assert "Are you sure?" in text_of(ask)
    assert set(ask.callback_data) == set(data(cb.Forget("yes"), cb.Forget("no")))
    assert await store.progress.states(EN) == {"resnet": "read"}  # asking deletes nothing
    no = await user.press(ask, cb.Forget("no"))
    assert is_edit_of(no, ask) and "Nothing was deleted" in text_of(no)
    assert await store.progress.states(EN) == {"resnet": "read"}

    ask = await user.say("/forget")
    yes = await user.press(ask, cb.Forget("yes"))
    assert is_edit_of(yes, ask) and "deleted" in text_of(yes)
    assert await store.progress.states(EN) == {}
    assert await store.reminders.get(EN) is None
    assert await store.users.get(EN) is None

    exported, log = await export_of(user, telegram)
    assert exported["progress"] == [] and exported["subscription"] is None
    assert log.count("_Nothing marked yet._") == 2 and "(0/27)" in log and "(0/90)" in log


async def test_chinese_user_privacy_commands_are_in_chinese(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    user = User(bot, ZH)
    assert "paperbot 存了什么" in text_of(await user.say("/privacy"))
    ask = await user.say("/forget")
    assert "确定吗" in text_of(ask)
    assert any("确定，全部删除" in x for x in labels(ask))
    card = await user.say("resnet")
    await user.press(card, cb.MarkSkipped("resnet"))
    exported, log = await export_of(user, telegram)
    assert exported["user"]["telegram_language"] == "zh-hans"
    assert [(p["paper_id"], p["state"]) for p in exported["progress"]] == [("resnet", "skipped")]
    assert exported["reading_days"] == [], "a skip is not a day of reading"
    assert log.startswith("# 我的 paperbot 阅读记录\n\n## Ilya Sutskever 的约 30 篇论文 (1/27)\n")
    assert (
        "- ⏭ 跳过 2026-03-02: [用于图像识别的深度残差学习](https://arxiv.org/abs/1512.03385)"
        in log
    )
