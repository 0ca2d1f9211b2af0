"""Reading together in a group, end to end: an administrator and two members. Each member's
"✅ I read it" is their own mark, /progress lists the members' counts, a member's /forget deletes
only their own marks, only administrators change the group's reminder, and the group's reminder
moves it one paper a day and says how many members read the last one.

The fake Telegram answers ``getChatMember`` from ``telegram.chat_admins`` (the bot asks it
before anything that changes what the group shares).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.features import callbacks as cb
from tests.botmethods import FakeTelegram
from tests.botmodel import Request
from tests.conftest import FakeClock
from tests.harness import OfflineBot
from tests.ux import of_kind, text_of

GROUP = -1001
ADMIN, BO, CY = 11, 12, 13
NAMES = {ADMIN: "Ann", BO: "Bo", CY: "Cy"}
D = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
FIRST, SECOND = "annotated-transformer", "first-law-of-complexodynamics"
ADMINS_ONLY = "Only the group's administrators can change what the group shares"


class Member:
    """One member of :data:`GROUP` (English Telegram)."""

    def __init__(self, bot: OfflineBot, user_id: int) -> None:
        self.bot, self.id, self.name = bot, user_id, NAMES[user_id]

    def who(self) -> dict[str, Any]:
        return {"user_id": self.id, "first_name": self.name}

    async def say(self, text: str) -> Request:
        return await self.bot.say(GROUP, text, chat_type="group", **self.who())

    async def tap(self, message: Request, action: cb.Action) -> str:
        """Press a button; return the toast."""
        answer = await self.bot.tap(GROUP, message, action, **self.who())
        return str(answer.params.get("text"))

    async def press(self, message: Request, action: cb.Action) -> Request:
        return await self.bot.press(GROUP, message, action, **self.who())


@pytest.fixture
def members(bot: OfflineBot, telegram: FakeTelegram) -> tuple[Member, Member, Member]:
    telegram.chat_admins[GROUP] = {ADMIN}
    return Member(bot, ADMIN), Member(bot, BO), Member(bot, CY)


async def reminder(bot: OfflineBot, clock: FakeClock, day: int) -> Request:
    """The group's reminder of day ``day`` (08:00 UTC)."""
    bot.telegram.check_no_reply(GROUP)
    clock.set(D.replace(hour=8, second=30) + timedelta(days=day))
    await bot.run_reminder_job()
    (sent,) = bot.telegram.unread(GROUP)
    return sent


async def test_members_marks_are_their_own_and_the_reminder_counts_them(
    bot: OfflineBot,
    telegram: FakeTelegram,
    clock: FakeClock,
    members: tuple[Member, Member, Member],
) -> None:
    clock.set(D)
    admin, _, cy = members
    subscribed = await admin.say("/subscribe 08:00 UTC")
    assert "08:00" in text_of(subscribed)
    await mark_two_and_one(bot, members)
    assert await bot.store.progress.states(GROUP) == {}, "members' marks are not the group's"
    progress = text_of(await cy.say("/progress"))
    assert "👥 Members (of 27): Bo 2 · Cy 1" in progress

    # The group's reminder: day 0 brings the first paper (nobody's marks counted yet); day 1
    # moves the group past it, says how many members read it and brings the second.
    day0 = text_of(await reminder(bot, clock, 0))
    assert "The Annotated Transformer" in day0 and "👥" not in day0
    assert await bot.store.progress.states(GROUP) == {}
    day1 = text_of(await reminder(bot, clock, 1))
    assert "👥 2 members finished the last paper." in day1
    assert "The First Law of Complexodynamics" in day1
    assert await bot.store.progress.states(GROUP) == {FIRST: "read"}

    # The group's export (an administrator's) lists each member's own marks.
    bot.telegram.send_text(GROUP, "/export", chat_type="group", **admin.who())
    await bot.idle()
    exported = json.loads(bot.telegram.unread(GROUP)[0].params["document"].content)
    marks = [(m["name"], m["paper_id"]) for m in exported["group_member_marks"]]
    assert sorted(marks) == [("Bo", FIRST), ("Bo", SECOND), ("Cy", FIRST)]


