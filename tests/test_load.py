"""Load, small enough for CI: reminders due in the same minute, against the fake Bot API
enforcing Telegram-style flood limits (overall per second, 1 per second per chat), with the
production rate limiter as the bottleneck.

The limit is scaled so that the run takes seconds (Telegram's is 30/s), yet it stays well under
what the bot and the fake manage together unthrottled in this process, measured first: were the
limit above that ceiling, the limiter would never engage and the test would prove nothing about
it. So the limit is the ceiling / ``HEADROOM_FACTOR``, at most ``MAX_RATE``, and the run sends
``SECONDS`` seconds' worth of reminders at it (200 at 100/s on an idle 2-core machine).

The 10,000-reminder run, at the real 30/s and at a scaled rate, is ``benchmarks/reminders.py``
(``python -m benchmarks.reminders --paced 10000``, with ``--rate 100`` for the scaled one).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.console import plain
from bot.core.catalogue import Catalogue
from bot.storage import Store
from bot.telegram.ratelimit import HEADROOM
from tests.botapi import FakeBotAPI, busiest_second
from tests.conftest import FakeClock
from tests.harness import RunningBot

MAX_RATE = int(os.environ.get("PAPERBOT_LOAD_RATE", "100"))  # messages/s, fake and bot alike
MIN_RATE = 20  # below this the machine is too slow for the test to mean much
HEADROOM_FACTOR = 3.5  # the unthrottled ceiling over the limit (room for other test workers)
SECONDS = 2  # of sending at the limit
FIRST_CHAT = 1_000_000
ASKER = 77  # another user, asking a question in the middle of the run
ANSWER_WITHIN = 2.0  # seconds
DUE = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)


async def add_subscribers(db: Path, chats: range) -> None:
    """Subscribe ``chats`` to an 08:00 UTC reminder, in one transaction."""
    store = await Store.open(db)  # creates and migrates the schema
    await store.close()
    created = DUE.isoformat(timespec="seconds")
    start = DUE.date().isoformat()
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO users (chat_id, created_at) VALUES (?, ?)",
            ((chat, created) for chat in chats),
        )
        conn.executemany(
            "INSERT INTO subscriptions (chat_id, local_time, timezone, active, start_date) "
            "VALUES (?, '08:00', 'UTC', 1, ?)",
            ((chat, start) for chat in chats),
        )
    conn.close()


async def unthrottled_rate(db: Path, catalogue: Catalogue, clock: FakeClock, n: int) -> float:
    """Messages per second the bot and the fake manage together with no limit at all."""
    await add_subscribers(db, range(FIRST_CHAT, FIRST_CHAT + n))
    api = FakeBotAPI()
    await api.start()
    try:
        async with RunningBot(api, db, catalogue, clock, rate_limiter=False) as bot:
            started = time.monotonic()
            stats = await bot.run_reminder_job()
            elapsed = time.monotonic() - started
    finally:
        await api.stop()
    assert stats.sent == n
    return n / elapsed


async def test_reminders_due_in_the_same_minute_go_out_once_paced_by_the_limiter(
    api: FakeBotAPI, tmp_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    clock.set(DUE)
    ceiling = await unthrottled_rate(tmp_path / "free.sqlite3", catalogue, clock, 150)
    rate = min(MAX_RATE, int(ceiling / HEADROOM_FACTOR))
    assert rate >= MIN_RATE, f"unthrottled the bot manages only {ceiling:.0f} msg/s here"
    count = SECONDS * rate

    db = tmp_path / "load.sqlite3"
    chats = range(FIRST_CHAT, FIRST_CHAT + count)
    await add_subscribers(db, chats)
    api.enforce_limits(global_per_second=rate, per_chat_per_second=1)
    async with RunningBot(api, db, catalogue, clock, overall_rate=rate) as bot:
        run = asyncio.create_task(bot.run_reminder_job())
        await api.wait_until(lambda: len(api.delivered) >= count // 3)  # a third of the way
        assert not run.done(), "the run ended early"
        asked = time.monotonic()
        api.send_text(ASKER, "what is resnet")
        answer = await api.next_reply(ASKER, timeout=10)
        latency = time.monotonic() - asked
        during_run = not run.done()
        stats = await run

    sends = [r for r in api.calls("sendMessage") if r.chat_id != ASKER]
    ok = sorted(r.at for r in sends if r.ok)
    throughput = (len(ok) - 1) / (ok[-1] - ok[0])
    per_chat = Counter(chat for chat, _ in api.delivered if chat != ASKER)
    duplicates = sum(n - 1 for n in per_chat.values())
    summary = (
        f"{count} reminders at a limit of {rate}/s (unthrottled {ceiling:.0f}/s): "
        f"{throughput:.1f} msg/s, 429s: {api.too_many}, duplicates: {duplicates}, "
        f"busiest second: {busiest_second([r.at for r in sends])}, "
        f"question answered in {latency:.2f} s"
    )
    print("\n" + summary)
    assert stats.sent == count and set(per_chat) == set(chats), summary
    assert duplicates == 0, summary
    assert all("daily paper" in plain(r.text or "") for r in sends if r.ok)
    assert api.too_many == 0, "the bot never went over the limit: " + summary
    assert busiest_second([r.at for r in sends]) <= rate, summary
    # The limiter paces at HEADROOM of the limit; it is the bottleneck, and loses little.
    assert 0.85 * HEADROOM * rate <= throughput <= rate, summary
    assert "Deep Residual Learning" in plain(answer.text or "")
    assert during_run, "the question was answered while reminders were still going out"
    assert latency < ANSWER_WITHIN, f"question answered after {latency:.2f} s"
