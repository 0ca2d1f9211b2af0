"""Reminders: subscriptions, their due index, and snoozes.

Due reminders are found through an index, not a scan. Each subscription keeps ``next_at``: the
UTC instant (ISO-8601) before which its next reminder cannot be due, and ``next_date``, its
local date, both from :func:`bot.core.schedule.next_look`. The reminder check reads only the
active rows with ``next_at <= now`` (a range scan of the partial index ``subscriptions_due``)
and asks :mod:`bot.core.schedule` about each: :func:`~bot.core.schedule.due_by_index` (the
stored look says "today"), else :func:`~bot.core.schedule.check_due`; a row that is not due gets
its new ``next_at``. A change to a subscription sets ``next_at`` to ``''`` (it sorts before every
instant: "decide me afresh at the next check"), so a stale ``next_at`` can only cost one extra
look, never a missed or repeated reminder. With 100,000 subscriptions a check reads the rows due
that minute, not all 100,000 (``benchmarks/storage.py``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from bot.core.schedule import (
    Schedule,
    ScheduleError,
    check_due,
    days_from_text,
    days_to_text,
    due_by_index,
    local_date,
    next_look,
)
from bot.storage.db import Database, iso, parse_date, parse_instant
from bot.storage.users import Users

# Columns read to build a Subscription (see subscription_from_row).
SUB_COLUMNS = (
    "chat_id, local_time, timezone, active, last_sent_date, start_date, days, paused_until"
)
# The reminder check's query: a range scan of the partial index subscriptions_due, in
# batches of DUE_BATCH rows after the (next_at, chat_id) cursor.
DUE_QUERY = (
    "SELECT {columns} FROM subscriptions WHERE active = 1 AND next_at <= ? "
    "AND (next_at, chat_id) > (?, ?) ORDER BY next_at, chat_id LIMIT ?"
)
DUE_BATCH = 1000


@dataclass(frozen=True)
class Subscription:
    """A daily reminder: where it goes and its :class:`~bot.core.schedule.Schedule`."""

    chat_id: int
    schedule: Schedule


@lru_cache(maxsize=2048)
def _hhmm(text: str) -> time:
    hh, mm = (int(x) for x in text.split(":"))
    return time(hh, mm)


def subscription_from_row(row: sqlite3.Row) -> Subscription:
    """Build a :class:`Subscription` from a row holding the :data:`SUB_COLUMNS`."""
    return Subscription(
        row["chat_id"],
        Schedule(
            local_time=_hhmm(row["local_time"]),
            timezone=row["timezone"],
            days=days_from_text(row["days"] or ""),
            active=bool(row["active"]),
            start_date=parse_date(row["start_date"]),
            last_sent_date=parse_date(row["last_sent_date"]),
            paused_until=parse_date(row["paused_until"]),
        ),
    )


def next_columns(schedule: Schedule, now: datetime) -> tuple[str, str]:
    """``(next_at, next_date)`` as stored, from :func:`~bot.core.schedule.next_look`."""
    at, on = next_look(schedule, now)
    return iso(at), on.isoformat() if on else ""


#: ``paused_until`` of a pause with no end (until /resume).
PAUSED_INDEFINITELY = date.max


class Reminders:
    """The ``subscriptions`` and ``snoozes`` tables."""

    def __init__(self, db: Database, users: Users) -> None:
        self._db = db
        self._users = users

    async def subscribe(
        self, chat_id: int, local_time: time, tz: str, start_date: date, now: datetime
    ) -> None:
        """Create or replace the chat's reminder (active, at ``local_time`` in ``tz``).

        ``last_sent_date`` and the days are kept when re-subscribing, so changing the time
        never causes a second reminder on a day that already had one. Creates the chat's user
        row if it has none.
        """
        async with self._users.writing(chat_id, now) as conn:
            await conn.execute(
                "INSERT INTO subscriptions (chat_id, local_time, timezone, active, start_date) "
                "VALUES (?, ?, ?, 1, ?) ON CONFLICT (chat_id) DO UPDATE SET "
                "local_time = excluded.local_time, timezone = excluded.timezone, active = 1, "
                "start_date = excluded.start_date, paused_until = NULL, next_at = ''",
                (chat_id, local_time.strftime("%H:%M"), tz, start_date.isoformat()),
            )

    async def _update(self, sql: str, params: tuple[object, ...]) -> bool:
        async with self._db.transaction() as conn, conn.execute(sql, params) as cur:
            return cur.rowcount > 0

    async def set_days(self, chat_id: int, days: frozenset[int]) -> bool:
        """Set the reminder days (Monday = 0). Returns False if there is no subscription."""
        return await self._update(
            "UPDATE subscriptions SET days = ?, next_at = '' WHERE chat_id = ?",
            (days_to_text(days), chat_id),
        )

    async def pause(self, chat_id: int, until: date | None) -> bool:
        """Pause reminders until local date ``until`` (exclusive); None pauses until /resume
        (``paused_until`` = :data:`PAUSED_INDEFINITELY`, so a paused subscription stays apart
        from a stopped one). Returns False if there is no active one."""
        end = PAUSED_INDEFINITELY if until is None else until
        return await self._update(
            "UPDATE subscriptions SET paused_until = ?, next_at = '' "
            "WHERE chat_id = ? AND active = 1",
            (end.isoformat(), chat_id),
        )

    async def resume(self, chat_id: int) -> bool:
        """End a pause (or reactivate). Returns False if there is no subscription."""
        return await self._update(
            "UPDATE subscriptions SET active = 1, paused_until = NULL, next_at = '' "
            "WHERE chat_id = ?",
            (chat_id,),
        )

    async def unsubscribe(self, chat_id: int) -> bool:
        """Deactivate the reminder. Returns False if there was no active one."""
        return await self._update(
            "UPDATE subscriptions SET active = 0, next_at = '' WHERE chat_id = ? AND active = 1",
            (chat_id,),
        )

    async def get(self, chat_id: int) -> Subscription | None:
        """Return the chat's subscription (active or not), or None."""
        row = await self._db.fetch_one(
            f"SELECT {SUB_COLUMNS} FROM subscriptions WHERE chat_id = ?", (chat_id,)
        )
        return subscription_from_row(row) if row is not None else None

    async def active(self) -> list[Subscription]:
        """Return every active subscription, ordered by chat id."""
        rows = await self._db.fetch_all(
            f"SELECT {SUB_COLUMNS} FROM subscriptions WHERE active = 1 ORDER BY chat_id"
        )
        return [subscription_from_row(r) for r in rows]

    async def due(self, now: datetime) -> list[tuple[int, date]]:
        """Return ``(chat_id, local date)`` for every daily reminder due at ``now``.

        Reads only the active subscriptions whose ``next_at`` has come (an index range scan;
        see the module docstring), lets :mod:`bot.core.schedule` decide each, and stores the
        next look of the rows that are not due. Due rows keep theirs until
        :meth:`~bot.storage.deliveries.Deliveries.claim` claims them. Rows are taken in
        batches of :data:`DUE_BATCH`, each read, decided and updated in one transaction, so a
        long check (the first after the migration, or after a day of downtime) never holds up
        users' writes for long. A row whose zone the system no longer knows is skipped (and
        looked at again next time).

        Args:
            now: the current instant, timezone-aware.

        Returns:
            Due reminders, ordered by chat id.
        """
        out: list[tuple[int, date]] = []
        today: dict[str, date] = {}  # zone -> local date at now
        cursor: tuple[str, int] = ("", -(2**63))  # before every chat: groups are negative
        sql = DUE_QUERY.format(columns=SUB_COLUMNS + ", next_at, next_date")
        while True:
            async with self._db.transaction() as conn:
                async with conn.execute(sql, (iso(now), *cursor, DUE_BATCH)) as cur:
                    rows = list(await cur.fetchall())
                moves: list[tuple[str, str, int]] = []
                for row in rows:
                    try:
                        day = _look(row, now, today, moves)
                    except ScheduleError:
                        continue
                    if day is not None:
                        out.append((row["chat_id"], day))
                if moves:
                    await conn.executemany(
                        "UPDATE subscriptions SET next_at = ?, next_date = ? WHERE chat_id = ?",
                        moves,
                    )
            if len(rows) < DUE_BATCH:
                return sorted(out)
            cursor = (rows[-1]["next_at"], rows[-1]["chat_id"])

    async def snooze(self, chat_id: int, due_at: datetime) -> None:
        """Ask for one extra reminder at ``due_at`` (aware); replaces an earlier snooze."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO snoozes (chat_id, due_at) VALUES (?, ?)",
                (chat_id, iso(due_at)),
            )

    async def claim_snoozes(self, now: datetime) -> list[int]:
        """Atomically take every snooze due at ``now``; each is returned exactly once.

        Returns:
            Chat ids, earliest snooze first.
        """
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "DELETE FROM snoozes WHERE due_at <= ? RETURNING chat_id, due_at", (iso(now),)
            ) as cur,
        ):
            rows = list(await cur.fetchall())
        return [r["chat_id"] for r in sorted(rows, key=lambda r: (r["due_at"], r["chat_id"]))]

    async def clear_snooze(self, chat_id: int) -> bool:
        """Drop the chat's pending snooze. Returns False if it had none."""
        return await self._update("DELETE FROM snoozes WHERE chat_id = ?", (chat_id,))


def _look(
    row: sqlite3.Row, now: datetime, today: dict[str, date], moves: list[tuple[str, str, int]]
) -> date | None:
    """Decide one due-index row: the local date due, or None (and its next look in ``moves``).

    Raises:
        ScheduleError: the row's zone is unknown.
    """
    tz = row["timezone"]
    if tz not in today:
        today[tz] = local_date(now, tz)
    if due_by_index(parse_instant(row["next_at"]), parse_date(row["next_date"]), today[tz], now):
        return today[tz]
    schedule = subscription_from_row(row).schedule
    check = check_due(schedule, now)
    if check.due is None:
        assert check.next_at is not None
        on = check.next_date.isoformat() if check.next_date else ""
        moves.append((iso(check.next_at), on, row["chat_id"]))
    return check.due