async def mark_two_and_one(bot: OfflineBot, members: tuple[Member, Member, Member]) -> None:
    """Bo reads the list's first two papers, Cy the first (each pressing "✅ I read it")."""
    _, bo, cy = members
    # Cards in a group: "✅ I read it" instead of Read / Skip.
    card = await bo.say("/next")
    assert of_kind(card, cb.MarkMine) == [cb.MarkMine(FIRST)]
    assert of_kind(card, cb.MarkRead) == of_kind(card, cb.MarkSkipped) == []
    first = "The Annotated Transformer"
    assert await bo.tap(card, cb.MarkMine(FIRST)) == f"✅ Bo read {first}. 1 in this group so far."
    assert await cy.tap(card, cb.MarkMine(FIRST)) == f"✅ Cy read {first}. 2 in this group so far."
    assert await bo.tap(card, cb.MarkMine(FIRST)) == f"✅ Bo read {first}. 2 in this group so far."
    bot.telegram.unread(GROUP)
    other = await bo.say("@paperbot_test_bot what is the first law of complexodynamics")
    assert await bo.tap(other, cb.MarkMine(SECOND)) == (
        "✅ Bo read The First Law of Complexodynamics. 1 in this group so far."
    )
    bot.telegram.unread(GROUP)


async def test_a_members_forget_deletes_only_their_own_marks(
    bot: OfflineBot,
    telegram: FakeTelegram,
    clock: FakeClock,
    members: tuple[Member, Member, Member],
) -> None:
    clock.set(D)
    admin, bo, _ = members
    await mark_two_and_one(bot, members)
    offer = await bo.say("/forget")
    assert of_kind(offer, cb.ForgetMine) == [
        cb.ForgetMine("yes", bo.id),
        cb.ForgetMine("no", bo.id),
    ]
    done = await bo.press(offer, cb.ForgetMine("yes", bo.id))
    assert done.method == "editMessageText" and done.message_id == offer.message_id
    assert text_of(done) == "🗑 Done: your marks in this group (2 papers) are deleted."
    assert "👥 Members (of 27): Cy 1" in text_of(await admin.say("/progress"))
    # An administrator's /forget is the group's (after a confirmation).
    offer = await admin.say("/forget")
    assert of_kind(offer, cb.Forget) == [cb.Forget("yes"), cb.Forget("no")]


async def test_the_groups_reminder_asks_each_member_for_their_own_mark(
    bot: OfflineBot,
    telegram: FakeTelegram,
    clock: FakeClock,
    members: tuple[Member, Member, Member],
) -> None:
    clock.set(D)
    await members[0].say("/subscribe 08:00 UTC")
    sent = await reminder(bot, clock, 0)
    assert of_kind(sent, cb.MarkMine) == [cb.MarkMine(FIRST)]
    assert of_kind(sent, cb.MarkRead) == of_kind(sent, cb.MarkSkipped) == []
    assert of_kind(sent, cb.Snooze) == [cb.Snooze()]


async def test_i_read_it_answers_with_a_toast_and_posts_nothing(
    bot: OfflineBot, telegram: FakeTelegram, members: tuple[Member, Member, Member]
) -> None:
    _, bo, _ = members
    card = await bo.say("/next")
    assert (await bo.tap(card, cb.MarkMine(FIRST))).startswith("✅ Bo read")
    telegram.check_no_reply(GROUP)


async def test_only_administrators_change_the_groups_reminder(
    bot: OfflineBot,
    telegram: FakeTelegram,
    clock: FakeClock,
    members: tuple[Member, Member, Member],
) -> None:
    clock.set(D)
    admin, bo, _ = members
    await admin.say("/subscribe 08:00 UTC")
    for command in ("/subscribe 09:00 UTC", "/unsubscribe", "/pause 3", "/timezone Tokyo"):
        assert text_of(await bo.say(command)).startswith(ADMINS_ONLY), command
    sent = await reminder(bot, clock, 0)
    for action in (cb.Snooze(), cb.PauseReminders()):
        assert (await bo.tap(sent, action)).startswith(ADMINS_ONLY)
        telegram.check_no_reply(GROUP)
    settings = await bo.say("/settings")
    assert (await bo.tap(settings, cb.Toggle("review"))).startswith(ADMINS_ONLY)
    sub = await bot.store.reminders.get(GROUP)
    assert sub is not None and sub.schedule.active and sub.schedule.paused_until is None
    assert sub.schedule.local_time.strftime("%H:%M") == "08:00"
    assert (await bot.store.learning.user_fields(GROUP))["review"] == 1
    # The administrator may.
    assert "09:00" in text_of(await admin.say("/subscribe 09:00 UTC"))
