"""A Bot API outage: reminders that certainly never left are not dropped (issue 15, item 5).

The fake Bot API stops listening (every connection refused), the reminder checks go on, then it
listens again on the same port. The reminders whose request never left stay claimed with a
``retry_at`` and go out at a later check the same local day: none lost, none twice. One whose
local day ends before the Bot API comes back is dropped as ``failed`` (not sent a day late).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.core.catalogue import Catalogue
from bot.features.reminder_run import OUTAGE_AFTER, RETRY_FIRST
from bot.telegram import send
from tests.conftest import FakeClock
from tests.faults import FaultyBotAPI, LiveBot

DUE = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)
CHATS = range(700, 760)


@pytest.fixture
async def api() -> AsyncIterator[FaultyBotAPI]:
    server = FaultyBotAPI()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """send_reply's retries in place (0.5 s, 1 s, 2 s) scaled down: the test is about the
    retries at later checks."""
    monkeypatch.setattr(send, "BACKOFF_SECONDS", 0.02)


async def subscribe(bot: LiveBot, chats: range, at: time, tz: str, now: datetime) -> None:
    for chat in chats:
        await bot.store.reminders.subscribe(chat, at, tz, now.date() - timedelta(days=1), now)


def reminders(api: FaultyBotAPI) -> Counter[int]:
    return Counter(int(chat) for chat, text in api.delivered if "daily paper" in text)


async def test_reminders_that_never_left_during_an_outage_go_out_when_it_ends(
    api: FaultyBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    clock.set(DUE - timedelta(hours=1))
    # A refused connection still takes a turn of the rate limiter: scaled up, the outage
    # checks take ~0.5 s instead of ~4 s.
    async with LiveBot(api, db_path, catalogue, clock, rate=300) as bot:
        await subscribe(bot, CHATS, time(8, 0), "UTC", clock())
        await api.go_down()
        clock.set(DUE)
        first = await bot.run_reminder_job()
        assert api.delivered == [] and first.sent == 0
        assert first.deferred >= OUTAGE_AFTER, "tried, could not connect, kept for later"
        rows = [row for c in CHATS for row in await bot.store.deliveries.of_chat(c)]
        assert rows and all(r["state"] == "claimed" for r in rows), "kept, none given up"

        clock.set(DUE + RETRY_FIRST / 2)  # a check during the outage: retries not due yet
        during = await bot.run_reminder_job()
        assert during.sent == 0
        await api.come_back()
        for minutes in (2, 3):  # later checks; the deferred ones' retry has come
            clock.set(DUE + timedelta(minutes=minutes))
            await bot.run_reminder_job()
        got = reminders(api)
        rows = [row for c in CHATS for row in await bot.store.deliveries.of_chat(c)]
    states = Counter(row["state"] for row in rows)
    retried = [row for row in rows if row["attempts"] > 1]
    print(
        f"\n{len(CHATS)} reminders through an outage: first check deferred {first.deferred} "
        f"(then stopped), delivered {sum(got.values())}, duplicates "
        f"{sum(n - 1 for n in got.values())}, lost {len(set(CHATS) - set(got))}, states "
        f"{dict(states)}, sent on a second try {len(retried)}"
    )
    assert set(got) == set(CHATS), "none lost"
    assert all(n == 1 for n in got.values()), "none twice"
    assert states == {"sent": len(CHATS)}
    assert len(retried) >= OUTAGE_AFTER


async def test_a_reminder_whose_local_day_ends_during_the_outage_is_dropped_not_sent_late(
    api: FaultyBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    chat = 801
    late = datetime(2026, 3, 2, 23, 50, tzinfo=UTC)
    clock.set(late - timedelta(hours=1))
    async with LiveBot(api, db_path, catalogue, clock) as bot:
        await subscribe(bot, range(chat, chat + 1), time(23, 50), "UTC", clock())
        await api.go_down()
        clock.set(late)
        assert (await bot.run_reminder_job()).deferred == 1
        await api.come_back()
        clock.set(datetime(2026, 3, 3, 0, 5, tzinfo=UTC))  # the next local day
        stats = await bot.run_reminder_job()
        assert stats.expired == 1 and stats.sent == 0
        clock.set(datetime(2026, 3, 3, 23, 51, tzinfo=UTC))  # that day's own reminder
        assert (await bot.run_reminder_job()).sent == 1
        log = await bot.store.deliveries.of_chat(chat)
    assert [(r["local_date"], r["state"]) for r in log] == [
        (date(2026, 3, 2).isoformat(), "failed"),
        (date(2026, 3, 3).isoformat(), "sent"),
    ]
    assert "local day ended" in log[0]["detail"]
    assert sum(reminders(api).values()) == 1
