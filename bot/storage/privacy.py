"""Privacy: export or delete everything stored about a chat.

:data:`PERSONAL_TABLES` names every table that holds a chat's data (a test checks that every
table with a ``chat_id`` column is in it); export and forget both go through it, so a new table
cannot be forgotten by one and not the other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from bot.core.schedule import days_from_text
from bot.storage.db import Database
from bot.storage.users import Users

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _instant(text: str | None) -> str | None:
    """A stored timestamp as ISO-8601 with its zone (stored ones are UTC)."""
    return datetime.fromisoformat(text).isoformat() if text else None


def _user(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "chat_id": r["chat_id"],
        "language": r["lang"],
        "telegram_language": r["tg_lang"],
        "time_zone": r["timezone"],
        "current_list": r["current_list"],
        "reading_now": r["reading_now"],
        "review_questions": bool(r["review"]),
        "weekly_recap": bool(r["recap"]),
        "created_at": _instant(r["created_at"]),
    }


def _subscription(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "time": r["local_time"],
        "time_zone": r["timezone"],
        "days": [DAY_KEYS[d] for d in sorted(days_from_text(r["days"] or ""))],
        "active": bool(r["active"]),
        "start_date": r["start_date"] or None,
        "paused_until": r["paused_until"] or None,
        "last_sent_date": r["last_sent_date"] or None,
    }


def _progress(r: sqlite3.Row) -> dict[str, Any]:
    return {"paper_id": r["paper_id"], "state": r["state"], "at": _instant(r["at"])}


def _delivery(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "date": r["local_date"],
        "kind": r["kind"],
        "state": r["state"],
        "attempts": r["attempts"],
        "detail": r["detail"],
        "updated_at": _instant(r["updated_at"]),
    }


def _snooze(r: sqlite3.Row) -> dict[str, Any]:
    return {"due_at": _instant(r["due_at"])}


def _quiz_answer(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "question": r["question_id"],
        "first_answer_right": bool(r["first_right"]),
        "wrong_since_last_right": r["misses"],
        "review_due": r["due"] or None,
        "answered_at": _instant(r["answered_at"]),
    }


def _quiz_poll(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "question": r["question_id"],
        "review": bool(r["review"]),
        "sent_at": _instant(r["sent_at"]),
    }


def _activity(r: sqlite3.Row) -> dict[str, Any]:
    return {"date": r["local_date"]}


def _pause(r: sqlite3.Row) -> dict[str, Any]:
    end = r["end_date"]
    return {"from": r["start_date"], "until": None if end.startswith("9999") else end}


def _note(r: sqlite3.Row) -> dict[str, Any]:
    return {"paper_id": r["paper_id"], "text": r["text"], "updated_at": _instant(r["updated_at"])}


def _member(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "user_id": r["user_id"],
        "name": r["name"],
        "paper_id": r["paper_id"],
        "at": _instant(r["at"]),
    }


class _Section(NamedTuple):
    key: str  # the export's key
    single: bool  # at most one row per chat: a dict or None, else a list
    order: str  # ORDER BY of the rows
    render: Callable[[sqlite3.Row], dict[str, Any]]


# Every table holding a chat's data, with how the export shows it. Forget deletes in this order.
PERSONAL_TABLES: dict[str, _Section] = {
    "users": _Section("user", True, "chat_id", _user),
    "subscriptions": _Section("subscription", True, "chat_id", _subscription),
    "snoozes": _Section("snooze", True, "chat_id", _snooze),
    "progress": _Section("progress", False, "at, paper_id", _progress),
    "deliveries": _Section("deliveries", False, "local_date, kind", _delivery),
    "quiz_answers": _Section("quiz_answers", False, "answered_at, question_id", _quiz_answer),
    "quiz_polls": _Section("quiz_polls", False, "sent_at", _quiz_poll),
    "activity": _Section("reading_days", False, "local_date", _activity),
    "pauses": _Section("pauses", False, "start_date", _pause),
    "notes": _Section("notes", False, "updated_at", _note),
    "member_progress": _Section("group_member_marks", False, "at, user_id, paper_id", _member),
}


class Privacy:
    """Export and deletion of a chat's data, over :data:`PERSONAL_TABLES`."""

    def __init__(self, db: Database, users: Users) -> None:
        self._db = db
        self._users = users

    async def export(self, chat_id: int) -> dict[str, Any]:
        """Return everything stored about the chat as named, JSON-ready data.

        Returns:
            ``{"user": {chat_id, language, time_zone, current_list, created_at} | None,
            "subscription": {time "HH:MM", time_zone, days ["mon", ...], active (bool),
            start_date, paused_until, last_sent_date (ISO dates or None)} | None,
            "snooze": {due_at} | None, "progress": [{paper_id, state, at}], "deliveries":
            [{date, kind, state, attempts, detail, updated_at}]}``. Instants are ISO-8601
            with their zone. Paper titles are for the caller to add.
        """
        out: dict[str, Any] = {}
        for table, section in PERSONAL_TABLES.items():
            rows = await self._db.fetch_all(
                f"SELECT * FROM {table} WHERE chat_id = ? ORDER BY {section.order}", (chat_id,)
            )
            items = [section.render(r) for r in rows]
            out[section.key] = (items[0] if items else None) if section.single else items
        if chat_id > 0:  # a person (private chat id = user id): their own marks in groups
            rows = await self._db.fetch_all(
                "SELECT * FROM member_progress WHERE user_id = ? ORDER BY at, chat_id",
                (chat_id,),
            )
            out["my_marks_in_groups"] = [{"group": r["chat_id"], **_member(r)} for r in rows]
        return out

    async def forget(self, chat_id: int) -> None:
        """Delete everything stored about the chat, in one transaction."""
        async with self._users.writing(chat_id, None) as conn:
            for table in PERSONAL_TABLES:
                await conn.execute(f"DELETE FROM {table} WHERE chat_id = ?", (chat_id,))
            if chat_id > 0:  # a person (private chat id = user id): their marks in groups too
                await conn.execute("DELETE FROM member_progress WHERE user_id = ?", (chat_id,))
