"""User experience, end to end, in English and Chinese: menus, /start, /settings, browsing,
lists, /random, inline mode, deep links, Traditional Chinese, and the privacy commands.

Every test plays users against the real Application on a fake Bot API (loopback) and only
presses buttons the bot actually sent (``strict`` presses), as a user would.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot.console import plain
from bot.core.catalogue import Catalogue
from bot.service import MENU_COMMANDS

try:
    from tests.botapi import FakeBotAPI, Request, UploadedFile
    from tests.conftest import FakeClock
    from tests.harness import RunningBot
except ImportError:  # pragma: no cover - tests/ is not a package
    from botapi import FakeBotAPI, Request, UploadedFile  # type: ignore[no-redef]
    from conftest import FakeClock  # type: ignore[no-redef]
    from harness import RunningBot  # type: ignore[no-redef]

EN, ZH, TW = 5101, 5102, 5103
CODES = {EN: "en", ZH: "zh-hans", TW: "zh-TW"}
CJK = re.compile(r"[\u4e00-\u9fff]")
DEEP_LINK = re.compile(r"https://t\.me/paperbot_test_bot\?start=paper-([a-z0-9-]+)")


class User:
    """One Telegram user in a private chat with the bot."""

    def __init__(self, api: FakeBotAPI, chat: int) -> None:
        self.api, self.chat, self.code = api, chat, CODES[chat]

    async def say(self, text: str) -> Request:
        self.api.send_text(self.chat, text, language_code=self.code)
        return await self.api.next_reply(self.chat)

    async def press(self, message: Request, data: str) -> Request:
        assert message.message_id is not None
        self.api.press(self.chat, message.message_id, data, language_code=self.code)
        return await self.api.next_reply(self.chat)

    async def press_answered(self, message: Request, data: str) -> Request:
        """Press a button that only answers the callback query (no message)."""
        assert message.message_id is not None
        update_id = self.api.press(self.chat, message.message_id, data, language_code=self.code)
        answer = await self.api.answered(update_id)
        assert answer is not None
        return answer


def text_of(reply: Request) -> str:
    return plain(reply.text or "")


def labels(reply: Request) -> list[str]:
    return [b["text"] for row in reply.buttons for b in row]


def data_with(reply: Request, label: str) -> str:
    for row in reply.buttons:
        for b in row:
            if label in b["text"] and "callback_data" in b:
                return str(b["callback_data"])
    raise AssertionError(f"no button {label!r} in {labels(reply)}")


def is_edit_of(reply: Request, message: Request) -> bool:
    return reply.method.lower() == "editmessagetext" and reply.message_id == message.message_id


# -- start-up ---------------------------------------------------------------------------------


async def test_menus_and_descriptions_are_set_in_english_and_chinese(
    api: FakeBotAPI, running: RunningBot
) -> None:
    default, zh = ('{"type": "default"}', ""), ('{"type": "default"}', "zh")
    assert set(api.commands) == {default, zh}
    for key in (default, zh):
        assert [c["command"] for c in api.commands[key]] == list(MENU_COMMANDS)
    en_desc = {c["command"]: c["description"] for c in api.commands[default]}
    zh_desc = {c["command"]: c["description"] for c in api.commands[zh]}
    assert en_desc["next"] == "Your next paper to read" and not CJK.search(en_desc["next"])
    assert all(CJK.search(d) for d in zh_desc.values()), zh_desc
    assert {c.params.get("language_code") for c in api.calls("setMyDescription")} == {None, "zh"}
    assert {c.params.get("language_code") for c in api.calls("setMyShortDescription")} == {
        None,
        "zh",
    }
    assert "Sutskever" in api.descriptions[""] and not CJK.search(api.descriptions[""])
    assert CJK.search(api.descriptions["zh"]) and "论文" in api.descriptions["zh"]
    assert not CJK.search(api.short_descriptions[""])
    assert CJK.search(api.short_descriptions["zh"])
    assert all(len(d) <= 120 for d in api.short_descriptions.values())
    assert all(len(d) <= 512 for d in api.descriptions.values())


# -- /start -----------------------------------------------------------------------------------

START = {
    EN: {
        "greeting": "Hi Ada!",
        "buttons": ["Next paper", "Browse the list", "Daily reminder", "Language", "Switch list"],
        "next": "The Annotated Transformer",
        "page": "papers 1-10 of 27",
        "time": "Pick a reminder time (UTC)",
        "lang": "Choose the reply language",
        "lists": "Reading lists",
    },
    ZH: {
        "greeting": "Ada，你好！",
        "buttons": ["下一篇", "浏览清单", "每日提醒", "语言", "切换清单"],
        "next": "带注释的 Transformer",
        "page": "第 1-10 篇（共 27 篇）",
        "time": "选择提醒时间（UTC）",
        "lang": "选择回复语言",
        "lists": "阅读清单",
    },
}


@pytest.mark.parametrize("chat", [EN, ZH], ids=["en", "zh-hans"])
async def test_start_greets_in_the_users_language_and_every_button_works(
    api: FakeBotAPI, running: RunningBot, chat: int
) -> None:
    user, want = User(api, chat), START[chat]
    start = await user.say("/start")
    assert text_of(start).startswith(want["greeting"])
    assert "/next" in text_of(start) and "27" in text_of(start)
    assert [b for b in want["buttons"] if not any(b in x for x in labels(start))] == []
    assert set(start.callback_data) == {"m:next", "p::0", "set:time", "set:lang", "m:lists"}

    nxt = await user.press(start, "m:next")
    assert want["next"] in text_of(nxt) and "0/27" in text_of(nxt)
    assert "r:annotated-transformer" in nxt.callback_data

    times = await user.press(start, "set:time")
    assert want["time"] in text_of(times)
    assert {"set:time:07:00", "set:time:21:00", "set:time:off", "set:tz"} <= set(
        times.callback_data
    )

    langs = await user.press(start, "set:lang")
    assert want["lang"] in text_of(langs)
    assert langs.callback_data == ["lang:en", "lang:zh", "lang:zh-hant"]

    lists = await user.press(start, "m:lists")
    assert want["lists"] in text_of(lists)
    assert lists.callback_data == ["L:sutskever-30", "L:paper-reading"]

    page = await user.press(start, "p::0")  # browsing replaces the menu in place
    assert is_edit_of(page, start)
    assert want["page"] in text_of(page)
    assert len([d for d in page.callback_data if d.startswith("c:")]) == 10


# -- /settings --------------------------------------------------------------------------------


async def test_settings_change_language_zone_time_and_list_with_buttons_only(
    api: FakeBotAPI, running: RunningBot
) -> None:
    user, core = User(api, EN), running.core
    settings = await user.say("/settings")
    shown = text_of(settings)
    assert "Settings" in shown and "English" in shown and "UTC" in shown and "off" in shown
    assert set(settings.callback_data) == {"set:lang", "set:tz", "set:time", "m:lists"}

    # Language.
    langs = await user.press(settings, "set:lang")
    chosen = await user.press(langs, "lang:zh")
    assert is_edit_of(chosen, langs) and "中文" in text_of(chosen)
    assert (await core.storage.get_user(EN)).lang == "zh"  # type: ignore[union-attr]

    # Time zone: the zone list, then a zone; the picker becomes the settings overview.
    zones = await user.press(settings, "set:tz")
    assert "选择你的时区" in text_of(zones)
    assert "set:tz:Asia/Tokyo" in zones.callback_data and len(zones.callback_data) >= 6
    overview = await user.press(zones, "set:tz:Asia/Tokyo")
    assert is_edit_of(overview, zones)
    assert "设置" in text_of(overview) and "Asia/Tokyo" in text_of(overview)
    assert (await core.storage.get_user(EN)).timezone == "Asia/Tokyo"  # type: ignore[union-attr]

    # Reminder time, in that zone.
    times = await user.press(overview, "set:time")
    assert "Asia/Tokyo" in text_of(times)
    subscribed = await user.press(times, "set:time:07:00")
    assert "07:00" in text_of(subscribed) and "Asia/Tokyo" in text_of(subscribed)
    sub = await core.storage.get_subscription(EN)
    assert sub is not None and sub.schedule.active
    assert sub.schedule.local_time.strftime("%H:%M") == "07:00"
    assert sub.schedule.timezone == "Asia/Tokyo"

    # Current list.
    lists = await user.press(overview, "m:lists")
    switched = await user.press(lists, "L:paper-reading")
    assert is_edit_of(switched, lists) and "李沐" in text_of(switched)
    assert (await core.storage.get_user(EN)).current_list == "paper-reading"  # type: ignore[union-attr]

    final = text_of(await user.say("/settings"))
    assert "中文" in final and "Asia/Tokyo" in final and "07:00 (Asia/Tokyo)" in final
    assert "李沐" in final

    # Moving to another zone moves the reminder with it (same local time).
    zones = await user.press(final_msg := await user.say("/settings"), "set:tz")
    moved = text_of(await user.press(zones, "set:tz:Europe/London"))
    assert "07:00 (Europe/London)" in moved
    sub = await core.storage.get_subscription(EN)
    assert sub is not None and sub.schedule.timezone == "Europe/London"
    assert final_msg.callback_data == settings.callback_data

    # Turning the reminder off is a button too.
    times = await user.press(overview, "set:time")
    off = await user.press(times, "set:time:off")
    assert "关闭" in text_of(off)
    sub = await core.storage.get_subscription(EN)
    assert sub is None or not sub.schedule.active


# -- browsing ---------------------------------------------------------------------------------


async def test_list_pages_edit_the_same_message_and_a_paper_opens_its_card(
    api: FakeBotAPI, running: RunningBot, catalogue: Catalogue
) -> None:
    user = User(api, EN)
    order = catalogue.lists["sutskever-30"].order
    first = await user.say("/list")
    assert "papers 1-10 of 27" in text_of(first)
    cards = [d for d in first.callback_data if d.startswith("c:")]
    assert cards == [f"c:{pid}:en" for pid in order[:10]]
    assert "p:sutskever-30:1" in first.callback_data
    assert not any(d == "p:sutskever-30:-1" for d in first.callback_data)

    second = await user.press(first, "p:sutskever-30:1")
    assert is_edit_of(second, first) and "papers 11-20 of 27" in text_of(second)
    assert [d for d in second.callback_data if d.startswith("c:")] == [
        f"c:{pid}:en" for pid in order[10:20]
    ]
    assert {"p:sutskever-30:0", "p:sutskever-30:2"} <= set(second.callback_data)
    third = await user.press(second, "p:sutskever-30:2")
    assert is_edit_of(third, first) and "papers 21-27 of 27" in text_of(third)
    assert len([d for d in third.callback_data if d.startswith("c:")]) == 7
    assert "p:sutskever-30:3" not in third.callback_data
    back = await user.press(third, "p:sutskever-30:1")
    assert is_edit_of(back, first) and "papers 11-20 of 27" in text_of(back)
    assert back.text == second.text

    card = await user.press(back, "c:resnet:en")
    assert is_edit_of(card, first)
    assert text_of(card).startswith("Deep Residual Learning for Image Recognition")
    assert "r:resnet" in card.callback_data
    zh = await user.press(card, "c:resnet:zh")
    assert is_edit_of(zh, first) and text_of(zh).startswith("用于图像识别的深度残差学习")


async def test_paper_reading_list_offers_categories_and_a_category_lists_its_papers(
    api: FakeBotAPI, running: RunningBot, catalogue: Catalogue
) -> None:
    user = User(api, ZH)
    page = await user.say("/list paper-reading")
    assert "李沐" in text_of(page) and "第 1-10 篇（共 90 篇）" in text_of(page)
    cats = await user.press(page, "g:paper-reading")
    assert is_edit_of(cats, page) and "分类" in text_of(cats)
    lst = catalogue.lists["paper-reading"]
    assert [d for d in cats.callback_data if d.startswith("g:")] == [
        f"g:paper-reading:{c.id}:0" for c in lst.categories
    ]
    assert any("计算机视觉 - CNN (7)" in x for x in labels(cats))
    cnn = await user.press(cats, "g:paper-reading:cv-cnn:0")
    assert is_edit_of(cnn, page) and "计算机视觉 - CNN" in text_of(cnn)
    assert "（7 篇）" in text_of(cnn)
    cnn_ids = next(c for c in lst.categories if c.id == "cv-cnn").paper_ids
    assert [d for d in cnn.callback_data if d.startswith("c:")] == [
        f"c:{pid}:zh" for pid in cnn_ids
    ]
    card = await user.press(cnn, "c:resnet:zh")
    assert text_of(card).startswith("用于图像识别的深度残差学习")
    # The big "generative" category has a second page.
    gen = await user.say("/list paper-reading")
    gen = await user.press(gen, "g:paper-reading")
    gen = await user.press(gen, "g:paper-reading:generative:0")
    assert "g:paper-reading:generative:1" in gen.callback_data
    gen2 = await user.press(gen, "g:paper-reading:generative:1")
    assert is_edit_of(gen2, gen) and "11-13" in text_of(gen2)


# -- lists and progress -----------------------------------------------------------------------


async def test_lists_switch_next_progress_and_shared_papers_count_on_both_lists(
    api: FakeBotAPI, running: RunningBot
) -> None:
    user = User(api, EN)
    lists = await user.say("/lists")
    shown = text_of(lists)
    assert "✓ Ilya Sutskever's ~30 papers: 0/27 read" in shown
    assert "· Li Mu's paper-reading list: 0/90 read" in shown

    card = await user.say("resnet")
    await user.press(card, "r:resnet")
    shown = text_of(await user.say("/lists"))
    assert "Ilya Sutskever's ~30 papers: 1/27 read" in shown
    assert "Li Mu's paper-reading list: 1/90 read" in shown

    lists = await user.say("/lists")
    switched = await user.press(lists, "L:paper-reading")
    assert is_edit_of(switched, lists)
    assert "current list is now Li Mu's paper-reading list" in text_of(switched)
    assert "✓ Li Mu's paper-reading list: 1/90" in text_of(switched)
    assert "· Ilya Sutskever's ~30 papers: 1/27" in text_of(switched)

    nxt = await user.say("/next")
    assert "Li Mu's paper-reading list (1/90 done)" in text_of(nxt)
    assert "ImageNet Classification with Deep Convolutional Neural Networks" in text_of(nxt)
    prog = text_of(await user.say("/progress"))
    assert "Li Mu's paper-reading list" in prog and "1/90 read" in prog
    assert "Next up: ImageNet Classification" in prog

    # Reading AlexNet (on both lists) from the new list moves both lists on.
    await user.press(nxt, "r:alexnet")
    nxt = await user.say("/next")
    assert "(2/90 done)" in text_of(nxt) and "Very Deep Convolutional" in text_of(nxt)
    shown = text_of(await user.say("/lists"))
    assert "papers: 2/27 read" in shown and "list: 2/90 read" in shown


async def test_random_only_offers_unread_papers(
    api: FakeBotAPI, running: RunningBot, catalogue: Catalogue, clock: FakeClock
) -> None:
    user, core = User(api, EN), running.core
    order = catalogue.lists["sutskever-30"].order
    unread = set(order[-3:])
    for pid in order[:-3]:
        await core.storage.mark(EN, pid, "read", clock())
    seen = set()
    for _ in range(12):
        card = await user.say("/random")
        (pid,) = [d[2:] for d in card.callback_data if d.startswith("r:")]
        assert pid in unread, pid
        assert text_of(card).startswith(catalogue.papers[pid].title)
        seen.add(pid)
    assert len(seen) >= 2, "random, not always the same paper"
    for pid in unread:
        await core.storage.mark(EN, pid, "skipped", clock())
    done = await user.say("/random")
    assert "finished" in text_of(done)


# -- inline mode ------------------------------------------------------------------------------


async def inline(api: FakeBotAPI, user: int, query: str, code: str = "en") -> Request:
    update_id = api.inline_query(user, query, language_code=code)
    answer = await api.answered(update_id)
    assert answer is not None and answer.ok
    return answer


def results_of(answer: Request) -> list[dict[str, Any]]:
    results = answer.params["results"]
    assert isinstance(results, list)
    return results


async def test_inline_mode_answers_with_cards_and_deep_links(
    api: FakeBotAPI, running: RunningBot, catalogue: Catalogue
) -> None:
    answer = await inline(api, EN, "resnet")
    results = results_of(answer)
    assert 1 <= len(results) <= 10
    assert results[0]["id"] == "resnet"
    for result in results:
        assert result["type"] == "article"
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert plain(content["message_text"]).startswith(catalogue.papers[result["id"]].title)
        (row,) = result["reply_markup"]["inline_keyboard"]
        (button,) = row
        match = DEEP_LINK.fullmatch(button["url"])
        assert match and match.group(1) == result["id"], button
    assert results[0]["title"] == "Deep Residual Learning for Image Recognition"

    # An empty query offers the user's next paper (personal, so not cached for others).
    answer = await inline(api, EN, "")
    results = results_of(answer)
    assert [r["id"] for r in results] == ["annotated-transformer"]
    assert answer.params.get("is_personal") is True

    # A Chinese query gets Chinese cards, even from an English-speaking user.
    results = results_of(await inline(api, EN, "残差网络"))
    assert results[0]["id"] == "resnet"
    assert results[0]["title"] == "用于图像识别的深度残差学习"
    assert "为什么读" in results[0]["input_message_content"]["message_text"]

    # A Traditional-Chinese user gets Traditional cards.
    results = results_of(await inline(api, TW, "指针网络", code="zh-TW"))
    assert results[0]["id"] == "pointer-networks"
    body = results[0]["input_message_content"]["message_text"]
    assert "為什麼讀" in body and "为什么读" not in body

    # Nothing close: no results rather than a guess.
    assert results_of(await inline(api, EN, "how do I cook rice")) == []


async def test_deep_link_opens_the_paper_card(api: FakeBotAPI, running: RunningBot) -> None:
    card = await User(api, EN).say("/start paper-pointer-networks")
    assert text_of(card).startswith("Pointer Networks")
    assert "r:pointer-networks" in card.callback_data
    zh = await User(api, ZH).say("/start paper-pointer-networks")
    assert text_of(zh).startswith("指针网络")
    unknown = await User(api, EN).say("/start paper-no-such-paper")
    assert text_of(unknown).startswith("Hi Ada!")


# -- Traditional Chinese ----------------------------------------------------------------------


async def test_traditional_chinese_users_get_traditional_text(
    api: FakeBotAPI, running: RunningBot
) -> None:
    user = User(api, TW)
    help_text = text_of(await user.say("/help"))
    assert "論文" in help_text and "论文" not in help_text
    assert "命令" in help_text
    start = await user.say("/start")
    assert "論文" in text_of(start) and "论文" not in text_of(start)
    assert any("下一篇" in x for x in labels(start))
    assert any("瀏覽清單" in x for x in labels(start))
    card = await user.say("指針網路")
    assert "為什麼讀" in text_of(card) and "为什么读" not in text_of(card)
    read = await user.press(card, "r:pointer-networks")
    assert "已讀" in text_of(read) or "標記" in text_of(read)


# -- privacy ----------------------------------------------------------------------------------


async def test_export_forget_and_privacy(api: FakeBotAPI, running: RunningBot) -> None:
    user, core = User(api, EN), running.core
    card = await user.say("resnet")
    await user.press(card, "r:resnet")
    await user.say("/subscribe 08:00 Asia/Shanghai")

    export = await user.say("/export")
    assert export.method.lower() == "senddocument"
    assert text_of(export) == "Everything paperbot stores about you."
    document = export.params["document"]
    assert isinstance(document, UploadedFile)
    assert document.filename == "paperbot-export.json"
    data = json.loads(document.content.decode("utf-8"))
    assert data["chat_id"] == EN
    assert [(p["paper_id"], p["state"]) for p in data["progress"]] == [("resnet", "read")]
    assert data["subscriptions"] and data["users"][0]["timezone"] == "Asia/Shanghai"
    assert api.calls("sendChatAction")

    privacy = text_of(await user.say("/privacy"))
    assert "What paperbot stores" in privacy and "/export" in privacy and "/forget" in privacy

    ask = await user.say("/forget")
    assert "Are you sure?" in text_of(ask)
    assert set(ask.callback_data) == {"f:yes", "f:no"}
    assert await core.storage.progress(EN) == {"resnet": "read"}  # asking deletes nothing
    no = await user.press(ask, "f:no")
    assert is_edit_of(no, ask) and "Nothing was deleted" in text_of(no)
    assert await core.storage.progress(EN) == {"resnet": "read"}

    ask = await user.say("/forget")
    yes = await user.press(ask, "f:yes")
    assert is_edit_of(yes, ask) and "deleted" in text_of(yes)
    assert await core.storage.progress(EN) == {}
    assert await core.storage.get_subscription(EN) is None
    assert await core.storage.get_user(EN) is None

    empty = await user.say("/export")
    data = json.loads(empty.params["document"].content.decode("utf-8"))
    assert data["progress"] == [] and data["subscriptions"] == []


async def test_chinese_user_privacy_commands_are_in_chinese(
    api: FakeBotAPI, running: RunningBot
) -> None:
    user = User(api, ZH)
    assert "paperbot 存了什么" in text_of(await user.say("/privacy"))
    ask = await user.say("/forget")
    assert "确定吗" in text_of(ask)
    assert any("确定，全部删除" in x for x in labels(ask))
    export = await user.say("/export")
    assert text_of(export) == "paperbot 保存的关于你的全部数据。"


# -- read / skip / undo -----------------------------------------------------------------------

READ_TOAST = {
    EN: "✅ Marked Deep Residual Learning for Image Recognition as read. "
    "1/27 on Ilya Sutskever's ~30 papers.",
    ZH: "✅ 已将 用于图像识别的深度残差学习 标记为已读。Ilya Sutskever 的 30 篇论文 已完成 1/27。",
}


@pytest.mark.parametrize("chat", [EN, ZH], ids=["en", "zh-hans"])
async def test_read_skip_and_undo_buttons_confirm_in_whole_sentences(
    api: FakeBotAPI, running: RunningBot, chat: int
) -> None:
    user, core = User(api, chat), running.core
    card = await user.say("resnet")
    update_id = api.press(chat, card.message_id or 0, "r:resnet", language_code=user.code)
    answer = await api.answered(update_id)
    assert answer is not None and answer.params.get("text") == READ_TOAST[chat]
    marked = await api.next_reply(chat)
    assert is_edit_of(marked, card) and plain(marked.text or "") == READ_TOAST[chat]
    assert set(marked.callback_data) == {"m:next", "u:resnet"}
    assert await core.storage.progress(chat) == {"resnet": "read"}

    undone = await user.press(marked, "u:resnet")
    assert is_edit_of(undone, card) and "resnet" not in await core.storage.progress(chat)
    assert "r:resnet" in undone.callback_data
    skipped = await user.press(undone, "s:resnet")
    assert await core.storage.progress(chat) == {"resnet": "skipped"}
    assert "1/27" in text_of(skipped)  # skipped counts as done
    nxt = await user.press(skipped, "m:next")
    assert nxt.method.lower() == "sendmessage" and "r:annotated-transformer" in nxt.callback_data
