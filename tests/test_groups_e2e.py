"""Groups, end to end: the greeting when the bot is added, what only administrators may change
(and that a member's attempt changes nothing), the administrator's /forget, and when the bot
speaks in a group at all.

The real Application, in-process, on a fake Telegram whose ``getChatMember`` answers with each
user's status in the group (``set_member``) and which sends ``my_chat_member`` when the bot is
added or removed (``bot_status``); users press only buttons the bot sent. The members' own "✅ I
read it" marks and the group's reminder are in ``tests/test_learning_group.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.features import callbacks as cb
from tests.botmethods import FakeTelegram
from tests.botmodel import Request
from tests.conftest import FakeClock
from tests.harness import OfflineBot
from tests.ux import data, is_edit_of, labels, of_kind, text_of

GROUP = -100200
OWNER, MEMBER = 31, 32

ADMINS_ONLY = {
    "en": "Only the group's administrators can change what the group shares (its list, "
    "reminder, language and data). Ask an admin, or talk to me in a private chat.",
    "zh-hans": "只有群管理员可以修改本群共享的内容（清单、提醒、语言和数据）。"
    "请找管理员，或者在私聊里使用我。",
    "zh-TW": "只有群管理員可以修改本群共享的內容（清單、提醒、語言和資料）。"
    "請找管理員，或者在私聊裡使用我。",
}


class Person:
    """Someone in :data:`GROUP`, with the language their Telegram reports."""

    def __init__(self, bot: OfflineBot, user_id: int, name: str, code: str) -> None:
        self.bot, self.id, self.name, self.code = bot, user_id, name, code

    def who(self) -> dict[str, Any]:
        return {"user_id": self.id, "first_name": self.name, "language_code": self.code}

    async def say(self, text: str, **kwargs: Any) -> Request:
        """Write ``text`` in the group; the bot's first reply."""
        return await self.bot.say(GROUP, text, chat_type="group", **self.who(), **kwargs)

    def write(self, text: str, **kwargs: Any) -> None:
        """Write ``text`` in the group (the bot may well say nothing)."""
        self.bot.telegram.send_text(GROUP, text, chat_type="group", **self.who(), **kwargs)

    async def tap(self, message: Request, action: cb.Action) -> str | None:
        """Press a button; the toast."""
        answer = await self.bot.tap(GROUP, message, action, **self.who())
        return answer.params.get("text")

    async def press(self, message: Request, action: cb.Action) -> Request:
        return await self.bot.press(GROUP, message, action, **self.who())


def group(
    bot: OfflineBot,
    telegram: FakeTelegram,
    owner_code: str = "en",
    member_code: str = "en",
    admin: str = "creator",
) -> tuple[Person, Person]:
    """The group's owner (status ``creator``, or ``administrator``: both administer it) and an
    ordinary member (``member``)."""
    telegram.set_member(GROUP, OWNER, admin, first_name="Ann", language_code=owner_code)
    telegram.set_member(GROUP, MEMBER, "member", first_name="Bo", language_code=member_code)
    return Person(bot, OWNER, "Ann", owner_code), Person(bot, MEMBER, "Bo", member_code)


# -- added to a group -------------------------------------------------------------------------

WELCOME = {
    "en": (
        "👋 Hi! I'm paperbot: I help a group read Ilya Sutskever's ~30 papers or Li Mu's "
        "paper-reading list together.",
        "/forget (administrators) deletes what I store for this group.",
    ),
    "zh-hans": (
        "👋 大家好！我是 paperbot，陪一个群一起读 Ilya Sutskever 的约 30 篇论文"
        "或李沐的论文精读清单。",
        "/forget（管理员）删除我为本群保存的内容。",
    ),
    "zh-TW": (
        "👋 大家好！我是 paperbot，陪一個群一起讀 Ilya Sutskever 的約 30 篇論文"
        "或李沐的論文精讀清單。",
        "/forget（管理員）刪除我為本群保存的內容。",
    ),
}


