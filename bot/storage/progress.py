"""Progress: which papers a chat has read or skipped, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, cast

from bot.storage.db import Database, iso
from bot.storage.users import Users

ProgressState = Literal["read", "skipped"]


class Progress:
    """The ``progress`` table: one row per (chat, paper)."""

    def __init__(self, db: Database, users: Users) -> None:
        self._db = db
        self._users = users

    async def mark(self, chat_id: int, paper_id: str, state: ProgressState, now: datetime) -> None:
        """Record a paper as read or skipped (a later mark replaces an earlier one).

        Creates the chat's user row if it has none.
        """
        async with self._users.writing(chat_id, now) as conn:
            await conn.execute(
                "INSERT INTO progress (chat_id, paper_id, state, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (chat_id, paper_id) DO UPDATE SET state = excluded.state, "
                "at = excluded.at",
                (chat_id, paper_id, state, iso(now)),
            )

    async def unmark(self, chat_id: int, paper_id: str) -> None:
        """Forget the read/skipped state of one paper (undo)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM progress WHERE chat_id = ? AND paper_id = ?", (chat_id, paper_id)
            )

    async def states(self, chat_id: int) -> dict[str, ProgressState]:
        """Return ``{paper_id: "read" | "skipped"}`` for the chat."""
        rows = await self._db.fetch_all(
            "SELECT paper_id, state FROM progress WHERE chat_id = ?", (chat_id,)
        )
        return {r["paper_id"]: cast(ProgressState, r["state"]) for r in rows}

    async def marked_at(self, chat_id: int) -> dict[str, datetime]:
        """Return ``{paper_id: when it was last marked}`` (aware UTC datetimes) for the chat."""
        rows = await self._db.fetch_all(
            "SELECT paper_id, at FROM progress WHERE chat_id = ?", (chat_id,)
        )
        return {r["paper_id"]: datetime.fromisoformat(r["at"]) for r in rows}
