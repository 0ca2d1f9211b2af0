"""SQLite storage: one :class:`Database` and a repository per group of tables.

``store = await Store.open(path)`` gives ``store.db`` (connection, transactions, migrations,
the file checks), ``store.users``, ``store.progress``, ``store.reminders``,
``store.deliveries`` and ``store.privacy``; ``await store.close()`` closes it. See
:mod:`bot.storage.db` for the transaction and error rules, :mod:`bot.storage.reminders` for the
due index.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.storage.db import (
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    Database,
    StorageBusy,
    StorageError,
)
from bot.storage.deliveries import Deliveries, DeliveryState
from bot.storage.learning import Learning, QuizPoll
from bot.storage.privacy import PERSONAL_TABLES, Privacy
from bot.storage.progress import Progress, ProgressState
from bot.storage.reminders import PAUSED_INDEFINITELY, Reminders, Subscription
from bot.storage.users import User, Users

__all__ = [
    "BUSY_TIMEOUT_MS",
    "PAUSED_INDEFINITELY",
    "PERSONAL_TABLES",
    "SCHEMA_VERSION",
    "Database",
    "DeliveryState",
    "Learning",
    "ProgressState",
    "QuizPoll",
    "StorageBusy",
    "StorageError",
    "Store",
    "Subscription",
    "User",
]


@dataclass(frozen=True)
class Store:
    """The open database and its repositories. Use :meth:`open`, then :meth:`close`."""

    db: Database
    users: Users
    progress: Progress
    reminders: Reminders
    deliveries: Deliveries
    privacy: Privacy
    learning: Learning

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        readonly: bool = False,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> Store:
        """Open the database at ``path``, creating it only if no file is there.

        ``store.db.created`` tells whether it was created. See :meth:`Database.open`.

        Args:
            path: the SQLite file.
            readonly: open read-only: never create, migrate or write (``paperbot check``,
                ``paperbot backup``).
            busy_timeout_ms: how long a write waits for another program's write lock
                before raising :class:`StorageBusy`.

        Raises:
            StorageError: the file cannot be used; the message says why and what to do.
        """
        db = await Database.open(path, readonly=readonly, busy_timeout_ms=busy_timeout_ms)
        users = Users(db)
        return cls(
            db=db,
            users=users,
            progress=Progress(db, users),
            reminders=Reminders(db, users),
            deliveries=Deliveries(db),
            privacy=Privacy(db, users),
            learning=Learning(db, users),
        )

    async def close(self) -> None:
        """Checkpoint and close the database."""
        await self.db.close()
