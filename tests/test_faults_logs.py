"""Logs under faults (issue 15, item 11).

* A reminder check that fails is logged as such, not as ``update failed`` with ``chat_id=None``
  (which is what python-telegram-bot's error handler path made of a failing job).
* During a reminder run longer than the check interval, the scheduler never warns that a check
  was skipped (or missed), and runs never overlap.

(A malformed webhook update is checked in ``test_faults_webhook.py``: one WARNING, no text.)
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.core.catalogue import Catalogue
from tests.conftest import FakeClock
from tests.faults import FaultyBotAPI, LiveBot

DUE = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)


@pytest.fixture
async def api() -> AsyncIterator[FaultyBotAPI]:
    server = FaultyBotAPI()
    await server.start()
    yield server
    await server.stop()


async def test_a_failing_reminder_check_is_not_logged_as_a_failed_update(
    api: FaultyBotAPI,
    db_path: Path,
    catalogue: Catalogue,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock.set(DUE)
    async with LiveBot(api, db_path, catalogue, clock) as bot:

        async def broken(now: datetime) -> list[tuple[int, object]]:
            raise RuntimeError("the due index is broken")

        monkeypatch.setattr(bot.store.reminders, "due", broken)
        caplog.set_level(logging.INFO)
        # As the job queue runs it: errors of a job go to the application's error handlers.
        await bot.reminder_job().run(bot.app)
        monkeypatch.undo()
        api.send_text(42, "what is resnet")  # and the bot is still fine
        await api.next_reply(42, timeout=10)
    failed = [r for r in caplog.records if r.getMessage() == "reminder check failed"]
    assert len(failed) == 1 and failed[0].levelno == logging.ERROR
    assert failed[0].exc_info is not None and "due index" in str(failed[0].exc_info[1])
    assert not [r for r in caplog.records if r.getMessage() == "update failed"]


async def test_a_run_longer_than_the_interval_draws_no_skipped_warnings(
    api: FaultyBotAPI,
    db_path: Path,
    catalogue: Catalogue,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """120 reminders at 30/s take 4 s; the job queue checks every second."""
    chats = range(500, 620)
    clock.set(DUE - timedelta(hours=1))
    caplog.set_level(logging.WARNING)
    async with LiveBot(api, db_path, catalogue, clock, interval=1, first_check=3600) as bot:
        for chat in chats:
            await bot.store.reminders.subscribe(chat, time(8, 0), "UTC", DUE.date(), clock())
        clock.set(DUE)
        bot.reminder_job().job.modify(next_run_time=datetime.now(UTC))  # first check: now
        while len(api.delivered) < len(chats):
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)  # one more check after the run
    per_chat = Counter(chat for chat, _ in api.delivered)
    noisy = [
        r.getMessage()
        for r in caplog.records
        if "skipped" in r.getMessage() or "missed" in r.getMessage()
    ]
    assert noisy == []
    assert set(per_chat) == set(chats) and max(per_chat.values()) == 1