@pytest.mark.parametrize("code", list(WELCOME))
async def test_the_bot_greets_a_group_once_when_added_in_the_adders_language(
    bot: OfflineBot, telegram: FakeTelegram, code: str
) -> None:
    first, last = WELCOME[code]
    telegram.bot_status(GROUP, "member", by_user_id=OWNER, language_code=code)
    await bot.idle()
    (welcome,) = telegram.unread(GROUP)
    lines = text_of(welcome).splitlines()
    assert lines[0] == first and lines[-1].endswith(last)
    assert "/subscribe" in text_of(welcome) and welcome.buttons == []

    # Made an administrator, or removed: nothing to say (and nobody to say it to).
    for status in ("administrator", "left"):
        telegram.bot_status(GROUP, status, by_user_id=OWNER, language_code=code)
        await bot.idle()
        assert telegram.unread(GROUP) == [], status
    # Added again: greeted again.
    telegram.bot_status(GROUP, "member", by_user_id=OWNER, language_code=code)
    await bot.idle()
    assert [text_of(r).splitlines()[0] for r in telegram.unread(GROUP)] == [first]
    # A private chat (a user blocks and unblocks the bot) is no group to greet.
    telegram.bot_status(OWNER, "kicked", by_user_id=OWNER, chat_type="private")
    telegram.bot_status(OWNER, "member", by_user_id=OWNER, chat_type="private")
    await bot.idle()
    assert telegram.unread(OWNER) == []


# -- what only administrators may change ------------------------------------------------------


async def shared_state(bot: OfflineBot) -> tuple[Any, ...]:
    """Everything a group shares: its settings, reminder, progress and learning fields."""
    store = bot.store
    user = await store.users.get(GROUP)
    return (
        None if user is None else (user.lang, user.timezone, user.current_list),
        await store.reminders.get(GROUP),
        await store.progress.states(GROUP),
        await store.learning.user_fields(GROUP),
    )


@pytest.mark.parametrize("code", ["zh-hans", "zh-TW", "en"])
async def test_a_member_cannot_change_what_the_group_shares_and_changes_nothing(
    bot: OfflineBot, telegram: FakeTelegram, code: str
) -> None:
    owner, member = group(bot, telegram, member_code=code)
    await owner.say("/subscribe 08:00 Asia/Shanghai")
    before = await shared_state(bot)
    refused = ADMINS_ONLY[code]

    for command in (
        "/subscribe 09:00 UTC",
        "/lang zh",
        "/lang english",
        "/list paper-reading",
        "/timezone Tokyo",
        "/days weekends",
        "/pause",
        "/pause 3",
        "/unsubscribe",
    ):
        reply = await member.say(command)
        assert (text_of(reply), reply.buttons) == (refused, []), command
        telegram.check_no_reply(GROUP)

    # The buttons that change the shared settings answer with the same words in a toast.
    panel = await member.say("/settings")
    presses: list[tuple[Request, cb.Action]] = []
    zones = await member.press(panel, cb.Settings("tz"))
    presses += [(zones, a) for a in of_kind(zones, cb.SetZone)]
    times = await member.press(panel, cb.Settings("time"))
    presses += [(times, a) for a in of_kind(times, cb.SetTime)]
    langs = await member.press(panel, cb.Settings("lang"))
    presses += [(langs, a) for a in of_kind(langs, cb.SetLang)]
    presses += [(panel, a) for a in of_kind(panel, cb.Toggle)]
    lists = await member.press(panel, cb.Menu("lists"))
    presses += [(lists, a) for a in of_kind(lists, cb.SwitchList)]
    assert len(presses) == 8 + 7 + 3 + 2 + 2
    for message, action in presses:
        assert await member.tap(message, action) == refused, action
        telegram.check_no_reply(GROUP)

    assert await shared_state(bot) == before

    # Looking is not changing: a member sees the list, the zone and the languages.
    assert of_kind(await member.say("/list"), cb.OpenFromList)
    assert of_kind(await member.say("/timezone"), cb.SetZone)
    assert of_kind(await member.say("/lang"), cb.SetLang)


