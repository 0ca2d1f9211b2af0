"""The delivery states behind the fault handling (issue 15, item 4): the ``sending`` mark is a
compare-and-set, a crash's ``sending`` rows become ``unknown``, a deferred reminder waits for
its ``retry_at``, and the v5 migration turns an old ``claimed`` row (maybe sent) into
``unknown``."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot.storage import Store
from bot.storage.schema import MIGRATIONS

NOW = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)
DAY = date(2026, 3, 2)


async def claimed(store: Store, *chats: int) -> None:
    for chat in chats:
        await store.reminders.subscribe(chat, time(8, 0), "UTC", DAY, NOW - timedelta(hours=1))
    assert await store.deliveries.claim_many([(c, DAY) for c in chats], NOW) == [True] * len(chats)


async def states(store: Store, chat: int) -> list[str]:
    return [row["state"] for row in await store.deliveries.of_chat(chat)]


async def test_only_one_of_many_senders_may_mark_a_claim_sending(store: Store) -> None:
    await claimed(store, 1)
    marks = await asyncio.gather(
        *(store.deliveries.start_sending(1, DAY, "daily", NOW) for _ in range(10))
    )
    assert marks.count(True) == 1
    assert await states(store, 1) == ["sending"]
    assert not await store.deliveries.start_sending(2, DAY, "daily", NOW), "no claim, no mark"


async def test_a_restart_settles_sending_as_unknown_and_reopens_claimed(
    store: Store,
) -> None:
    await claimed(store, 1, 2)
    assert await store.deliveries.start_sending(1, DAY, "daily", NOW)
    # ... the process dies here: 1 was in flight, 2 had not left.
    assert await store.deliveries.settle_interrupted(NOW) == 1
    assert await states(store, 1) == ["unknown"]
    (row,) = await store.deliveries.of_chat(1)
    assert "interrupted" in row["detail"]
    assert [c.chat_id for c in await store.deliveries.open_claims(NOW)] == [2]


async def test_a_deferred_claim_waits_for_its_retry_at(store: Store) -> None:
    await claimed(store, 1)
    assert await store.deliveries.start_sending(1, DAY, "daily", NOW)
    later = NOW + timedelta(minutes=1)
    await store.deliveries.defer(1, DAY, "daily", NOW, later, detail="unreachable")
    assert await store.deliveries.open_claims(NOW + timedelta(seconds=59)) == []
    (claim,) = await store.deliveries.open_claims(later)
    assert (claim.chat_id, claim.local_date, claim.kind, claim.attempts) == (1, DAY, "daily", 1)
    assert await store.deliveries.start_sending(1, DAY, "daily", later)


async def test_a_snooze_is_claimed_for_the_local_date_it_fires_on(store: Store) -> None:
    shanghai = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 07:30 on 3 March in Shanghai
    await store.reminders.subscribe(7, time(6, 30), "Asia/Shanghai", DAY, NOW)
    await store.reminders.snooze(7, shanghai)
    (snooze,) = await store.deliveries.claim_snoozes(shanghai)
    assert (snooze.chat_id, snooze.local_date, snooze.kind) == (7, date(2026, 3, 3), "snooze")
    assert await store.deliveries.claim_snoozes(shanghai) == [], "taken exactly once"
    assert [c.kind for c in await store.deliveries.open_claims(shanghai)] == ["snooze"]


async def test_the_v5_migration_makes_an_old_claimed_row_unknown(tmp_path: Path) -> None:
    db = tmp_path / "v4.db"
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        for steps in MIGRATIONS[:4]:
            for sql in steps:
                conn.execute(sql)
        conn.execute("PRAGMA user_version = 4")
        conn.executemany(
            "INSERT INTO deliveries (chat_id, local_date, kind, state, attempts, updated_at) "
            "VALUES (?, '2026-03-02', 'daily', ?, ?, '2026-03-02T08:00:00+00:00')",
            [(1, "claimed", 0), (2, "sent", 1)],
        )
    store = await Store.open(db)
    try:
        assert await states(store, 1) == ["unknown"], "an old claim may have been sent"
        assert await states(store, 2) == ["sent"]
        assert await store.deliveries.open_claims(NOW) == []
    finally:
        await store.close()
