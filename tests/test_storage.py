"""Storage on a temporary SQLite file: WAL, migrations with data in place, claims, privacy.

The database faults (a busy lock, a lost file, read-only opening) are in test_storage_faults.py.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from bot.storage import PERSONAL_TABLES, SCHEMA_VERSION, StorageError, Store
from bot.storage.db import MIGRATIONS

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "paperbot.sqlite3"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(db_path)
    yield opened
    await opened.close()


async def test_wal_mode_schema_version_and_created(db_path: Path) -> None:
    store = await Store.open(db_path)
    assert store.db.created and store.db.path == db_path
    assert await store.db.journal_mode() == "wal"
    assert await store.db.schema_version() == SCHEMA_VERSION
    await store.close()
    again = await Store.open(db_path)
    assert not again.db.created
    await again.close()


async def test_progress_is_per_paper_and_survives_reopen(db_path: Path) -> None:
    store = await Store.open(db_path)
    await store.progress.mark(1, "resnet", "read", NOW)
    await store.progress.mark(1, "pointer-networks", "skipped", NOW)
    later = NOW.replace(hour=13)
    await store.progress.mark(1, "pointer-networks", "read", later)
    await store.close()
    store = await Store.open(db_path)
    assert await store.progress.states(1) == {"resnet": "read", "pointer-networks": "read"}
    assert await store.progress.marked_at(1) == {"resnet": NOW, "pointer-networks": later}
    await store.progress.unmark(1, "resnet")
    assert await store.progress.states(1) == {"pointer-networks": "read"}
    assert await store.progress.states(2) == {}
    await store.close()


async def test_claim_is_won_once_per_local_day_even_concurrently(store: Store) -> None:
    await store.reminders.subscribe(5, time(8, 0), "Asia/Shanghai", date(2026, 3, 2), NOW)
    day = date(2026, 3, 3)
    results = await asyncio.gather(*(store.deliveries.claim(5, day, NOW) for _ in range(20)))
    assert results.count(True) == 1
    assert not await store.deliveries.claim(5, day, NOW)
    assert await store.deliveries.claim(5, date(2026, 3, 4), NOW)
    sub = await store.reminders.get(5)
    assert sub is not None and sub.schedule.last_sent_date == date(2026, 3, 4)


async def test_claim_survives_a_crash_before_recording(db_path: Path) -> None:
    """A claim is committed before sending: after a crash (no record, connection dropped), a
    new process cannot claim the same day again."""
    store = await Store.open(db_path)
    await store.reminders.subscribe(9, time(8, 0), "UTC", date(2026, 3, 2), NOW)
    assert await store.deliveries.claim(9, date(2026, 3, 2), NOW)
    await store.close()  # "crash": nothing else recorded
    again = await Store.open(db_path)
    assert not await again.deliveries.claim(9, date(2026, 3, 2), NOW)
    assert (await again.deliveries.of_chat(9))[0]["state"] == "claimed"
    await again.deliveries.record(9, date(2026, 3, 2), "sent", NOW, attempts=2)
    (log,) = await again.deliveries.of_chat(9)
    assert (log["state"], log["attempts"], log["local_date"]) == ("sent", 2, "2026-03-02")
    await again.close()


async def test_unsubscribe_resume_pause_and_snooze(store: Store) -> None:
    reminders = store.reminders
    await reminders.subscribe(3, time(7, 30), "Europe/Berlin", date(2026, 3, 2), NOW)
    assert await reminders.pause(3, date(2026, 3, 5))
    sub = await reminders.get(3)
    assert sub is not None and sub.schedule.paused_until == date(2026, 3, 5)
    assert await reminders.resume(3)
    assert await reminders.set_days(3, frozenset({0, 2}))
    assert not await reminders.set_days(4, frozenset({0}))
    assert await reminders.unsubscribe(3)
    assert not await reminders.unsubscribe(3)
    assert await reminders.active() == []
    await reminders.snooze(3, NOW)
    await reminders.snooze(4, NOW.replace(hour=11))
    assert await reminders.claim_snoozes(NOW) == [4, 3]
    assert await reminders.claim_snoozes(NOW) == []
    await reminders.snooze(3, NOW)
    assert await reminders.clear_snooze(3)
    assert not await reminders.clear_snooze(3)
    assert await reminders.claim_snoozes(NOW) == []


async def test_export_is_named_and_typed_and_forget_removes_it(store: Store) -> None:
    await store.users.set_lang(4, "zh", NOW)
    await store.progress.mark(4, "alexnet", "read", NOW)
    await store.reminders.subscribe(4, time(8, 0), "Asia/Shanghai", date(2026, 3, 3), NOW)
    await store.reminders.set_days(4, frozenset({0, 2, 4}))
    await store.reminders.pause(4, date(2026, 3, 9))
    await store.deliveries.claim(4, date(2026, 3, 3), NOW)
    await store.reminders.snooze(4, NOW)
    await store.progress.mark(5, "alexnet", "read", NOW)
    data = await store.privacy.export(4)
    assert data["user"] == {
        "chat_id": 4,
        "language": "zh",
        "telegram_language": None,
        "time_zone": "UTC",
        "current_list": None,
        "reading_now": None,
        "review_questions": True,
        "weekly_recap": True,
        "created_at": "2026-03-02T12:00:00+00:00",
    }
    assert data["subscription"] == {
        "time": "08:00",
        "time_zone": "Asia/Shanghai",
        "days": ["mon", "wed", "fri"],
        "active": True,
        "start_date": "2026-03-03",
        "paused_until": "2026-03-09",
        "last_sent_date": "2026-03-03",
    }
    assert data["progress"] == [
        {"paper_id": "alexnet", "state": "read", "at": "2026-03-02T12:00:00+00:00"}
    ]
    assert [(d["date"], d["state"]) for d in data["deliveries"]] == [("2026-03-03", "claimed")]
    assert data["snooze"] == {"due_at": "2026-03-02T12:00:00+00:00"}
    await store.privacy.forget(4)
    assert await store.privacy.export(4) == {
        "user": None,
        "subscription": None,
        "snooze": None,
        "progress": [],
        "deliveries": [],
        "quiz_answers": [],
        "quiz_polls": [],
        "reading_days": [],
        "pauses": [],
        "notes": [],
        "group_member_marks": [],
        "my_marks_in_groups": [],
    }
    assert await store.progress.states(5) == {"alexnet": "read"}


async def test_every_table_with_a_chat_id_is_personal(store: Store, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        with_chat = {
            t
            for t in tables
            if any(c[1] == "chat_id" for c in conn.execute(f"PRAGMA table_info({t})"))
        }
    finally:
        conn.close()
    assert with_chat and with_chat == set(PERSONAL_TABLES)


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
async def test_migration_from_every_earlier_version_keeps_data(
    db_path: Path, version: int
) -> None:
    conn = sqlite3.connect(db_path)
    for steps in MIGRATIONS[:version]:
        for sql in steps:
            conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(
        "INSERT INTO users (chat_id, lang, timezone, created_at) VALUES "
        "(11, 'zh', 'Asia/Shanghai', '2026-01-01T00:00:00+00:00')"
    )
    conn.execute("INSERT INTO progress VALUES (11, 'resnet', 'read', '2026-01-02T00:00:00+00:00')")
    conn.execute(
        "INSERT INTO subscriptions (chat_id, local_time, timezone, active, "
        "last_sent_date, start_date) VALUES (11, '08:00', 'Asia/Shanghai', 1, "
        "'2026-01-05', '2026-01-01')"
    )
    conn.commit()
    conn.close()
    store = await Store.open(db_path)
    assert not store.db.created
    assert await store.db.schema_version() == SCHEMA_VERSION
    user = await store.users.get(11)
    assert user is not None and user.lang == "zh" and user.timezone == "Asia/Shanghai"
    assert await store.progress.states(11) == {"resnet": "read"}
    sub = await store.reminders.get(11)
    assert sub is not None and sub.schedule.last_sent_date == date(2026, 1, 5)
    assert sub.schedule.local_time == time(8, 0) and len(sub.schedule.days) == 7
    # 08:00 in Shanghai on 6 January: the migrated subscription is found by the due index.
    assert await store.reminders.due(datetime(2026, 1, 6, 0, 30, tzinfo=UTC)) == [
        (11, date(2026, 1, 6))
    ]
    await store.close()


async def test_corrupt_file_stops_with_a_clear_message_and_is_not_recreated(
    tmp_path: Path,
) -> None:
    path = tmp_path / "broken.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(StorageError, match=r"not a readable paperbot database|corrupt"):
        await Store.open(path)
    assert path.read_bytes() == garbage


async def test_newer_schema_is_refused(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError, match="newer"):
        await Store.open(db_path)


async def test_cached_users_follow_every_write(store: Store) -> None:
    """users.get is cached in memory; each write to a user must show in the next read."""
    users = store.users
    await users.ensure(8, NOW)
    assert (await users.get(8)) == (await users.get(8))  # cached now
    await users.set_lang(8, "zh", NOW)
    await users.set_timezone(8, "Asia/Tokyo", NOW)
    await users.set_current_list(8, "paper-reading", NOW)
    user = await users.get(8)
    assert user is not None
    assert (user.lang, user.timezone, user.current_list) == ("zh", "Asia/Tokyo", "paper-reading")
    # A read that overlaps a write is not kept: the write's value wins.
    read, _ = await asyncio.gather(users.get(8), users.set_lang(8, "en", NOW))
    assert read is not None
    after = await users.get(8)
    assert after is not None and after.lang == "en"
    await store.privacy.forget(8)
    assert await users.get(8) is None
    assert (await users.ensure(8, NOW)).lang is None
    # "No such user" is cached too, until a write creates the row.
    assert await users.get(9) is None
    await store.progress.mark(9, "resnet", "read", NOW)
    assert await users.get(9) is not None
    assert await users.get(10) is None
    await store.reminders.subscribe(10, time(8, 0), "UTC", date(2026, 3, 2), NOW)
    assert await users.get(10) is not None


async def test_set_timezone_moves_the_subscription(store: Store) -> None:
    await store.reminders.subscribe(6, time(8, 0), "UTC", date(2026, 3, 2), NOW)
    await store.users.set_timezone(6, "Asia/Tokyo", NOW)
    sub = await store.reminders.get(6)
    assert sub is not None and sub.schedule.timezone == "Asia/Tokyo"


async def test_claims_in_one_transaction_win_each_day_once(store: Store) -> None:
    day = date(2026, 3, 3)
    await store.reminders.subscribe(5, time(8, 0), "UTC", date(2026, 3, 2), NOW)
    await store.reminders.subscribe(6, time(8, 0), "UTC", date(2026, 3, 2), NOW)
    await store.reminders.unsubscribe(6)
    claims = [(5, day), (5, day), (6, day), (7, day)]
    assert await store.deliveries.claim_many(claims, NOW) == [True, False, False, False]
    assert [d["state"] for d in await store.deliveries.of_chat(5)] == ["claimed"]
    assert not await store.deliveries.claim(5, day, NOW)
    assert await store.deliveries.claim_many([], NOW) == []