async def test_the_owner_sets_the_groups_language_list_zone_and_reminder(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    owner, member = group(bot, telegram, member_code="en")
    assert text_of(await owner.say("/lang zh")) == "🌐 之后我会用中文回复。"
    switched = await owner.say("/list paper-reading")
    assert text_of(switched).startswith("📚 当前清单已切换为 李沐·深度学习论文精读（共 90 篇）。")
    asked = await owner.say("/subscribe 8 am")
    shanghai = cb.SubscribeIn("08:00", "Asia/Shanghai")
    assert await member.tap(asked, shanghai) == ADMINS_ONLY["zh-hans"], "the group's language"
    telegram.check_no_reply(GROUP)
    done = await owner.press(asked, shanghai)
    assert is_edit_of(done, asked) and "每天 08:00（Asia/Shanghai）" in text_of(done)
    assert text_of(await owner.say("/days weekdays")).endswith(
        "每个工作日 08:00（Asia/Shanghai）。"
    )
    user = await bot.store.users.get(GROUP)
    assert user is not None
    assert (user.lang, user.current_list, user.timezone) == (
        "zh",
        "paper-reading",
        "Asia/Shanghai",
    )
    sub = await bot.store.reminders.get(GROUP)
    assert sub is not None and sub.schedule.days == frozenset(range(5))
    # Everyone in the group now reads the group's language.
    assert text_of(await member.say("/progress")).startswith("李沐·深度学习论文精读")


async def test_a_refused_member_does_not_change_the_language_of_the_groups_reminder(
    bot: OfflineBot, telegram: FakeTelegram, clock: FakeClock
) -> None:
    owner, member = group(bot, telegram, owner_code="zh-hans", member_code="en")
    await owner.say("/subscribe 08:00 UTC")
    stored = await bot.store.users.get(GROUP)
    assert stored is not None and stored.tg_lang == "zh-hans"
    assert text_of(await member.say("/subscribe 09:00 UTC")) == ADMINS_ONLY["en"]
    clock.set(datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC))
    await bot.run_reminder_job()
    (reminder,) = telegram.unread(GROUP)
    assert text_of(reminder).startswith("⏰ 今天的论文"), text_of(reminder)[:40]


# -- /forget in a group -----------------------------------------------------------------------

FORGET = {
    "en": (
        "This deletes what paperbot stores for this group: its reading progress, its daily "
        "reminder, its settings (language, time zone, current list) and every member's own "
        '"I read it" marks with their names. Members\' private chats with me are not touched. '
        "Are you sure?",
        "Nothing was deleted.",
        "🗑 Done: this group's progress, reminder, settings and members' marks are deleted.",
    ),
    "zh-hans": (
        "这会删除 paperbot 为本群保存的全部内容：本群的阅读进度、每日提醒、设置（语言、时区、"
        '当前清单），以及每位成员自己的"我读完了"标记和名字。成员与我的私聊不受影响。确定吗？',
        "什么都没有删除。",
        "🗑 已删除本群的进度、提醒、设置和成员的标记。",
    ),
}


@pytest.mark.parametrize("code", list(FORGET))
async def test_an_administrators_forget_says_what_it_deletes_and_deletes_it(
    bot: OfflineBot, telegram: FakeTelegram, clock: FakeClock, code: str
) -> None:
    owner, member = group(bot, telegram, owner_code=code, admin="administrator")
    asks, kept, deleted = FORGET[code]
    await owner.say("/lang zh" if code != "en" else "/lang en")
    await owner.say("/list paper-reading")
    await owner.say("/subscribe 08:00 Asia/Shanghai")
    await bot.store.progress.mark(GROUP, "alexnet", "read", clock())
    card = await member.say("@paperbot_test_bot resnet")
    await member.tap(card, cb.MarkMine("resnet"))
    telegram.unread(GROUP)
    await bot.say(OWNER, "/subscribe 07:00 UTC", language_code=code)  # the owner's own
    before = await shared_state(bot)

    ask = await owner.say("/forget")
    assert text_of(ask) == asks
    assert ask.callback_data == data(cb.Forget("yes"), cb.Forget("no"))
    # A member pressing "yes" on it is refused.
    assert await member.tap(ask, cb.Forget("yes")) == ADMINS_ONLY[code]  # the group's language
    telegram.check_no_reply(GROUP)
    no = await owner.press(ask, cb.Forget("no"))
    assert is_edit_of(no, ask) and text_of(no) == kept
    assert await shared_state(bot) == before

    ask = await owner.say("/forget")
    yes = await owner.press(ask, cb.Forget("yes"))
    assert is_edit_of(yes, ask) and text_of(yes) == deleted
    assert await bot.store.users.get(GROUP) is None
    assert await bot.store.reminders.get(GROUP) is None
    assert await bot.store.progress.states(GROUP) == {}
    assert await bot.store.learning.member_counts(GROUP, ("resnet",)) == []
    assert await bot.store.reminders.get(OWNER) is not None, "the owner's own reminder stays"


