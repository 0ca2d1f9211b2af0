"""The database file on disk: checks before opening, and the online backup copy."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
from pathlib import Path

import aiosqlite

from bot.storage.errors import StorageError

START_AFRESH = "restore it from a backup, or move it away to start with a new database"


async def copy_database(
    conn: aiosqlite.Connection, source: Path, target: Path, *, overwrite: bool
) -> int:
    """Copy the database open on ``conn`` (the file ``source``) to ``target``: see
    :meth:`bot.storage.db.Database.backup`.

    Returns:
        The size of the backup in bytes.
    """
    if target.exists() and target.resolve() == source.resolve():
        raise StorageError(f"{target} is the database itself; choose another path")
    if target.exists() and not overwrite:
        raise StorageError(f"{target} already exists; use --force to overwrite it")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise StorageError(f"cannot write the backup in {target.parent}: {err}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        dest = sqlite3.connect(tmp, check_same_thread=False, isolation_level=None)
        try:
            await conn.backup(dest)
            check = await asyncio.to_thread(_finish_backup, dest)
        finally:
            dest.close()
        if check != "ok":
            raise StorageError(f"the backup failed its integrity check ({check})")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target.stat().st_size


def _finish_backup(dest: sqlite3.Connection) -> str:
    dest.execute("PRAGMA journal_mode = DELETE").fetchone()
    row = dest.execute("PRAGMA quick_check").fetchone()
    return str(row[0]) if row else "no answer"  # a plain sqlite3 connection: no row names


def check_existing(path: Path, readonly: bool) -> None:
    """Refuse an existing ``path`` that cannot be a usable database, before SQLite opens it.

    Raises:
        StorageError: not a regular file, empty (0 bytes), not readable, or (unless
            ``readonly``) the file or its directory is not writable.
    """
    if not path.is_file():
        raise StorageError(f"{path} is not a file")
    if path.stat().st_size == 0:
        raise StorageError(
            f"{path} is an empty file (0 bytes), not a paperbot database; {START_AFRESH}"
        )
    if not os.access(path, os.R_OK):
        raise StorageError(f"the database file {path} is not readable by this user")
    if not readonly:
        if not os.access(path, os.W_OK):
            raise StorageError(f"the database file {path} is not writable by this user")
        _require_writable(path.parent)


def prepare_directory(folder: Path) -> None:
    """Create ``folder`` (and its parents) for a new database.

    Raises:
        StorageError: it cannot be created or is not writable.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StorageError(f"cannot create the database folder {folder}: {err}") from None
    _require_writable(folder)


def _require_writable(folder: Path) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StorageError(
            f"the directory {folder} is not writable: paperbot keeps the database and its "
            "-wal and -shm files there. Make it writable by this user, or choose another path "
            "(--db or PAPERBOT_DB)"
        )
