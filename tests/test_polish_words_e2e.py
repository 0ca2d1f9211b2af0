"""Polish of issue 14, end to end (2/2): inline mode finds only what was asked, an edited
question edits its answer, the wording of counts, authors, categories and /lang, and
``paperbot chat``'s numbered buttons.

The real Application, in-process, on a fake Telegram that enforces Telegram's rules (the
terminal adapter runs on a pipe); users press only buttons the bot sent (``tests/ux.py``).
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from bot import console
from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from bot.features.common import Services
from bot.storage import Store
from tests.botmethods import FakeTelegram
from tests.botmodel import Request
from tests.conftest import FakeClock
from tests.harness import OfflineBot
from tests.ux import EN, TW, ZH, User, data, labels, of_kind, text_of

# -- 5. inline mode ---------------------------------------------------------------------------


async def inline_ids(bot: OfflineBot, user: int, query: str, **kwargs: Any) -> list[str]:
    """The ids of the papers an inline query offers."""
    answer = await bot.inline(user, query, **kwargs)
    assert answer.ok, answer
    return [r["id"] for r in answer.params["results"]]


def written_by(catalogue: Catalogue, ids: list[str], author: str) -> bool:
    return all(author in catalogue.papers[pid].authors for pid in ids)


@pytest.mark.parametrize("chat", [EN, ZH], ids=["en", "zh-hans"])
async def test_inline_mode_offers_only_what_was_asked(
    bot: OfflineBot, catalogue: Catalogue, chat: int
) -> None:
    code = "en" if chat == EN else "zh-hans"
    # A name: that paper, not the papers whose text mentions it (Pointer Networks, SRGAN).
    assert await inline_ids(bot, chat, "resnet", language_code=code) == ["resnet"]
    # "论文" is the word "paper", not a description to search (AlphaFold's card says 论文).
    found = await inline_ids(bot, chat, "transformer 论文", language_code=code)
    assert found[:1] == ["attention-is-all-you-need"] and "alphafold" not in found
    # An author, in Chinese or in words: their papers (on the reader's list), and only theirs.
    he = await inline_ids(bot, chat, "何恺明", language_code=code)
    assert he[:2] == ["resnet", "identity-mappings-resnet"]
    assert written_by(catalogue, he, "Kaiming He"), he
    vinyals = await inline_ids(bot, chat, "papers by Oriol Vinyals", language_code=code)
    assert {"pointer-networks", "order-matters", "rnn-regularization"} <= set(vinyals)
    assert written_by(catalogue, vinyals, "Oriol Vinyals"), vinyals


async def test_inline_author_answers_are_in_the_asked_language(bot: OfflineBot) -> None:
    answer = await bot.inline(EN, "何恺明")
    titles = [r["title"] for r in answer.params["results"]]
    assert titles[0] == "用于图像识别的深度残差学习", titles
    answer = await bot.inline(TW, "何愷明", language_code="zh-TW")
    assert answer.params["results"][0]["title"] == "用於圖像識別的深度殘差學習"


# -- 6. edited questions ----------------------------------------------------------------------


async def ask(bot: OfflineBot, chat: int, text: str, **kwargs: Any) -> tuple[int, Request]:
    """Send a question; return (the question's message id, the bot's answer)."""
    reply = await bot.say(chat, text, **kwargs)
    question = bot.telegram.updates[-1]["message"]
    assert question["text"] == text
    return int(question["message_id"]), reply


async def edit(bot: OfflineBot, chat: int, message_id: int, text: str) -> list[Request]:
    """The user edits their message; return what the bot sent or edited because of it."""
    before = len(bot.telegram.requests)
    bot.telegram.edit_text(chat, message_id, text)
    await bot.idle()
    assert not [r for r in bot.telegram.requests[before:] if not r.ok], "no failed call"
    return bot.telegram.unread(chat)


@pytest.mark.parametrize(
    ("chat", "code", "first", "second", "title"),
    [
        (
            EN,
            "en",
            "what is resnet",
            "what is alexnet",
            "ImageNet Classification with Deep Convolutional Neural Networks",
        ),
        (ZH, "zh-hans", "残差网络是什么", "指针网络是什么", "指针网络"),
        (TW, "zh-TW", "殘差網路是什麼", "指針網路是什麼", "指標網路"),
    ],
    ids=["en", "zh-hans", "zh-TW"],
)
async def test_an_edited_question_edits_its_answer_and_an_unchanged_edit_sends_nothing(
    bot: OfflineBot,
    telegram: FakeTelegram,
    chat: int,
    code: str,
    first: str,
    second: str,
    title: str,
) -> None:
    question, answer = await ask(bot, chat, first, language_code=code)
    (edited,) = await edit(bot, chat, question, second)
    assert edited.method == "editMessageText" and edited.message_id == answer.message_id
    assert text_of(edited).startswith(title)
    paper = "alexnet" if chat == EN else "pointer-networks"
    assert of_kind(edited, cb.MarkRead) == [cb.MarkRead(paper)], "the buttons fit the new answer"
    assert answer.message_id is not None
    assert telegram.buttons(chat, answer.message_id) == edited.buttons

    # An edit that leaves the words as they were (the same text, or only spaces around it)
    # sends and edits nothing.
    calls = len(telegram.requests)
    assert await edit(bot, chat, question, second) == []
    assert await edit(bot, chat, question, f"  {second} ") == []
    assert telegram.requests[calls:] == []

    # A further edit edits the same answer again; a new question gets a new answer.
    (again,) = await edit(bot, chat, question, first)
    assert again.message_id == answer.message_id and text_of(again) == text_of(answer)
    _, other = await ask(bot, chat, second, language_code=code)
    assert other.method == "sendMessage" and other.message_id != answer.message_id


async def test_an_edited_command_or_unanswered_message_is_left_alone(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    await bot.say(EN, "/progress")
    command = int(telegram.updates[-1]["message"]["message_id"])
    assert await edit(bot, EN, command, "/next") == []
    group = -100777
    telegram.send_text(group, "lunch anyone?", chat_type="group", user_id=5)
    await bot.idle()
    chatter = int(telegram.updates[-1]["message"]["message_id"])
    assert await edit(bot, group, chatter, "lunch at noon?") == []


# -- 7. wording -------------------------------------------------------------------------------

COUNTS = [
    (
        EN,
        "How many papers on Ilya's list",
        "There are 27 papers on Ilya Sutskever's ~30 papers. /list shows them all.",
        "sutskever-30",
    ),
    (
        EN,
        "how many papers are on Li Mu's list?",
        "There are 90 papers on Li Mu's paper-reading list. /list shows them all.",
        "paper-reading",
    ),
    (
        ZH,
        "Ilya 的清单有多少篇",
        "Ilya Sutskever 的约 30 篇论文 一共 27 篇。用 /list 查看全部。",
        "sutskever-30",
    ),
    (
        TW,
        "Ilya 的清單有多少篇",
        "Ilya Sutskever 的約 30 篇論文 一共 27 篇。用 /list 查看全部。",
        "sutskever-30",
    ),
]


@pytest.mark.parametrize(("chat", "question", "said", "list_id"), COUNTS)
async def test_how_many_papers_is_answered_with_the_count(
    bot: OfflineBot, chat: int, question: str, said: str, list_id: str
) -> None:
    reply = await User(bot, chat).say(question)
    assert text_of(reply) == said
    assert reply.callback_data == data(cb.ListPage(list_id, 0))


async def test_what_a_list_is_is_still_answered_with_its_description(bot: OfflineBot) -> None:
    reply = await User(bot, EN).say("what is Ilya's list")
    assert text_of(reply).startswith("Ilya Sutskever's ~30 papers (27 papers)\n\n")


AUTHORS = [
    (
        ZH,
        "何恺明的论文",
        "Ilya Sutskever 的约 30 篇论文里 何恺明 (Kaiming He) 的论文（2 篇）：",
        [
            "11. 用于图像识别的深度残差学习",
            "16. 深度残差网络中的恒等映射",
            "➕ 李沐·深度学习论文精读还有 9 篇",
        ],
    ),
    (
        TW,
        "何愷明的論文",
        "Ilya Sutskever 的約 30 篇論文裡 何愷明 (Kaiming He) 的論文（2 篇）：",
        [
            "11. 用於圖像識別的深度殘差學習",
            "16. 深度殘差網路中的恆等映射",
            "➕ 李沐·深度學習論文精讀還有 9 篇",
        ],
    ),
    (
        EN,
        "papers by Kaiming He",
        "Papers by Kaiming He on Ilya Sutskever's ~30 papers (2):",
        [
            "11. Deep Residual Learning for Image Recognition",
            "16. Identity Mappings in Deep Residual Networks",
            "➕ 9 more on Li Mu's paper-reading list",
        ],
    ),
]


@pytest.mark.parametrize(("chat", "question", "heading", "buttons"), AUTHORS)
async def test_an_authors_papers_are_headed_with_the_name_the_reader_uses(
    bot: OfflineBot, chat: int, question: str, heading: str, buttons: list[str]
) -> None:
    reply = await User(bot, chat).say(question)
    assert text_of(reply).splitlines()[0] == heading
    assert labels(reply) == buttons


@pytest.mark.parametrize("chat", [EN, ZH], ids=["en", "zh-hans"])
async def test_more_on_the_other_list_lists_the_authors_papers_there(
    bot: OfflineBot, telegram: FakeTelegram, chat: int
) -> None:
    user = User(bot, chat)
    reply = await user.say("何恺明的论文")
    more = cb.ListingOn("paper-reading", "author", "Kaiming He")
    answer = await user.tap(reply, more)
    assert answer.params.get("text") is None, answer.params.get("text")  # not "expired"
    shown = telegram.take_reply(chat)
    assert len(of_kind(shown, cb.ShowCard)) == 9


@pytest.mark.parametrize(
    ("chat", "label", "heading"),
    [
        (ZH, "计算机视觉 - 目标检测 (10)", "计算机视觉 - 目标检测（10 篇），第 1-10 篇："),
        (TW, "電腦視覺 - 目標檢測 (10)", "電腦視覺 - 目標檢測（10 篇），第 1-10 篇："),
        (
            EN,
            "Computer vision – object detection (10)",
            "Computer vision – object detection (10), 1-10:",
        ),
    ],
    ids=["zh-hans", "zh-TW", "en"],
)
async def test_the_detection_category_is_named_in_the_readers_language(
    bot: OfflineBot, chat: int, label: str, heading: str
) -> None:
    user = User(bot, chat)
    page = await user.say("/list paper-reading")
    cats = await user.press(page, cb.Categories("paper-reading"))
    assert label in labels(cats)
    assert not [x for x in labels(cats) if "Detection" in x], "no half-English name"
    detection = await user.press(cats, cb.CategoryPage("paper-reading", "detection", 0))
    assert text_of(detection) == heading


@pytest.mark.parametrize(
    ("chat", "command", "said", "stored"),
    [
        (EN, "/lang chinese", "🌐 之后我会用中文回复。", "zh"),
        (EN, "/lang 中文", "🌐 之后我会用中文回复。", "zh"),
        (EN, "/lang Chinese", "🌐 之后我会用中文回复。", "zh"),
        (ZH, "/lang english", "🌐 I'll reply in English.", "en"),
        (ZH, "/lang English", "🌐 I'll reply in English.", "en"),
        (ZH, "/lang 繁體中文", "🌐 之後我會用繁體中文回覆。", "zh-hant"),
    ],
)
async def test_lang_takes_the_languages_name_in_words(
    bot: OfflineBot, chat: int, command: str, said: str, stored: str
) -> None:
    user = User(bot, chat)
    assert text_of(await user.say(command)) == said
    saved = await bot.store.users.get(chat)
    assert saved is not None and saved.lang == stored
    help_text = text_of(await user.say("/help"))
    assert ("论文" in help_text or "論文" in help_text) == (stored != "en")


# -- 8. paperbot chat -------------------------------------------------------------------------

CHAT_WORDS = {
    #: (the hint under the welcome, "no button 9", "no button 42")
    "en": (
        "(In this terminal, type a number to press a button, and /quit to leave.)",
        "There is no button 9 on the last message. Type one of its numbers, a question, or /help.",
        "There is no button 42 on the last message.",
    ),
    "zh-hans": (
        "（在终端里输入数字即可按下对应按钮，输入 /quit 退出。）",
        "上一条消息没有第 9 个按钮。请输入它的编号、一个问题，或 /help。",
        "上一条消息没有第 42 个按钮。",
    ),
    "zh-TW": (
        "（在終端裡輸入數字即可按下對應按鈕，輸入 /quit 退出。）",
        "上一條消息沒有第 9 個按鈕。請輸入它的編號、一個問題，或 /help。",
        "上一條消息沒有第 42 個按鈕。",
    ),
}


@pytest.mark.parametrize("lang", list(CHAT_WORDS))
async def test_chat_says_numbers_press_buttons_and_refuses_a_number_with_no_button(
    catalogue: Catalogue, store: Store, clock: FakeClock, lang: str
) -> None:
    hint, no_nine, no_forty_two = CHAT_WORDS[lang]
    typed = "9\n1\n42\n/quit\nresnet\n"  # nothing after /quit is read
    out = io.StringIO()
    code = await console.chat(
        Services(catalogue, store),
        io.StringIO(typed),
        out,
        clock=clock,
        reminder_interval=3600,
        lang=lang,
    )
    assert code == 0
    shown = out.getvalue()
    welcome = shown.split("\n\n")[0]
    assert welcome.splitlines()[-1] == hint and "[1] " in welcome
    # In order: the welcome, "no button 9" (not a question's answer), button 1 pressed (Next
    # paper: the first paper), "no button 42"; nothing after /quit.
    first = "The Annotated Transformer" if lang == "en" else "Transformer"
    at = [shown.index(s) for s in (hint, f"\n\n{no_nine}\n\n", "0/27", first, no_forty_two)]
    assert at == sorted(at), at
    assert shown.rstrip("\n").split("\n\n")[-1].startswith(no_forty_two), "the last reply"
    assert "Deep Residual" not in shown and "残差" not in shown and "殘差" not in shown


async def test_resume_when_nothing_is_paused_says_so(bot: OfflineBot) -> None:
    user = User(bot, EN)
    await user.say("/subscribe 08:00 Asia/Shanghai")
    reply = await user.say("/resume")
    assert text_of(reply).startswith("⏰ Your reminders aren't paused: every day at 08:00")
    await user.say("/pause 2")
    assert text_of(await user.say("/resume")).startswith("⏰ Reminders are back on")


@pytest.mark.parametrize(
    ("chat", "question", "said"),
    [
        (EN, "papers from 1999", "Neither list has a paper from 1999."),
        (ZH, "2023年的论文", "两份清单里都没有 2023 年的论文。"),
    ],
)
async def test_a_year_with_no_papers_says_both_lists_were_searched(
    bot: OfflineBot, chat: int, question: str, said: str
) -> None:
    reply = await User(bot, chat).say(question)
    assert text_of(reply) == said
    assert of_kind(reply, cb.ListPage)  # and a way on: browse the list


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("AlexNet 是哪年发表的", "AlexNet 发表于 2012 年（NeurIPS 2012）。"),
        ("读完 ResNet 之后读什么", "➡ 读完 ResNet 之后（清单上直接基于它的论文）："),
    ],
)
async def test_short_chinese_answers_name_the_paper_as_readers_do(
    bot: OfflineBot, question: str, said: str
) -> None:
    """Chinese readers say "ResNet", not a translation of its title."""
    reply = await User(bot, ZH).say(question)
    assert text_of(reply).splitlines()[0] == said


async def test_days_and_timezone_say_what_happens_to_the_reminder(bot: OfflineBot) -> None:
    user = User(bot, EN)
    assert text_of(await user.say("/days")).startswith("You have no daily reminder.")
    await user.say("/subscribe 08:00 Asia/Shanghai")
    shown = text_of(await user.say("/days"))
    assert shown.startswith("⏰ Your reminder: every day at 08:00 (Asia/Shanghai).")
    moved = text_of(await user.say("/timezone Tokyo")).splitlines()
    assert moved[1] == "⏰ Your daily reminder follows it: every day at 08:00 (Asia/Tokyo)."
