"""Database faults (issue 15): each test injects one and checks that paperbot says what happened
and keeps working where it can.

* a second connection holds the write lock past the busy timeout;
* a transaction is cancelled or fails half-way;
* the database file is deleted or replaced under the running bot;
* an empty file, a read-only directory, a missing file opened read-only.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from bot.storage import StorageBusy, StorageError, Store
from bot.storage.db import MIGRATIONS

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DAY = date(2026, 3, 3)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "paperbot.sqlite3"


async def test_a_write_that_stays_busy_raises_and_leaves_the_connection_clean(
    db_path: Path,
) -> None:
    """Before: the failed write left the connection inside a transaction, and every later
    BEGIN failed with "cannot start a transaction within a transaction"."""
    store = await Store.open(db_path, busy_timeout_ms=100)
    try:
        await store.reminders.subscribe(1, time(8, 0), "UTC", date(2026, 3, 2), NOW)
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # holds the write lock past the busy timeout
        try:
            with pytest.raises(StorageBusy, match=r"locked .* more than 0\.1 s"):
                await store.users.set_lang(1, "zh", NOW)
            assert not store.db.in_transaction
            with pytest.raises(StorageBusy):
                await store.deliveries.claim_many([(1, DAY)], NOW)
            assert await store.users.get(1) is not None  # reads still work (WAL)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert not store.db.in_transaction
        assert await store.deliveries.claim_many([(1, DAY)], NOW) == [True]
        await store.users.set_lang(1, "zh", NOW)
        await store.progress.mark(1, "resnet", "read", NOW)
        user = await store.users.get(1)
        assert user is not None and user.lang == "zh"
        assert await store.progress.states(1) == {"resnet": "read"}
    finally:
        await store.close()


async def test_a_cancelled_or_failed_transaction_is_rolled_back(db_path: Path) -> None:
    store = await Store.open(db_path)
    try:
        started = asyncio.Event()

        async def slow_write() -> None:
            async with store.db.transaction() as conn:
                await conn.execute("INSERT INTO snoozes VALUES (1, '2026')")
                started.set()
                await asyncio.sleep(60)

        task = asyncio.create_task(slow_write())
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not store.db.in_transaction
        with pytest.raises(ZeroDivisionError):
            async with store.db.transaction() as conn:
                await conn.execute("INSERT INTO snoozes VALUES (2, '2026')")
                _ = 1 / 0
        assert not store.db.in_transaction
        assert await store.db.fetch_all("SELECT * FROM snoozes") == []
        await store.reminders.snooze(3, NOW)  # the next write works
        assert await store.reminders.claim_snoozes(NOW) == [3]
    finally:
        await store.close()


@pytest.mark.parametrize("how", ["removed", "replaced"])
async def test_a_removed_or_replaced_file_is_noticed(db_path: Path, how: str) -> None:
    store = await Store.open(db_path)
    try:
        store.db.verify_file()  # the file it opened: no error
        if how == "removed":
            db_path.unlink()
        else:
            other = db_path.with_suffix(".new")
            sqlite3.connect(other).close()
            other.replace(db_path)
        with pytest.raises(StorageError, match="was removed or replaced"):
            store.db.verify_file()
    finally:
        await store.close()


async def test_a_database_is_created_only_where_no_file_is(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "new.sqlite3"
    store = await Store.open(path)
    assert store.db.created
    await store.close()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(StorageError, match=r"empty file \(0 bytes\)"):
        await Store.open(empty)
    assert empty.stat().st_size == 0
    with pytest.raises(StorageError, match="is not a file"):
        await Store.open(tmp_path)


def _read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``folder`` read-only; as root (who may write anywhere) pretend os.access obeys
    the mode bits, as it does for every other user."""
    folder.chmod(0o555)
    if os.geteuid() == 0:
        real: Callable[..., bool] = os.access

        def access(path: object, mode: int, **kwargs: object) -> bool:
            if Path(str(path)) == folder and mode & os.W_OK:
                return False
            return real(path, mode, **kwargs)

        monkeypatch.setattr(os, "access", access)


async def test_a_read_only_directory_is_named_as_the_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    existing = folder / "old.sqlite3"
    store = await Store.open(existing)
    await store.close()
    _read_only(folder, monkeypatch)
    try:
        for path in (folder / "new.sqlite3", existing):
            with pytest.raises(StorageError, match=r"directory .* is not writable") as err:
                await Store.open(path)
            assert "backup" not in str(err.value)
        assert not (folder / "new.sqlite3").exists()
    finally:
        folder.chmod(0o755)


async def test_read_only_opening_never_creates_or_migrates(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    with pytest.raises(StorageError, match="no database at"):
        await Store.open(missing, readonly=True)
    assert not missing.exists()
    old = tmp_path / "v1.sqlite3"
    conn = sqlite3.connect(old)
    for sql in MIGRATIONS[0]:
        conn.execute(sql)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    before = old.read_bytes()
    store = await Store.open(old, readonly=True)
    try:
        assert store.db.readonly and not store.db.created
        assert await store.db.schema_version() == 1
        with pytest.raises(StorageError, match="read-only"):
            await store.progress.mark(1, "resnet", "read", NOW)
    finally:
        await store.close()
    assert old.read_bytes() == before