MINE = {
    #: (the offer, how the confirmation starts)
    "zh-hans": (
        "在本群里我只保存了你自己的标记（你说读完的论文）。要删除吗？"
        "本群的清单、进度和提醒不受影响。",
        "🗑 已删除你在本群的",
    ),
    "zh-TW": (
        "在本群裡我只保存了你自己的標記（你說讀完的論文）。要刪除嗎？"
        "本群的清單、進度和提醒不受影響。",
        "🗑 已刪除你在本群的",
    ),
    "en": (
        "In this group I keep your own marks (the papers you said you read). Delete them? "
        "The group's list, progress and reminder stay.",
        "🗑 Done: your ",
    ),
}


@pytest.mark.parametrize("code", list(MINE))
async def test_a_members_forget_offers_to_delete_only_their_own_marks(
    bot: OfflineBot, telegram: FakeTelegram, code: str
) -> None:
    owner, member = group(bot, telegram, member_code=code)
    offer, done = MINE[code]
    await owner.say("/subscribe 08:00 UTC")
    for paper in ("resnet", "alexnet"):
        card = await member.say(f"@paperbot_test_bot {paper}")
        await member.tap(card, cb.MarkMine(paper))
        card = await owner.say(f"@paperbot_test_bot {paper}")
        await owner.tap(card, cb.MarkMine(paper))
    telegram.unread(GROUP)
    before = await shared_state(bot)

    ask = await member.say("/forget")
    assert text_of(ask) == offer
    yes, no = cb.ForgetMine("yes", member.id), cb.ForgetMine("no", member.id)
    assert ask.callback_data == data(yes, no)
    # Only the member who asked can press it: the owner's press deletes nothing.
    assert await owner.tap(ask, yes), "a toast says whose button it is"
    assert await shared_state(bot) == before
    deleted = await member.press(ask, yes)
    assert is_edit_of(deleted, ask) and text_of(deleted).startswith(done)
    assert "2" in text_of(deleted), "how many marks"
    counts = await bot.store.learning.member_counts(GROUP, ("resnet", "alexnet"))
    assert [c for _, c in counts] == [2], "the owner's marks stay"
    assert await shared_state(bot) == before, "the group's list, progress and reminder stay"


# -- when the bot speaks in a group -----------------------------------------------------------


async def test_in_a_group_the_bot_answers_only_when_mentioned_or_replied_to(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    owner, member = group(bot, telegram)
    member.write("has anyone read resnet?")
    member.write("@someone_else what is resnet")
    member.write("/next@other_bot")
    await bot.idle()
    assert telegram.unread(GROUP) == []

    mentioned = await member.say("@paperbot_test_bot what is resnet")
    assert text_of(mentioned).startswith("Deep Residual Learning")
    assert of_kind(mentioned, cb.MarkMine) == [cb.MarkMine("resnet")], "a group's card"
    replied = await owner.say("and alexnet?", reply_to=mentioned.message_id)
    assert text_of(replied).startswith("ImageNet Classification")
    command = await member.say("/next@paperbot_test_bot")
    assert "The Annotated Transformer" in text_of(command)

    # A reply to a member's message is chatter, even when it names a paper.
    member.write("I liked it")
    await bot.idle()
    theirs = int(telegram.updates[-1]["message"]["message_id"])
    owner.write("what is alexnet", reply_to=theirs)
    await bot.idle()
    assert telegram.unread(GROUP) == []


async def test_an_edited_question_in_a_group_keeps_the_groups_buttons(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    _, member = group(bot, telegram)
    answer = await member.say("@paperbot_test_bot what is resnet")
    question = int(telegram.updates[-1]["message"]["message_id"])
    telegram.edit_text(GROUP, question, "@paperbot_test_bot what is alexnet")
    await bot.idle()
    (edited,) = telegram.unread(GROUP)
    assert edited.method == "editMessageText" and edited.message_id == answer.message_id
    assert text_of(edited).startswith("ImageNet Classification")
    assert labels(edited)[0] == "✅ I read it"
    assert of_kind(edited, cb.MarkMine) == [cb.MarkMine("alexnet")]
    assert of_kind(edited, cb.MarkRead) == of_kind(edited, cb.MarkSkipped) == []
    # Edited so that it no longer mentions the bot: it is chatter now, the answer stays.
    telegram.edit_text(GROUP, question, "what is alexnet")
    await bot.idle()
    assert telegram.unread(GROUP) == []
