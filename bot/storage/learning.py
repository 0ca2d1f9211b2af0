"""The learning loop's tables: quiz answers and polls, activity days, pauses, notes, the paper
being read now, review and recap settings, and group members' own marks.

Dates are local ``YYYY-MM-DD`` strings in the reader's zone; instants ISO-8601 UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core.quiz import Review
from bot.storage.db import Database, iso, parse_date
from bot.storage.users import Users


@dataclass(frozen=True)
class QuizPoll:
    """A quiz poll the bot sent: which chat and question, and whether it was a review."""

    poll_id: str
    chat_id: int
    question_id: str
    review: bool


class Learning:
    """Quiz answers, streak days, notes and member marks (see the module docstring)."""

    def __init__(self, db: Database, users: Users) -> None:
        self._db = db
        self._users = users

    # -- quiz -----------------------------------------------------------------------------

    async def remember_poll(
        self, poll_id: str, chat_id: int, question_id: str, review: bool, now: datetime
    ) -> None:
        """Record a sent quiz poll, so that its answer can be read back."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO quiz_polls (poll_id, chat_id, question_id, review, "
                "sent_at) VALUES (?, ?, ?, ?, ?)",
                (poll_id, chat_id, question_id, int(review), iso(now)),
            )

    async def poll(self, poll_id: str) -> QuizPoll | None:
        """The quiz poll with this id, or None (not ours, or forgotten)."""
        row = await self._db.fetch_one(
            "SELECT poll_id, chat_id, question_id, review FROM quiz_polls WHERE poll_id = ?",
            (poll_id,),
        )
        if row is None:
            return None
        return QuizPoll(row["poll_id"], row["chat_id"], row["question_id"], bool(row["review"]))

    async def review_of(self, chat_id: int, question_id: str) -> Review | None:
        """Where a question stands for the chat, or None if never answered."""
        row = await self._db.fetch_one(
            "SELECT first_right, misses, due FROM quiz_answers "
            "WHERE chat_id = ? AND question_id = ?",
            (chat_id, question_id),
        )
        if row is None:
            return None
        return Review(parse_date(row["due"] or None), row["misses"], bool(row["first_right"]))

    async def record_answer(
        self, chat_id: int, question_id: str, review: Review, now: datetime
    ) -> None:
        """Store a question's new review state."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO quiz_answers (chat_id, question_id, first_right, misses, due, "
                "answered_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, question_id) "
                "DO UPDATE SET misses = excluded.misses, due = excluded.due, "
                "answered_at = excluded.answered_at",
                (
                    chat_id,
                    question_id,
                    int(review.first_right),
                    review.misses,
                    review.due.isoformat() if review.due else "",
                    iso(now),
                ),
            )

    async def due_review(self, chat_id: int, today: date) -> str | None:
        """The question id that is due first for review on ``today``, or None."""
        row = await self._db.fetch_one(
            "SELECT question_id FROM quiz_answers WHERE chat_id = ? AND due != '' AND due <= ? "
            "ORDER BY due, question_id LIMIT 1",
            (chat_id, today.isoformat()),
        )
        return None if row is None else str(row["question_id"])

    async def answered(self, chat_id: int) -> dict[str, bool]:
        """Every question the chat answered -> whether its first answer was right."""
        rows = await self._db.fetch_all(
            "SELECT question_id, first_right FROM quiz_answers WHERE chat_id = ?", (chat_id,)
        )
        return {r["question_id"]: bool(r["first_right"]) for r in rows}

    # -- streaks --------------------------------------------------------------------------

    async def active_on(self, chat_id: int, day: date) -> None:
        """Count ``day`` (local) as a day the chat read or answered a review question."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO activity (chat_id, local_date) VALUES (?, ?)",
                (chat_id, day.isoformat()),
            )

    async def active_days(self, chat_id: int) -> list[date]:
        """Every local date with activity, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT local_date FROM activity WHERE chat_id = ? ORDER BY local_date", (chat_id,)
        )
        return [date.fromisoformat(r["local_date"]) for r in rows]

    async def record_pause(self, chat_id: int, start: date, end: date) -> None:
        """Record that reminders are paused from ``start`` to before ``end`` (exclusive)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO pauses (chat_id, start_date, end_date) VALUES (?, ?, ?)",
                (chat_id, start.isoformat(), end.isoformat()),
            )

    async def end_pauses(self, chat_id: int, day: date) -> None:
        """Close every pause still open on ``day`` (/resume)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE pauses SET end_date = ? WHERE chat_id = ? AND end_date > ?",
                (day.isoformat(), chat_id, day.isoformat()),
            )

    async def paused_days(self, chat_id: int, today: date) -> set[date]:
        """Every local date up to ``today`` on which reminders were paused."""
        rows = await self._db.fetch_all(
            "SELECT start_date, end_date FROM pauses WHERE chat_id = ?", (chat_id,)
        )
        out: set[date] = set()
        for r in rows:
            day, end = date.fromisoformat(r["start_date"]), date.fromisoformat(r["end_date"])
            while day < end and day <= today:
                out.add(day)
                day = date.fromordinal(day.toordinal() + 1)
        return out

    async def last_recap(self, chat_id: int) -> date | None:
        """The local date of the last weekly recap sent to the chat, or None."""
        row = await self._db.fetch_one(
            "SELECT last_recap_date FROM subscriptions WHERE chat_id = ?", (chat_id,)
        )
        return parse_date(row["last_recap_date"]) if row and row["last_recap_date"] else None

    async def recap_sent(self, chat_id: int, day: date) -> None:
        """Record that the weekly recap went out with the reminder of ``day``."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET last_recap_date = ? WHERE chat_id = ?",
                (day.isoformat(), chat_id),
            )

    # -- notes and bookmarks --------------------------------------------------------------

    async def set_note(self, chat_id: int, paper_id: str, text: str, now: datetime) -> None:
        """Keep (or replace) the chat's note on a paper; an empty text deletes it."""
        async with self._db.transaction() as conn:
            if text:
                await conn.execute(
                    "INSERT OR REPLACE INTO notes (chat_id, paper_id, text, updated_at) "
                    "VALUES (?, ?, ?, ?)",
                    (chat_id, paper_id, text, iso(now)),
                )
            else:
                await conn.execute(
                    "DELETE FROM notes WHERE chat_id = ? AND paper_id = ?", (chat_id, paper_id)
                )

    async def notes(self, chat_id: int) -> dict[str, str]:
        """The chat's notes: paper id -> text, newest first."""
        rows = await self._db.fetch_all(
            "SELECT paper_id, text FROM notes WHERE chat_id = ? ORDER BY updated_at DESC",
            (chat_id,),
        )
        return {r["paper_id"]: r["text"] for r in rows}

    async def set_user_field(
        self, chat_id: int, column: str, value: object, now: datetime
    ) -> None:
        """Set one learning column of the chat's ``users`` row (``reading_now``, ``review``,
        ``recap``, ``pending_note``)."""
        if column not in {"reading_now", "review", "recap", "pending_note"}:
            raise ValueError(f"not a learning column: {column!r}")
        async with self._users.writing(chat_id, now) as conn:
            await conn.execute(
                f"UPDATE users SET {column} = ? WHERE chat_id = ?", (value, chat_id)
            )

    async def user_fields(self, chat_id: int) -> dict[str, object]:
        """``reading_now``, ``review``, ``recap`` and ``pending_note`` of the chat (defaults
        when the chat has no row)."""
        row = await self._db.fetch_one(
            "SELECT reading_now, review, recap, pending_note FROM users WHERE chat_id = ?",
            (chat_id,),
        )
        if row is None:
            return {"reading_now": None, "review": 1, "recap": 1, "pending_note": None}
        return dict(row)

    # -- groups: each member's own marks --------------------------------------------------

    async def mark_member(
        self, chat_id: int, user_id: int, name: str, paper_id: str, now: datetime
    ) -> bool:
        """Record that a group member read a paper. Returns False if they already had."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO member_progress (chat_id, user_id, name, paper_id, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (chat_id, user_id, name, paper_id, iso(now)),
            )
            return cur.rowcount > 0

    async def member_counts(
        self, chat_id: int, paper_ids: tuple[str, ...]
    ) -> list[tuple[str, int]]:
        """Each member's name and how many of ``paper_ids`` they read, most first."""
        rows = await self._db.fetch_all(
            "SELECT user_id, MAX(name) AS name, paper_id FROM member_progress "
            "WHERE chat_id = ? GROUP BY user_id, paper_id",
            (chat_id,),
        )
        wanted = set(paper_ids)
        counts: dict[int, list[object]] = {}
        for r in rows:
            entry = counts.setdefault(r["user_id"], [r["name"], 0])
            if r["paper_id"] in wanted:
                entry[1] = int(entry[1]) + 1  # type: ignore[call-overload]
        return sorted(((str(n), int(c)) for n, c in counts.values()), key=lambda x: -x[1])  # type: ignore[call-overload]

    async def readers_of(self, chat_id: int, paper_id: str) -> int:
        """How many members of the group marked ``paper_id`` read."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM member_progress WHERE chat_id = ? AND paper_id = ?",
            (chat_id, paper_id),
        )
        return int(row["n"]) if row else 0

    async def forget_member(self, chat_id: int, user_id: int) -> int:
        """Delete one member's marks in a group. Returns how many were deleted."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM member_progress WHERE chat_id = ? AND user_id = ?",
                (chat_id, user_id),
            )
            return cur.rowcount
