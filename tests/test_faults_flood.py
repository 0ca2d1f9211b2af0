"""429s: one chat's flood limit delays that chat only; a global one pauses everything
(issue 15, item 6).

Telegram answers 429 both when the bot sends too much overall and when it sends too much to one
chat, without saying which. The rate limiter takes a 429 as the chat's own when that chat was
sent another message less than a second before (``CHAT_WINDOW``); anything else pauses all
sending. Here the fake Bot API enforces a per-chat limit (a second message within a second gets
``retry_after = 2``) while a reminder run goes to 90 other chats and one user fires three
questions in a row.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.core.catalogue import Catalogue
from tests.botmodel import Request
from tests.conftest import FakeClock
from tests.faults import FaultyBotAPI, LiveBot, gaps

DUE = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)
CHATS = range(900, 990)
ASKER = 77
PAUSE = 2  # retry_after of the per-chat 429


@pytest.fixture
async def api() -> AsyncIterator[FaultyBotAPI]:
    server = FaultyBotAPI()
    await server.start()
    yield server
    await server.stop()


async def start_run(bot: LiveBot, api: FaultyBotAPI, clock: FakeClock) -> asyncio.Task[object]:
    for chat in CHATS:
        await bot.store.reminders.subscribe(chat, time(8, 0), "UTC", DUE.date(), clock())
    clock.set(DUE)
    run = asyncio.create_task(bot.run_reminder_job())
    while len(api.delivered) < 15:  # half a second into the run
        await asyncio.sleep(0.01)
    return run


def reminder_sends(api: FaultyBotAPI) -> list[Request]:
    return [r for r in api.calls("sendMessage") if r.ok and r.chat_id in CHATS]


async def test_one_chats_429_delays_that_chat_and_not_the_reminder_run(
    api: FaultyBotAPI,
    db_path: Path,
    catalogue: Catalogue,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    api.chat_limit, api.chat_retry_after = True, PAUSE
    clock.set(DUE - timedelta(hours=1))
    caplog.set_level(logging.INFO, logger="paperbot.ratelimit")
    async with LiveBot(api, db_path, catalogue, clock) as bot:
        run = await start_run(bot, api, clock)
        for question in ("what is resnet", "what is alexnet", "who wrote gpipe"):
            api.send_text(ASKER, question)
        answers = await api.replies(ASKER, 3, timeout=15)
        await run
    sends = reminder_sends(api)
    longest = max(gaps(sends))
    print(
        f"\nper-chat 429s: {api.chat_429}, longest gap in the reminder run {longest:.2f} s, "
        f"{len(sends)} reminders"
    )
    assert api.chat_429 >= 1, "the asker's replies ran into the per-chat limit"
    assert len(answers) == 3 and len(sends) == len(CHATS)
    assert longest < 1.0, "the other chats' reminders were not paused"
    messages = [r.getMessage() for r in caplog.records]
    assert "flood limit of one chat: pausing that chat" in messages
    assert "flood limit: pausing all sending" not in messages


async def test_a_global_429_still_pauses_all_sending(
    api: FaultyBotAPI,
    db_path: Path,
    catalogue: Catalogue,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock.set(DUE - timedelta(hours=1))
    caplog.set_level(logging.INFO, logger="paperbot.ratelimit")
    async with LiveBot(api, db_path, catalogue, clock) as bot:
        run = await start_run(bot, api, clock)
        api.fail_next("sendMessage", "retry_after:1")  # a chat with nothing sent before
        await run
    sends = reminder_sends(api)
    assert len(sends) == len(CHATS)
    assert max(gaps(sends)) >= 1.0, "everything waited out the pause"
    messages = [r.getMessage() for r in caplog.records]
    assert "flood limit: pausing all sending" in messages
    assert "flood limit of one chat: pausing that chat" not in messages
