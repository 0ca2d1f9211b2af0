"""The database: one aiosqlite connection, its write lock, migrations and transactions.

One SQLite file in WAL mode with a busy timeout. The schema version lives in
``PRAGMA user_version``; :data:`MIGRATIONS` brings any earlier version up to date inside one
transaction (append new steps, never edit old ones). Timestamps are ISO-8601 UTC strings; local
dates are ``YYYY-MM-DD`` in the subscription's zone.

The connection runs in autocommit mode (``isolation_level=None``): nothing opens a transaction
behind our back. Every write goes through :meth:`Database.transaction`, which serialises writers
on one asyncio lock, starts with ``BEGIN IMMEDIATE`` and always ends with COMMIT or ROLLBACK, so
an error (a busy database, a cancelled task) never leaves the connection inside a transaction.
Reads go through :meth:`Database.fetch_one` / :meth:`Database.fetch_all`, which return
``sqlite3.Row`` (read by column name).

A new database is created only where no file exists. An empty (0-byte) file, a file that is not
a database, a corrupt one or one newer than this code stops the start with a
:class:`StorageError`; it is never silently recreated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.errors import StorageBusy, StorageError
from bot.storage.files import START_AFRESH, check_existing, copy_database, prepare_directory
from bot.storage.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Database",
    "StorageBusy",
    "StorageError",
]

log = logging.getLogger("paperbot.storage")

BUSY_TIMEOUT_MS = 5000


def iso(dt: datetime) -> str:
    """Return an aware datetime as ISO-8601 UTC to the second (``2026-03-02T12:00:00+00:00``).

    Raises:
        ValueError: if ``dt`` is naive.
    """
    if dt.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def parse_date(text: str | None) -> date | None:
    """Inverse of ``date.isoformat``; empty or None gives None."""
    return date.fromisoformat(text) if text else None


def parse_instant(text: str | None) -> datetime | None:
    """Inverse of :func:`iso`; empty or None gives None."""
    return datetime.fromisoformat(text) if text else None


def _is_busy(err: BaseException) -> bool:
    code = getattr(err, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_BUSY


class Database:
    """The connection to one paperbot database. Use :meth:`open`, then :meth:`close`.

    Attributes:
        path: the database file.
        created: True if :meth:`open` created the file (it did not exist).
        readonly: True if opened with ``readonly=True`` (no writes, no migrations).
    """

    def __init__(
        self,
        conn: aiosqlite.Connection,
        path: Path,
        *,
        created: bool,
        readonly: bool,
        busy_timeout_ms: int,
    ) -> None:
        self._conn = conn
        self.path = path
        self.created = created
        self.readonly = readonly
        self._busy_timeout_ms = busy_timeout_ms
        # One connection is shared by every coroutine: transactions are serialised so one
        # coroutine's BEGIN never swallows another's statements.
        self._lock = asyncio.Lock()
        st = os.stat(path)
        self._identity = (st.st_dev, st.st_ino)

    # -- lifecycle ------------------------------------------------------------------------

    @classmethod
    async def open(
        cls, path: Path | str, *, readonly: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> Database:
        """Open the database at ``path``; create it only if no file is there.

        Args:
            path: the SQLite file.
            readonly: open with ``mode=ro``: never create, migrate or write.
            busy_timeout_ms: how long a write waits for another program's write lock before
                raising :class:`StorageBusy`.

        Raises:
            StorageError: no file (``readonly``), an empty or unreadable file, not a SQLite
                database, corrupt, newer than this paperbot, or a directory that is not
                writable. The file is left untouched.
        """
        path = Path(path)
        exists = path.exists()
        if exists:
            check_existing(path, readonly)
        elif readonly:
            raise StorageError(
                f"no database at {path} (paperbot creates it when the bot first starts)"
            )
        else:
            prepare_directory(path.parent)
        mode = "ro" if readonly else "rw" if exists else "rwc"
        try:
            conn = await aiosqlite.connect(
                f"{path.resolve().as_uri()}?mode={mode}",
                uri=True,
                timeout=busy_timeout_ms / 1000,
                isolation_level=None,
            )
        except (sqlite3.Error, OSError) as err:
            raise StorageError(f"cannot open the database {path}: {err}") from None
        conn.row_factory = sqlite3.Row
        try:
            db = cls(
                conn, path, created=not exists, readonly=readonly, busy_timeout_ms=busy_timeout_ms
            )
            await db._prepare(check=exists)
        except BaseException:
            await conn.close()
            raise
        if db.created:
            log.info("created a new database", extra={"path": str(path)})
        return db

    async def _prepare(self, *, check: bool) -> None:
        try:
            if check:
                row = await self.fetch_one("PRAGMA quick_check")
                if row is None or row["quick_check"] != "ok":
                    raise StorageError(
                        f"the database {self.path} is corrupt "
                        f"({row['quick_check'] if row else 'no answer'}); {START_AFRESH}"
                    )
            await self._conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
            version = await self.schema_version()
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"the database {self.path} has schema version {version}, newer than this "
                    f"paperbot ({SCHEMA_VERSION}); upgrade paperbot"
                )
            if self.readonly:
                return
            await self.fetch_one("PRAGMA journal_mode = WAL")
            await self._conn.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                await self._migrate()
        except StorageError:
            raise
        except sqlite3.DatabaseError as err:
            raise StorageError(
                f"{self.path} is not a readable paperbot database ({err}); {START_AFRESH}"
            ) from None

    async def _migrate(self) -> None:
        async with self.transaction() as conn:
            # Read again inside the lock: another process may have migrated meanwhile.
            async with conn.execute("PRAGMA user_version") as cur:
                row = await cur.fetchone()
            version = int(row["user_version"]) if row else 0
            for steps in MIGRATIONS[version:]:
                for sql in steps:
                    await conn.execute(sql)
            await conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    async def close(self) -> None:
        """Checkpoint and close the connection."""
        await self._conn.close()

    # -- transactions and reads -----------------------------------------------------------

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Hold the write lock and run a ``BEGIN IMMEDIATE`` transaction on the connection.

        Commits when the block ends; rolls back on any exception (CancelledError included)
        and re-raises it, so the connection is never left inside a transaction.

        Raises:
            StorageBusy: another program kept the write lock past the busy timeout.
            StorageError: the database was opened read-only.
        """
        if self.readonly:
            raise StorageError(f"the database {self.path} was opened read-only")
        async with self._lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
                await self._conn.commit()
            except BaseException as err:
                # Queued after whatever statement is still running (a cancelled await does not
                # stop aiosqlite's thread), so it ends the transaction whatever happened.
                await self._rollback()
                if isinstance(err, sqlite3.OperationalError) and _is_busy(err):
                    raise self._busy() from err
                raise

    @property
    def in_transaction(self) -> bool:
        """True while the connection is inside a transaction (never between two writes)."""
        return self._conn.in_transaction

    async def _rollback(self) -> None:
        try:
            await self._conn.rollback()
        except sqlite3.Error:
            log.exception("rollback failed", extra={"path": str(self.path)})

    def _busy(self) -> StorageBusy:
        return StorageBusy(
            f"the database {self.path} stayed locked by another program for more than "
            f"{self._busy_timeout_ms / 1000:g} s, so the change was not saved; is another "
            "paperbot or a database tool writing to the same file?"
        )

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """Run one read and return its first row (columns by name), or None."""
        try:
            async with self._conn.execute(sql, params) as cur:
                return await cur.fetchone()
        except sqlite3.OperationalError as err:
            if _is_busy(err):
                raise self._busy() from err
            raise

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run one read and return all its rows (columns by name)."""
        try:
            async with self._conn.execute(sql, params) as cur:
                return list(await cur.fetchall())
        except sqlite3.OperationalError as err:
            if _is_busy(err):
                raise self._busy() from err
            raise

    async def schema_version(self) -> int:
        """Return ``PRAGMA user_version`` (:data:`SCHEMA_VERSION` once migrated)."""
        row = await self.fetch_one("PRAGMA user_version")
        return int(row["user_version"]) if row else 0

    async def journal_mode(self) -> str:
        """Return the journal mode (``"wal"`` once opened for writing)."""
        row = await self.fetch_one("PRAGMA journal_mode")
        return str(row["journal_mode"]) if row else ""

    # -- the file -------------------------------------------------------------------------

    def verify_file(self) -> None:
        """Check that :attr:`path` is still the file this connection opened (a stat, no I/O
        through SQLite).

        Raises:
            StorageError: the file was deleted, or another file (a different inode or device)
                is at the path now: whatever this process writes is lost.
        """
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            st = None
        except OSError as err:
            raise StorageError(f"cannot check the database file {self.path}: {err}") from None
        if st is None or (st.st_dev, st.st_ino) != self._identity:
            now = "nothing is there now" if st is None else "another file is there now"
            raise StorageError(
                f"the database file {self.path} was removed or replaced while paperbot was "
                f"running ({now}); what was written since is lost with the old file. Stop "
                "paperbot, put the right file back (from a backup if needed) and start again"
            )

    async def backup(self, target: Path | str, *, overwrite: bool = False) -> int:
        """Copy the database to ``target`` with SQLite's online backup API.

        Safe while the bot writes to the same file (a consistent snapshot, writers are not
        blocked in WAL mode). The copy is written to a temporary file beside ``target``,
        checked (``quick_check``), made a single self-contained file (journal mode DELETE)
        and renamed into place, so ``target`` is never half-written.

        Returns:
            The size of the backup in bytes.

        Raises:
            StorageError: ``target`` exists and ``overwrite`` is False, is the database
                itself, or its directory is missing or not writable.
        """
        return await copy_database(self._conn, self.path, Path(target), overwrite=overwrite)
