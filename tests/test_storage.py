"""Storage on a temporary SQLite file: WAL, migrations with data in place, claims, privacy."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from bot.storage import MIGRATIONS, SCHEMA_VERSION, Storage, StorageError

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def test_wal_mode_busy_timeout_and_schema_version(storage: Storage) -> None:
    assert await storage.journal_mode() == "wal"
    assert await storage.schema_version() == SCHEMA_VERSION


async def test_progress_is_per_paper_and_survives_reopen(db_path: Path) -> None:
    store = await Storage.open(db_path)
    await store.mark(1, "resnet", "read", NOW)
    await store.mark(1, "pointer-networks", "skipped", NOW)
    await store.mark(1, "pointer-networks", "read", NOW)
    await store.close()
    store = await Storage.open(db_path)
    assert await store.progress(1) == {"resnet": "read", "pointer-networks": "read"}
    await store.unmark(1, "resnet")
    assert await store.progress(1) == {"pointer-networks": "read"}
    assert await store.progress(2) == {}
    await store.close()


async def test_claim_is_won_once_per_local_day_even_concurrently(storage: Storage) -> None:
    await storage.subscribe(5, time(8, 0), "Asia/Shanghai", date(2026, 3, 2), NOW)
    results = await asyncio.gather(
        *(storage.claim_reminder(5, date(2026, 3, 3), NOW) for _ in range(20))
    )
    assert results.count(True) == 1
    assert not await storage.claim_reminder(5, date(2026, 3, 3), NOW)
    assert await storage.claim_reminder(5, date(2026, 3, 4), NOW)
    sub = await storage.get_subscription(5)
    assert sub is not None and sub.schedule.last_sent_date == date(2026, 3, 4)


async def test_claim_survives_a_crash_before_recording(db_path: Path) -> None:
    """A claim is committed before sending: after a crash (no record_delivery, connection
    dropped), a new process cannot claim the same day again."""
    store = await Storage.open(db_path)
    await store.subscribe(9, time(8, 0), "UTC", date(2026, 3, 2), NOW)
    assert await store.claim_reminder(9, date(2026, 3, 2), NOW)
    await store.close()  # "crash": nothing else recorded
    again = await Storage.open(db_path)
    assert not await again.claim_reminder(9, date(2026, 3, 2), NOW)
    assert (await again.deliveries(9))[0]["state"] == "claimed"
    await again.close()


async def test_unsubscribe_resume_pause_and_snooze(storage: Storage) -> None:
    await storage.subscribe(3, time(7, 30), "Europe/Berlin", date(2026, 3, 2), NOW)
    assert await storage.pause(3, date(2026, 3, 5))
    sub = await storage.get_subscription(3)
    assert sub is not None and sub.schedule.paused_until == date(2026, 3, 5)
    assert await storage.resume(3)
    assert await storage.unsubscribe(3)
    assert not await storage.unsubscribe(3)
    assert await storage.active_subscriptions() == []
    await storage.snooze(3, NOW)
    assert await storage.claim_snoozes(NOW) == [3]
    assert await storage.claim_snoozes(NOW) == []


async def test_export_and_forget(storage: Storage) -> None:
    await storage.set_lang(4, "zh", NOW)
    await storage.mark(4, "alexnet", "read", NOW)
    await storage.subscribe(4, time(8, 0), "UTC", date(2026, 3, 2), NOW)
    await storage.mark(5, "alexnet", "read", NOW)
    data = await storage.export(4)
    assert data["users"][0]["lang"] == "zh"
    assert data["progress"] == [
        {"paper_id": "alexnet", "state": "read", "at": "2026-03-02T12:00:00+00:00"}
    ]
    assert data["subscriptions"][0]["local_time"] == "08:00"
    await storage.forget(4)
    empty = await storage.export(4)
    assert all(empty[t] == [] for t in ("users", "subscriptions", "progress", "deliveries"))
    assert await storage.progress(5) == {"alexnet": "read"}


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
    store = await Storage.open(db_path)
    assert await store.schema_version() == SCHEMA_VERSION
    user = await store.get_user(11)
    assert user is not None and user.lang == "zh" and user.timezone == "Asia/Shanghai"
    assert await store.progress(11) == {"resnet": "read"}
    sub = await store.get_subscription(11)
    assert sub is not None and sub.schedule.last_sent_date == date(2026, 1, 5)
    assert sub.schedule.local_time == time(8, 0) and len(sub.schedule.days) == 7
    # 08:00 in Shanghai on 6 January: the migrated subscription is found by the due index.
    assert await store.due_subscriptions(datetime(2026, 1, 6, 0, 30, tzinfo=UTC)) == [
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
        await Storage.open(path)
    assert path.read_bytes() == garbage


async def test_newer_schema_is_refused(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError, match="newer"):
        await Storage.open(db_path)


async def test_cached_users_follow_every_write(storage: Storage) -> None:
    """get_user is cached in memory; each write to a user must show in the next read."""
    await storage.ensure_user(8, NOW)
    assert (await storage.get_user(8)) == (await storage.get_user(8))  # cached now
    await storage.set_lang(8, "zh", NOW)
    await storage.set_timezone(8, "Asia/Tokyo", NOW)
    await storage.set_current_list(8, "paper-reading", NOW)
    user = await storage.get_user(8)
    assert user is not None
    assert (user.lang, user.timezone, user.current_list) == ("zh", "Asia/Tokyo", "paper-reading")
    # A read that overlaps a write is not kept: the write's value wins.
    read, _ = await asyncio.gather(storage.get_user(8), storage.set_lang(8, "en", NOW))
    assert read is not None
    after = await storage.get_user(8)
    assert after is not None and after.lang == "en"
    await storage.forget(8)
    assert await storage.get_user(8) is None
    assert (await storage.ensure_user(8, NOW)).lang is None
    # "No such user" is cached too, until a write creates the row.
    assert await storage.get_user(9) is None
    await storage.mark(9, "resnet", "read", NOW)
    assert await storage.get_user(9) is not None
    assert await storage.get_user(10) is None
    await storage.subscribe(10, time(8, 0), "UTC", date(2026, 3, 2), NOW)
    assert await storage.get_user(10) is not None


async def test_claims_in_one_transaction_win_each_day_once(storage: Storage) -> None:
    day = date(2026, 3, 3)
    await storage.subscribe(5, time(8, 0), "UTC", date(2026, 3, 2), NOW)
    await storage.subscribe(6, time(8, 0), "UTC", date(2026, 3, 2), NOW)
    await storage.unsubscribe(6)
    assert await storage.claim_reminders([(5, day), (5, day), (6, day), (7, day)], NOW) == [
        True,
        False,
        False,
        False,
    ]
    assert [d["state"] for d in await storage.deliveries(5)] == ["claimed"]
    assert not await storage.claim_reminder(5, day, NOW)
