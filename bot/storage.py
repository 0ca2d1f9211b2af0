"""SQLite storage through one aiosqlite connection.

One database file in WAL mode with a busy timeout. The schema version lives in
``PRAGMA user_version`` and :data:`MIGRATIONS` brings any earlier version up to date inside one
transaction. Timestamps are ISO-8601 UTC strings; local dates are ``YYYY-MM-DD`` in the
subscription's zone.

A file that is not a database, is corrupt, or is newer than this code stops the start with a
:class:`StorageError`; it is never silently recreated.

Due reminders are found through an index, not a scan. Each subscription keeps ``next_at``: the
UTC instant (ISO-8601) at or before which its next reminder cannot be due, and ``next_date``,
its local date. The reminder check reads only the active rows with ``next_at <= now`` (a range
scan of the partial index ``subscriptions_due``). A row whose ``next_date`` is today is due; any
other is decided by :func:`bot.core.schedule.due_date`, and if it is not due its ``next_at``
moves on. A change to a subscription sets ``next_at`` to ``''`` (it sorts before every instant:
"look at me at the next check", where ``due_date`` decides), so a stale ``next_at`` can only
cost one extra look, never a missed or repeated reminder. With 100,000 subscriptions a check
reads the rows due that minute, not all 100,000 (``benchmarks/storage.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import aiosqlite

from bot.core.schedule import (
    Schedule,
    ScheduleError,
    days_from_text,
    days_to_text,
    due_date,
    local_date,
    next_fire,
)

BUSY_TIMEOUT_MS = 5000
USER_CACHE_SIZE = 10_000  # users kept in memory (about 2 MB)
ProgressState = Literal["read", "skipped"]
DeliveryState = Literal["claimed", "sent", "failed", "unknown"]

MIGRATIONS: Sequence[Sequence[str]] = (
    # v1: users, per-paper progress, subscriptions.
    (
        """CREATE TABLE users (
            chat_id INTEGER PRIMARY KEY,
            lang TEXT,
            timezone TEXT NOT NULL DEFAULT 'UTC',
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE progress (
            chat_id INTEGER NOT NULL,
            paper_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('read', 'skipped')),
            at TEXT NOT NULL,
            PRIMARY KEY (chat_id, paper_id)
        )""",
        """CREATE TABLE subscriptions (
            chat_id INTEGER PRIMARY KEY,
            local_time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            last_sent_date TEXT,
            start_date TEXT
        )""",
    ),
    # v2: current list per user, reminder days, pauses, and a delivery log.
    (
        "ALTER TABLE users ADD COLUMN current_list TEXT",
        "ALTER TABLE subscriptions ADD COLUMN days TEXT NOT NULL DEFAULT '0,1,2,3,4,5,6'",
        "ALTER TABLE subscriptions ADD COLUMN paused_until TEXT",
        """CREATE TABLE deliveries (
            chat_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'daily',
            state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed', 'unknown')),
            attempts INTEGER NOT NULL DEFAULT 0,
            detail TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, local_date, kind)
        )""",
        """CREATE TABLE snoozes (
            chat_id INTEGER PRIMARY KEY,
            due_at TEXT NOT NULL
        )""",
    ),
    # v3: find due reminders through an index instead of scanning every subscription.
    (
        "ALTER TABLE subscriptions ADD COLUMN next_at TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE subscriptions ADD COLUMN next_date TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX subscriptions_due ON subscriptions (next_at, chat_id) WHERE active = 1",
        "CREATE INDEX snoozes_due ON snoozes (due_at)",
    ),
)
# The reminder check's query: a range scan of the partial index subscriptions_due, in
# batches of DUE_BATCH rows after the (next_at, chat_id) cursor.
DUE_QUERY = (
    "SELECT {columns} FROM subscriptions WHERE active = 1 AND next_at <= ? "
    "AND (next_at, chat_id) > (?, ?) ORDER BY next_at, chat_id LIMIT ?"
)
DUE_BATCH = 1000
# How far ahead next_at may point when no reminder day is found (a long pause): the row is
# looked at again then.
RECHECK_AFTER = timedelta(days=30)
SCHEMA_VERSION = len(MIGRATIONS)


class StorageError(Exception):
    """The database cannot be opened or used. The message says what to do."""


@dataclass(frozen=True)
class User:
    """A chat's settings. ``lang`` is None until the user picks one with /lang."""

    chat_id: int
    lang: str | None
    timezone: str
    current_list: str | None


