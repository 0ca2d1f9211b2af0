"""Users: a chat's language, zone and current list, with an in-memory cache.

Users are read on every update. A read through aiosqlite costs about 0.7 ms (a round trip to its
thread), a third of answering a question (benchmarks/endtoend.py), so :meth:`Users.get` keeps
the last :data:`USER_CACHE_SIZE` answers, "no such user" included. Every write that touches a
``users`` row goes through :meth:`Users.writing` (the other repositories use it too), which
drops the chat's entry before and after the write and makes a read that overlapped the write
not cached. So the cache never disagrees with the file, as long as this process is the only
writer (paperbot's design: one bot per database file).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.db import Database, iso

USER_CACHE_SIZE = 10_000  # users kept in memory (about 2 MB)
_COLUMNS = "chat_id, lang, timezone, current_list, tg_lang"


@dataclass(frozen=True)
class User:
    """A chat's settings. ``lang`` is None until the user picks one with /lang; ``tg_lang`` is
    the ``language_code`` Telegram last reported for the user (None when unknown)."""

    chat_id: int
    lang: str | None
    timezone: str
    current_list: str | None
    tg_lang: str | None = None


class Users:
    """The ``users`` table, cached (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: OrderedDict[int, User | None] = OrderedDict()  # None: no such user
        self._version = 0  # bumped before and after every write to users

    async def get(self, chat_id: int) -> User | None:
        """Return the user, or None if this chat has never been seen (cached)."""
        if chat_id in self._cache:
            self._cache.move_to_end(chat_id)
            return self._cache[chat_id]
        version = self._version
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM users WHERE chat_id = ?", (chat_id,)
        )
        user = _user(row) if row is not None else None
        if version == self._version:  # no write to users since the read began
            self._cache[chat_id] = user
            if len(self._cache) > USER_CACHE_SIZE:
                self._cache.popitem(last=False)
        return user

    async def ensure(self, chat_id: int, now: datetime) -> User:
        """Return the user, creating it with defaults (zone UTC, no language) if new."""
        cached = self._cache.get(chat_id)
        if cached is not None:  # the row exists: no write (and no fsync) needed
            return cached
        async with (
            self.writing(chat_id, now) as conn,
            conn.execute(f"SELECT {_COLUMNS} FROM users WHERE chat_id = ?", (chat_id,)) as cur,
        ):
            row = await cur.fetchone()
        assert row is not None  # created by writing()
        return _user(row)

    async def set_lang(self, chat_id: int, lang: str | None, now: datetime) -> None:
        """Set the reply language (``en``, ``zh``, ``zh-hant``; None = follow Telegram)."""
        async with self.writing(chat_id, now) as conn:
            await conn.execute("UPDATE users SET lang = ? WHERE chat_id = ?", (lang, chat_id))

    async def remember_tg_lang(self, chat_id: int, tg_lang: str | None, now: datetime) -> None:
        """Store the ``language_code`` Telegram reports, when it differs from the stored one
        (one write when it changes, none otherwise)."""
        if not tg_lang:
            return
        user = await self.get(chat_id)
        if user is not None and user.tg_lang == tg_lang:
            return
        async with self.writing(chat_id, now) as conn:
            await conn.execute(
                "UPDATE users SET tg_lang = ? WHERE chat_id = ?", (tg_lang, chat_id)
            )

    async def set_timezone(self, chat_id: int, tz: str, now: datetime) -> None:
        """Set the user's IANA zone; an existing subscription moves to it too."""
        async with self.writing(chat_id, now) as conn:
            await conn.execute("UPDATE users SET timezone = ? WHERE chat_id = ?", (tz, chat_id))
            await conn.execute(
                "UPDATE subscriptions SET timezone = ?, next_at = '' WHERE chat_id = ?",
                (tz, chat_id),
            )

    async def set_current_list(self, chat_id: int, list_id: str, now: datetime) -> None:
        """Make ``list_id`` the user's current list."""
        async with self.writing(chat_id, now) as conn:
            await conn.execute(
                "UPDATE users SET current_list = ? WHERE chat_id = ?", (list_id, chat_id)
            )

    @contextlib.asynccontextmanager
    async def writing(
        self, chat_id: int, now: datetime | None
    ) -> AsyncIterator[aiosqlite.Connection]:
        """A :meth:`Database.transaction` that may change the chat's ``users`` row.

        The chat's cache entry is dropped before and after, and a read that overlapped the
        write is not cached.

        Args:
            chat_id: the chat whose data changes.
            now: when given, the ``users`` row is created first if absent (with
                ``created_at`` = ``now``); None leaves it as it is (used to delete).
        """
        self._invalidate(chat_id)
        try:
            async with self._db.transaction() as conn:
                if now is not None:
                    await conn.execute(
                        "INSERT OR IGNORE INTO users (chat_id, created_at) VALUES (?, ?)",
                        (chat_id, iso(now)),
                    )
                yield conn
        finally:
            self._invalidate(chat_id)

    def _invalidate(self, chat_id: int) -> None:
        self._cache.pop(chat_id, None)
        self._version += 1


def _user(row: sqlite3.Row) -> User:
    return User(row["chat_id"], row["lang"], row["timezone"], row["current_list"], row["tg_lang"])
