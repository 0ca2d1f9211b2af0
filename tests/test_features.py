"""The features without Telegram: the dispatcher's replies, lists, progress across lists, and
the reminder run with a recording ``send``."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.console import plain
from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from bot.features.common import Services, current_list
from bot.features.dispatch import Dispatcher
from bot.features.reminders import Sent, reminder_reply, run_reminders
from bot.features.reply import Reply
from bot.storage import Store

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
LATER = datetime(2026, 3, 2, 8, 5, tzinfo=UTC)


@pytest.fixture
def services(catalogue: Catalogue, store: Store) -> Services:
    return Services(catalogue, store, rng=random.Random(7))


@pytest.fixture
def dispatcher(services: Services) -> Dispatcher:
    return Dispatcher(services)


class Outbox:
    """A reminder ``send`` that keeps what it was given."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Reply]] = []

    async def __call__(self, chat_id: int, reply: Reply) -> Sent:
        self.sent.append((chat_id, reply))
        return Sent("sent")

    def texts(self, chat_id: int) -> list[str]:
        return [plain(r.text) for c, r in self.sent if c == chat_id]


async def test_reminders_and_progress_follow_the_current_list(
    dispatcher: Dispatcher, services: Services
) -> None:
    chat, store = 31, services.store
    await dispatcher.command(chat, "subscribe", "08:00 UTC", now=NOW)
    await store.progress.mark(chat, "resnet", "read", NOW)  # on both lists

    lst = await current_list(services, chat)
    first = reminder_reply(services, lst, await store.progress.states(chat), "en")
    assert "Ilya Sutskever" in plain(first.text)
    assert "The Annotated Transformer" in plain(first.text)

    switched = plain((await dispatcher.command(chat, "list", "paper-reading", now=NOW)).text)
    assert "Li Mu's paper-reading list" in switched
    progress = plain((await dispatcher.command(chat, "progress", now=NOW)).text)
    assert "1/90 read" in progress  # ResNet counts on the second list too
    lists = plain((await dispatcher.command(chat, "lists", now=NOW)).text)
    assert "1/27 read" in lists and "1/90 read" in lists

    outbox = Outbox()
    stats = await run_reminders(services, LATER, outbox)
    assert (stats.due, stats.sent) == (1, 1)
    (reminder,) = outbox.texts(chat)
    assert "Li Mu's paper-reading list" in reminder
    assert "ImageNet Classification with Deep Convolutional Neural Networks" in reminder
    await store.progress.mark(chat, "alexnet", "read", LATER)
    nxt = plain((await dispatcher.command(chat, "next", now=LATER)).text)
    assert "Very Deep Convolutional Networks" in nxt and "2/90 done" in nxt


async def test_list_questions_use_the_current_list_unless_one_is_named(
    dispatcher: Dispatcher,
) -> None:
    chat = 32
    assert "Pointer Networks" in plain((await dispatcher.text(chat, "paper 7", now=NOW)).text)
    await dispatcher.command(chat, "list", "paper-reading", now=NOW)
    assert "Non-deep Networks" in plain((await dispatcher.text(chat, "paper 7", now=NOW)).text)
    named = plain((await dispatcher.text(chat, "how many papers on ilya's list", now=NOW)).text)
    assert "27 papers" in named


async def test_the_reminder_reply_is_pure_and_the_run_pauses_a_finished_list(
    dispatcher: Dispatcher, services: Services
) -> None:
    """Rendering the congratulation changes nothing; the run that delivers it pauses the
    reminder, once, so the finished list is not congratulated every morning."""
    chat, store = 33, services.store
    await dispatcher.command(chat, "subscribe", "08:00 UTC", now=NOW)
    lst = await current_list(services, chat)
    for pid in lst.order:
        await store.progress.mark(chat, pid, "read", NOW)
    done = reminder_reply(services, lst, await store.progress.states(chat), "en")
    assert "Congratulations" in plain(done.text)
    assert [b.data for row in done.buttons for b in row] == [cb.Menu("lists").encode()]
    before = await store.reminders.get(chat)

    outbox = Outbox()
    stats = await run_reminders(services, LATER, outbox)
    assert stats.finished == [chat] and outbox.texts(chat) == [plain(done.text)]
    assert await store.reminders.get(chat) != before, "delivering it paused the reminder"
    tomorrow = LATER + timedelta(days=1)
    assert (await run_reminders(services, tomorrow, outbox)).due == 0, "paused: none tomorrow"
    assert outbox.texts(chat) == [plain(done.text)]
    resumed = plain((await dispatcher.command(chat, "resume", now=tomorrow)).text)
    assert "every day at 08:00 (UTC)" in resumed
    assert (await run_reminders(services, tomorrow, outbox)).sent == 1, "resumed: it comes"


async def test_a_reminder_that_send_fails_on_is_recorded_and_the_others_go_on(
    dispatcher: Dispatcher, services: Services
) -> None:
    for chat in (41, 42, 43):
        await dispatcher.command(chat, "subscribe", "08:00 UTC", now=NOW)
    outbox = Outbox()

    async def send(chat_id: int, reply: Reply) -> Sent:
        if chat_id == 42:
            raise RuntimeError("a bug in the adapter")
        return await outbox(chat_id, reply)

    stats = await run_reminders(services, LATER, send)
    assert (stats.sent, stats.failed) == (2, 1)
    assert [c for c, _ in outbox.sent] == [41, 43]
    (row,) = await services.store.deliveries.of_chat(42)
    assert row["state"] == "failed" and "RuntimeError" in row["detail"]
    again = await run_reminders(services, LATER, outbox)
    assert again.due == 0, "a failed reminder is not retried the same day (at most once)"


async def test_the_subscription_confirmations_state_the_real_schedule(
    dispatcher: Dispatcher,
) -> None:
    chat = 51

    async def say(name: str, args: str = "") -> str:
        return plain((await dispatcher.command(chat, name, args, now=NOW)).text)

    subscribed = await say("subscribe", "09:00 Asia/Shanghai")
    assert "every day at 09:00 (Asia/Shanghai)" in subscribed
    assert "First one: 3 Mar 2026 09:00" in subscribed  # Babel's date, in the chat's zone
    assert "every weekday at 09:00 (Asia/Shanghai)" in await say("days", "weekdays")
    assert "on weekends at 09:00" in await say("days", "weekends")
    assert "09:00 (Asia/Shanghai)" in await say("days", "mon,wed")
    assert "Reminders paused." in await say("pause")
    assert "already paused" in await say("pause")
    assert "at 09:00 (Asia/Shanghai)" in await say("resume")
