"""User experience, end to end, in English and Chinese: menus, /start, /settings, browsing,
lists, /random, inline mode, deep links and Traditional Chinese.

Every test plays users against the real Application, in-process, on a fake Telegram that
enforces Telegram's rules, and only presses buttons the bot actually sent (strict presses), as
a user would (``tests/ux.py``). Reading marks and the privacy commands are in
``tests/test_ux_marks_privacy.py``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.console import plain
from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from bot.features.registry import MENU_COMMANDS
from bot.features.reply import BUTTON_TEXT_LIMIT
from tests.botmethods import FakeTelegram
from tests.botmodel import Request
from tests.conftest import FakeClock
from tests.harness import OfflineBot
from tests.ux import (
    EN,
    TW,
    ZH,
    User,
    data,
    edits_of,
    is_button_edit_of,
    is_edit_of,
    labels,
    of_kind,
    text_of,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
DEEP_LINK = re.compile(r"https://t\.me/paperbot_test_bot\?start=paper-([a-z0-9-]+)")


# -- start-up ---------------------------------------------------------------------------------


async def test_menus_and_descriptions_are_set_in_english_and_chinese(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    default, zh = ('{"type": "default"}', ""), ('{"type": "default"}', "zh")
    assert set(telegram.commands) == {default, zh}
    for key in (default, zh):
        assert [c["command"] for c in telegram.commands[key]] == list(MENU_COMMANDS)
    en_desc = {c["command"]: c["description"] for c in telegram.commands[default]}
    zh_desc = {c["command"]: c["description"] for c in telegram.commands[zh]}
    assert en_desc["next"] == "Your next paper to read" and not CJK.search(en_desc["next"])
    assert all(CJK.search(d) for d in zh_desc.values()), zh_desc
    codes = {c.params.get("language_code") for c in telegram.calls("setMyDescription")}
    assert codes == {None, "zh"}
    codes = {c.params.get("language_code") for c in telegram.calls("setMyShortDescription")}
    assert codes == {None, "zh"}
    assert "Sutskever" in telegram.descriptions[""]
    assert not CJK.search(telegram.descriptions[""])
    assert CJK.search(telegram.descriptions["zh"]) and "论文" in telegram.descriptions["zh"]
    assert not CJK.search(telegram.short_descriptions[""])
    assert CJK.search(telegram.short_descriptions["zh"])
    assert all(len(d) <= 120 for d in telegram.short_descriptions.values())
    assert all(len(d) <= 512 for d in telegram.descriptions.values())


# -- /start -----------------------------------------------------------------------------------

START: dict[int, dict[str, Any]] = {
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
    bot: OfflineBot, telegram: FakeTelegram, catalogue: Catalogue, chat: int
) -> None:
    user, want = User(bot, chat), START[chat]
    start = await user.say("/start")
    assert text_of(start).startswith(want["greeting"])
    assert "/next" in text_of(start) and "27" in text_of(start)
    assert [b for b in want["buttons"] if not any(b in x for x in labels(start))] == []
    assert set(start.callback_data) == set(
        data(
            cb.Menu("next"),
            cb.Menu("browse"),
            cb.Settings("time"),
            cb.Settings("lang"),
            cb.Menu("lists"),
        )
    )

    nxt = await user.press(start, cb.Menu("next"))
    assert want["next"] in text_of(nxt) and "0/27" in text_of(nxt)
    assert cb.MarkRead("annotated-transformer").encode() in nxt.callback_data

    times = await user.press(start, cb.Settings("time"))
    assert want["time"] in text_of(times)
    wanted = data(cb.SetTime("07:00"), cb.SetTime("21:00"), cb.SetTime("off"), cb.Settings("tz"))
    assert set(wanted) <= set(times.callback_data)

    langs = await user.press(start, cb.Settings("lang"))
    assert want["lang"] in text_of(langs)
    assert langs.callback_data == data(cb.SetLang("en"), cb.SetLang("zh"), cb.SetLang("zh-hant"))

    lists = await user.press(start, cb.Menu("lists"))
    assert want["lists"] in text_of(lists)
    assert lists.callback_data == data(
        cb.SwitchList("sutskever-30"), cb.SwitchList("paper-reading")
    )

    # Browsing sends the list as a new message: the welcome and its buttons stay.
    page = await user.press(start, cb.Menu("browse"))
    assert page.method.lower() == "sendmessage" and page.message_id != start.message_id
    assert want["page"] in text_of(page)
    order = catalogue.lists["sutskever-30"].order
    opens = of_kind(page, cb.OpenFromList)
    assert opens == [cb.OpenFromList(pid, "sutskever-30", 0) for pid in order[:10]]
    for row, action in zip(page.buttons, opens, strict=False):  # 🎬: Li Mu read it on video
        video = bool(catalogue.papers[action.paper_id].videos)
        assert row[0]["text"].partition(". ")[2].startswith("🎬 ") == video, row[0]["text"]
    assert edits_of(telegram, chat, start) == [], "no button overwrites the welcome"
    assert start.message_id is not None
    assert telegram.buttons(chat, start.message_id) == start.buttons


# -- /settings --------------------------------------------------------------------------------


async def test_settings_change_language_zone_time_and_list_with_buttons_only(
    bot: OfflineBot,
) -> None:
    user, store = User(bot, EN), bot.store
    settings = await user.say("/settings")
    shown = text_of(settings)
    assert "Settings" in shown and "English" in shown and "UTC" in shown and "off" in shown
    assert "🧠 Review questions: on · 📰 Weekly recap: on" in shown
    assert settings.callback_data == data(
        cb.Settings("lang"),
        cb.Settings("tz"),
        cb.Settings("time"),
        cb.Menu("lists"),
        cb.Toggle("review"),
        cb.Toggle("recap"),
    )

    # Language.
    langs = await user.press(settings, cb.Settings("lang"))
    chosen = await user.press(langs, cb.SetLang("zh"))
    assert is_edit_of(chosen, langs) and "中文" in text_of(chosen)
    assert (await store.users.get(EN)).lang == "zh"  # type: ignore[union-attr]

    # Time zone: the zone list, then a zone; the picker becomes the confirmation, with the
    # local time in that zone (the clock says 00:00 UTC).
    zones = await user.press(settings, cb.Settings("tz"))
    assert "选择你的时区" in text_of(zones)
    assert cb.SetZone("Asia/Tokyo").encode() in zones.callback_data
    assert len(zones.callback_data) >= 6
    tokyo = await user.press(zones, cb.SetZone("Asia/Tokyo"))
    assert is_edit_of(tokyo, zones) and tokyo.buttons == []
    assert tokyo.text == "🕒 时区已设为 <b>Asia/Tokyo</b>（当地现在 09:00）。"
    assert (await store.users.get(EN)).timezone == "Asia/Tokyo"  # type: ignore[union-attr]

    # Reminder time, in that zone (the settings panel keeps its buttons).
    times = await user.press(settings, cb.Settings("time"))
    assert "Asia/Tokyo" in text_of(times)
    subscribed = await user.press(times, cb.SetTime("07:00"))
    assert "07:00" in text_of(subscribed) and "Asia/Tokyo" in text_of(subscribed)
    sub = await store.reminders.get(EN)
    assert sub is not None and sub.schedule.active
    assert sub.schedule.local_time.strftime("%H:%M") == "07:00"
    assert sub.schedule.timezone == "Asia/Tokyo"

    # Current list.
    lists = await user.press(settings, cb.Menu("lists"))
    switched = await user.press(lists, cb.SwitchList("paper-reading"))
    assert is_edit_of(switched, lists) and "李沐" in text_of(switched)
    assert (await store.users.get(EN)).current_list == "paper-reading"  # type: ignore[union-attr]

    final_msg = await user.say("/settings")
    final = text_of(final_msg)
    assert "中文" in final and "Asia/Tokyo" in final and "每天 07:00（Asia/Tokyo）" in final
    assert "李沐" in final

    assert final_msg.callback_data == settings.callback_data

    # Turning the reminder off is a button too.
    times = await user.press(settings, cb.Settings("time"))
    off = await user.press(times, cb.SetTime("off"))
    assert "关闭" in text_of(off)
    sub = await store.reminders.get(EN)
    assert sub is None or not sub.schedule.active


async def test_timezone_buttons_confirm_the_zone_and_its_local_time_in_place(
    bot: OfflineBot,
) -> None:
    user = User(bot, EN)
    current = await user.say("/timezone")
    assert text_of(current).startswith("Your time zone is UTC.")
    assert cb.SetZone("Asia/Shanghai").encode() in current.callback_data
    chosen = await user.press(current, cb.SetZone("Asia/Shanghai"))
    assert is_edit_of(chosen, current) and chosen.buttons == []
    assert chosen.text == "🕒 Time zone set to <b>Asia/Shanghai</b> (local time now 08:00)."
    assert (await bot.store.users.get(EN)).timezone == "Asia/Shanghai"  # type: ignore[union-attr]
    typed = await user.say("/timezone UTC+8")  # typed, the same sentence
    assert text_of(typed).startswith("🕒 Time zone set to ")
    assert text_of(typed).endswith("(local time now 08:00).")

    # Moving to another zone moves the reminder with it (same local time).
    await user.say("/subscribe 07:00")
    current = await user.say("/timezone")
    moved = await user.press(current, cb.SetZone("Europe/London"))
    assert text_of(moved) == "🕒 Time zone set to Europe/London (local time now 00:00)."
    sub = await bot.store.reminders.get(EN)
    assert sub is not None and sub.schedule.timezone == "Europe/London"
    assert sub.schedule.local_time.strftime("%H:%M") == "07:00"
    assert "every day at 07:00 (Europe/London)" in text_of(await user.say("/settings"))


# -- browsing ---------------------------------------------------------------------------------


async def test_list_pages_edit_the_same_message_and_a_paper_opens_its_card_with_back(
    bot: OfflineBot, catalogue: Catalogue
) -> None:
    user = User(bot, EN)
    order = catalogue.lists["sutskever-30"].order
    first = await user.say("/list")
    assert "papers 1-10 of 27" in text_of(first)
    opens = of_kind(first, cb.OpenFromList)
    assert opens == [cb.OpenFromList(pid, "sutskever-30", 0) for pid in order[:10]]
    assert cb.ListPage("sutskever-30", 1) in of_kind(first, cb.ListPage)
    assert [p.page for p in of_kind(first, cb.ListPage)] == [1]

    second = await user.press(first, cb.ListPage("sutskever-30", 1))
    assert is_edit_of(second, first) and "papers 11-20 of 27" in text_of(second)
    assert of_kind(second, cb.OpenFromList) == [
        cb.OpenFromList(pid, "sutskever-30", 1) for pid in order[10:20]
    ]
    assert [p.page for p in of_kind(second, cb.ListPage)] == [0, 2]
    third = await user.press(second, cb.ListPage("sutskever-30", 2))
    assert is_edit_of(third, first) and "papers 21-27 of 27" in text_of(third)
    assert len(of_kind(third, cb.OpenFromList)) == 7
    assert [p.page for p in of_kind(third, cb.ListPage)] == [1]
    back = await user.press(third, cb.ListPage("sutskever-30", 1))
    assert is_edit_of(back, first) and "papers 11-20 of 27" in text_of(back)
    assert back.text == second.text

    resnet = cb.OpenFromList("resnet", "sutskever-30", 1)
    card = await user.press(back, resnet)
    assert is_edit_of(card, first)
    assert text_of(card).startswith("Deep Residual Learning for Image Recognition")
    assert cb.MarkRead("resnet").encode() in card.callback_data
    assert any("Back" in x for x in labels(card))
    again = await user.press(card, cb.ListPage("sutskever-30", 1))  # Back: the same page
    assert is_edit_of(again, first) and again.text == second.text
    card = await user.press(again, resnet)
    zh = await user.press(card, cb.ShowCard("resnet", "zh"))
    assert is_edit_of(zh, first) and text_of(zh).startswith("用于图像识别的深度残差学习")


async def test_paper_reading_list_offers_categories_and_a_category_lists_its_papers(
    bot: OfflineBot, catalogue: Catalogue
) -> None:
    user = User(bot, ZH)
    page = await user.say("/list paper-reading")
    assert "李沐" in text_of(page) and "第 1-10 篇（共 90 篇）" in text_of(page)
    cats = await user.press(page, cb.Categories("paper-reading"))
    assert is_edit_of(cats, page) and "分类" in text_of(cats)
    lst = catalogue.lists["paper-reading"]
    assert of_kind(cats, cb.CategoryPage) == [
        cb.CategoryPage("paper-reading", c.id, 0) for c in lst.categories
    ]
    assert any("计算机视觉 - CNN (7)" in x for x in labels(cats))
    cnn = await user.press(cats, cb.CategoryPage("paper-reading", "cv-cnn", 0))
    assert is_edit_of(cnn, page) and "计算机视觉 - CNN" in text_of(cnn)
    assert "（7 篇）" in text_of(cnn) or "(7)" in text_of(cnn)
    cnn_ids = next(c for c in lst.categories if c.id == "cv-cnn").paper_ids
    assert of_kind(cnn, cb.ShowCard) == [cb.ShowCard(pid, "zh") for pid in cnn_ids]
    card = await user.press(cnn, cb.ShowCard("resnet", "zh"))
    assert text_of(card).startswith("用于图像识别的深度残差学习")
    # The big "generative" category has a second page.
    gen = await user.say("/list paper-reading")
    gen = await user.press(gen, cb.Categories("paper-reading"))
    gen = await user.press(gen, cb.CategoryPage("paper-reading", "generative", 0))
    assert cb.CategoryPage("paper-reading", "generative", 1) in of_kind(gen, cb.CategoryPage)
    gen2 = await user.press(gen, cb.CategoryPage("paper-reading", "generative", 1))
    assert is_edit_of(gen2, gen) and "11-13" in text_of(gen2)


async def test_button_labels_are_cut_at_a_word_with_an_ellipsis(
    bot: OfflineBot, catalogue: Catalogue
) -> None:
    user = User(bot, EN)
    page = await user.say("/list paper-reading")
    seen: list[tuple[str, str]] = []  # (label, title) of every paper of the list
    for number in range(9):
        if number:
            page = await user.press(page, cb.ListPage("paper-reading", number))
        for row in page.buttons:
            action = cb.decode(row[0].get("callback_data", ""))
            if isinstance(action, cb.OpenFromList):
                seen.append((row[0]["text"], catalogue.papers[action.paper_id].title))
    assert len(seen) == 90
    cut = [(label, title) for label, title in seen if label.endswith("…")]
    assert cut, "some titles are longer than a button"
    for label, title in seen:
        assert len(label) <= BUTTON_TEXT_LIMIT, label
        if not label.endswith("…"):
            assert label.endswith(title), (label, title)
    for label, title in cut:
        kept = label.removesuffix("…").partition(". ")[2].removeprefix("🎬 ")
        assert title.startswith(kept), (label, title)
        assert title[len(kept)] in " ,.:;-·", f"{label!r} cuts a word of {title!r}"


# -- lists and progress -----------------------------------------------------------------------


async def test_lists_switch_next_progress_and_shared_papers_count_on_both_lists(
    bot: OfflineBot,
) -> None:
    user = User(bot, EN)
    lists = await user.say("/lists")
    shown = text_of(lists)
    assert "✓ Ilya Sutskever's ~30 papers: 0/27 read" in shown
    assert "· Li Mu's paper-reading list: 0/90 read" in shown

    card = await user.say("resnet")
    await user.press(card, cb.MarkRead("resnet"))
    shown = text_of(await user.say("/lists"))
    assert "Ilya Sutskever's ~30 papers: 1/27 read" in shown
    assert "Li Mu's paper-reading list: 1/90 read" in shown

    lists = await user.say("/lists")
    switched = await user.press(lists, cb.SwitchList("paper-reading"))
    assert is_edit_of(switched, lists)
    assert "current list is now Li Mu's paper-reading list" in text_of(switched)
    assert "✓ Li Mu's paper-reading list: 1/90" in text_of(switched)
    assert "· Ilya Sutskever's ~30 papers: 1/27" in text_of(switched)

    nxt = await user.say("/next")
    assert "Li Mu's paper-reading list (1/90 done)" in text_of(nxt)
    assert "ImageNet Classification with Deep Convolutional Neural Networks" in text_of(nxt)
    prog = await user.say("/progress")
    assert "Li Mu's paper-reading list" in text_of(prog) and "1/90 read" in text_of(prog)
    assert "Next up: ImageNet Classification" in text_of(prog)
    assert prog.callback_data == data(cb.Menu("next"))

    # Reading AlexNet (on both lists) from the new list moves both lists on.
    await user.press(nxt, cb.MarkRead("alexnet"))
    nxt = await user.say("/next")
    assert "(2/90 done)" in text_of(nxt) and "Very Deep Convolutional" in text_of(nxt)
    shown = text_of(await user.say("/lists"))
    assert "papers: 2/27 read" in shown and "list: 2/90 read" in shown


async def test_random_only_offers_unread_papers_and_a_finished_list_offers_lists(
    bot: OfflineBot, catalogue: Catalogue, clock: FakeClock
) -> None:
    user, store = User(bot, EN), bot.store
    order = catalogue.lists["sutskever-30"].order
    unread = set(order[-3:])
    for pid in order[:-3]:
        await store.progress.mark(EN, pid, "read", clock())
    seen = set()
    for _ in range(12):
        card = await user.say("/random")
        (read,) = of_kind(card, cb.MarkRead)
        assert read.paper_id in unread, read
        assert text_of(card).startswith(catalogue.papers[read.paper_id].title)
        seen.add(read.paper_id)
    assert len(seen) >= 2, "random, not always the same paper"
    for pid in unread:
        await store.progress.mark(EN, pid, "skipped", clock())
    done = await user.say("/random")
    assert "finished" in text_of(done)
    prog = await user.say("/progress")
    assert "All done" in text_of(prog)
    assert prog.callback_data == data(cb.Menu("lists")), "a finished list offers Lists, not Next"


# -- inline mode ------------------------------------------------------------------------------


def results_of(answer: Request) -> list[dict[str, Any]]:
    assert answer.ok, answer
    results = answer.params["results"]
    assert isinstance(results, list)
    return results


async def test_inline_mode_answers_with_cards_and_deep_links(
    bot: OfflineBot, catalogue: Catalogue
) -> None:
    answer = await bot.inline(EN, "resnet")
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
    answer = await bot.inline(EN, "")
    assert [r["id"] for r in results_of(answer)] == ["annotated-transformer"]
    assert answer.params.get("is_personal") is True

    # A Chinese query gets Chinese cards, even from an English-speaking user.
    results = results_of(await bot.inline(EN, "残差网络"))
    assert results[0]["id"] == "resnet"
    assert results[0]["title"] == "用于图像识别的深度残差学习"
    assert "为什么读" in results[0]["input_message_content"]["message_text"]

    # A Traditional-Chinese user gets Traditional cards.
    results = results_of(await bot.inline(TW, "指针网络", language_code="zh-TW"))
    assert results[0]["id"] == "pointer-networks"
    body = results[0]["input_message_content"]["message_text"]
    assert "為什麼讀" in body and "为什么读" not in body

    # Nothing close: no results rather than a guess.
    assert results_of(await bot.inline(EN, "how do I cook rice")) == []


async def test_deep_link_opens_the_paper_card(bot: OfflineBot) -> None:
    card = await User(bot, EN).say("/start paper-pointer-networks")
    assert text_of(card).startswith("Pointer Networks")
    assert cb.MarkRead("pointer-networks").encode() in card.callback_data
    zh = await User(bot, ZH).say("/start paper-pointer-networks")
    assert text_of(zh).startswith("指针网络")
    unknown = await User(bot, EN).say("/start paper-no-such-paper")
    assert text_of(unknown).startswith("Hi Ada!")


# -- help and Traditional Chinese -------------------------------------------------------------


@pytest.mark.parametrize("chat", [EN, ZH, TW], ids=["en", "zh-hans", "zh-TW"])
async def test_help_lists_every_command_flush_left(bot: OfflineBot, chat: int) -> None:
    lines = text_of(await User(bot, chat).say("/help")).splitlines()
    assert all(line == line.lstrip() for line in lines), lines
    commands = [line.split(":")[0] for line in lines if line.startswith("/")]
    assert {"/next", "/subscribe", "/forget", "/privacy"} <= set(commands)


async def test_traditional_chinese_users_get_traditional_text(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    user = User(bot, TW)
    help_text = text_of(await user.say("/help"))
    assert "論文" in help_text and "论文" not in help_text
    assert "命令" in help_text
    start = await user.say("/start")
    assert "論文" in text_of(start) and "论文" not in text_of(start)
    assert any("下一篇" in x for x in labels(start))
    assert any("瀏覽清單" in x for x in labels(start))
    card = await user.say("指針網路")
    assert text_of(card).startswith("指標網路\nPointer Networks")
    assert "為什麼讀" in text_of(card) and "为什么读" not in text_of(card)
    assert "🔑 關鍵思想：" in text_of(card) and "➡ 後續工作：Order Matters (2015)" in text_of(card)
    assert labels(card)[:2] == ["✅ 標為已讀", "⏭ 跳過"]
    answer = await user.tap(card, cb.MarkRead("pointer-networks"))
    assert answer.params.get("text") == (
        "✅ 已將 指標網路 標記為已讀。Ilya Sutskever 的約 30 篇論文 已完成 1/27。"
    )
    read = telegram.take_reply(TW)
    assert is_button_edit_of(read, card)
    assert labels(read)[:3] == ["✅ 已讀", "↩ 撤銷", "📖 下一篇"]
    # Character-level conversion keeps the Simplified terms (参数 is 參數, not 引數; 局部 stays).
    alexnet = text_of(await user.say("alexnet"))
    assert "6000 萬參數" in alexnet and "引數" not in alexnet
    assert "局部響應歸一化" in alexnet and "區域性" not in alexnet