@dataclass(frozen=True)
class Subscription:
    """A daily reminder: where it goes and its :class:`Schedule`."""

    chat_id: int
    schedule: Schedule


def _iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@lru_cache(maxsize=2048)
def _hhmm(text: str) -> time:
    hh, mm = (int(x) for x in text.split(":"))
    return time(hh, mm)


class Storage:
    """Async access to the paperbot database. Use :meth:`open`, then :meth:`close`."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._db = conn
        self.path = path
        # One connection is shared by every coroutine: writes (and their transactions) are
        # serialised so one coroutine's BEGIN never swallows another's statements.
        self._lock = asyncio.Lock()
        # Users read on every update, newest last. A read through aiosqlite costs about
        # 0.7 ms (a round trip to its thread), a third of answering a question
        # (benchmarks/endtoend.py). Every write to ``users`` goes through this class and
        # drops the chat's entry, so the cache never disagrees with the file, as long as
        # this process is the only writer (paperbot's design: one bot per database file).
        self._users: OrderedDict[int, User | None] = OrderedDict()  # None: no such user
        self._users_version = 0  # bumped before and after every write to users

    # -- lifecycle ------------------------------------------------------------------------

    @classmethod
    async def open(cls, path: Path | str) -> Storage:
        """Open (creating if absent) and migrate the database at ``path``.

        Raises:
            StorageError: the file is unreadable, not a SQLite database, corrupt, or from a
                newer version of paperbot. The file is left untouched.
        """
        path = Path(path)
        existed = path.exists()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StorageError(f"cannot create the database folder {path.parent}: {err}") from None
        if existed and not path.is_file():
            raise StorageError(f"{path} is not a file")
        try:
            conn = await aiosqlite.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        except (sqlite3.Error, OSError) as err:
            raise StorageError(f"cannot open the database {path}: {err}") from None
        store = cls(conn, path)
        try:
            await store._prepare(existed)
        except BaseException:
            await conn.close()
            raise
        return store

    async def _prepare(self, existed: bool) -> None:
        try:
            if existed:
                async with self._db.execute("PRAGMA quick_check") as cur:
                    row = await cur.fetchone()
                if row is None or row[0] != "ok":
                    raise StorageError(
                        f"the database {self.path} is corrupt ({row[0] if row else 'no answer'}); "
                        "restore it from a backup or move it away to start afresh"
                    )
            await self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            async with self._db.execute("PRAGMA journal_mode = WAL") as cur:
                await cur.fetchone()
            await self._db.execute("PRAGMA foreign_keys = ON")
            await self._migrate()
        except StorageError:
            raise
        except sqlite3.DatabaseError as err:
            raise StorageError(
                f"{self.path} is not a readable paperbot database ({err}); "
                "restore it from a backup or move it away to start afresh"
            ) from None

    async def _migrate(self) -> None:
        version = await self.schema_version()
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"the database {self.path} has schema version {version}, newer than this "
                f"paperbot ({SCHEMA_VERSION}); upgrade paperbot"
            )
        if version == SCHEMA_VERSION:
            return
        await self._db.execute("BEGIN IMMEDIATE")
        try:
            for steps in MIGRATIONS[version:]:
                for sql in steps:
                    await self._db.execute(sql)
            await self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            await self._db.commit()
        except BaseException:
            await self._db.rollback()
            raise

    async def schema_version(self) -> int:
        """Return ``PRAGMA user_version``."""
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def journal_mode(self) -> str:
        """Return the journal mode (``"wal"`` once opened)."""
        async with self._db.execute("PRAGMA journal_mode") as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else ""

    async def close(self) -> None:
        """Checkpoint and close the connection."""
        await self._db.close()

    # -- users ----------------------------------------------------------------------------

    async def get_user(self, chat_id: int) -> User | None:
        """Return the user, or None if this chat has never been seen (cached; see above)."""
        if chat_id in self._users:
            self._users.move_to_end(chat_id)
            return self._users[chat_id]
        version = self._users_version
        async with self._db.execute(
            "SELECT chat_id, lang, timezone, current_list FROM users WHERE chat_id = ?", (chat_id,)
        ) as cur:
            row = await cur.fetchone()
        user = User(row[0], row[1], row[2], row[3]) if row else None
        if version == self._users_version:  # no write to users since the read began
            self._users[chat_id] = user
            if len(self._users) > USER_CACHE_SIZE:
                self._users.popitem(last=False)
        return user

    async def ensure_user(self, chat_id: int, now: datetime) -> User:
        """Return the user, creating it with defaults (zone UTC, no language) if new."""
        cached = self._users.get(chat_id)
        if cached is not None:  # the row exists: no write (and no fsync) needed
            return cached
        async with self._writing_user(chat_id):
            await self._db.execute(
                "INSERT OR IGNORE INTO users (chat_id, created_at) VALUES (?, ?)",
                (chat_id, _iso(now)),
            )
            await self._db.commit()
            user = await self.get_user(chat_id)
            assert user is not None
            return user

    @contextlib.asynccontextmanager
    async def _writing_user(self, chat_id: int) -> AsyncIterator[None]:
        """Hold the write lock while changing the chat's ``users`` row; its cache entry is
        dropped before and after, and a read that overlapped the write is not cached."""
        async with self._lock:
            self._users.pop(chat_id, None)
            self._users_version += 1
            try:
                yield
            finally:
                self._users.pop(chat_id, None)
                self._users_version += 1

    async def _set_user_field(self, chat_id: int, column: str, value: Any, now: datetime) -> None:
        async with self._writing_user(chat_id):
            await self._db.execute(
                "INSERT OR IGNORE INTO users (chat_id, created_at) VALUES (?, ?)",
                (chat_id, _iso(now)),
            )
            await self._db.execute(
                f"UPDATE users SET {column} = ? WHERE chat_id = ?", (value, chat_id)
            )
            await self._db.commit()

    async def set_lang(self, chat_id: int, lang: str | None, now: datetime) -> None:
        """Set the reply language (``en``, ``zh``, ``zh-hant``; None = follow Telegram)."""
        await self._set_user_field(chat_id, "lang", lang, now)

    async def set_timezone(self, chat_id: int, tz: str, now: datetime) -> None:
        """Set the user's IANA zone; an existing subscription moves to it too."""
        async with self._writing_user(chat_id):
            await self._db.execute(
                "INSERT OR IGNORE INTO users (chat_id, created_at) VALUES (?, ?)",
                (chat_id, _iso(now)),
            )
            await self._db.execute(
                "UPDATE users SET timezone = ? WHERE chat_id = ?", (tz, chat_id)
            )
            await self._db.execute(
                "UPDATE subscriptions SET timezone = ?, next_at = '' WHERE chat_id = ?",
                (tz, chat_id),
            )
            await self._db.commit()

    async def set_current_list(self, chat_id: int, list_id: str, now: datetime) -> None:
        """Make ``list_id`` the user's current list."""
        await self._set_user_field(chat_id, "current_list", list_id, now)

    # -- progress -------------------------------------------------------------------------

    async def mark(self, chat_id: int, paper_id: str, state: ProgressState, now: datetime) -> None:
        """Record a paper as read or skipped (a later mark replaces an earlier one)."""
        async with self._writing_user(chat_id):
            await self._db.execute(
                "INSERT OR IGNORE INTO users (chat_id, created_at) VALUES (?, ?)",
                (chat_id, _iso(now)),
            )
            await self._db.execute(
                "INSERT INTO progress (chat_id, paper_id, state, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (chat_id, paper_id) DO UPDATE SET state = excluded.state, "
                "at = excluded.at",
                (chat_id, paper_id, state, _iso(now)),
            )
            await self._db.commit()

    async def unmark(self, chat_id: int, paper_id: str) -> None:
        """Forget the read/skipped state of one paper (undo)."""
        async with self._lock:
            await self._db.execute(
                "DELETE FROM progress WHERE chat_id = ? AND paper_id = ?", (chat_id, paper_id)
            )
            await self._db.commit()

    async def progress(self, chat_id: int) -> dict[str, ProgressState]:
        """Return ``{paper_id: "read" | "skipped"}`` for the chat."""
        async with self._db.execute(
            "SELECT paper_id, state FROM progress WHERE chat_id = ?", (chat_id,)
        ) as cur:
            rows = await cur.fetchall()
        return {r[0]: r[1] for r in rows}

    # -- subscriptions --------------------------------------------------------------------

    async def subscribe(
        self, chat_id: int, local_time: time, tz: str, start_date: date, now: datetime
    ) -> None:
        """Create or replace the chat's reminder (active, at ``local_time`` in ``tz``).

        ``last_sent_date`` is kept when re-subscribing, so changing the time never causes a
        second reminder on a day that already had one.
        """
        async with self._writing_user(chat_id):
            await self._db.execute(
                "INSERT OR IGNORE INTO users (chat_id, created_at) VALUES (?, ?)",
                (chat_id, _iso(now)),
            )
            await self._db.execute(
                "INSERT INTO subscriptions (chat_id, local_time, timezone, active, start_date) "
                "VALUES (?, ?, ?, 1, ?) ON CONFLICT (chat_id) DO UPDATE SET "
                "local_time = excluded.local_time, timezone = excluded.timezone, active = 1, "
                "start_date = excluded.start_date, paused_until = NULL, next_at = ''",
                (chat_id, local_time.strftime("%H:%M"), tz, start_date.isoformat()),
            )
            await self._db.commit()

    async def set_days(self, chat_id: int, days: frozenset[int]) -> bool:
        """Set the reminder days (Monday = 0). Returns False if there is no subscription."""
        async with self._lock:
            cur = await self._db.execute(
                "UPDATE subscriptions SET days = ?, next_at = '' WHERE chat_id = ?",
                (days_to_text(days), chat_id),
            )
            await self._db.commit()
            return cur.rowcount > 0

    async def pause(self, chat_id: int, until: date | None) -> bool:
        """Pause reminders until local date ``until`` (exclusive); None pauses indefinitely.

        Returns False if there is no active subscription.
        """
        async with self._lock:
            if until is None:
                cur = await self._db.execute(
                    "UPDATE subscriptions SET active = 0, next_at = '' "
                    "WHERE chat_id = ? AND active = 1",
                    (chat_id,),
                )
            else:
                cur = await self._db.execute(
                    "UPDATE subscriptions SET paused_until = ?, next_at = '' "
                    "WHERE chat_id = ? AND active = 1",
                    (until.isoformat(), chat_id),
                )
            await self._db.commit()
            return cur.rowcount > 0

    async def resume(self, chat_id: int) -> bool:
        """End a pause. Returns False if there is no subscription."""
        async with self._lock:
            cur = await self._db.execute(
                "UPDATE subscriptions SET active = 1, paused_until = NULL, next_at = '' "
                "WHERE chat_id = ?",
                (chat_id,),
            )
            await self._db.commit()
            return cur.rowcount > 0

    async def unsubscribe(self, chat_id: int) -> bool:
        """Deactivate the reminder. Returns False if there was no active one."""
        async with self._lock:
            cur = await self._db.execute(
                "UPDATE subscriptions SET active = 0, next_at = '' "
                "WHERE chat_id = ? AND active = 1",
                (chat_id,),
            )
            await self._db.commit()
            return cur.rowcount > 0

    deactivate = unsubscribe

    @staticmethod
    def _subscription(row: Sequence[Any]) -> Subscription:
        return Subscription(
            row[0],
            Schedule(
                local_time=_hhmm(row[1]),
                timezone=row[2],
                days=days_from_text(row[6] or ""),
                active=bool(row[3]),
                start_date=_date(row[5]),
                last_sent_date=_date(row[4]),
                paused_until=_date(row[7]),
            ),
        )

    _SUB_COLUMNS = (
        "chat_id, local_time, timezone, active, last_sent_date, start_date, days, paused_until"
    )

    async def get_subscription(self, chat_id: int) -> Subscription | None:
        """Return the chat's subscription (active or not), or None."""
        async with self._db.execute(
            f"SELECT {self._SUB_COLUMNS} FROM subscriptions WHERE chat_id = ?", (chat_id,)
        ) as cur:
            row = await cur.fetchone()
        return self._subscription(row) if row else None

    @staticmethod
    def _next(schedule: Schedule, now: datetime) -> tuple[str, str]:
        """``(next_at, next_date)`` for a schedule that is not due at ``now``: the next fire
        instant and its local date, or a recheck in :data:`RECHECK_AFTER` (and no date) when
        none is found (a pause beyond the horizon)."""
        at = next_fire(schedule, now)
        if at is None:
            return _iso(now + RECHECK_AFTER), ""
        return _iso(at), local_date(at, schedule.timezone).isoformat()

    async def due_subscriptions(self, now: datetime) -> list[tuple[int, date]]:
        """Return ``(chat_id, local date)`` for every daily reminder due at ``now``.

        Reads only the active subscriptions whose ``next_at`` has come (an index range scan;
        see the module docstring), decides each with :func:`~bot.core.schedule.due_date`, and
        moves ``next_at`` on for the rows that are not due. Due rows keep theirs until
        :meth:`claim_reminder` claims them. Rows are taken in batches of :data:`DUE_BATCH`,
        each read, decided and updated in one transaction, so a long check (the first after
        the migration, or after a day of downtime) never holds up users' writes for long. A
        row whose zone the system no longer knows is skipped (and looked at again next time).

        Args:
            now: the current instant, timezone-aware.

        Returns:
            Due reminders, ordered by chat id.
        """
        out: list[tuple[int, date]] = []
        today: dict[str, str] = {}  # zone -> local date at now
        cursor = ("", -1)
        limit = _iso(now)
        while True:
            async with self._lock:
                async with self._db.execute(
                    DUE_QUERY.format(columns=self._SUB_COLUMNS + ", next_at, next_date"),
                    (limit, *cursor, DUE_BATCH),
                ) as cur:
                    rows = list(await cur.fetchall())
                moves: list[tuple[str, str, int]] = []
                for row in rows:
                    chat_id, tz, next_at, next_date = row[0], row[2], row[-2], row[-1]
                    try:
                        if tz not in today:
                            today[tz] = local_date(now, tz).isoformat()
                        if next_at and next_date == today[tz]:
                            # Fast path: next_at was computed for today and nothing has
                            # changed since (a change resets it), so today is due.
                            out.append((chat_id, date.fromisoformat(next_date)))
                            continue
                        schedule = self._subscription(row).schedule
                        day = due_date(schedule, now)
                        if day is None:
                            moves.append((*self._next(schedule, now), chat_id))
                        else:
                            out.append((chat_id, day))
                    except ScheduleError:
                        continue
                if moves:
                    await self._db.executemany(
                        "UPDATE subscriptions SET next_at = ?, next_date = ? WHERE chat_id = ?",
                        moves,
                    )
                    await self._db.commit()
            if len(rows) < DUE_BATCH:
                return sorted(out)
            cursor = (rows[-1][-2], rows[-1][0])

    async def active_subscriptions(self) -> list[Subscription]:
        """Return every active subscription, ordered by chat id."""
        async with self._db.execute(
            f"SELECT {self._SUB_COLUMNS} FROM subscriptions WHERE active = 1 ORDER BY chat_id"
        ) as cur:
            rows = await cur.fetchall()
        return [self._subscription(r) for r in rows]

    async def claim_reminder(self, chat_id: int, local_day: date, now: datetime) -> bool:
        """Atomically claim the reminder of ``local_day`` for sending, and commit.

        Sets ``last_sent_date`` to ``local_day`` only if it is earlier (or unset), and logs a
        ``claimed`` delivery. Returns True if this call won the claim; False means the day was
        already claimed (by an earlier run, or before a restart), so nothing may be sent.
        The claim is committed before anything is sent: a crash after it can lose that day's
        reminder but can never send it twice (at most once).
        """
        async with self._lock:
            day = local_day.isoformat()
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                async with self._db.execute(
                    "UPDATE subscriptions SET last_sent_date = ? WHERE chat_id = ? AND active = 1 "
                    "AND (last_sent_date IS NULL OR last_sent_date < ?) "
                    f"RETURNING {self._SUB_COLUMNS}",
                    (day, chat_id, day),
                ) as cur:
                    row = await cur.fetchone()
                if row is not None:
                    # The next fire is computed now, so the next checks need not look.
                    await self._db.execute(
                        "UPDATE subscriptions SET next_at = ?, next_date = ? WHERE chat_id = ?",
                        (*self._next(self._subscription(row).schedule, now), chat_id),
                    )
                    await self._db.execute(
                        "INSERT OR REPLACE INTO deliveries (chat_id, local_date, kind, state, "
                        "attempts, updated_at) VALUES (?, ?, 'daily', 'claimed', 0, ?)",
                        (chat_id, day, _iso(now)),
                    )
                await self._db.commit()
            except BaseException:
                await self._db.rollback()
                raise
            return row is not None

    async def claim_reminders(self, dues: Sequence[tuple[int, date]], now: datetime) -> list[bool]:
        """:meth:`claim_reminder` for many ``(chat_id, local date)`` in one transaction, with
        set-based statements (a temporary table and one ``UPDATE ... FROM ... RETURNING``).
        Used to catch up many reminders at once; one claim alone is cheaper by the single-row
        path.

        Returns one bool per item, in order. Everything is committed before this returns, so
        a caller that sends afterwards keeps the at-most-once guarantee; a crash then loses at
        most the claimed reminders not yet sent.
        """
        if not dues:
            return []
        first: dict[int, int] = {}  # chat_id -> index of its first item (a repeat loses)
        for i, (chat_id, _) in enumerate(dues):
            first.setdefault(chat_id, i)
        columns = ", ".join(f"subscriptions.{c.strip()}" for c in self._SUB_COLUMNS.split(","))
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                await self._db.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS claim_batch "
                    "(chat_id INTEGER PRIMARY KEY, day TEXT NOT NULL)"
                )
                await self._db.execute("DELETE FROM claim_batch")
                await self._db.executemany(
                    "INSERT INTO claim_batch (chat_id, day) VALUES (?, ?)",
                    [(dues[i][0], dues[i][1].isoformat()) for i in first.values()],
                )
                async with self._db.execute(
                    "UPDATE subscriptions SET last_sent_date = b.day FROM claim_batch AS b "
                    "WHERE subscriptions.chat_id = b.chat_id AND subscriptions.active = 1 "
                    "AND (subscriptions.last_sent_date IS NULL "
                    "OR subscriptions.last_sent_date < b.day) "
                    f"RETURNING {columns}"
                ) as cur:
                    rows = list(await cur.fetchall())
                # The next fire is computed now, so the next checks need not look.
                await self._db.executemany(
                    "UPDATE subscriptions SET next_at = ?, next_date = ? WHERE chat_id = ?",
                    [(*self._next(self._subscription(r).schedule, now), r[0]) for r in rows],
                )
                await self._db.executemany(
                    "INSERT OR REPLACE INTO deliveries (chat_id, local_date, kind, state, "
                    "attempts, updated_at) VALUES (?, ?, 'daily', 'claimed', 0, ?)",
                    [(r[0], r[4], _iso(now)) for r in rows],
                )
                await self._db.commit()
            except BaseException:
                await self._db.rollback()
                raise
        winners = {r[0] for r in rows}
        return [first[c] == i and c in winners for i, (c, _) in enumerate(dues)]

    async def record_delivery(
        self,
        chat_id: int,
        local_day: date,
        state: DeliveryState,
        now: datetime,
        *,
        attempts: int = 1,
        detail: str | None = None,
        kind: str = "daily",
    ) -> None:
        """Record the outcome of a claimed delivery (``sent``, ``failed`` or ``unknown``)."""
        async with self._lock:
            await self._db.execute(
                "INSERT INTO deliveries (chat_id, local_date, kind, state, attempts, detail, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, local_date, kind) "
                "DO UPDATE SET state = excluded.state, attempts = excluded.attempts, "
                "detail = excluded.detail, updated_at = excluded.updated_at",
                (chat_id, local_day.isoformat(), kind, state, attempts, detail, _iso(now)),
            )
            await self._db.commit()

    async def deliveries(self, chat_id: int) -> list[dict[str, Any]]:
        """Return the chat's delivery log, oldest first."""
        async with self._db.execute(
            "SELECT local_date, kind, state, attempts, detail, updated_at FROM deliveries "
            "WHERE chat_id = ? ORDER BY local_date, kind",
            (chat_id,),
        ) as cur:
            rows = await cur.fetchall()
        keys = ("local_date", "kind", "state", "attempts", "detail", "updated_at")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    async def snooze(self, chat_id: int, due_at: datetime) -> None:
        """Ask for one extra reminder at ``due_at`` (aware); replaces an earlier snooze."""
        async with self._lock:
            await self._db.execute(
                "INSERT OR REPLACE INTO snoozes (chat_id, due_at) VALUES (?, ?)",
                (chat_id, _iso(due_at)),
            )
            await self._db.commit()

    async def claim_snoozes(self, now: datetime) -> list[int]:
        """Atomically take every snooze due at ``now``; each is returned exactly once."""
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                async with self._db.execute(
                    "SELECT chat_id FROM snoozes WHERE due_at <= ? ORDER BY due_at", (_iso(now),)
                ) as cur:
                    rows = [r[0] for r in await cur.fetchall()]
                await self._db.execute("DELETE FROM snoozes WHERE due_at <= ?", (_iso(now),))
                await self._db.commit()
            except BaseException:
                await self._db.rollback()
                raise
            return rows

    # -- privacy --------------------------------------------------------------------------

    async def export(self, chat_id: int) -> dict[str, Any]:
        """Return everything stored about the chat, as JSON-ready data."""
        out: dict[str, Any] = {"chat_id": chat_id}
        for table in ("users", "subscriptions", "progress", "deliveries", "snoozes"):
            async with self._db.execute(
                f"SELECT * FROM {table} WHERE chat_id = ?", (chat_id,)
            ) as cur:
                cols = [d[0] for d in cur.description]
                rows = await cur.fetchall()
            out[table] = [
                {k: v for k, v in zip(cols, r, strict=True) if k != "chat_id"} for r in rows
            ]
        return json.loads(json.dumps(out, default=str))

    async def forget(self, chat_id: int) -> None:
        """Delete everything stored about the chat, in one transaction."""
        async with self._writing_user(chat_id):
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                for table in ("snoozes", "deliveries", "progress", "subscriptions", "users"):
                    await self._db.execute(f"DELETE FROM {table} WHERE chat_id = ?", (chat_id,))
                await self._db.commit()
            except BaseException:
                await self._db.rollback()
                raise
