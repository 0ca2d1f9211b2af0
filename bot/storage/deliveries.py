"""Deliveries: claiming a day's reminder before it is sent, and the log of what happened.

A claim sets the subscription's ``last_sent_date`` (only forward) and logs a ``claimed``
delivery, committed before anything is sent. Right before the request leaves, the delivery
becomes ``sending`` (committed too), and once Telegram answers it gets its outcome. So after a
crash a ``claimed`` row was certainly not sent (it is sent later the same day) and a
``sending`` row may have been: it becomes ``unknown`` and is never sent again (at most once).
A reminder whose request never left because the Bot API could not be reached goes back to
``claimed`` with a ``retry_at``. See docs/delivery.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from bot.core.schedule import ScheduleError, local_date
from bot.storage.db import Database, iso
from bot.storage.reminders import SUB_COLUMNS, next_columns, subscription_from_row

DeliveryState = Literal["claimed", "sending", "sent", "failed", "unknown", "skipped"]
_LOG_COLUMNS = ("local_date", "kind", "state", "attempts", "detail", "updated_at")
_CLAIMED = (
    "INSERT OR REPLACE INTO deliveries (chat_id, local_date, kind, state, attempts, updated_at) "
    "VALUES (?, ?, 'daily', 'claimed', 0, ?)"
)
_MOVE = "UPDATE subscriptions SET next_at = ?, next_date = ? WHERE chat_id = ?"
_KEY = "chat_id = ? AND local_date = ? AND kind = ?"
# The condition of the partial index deliveries_open: a query that repeats it can use it.
_OPEN = "state IN ('claimed', 'sending')"


@dataclass(frozen=True)
class OpenClaim:
    """A claimed reminder not sent yet: left by a run that stopped (a crash, an outage) or
    waiting for its retry.

    Attributes:
        chat_id: the chat.
        local_date: the local date it is for.
        kind: ``daily`` or ``snooze``.
        attempts: earlier checks whose request could not reach the Bot API.
    """

    chat_id: int
    local_date: date
    kind: str
    attempts: int


class _GroupCommit:
    """Writes from concurrent senders, committed together: each :meth:`write` waits until its
    statement is committed, but the statements queued while a commit is going go into the next
    one, in one transaction. A reminder needs two commits (``sending``, then its outcome); at
    ~3 ms a commit on an ordinary disk one at a time would cap a run at ~160 reminders/s."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._queue: list[tuple[str, tuple[Any, ...], asyncio.Future[int]]] = []
        self._flushing: asyncio.Task[None] | None = None

    async def write(self, sql: str, params: tuple[Any, ...]) -> int:
        """Run one statement in the next group commit; return its row count once committed.

        Raises:
            StorageError: the commit failed (every statement of the group fails with it).
        """
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._queue.append((sql, params, future))
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())
        return await future

    async def wait(self) -> None:
        """Wait until every queued write is committed (or has failed)."""
        while self._flushing is not None and not self._flushing.done():
            await asyncio.wait([self._flushing])

    async def _flush(self) -> None:
        while self._queue:
            group, self._queue = self._queue, []
            try:
                counts = []
                async with self._db.transaction() as conn:
                    for sql, params, _ in group:
                        async with conn.execute(sql, params) as cur:
                            counts.append(cur.rowcount)
            except Exception as err:
                for _, _, future in group:
                    if not future.done():
                        future.set_exception(err)
                continue
            except BaseException:  # cancelled: nothing more will be written
                for _, _, future in group + self._queue:
                    future.cancel()
                self._queue = []
                raise
            for (_, _, future), count in zip(group, counts, strict=True):
                if not future.done():
                    future.set_result(count)


class Deliveries:
    """The ``deliveries`` table, and the claim on ``subscriptions.last_sent_date``."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._group = _GroupCommit(db)

    async def flush(self) -> None:
        """Wait until the outcomes and marks queued for the next group commit are written
        (before closing the database)."""
        await self._group.wait()

    async def claim(self, chat_id: int, local_day: date, now: datetime) -> bool:
        """Atomically claim the reminder of ``local_day`` for sending, and commit.

        Returns:
            True if this call won the claim; False means the day was already claimed (by an
            earlier run, or before a restart) or the subscription is not active, so nothing
            may be sent.
        """
        day = local_day.isoformat()
        async with self._db.transaction() as conn:
            async with conn.execute(
                "UPDATE subscriptions SET last_sent_date = ? WHERE chat_id = ? AND active = 1 "
                "AND (last_sent_date IS NULL OR last_sent_date < ?) "
                f"RETURNING {SUB_COLUMNS}",
                (day, chat_id, day),
            ) as cur:
                row = await cur.fetchone()
            if row is not None:
                # The next look is computed now, so the next checks need not look.
                schedule = subscription_from_row(row).schedule
                await conn.execute(_MOVE, (*next_columns(schedule, now), chat_id))
                await conn.execute(_CLAIMED, (chat_id, day, iso(now)))
        return row is not None

    async def claim_many(self, dues: Sequence[tuple[int, date]], now: datetime) -> list[bool]:
        """:meth:`claim` for many ``(chat_id, local date)`` in one transaction, with set-based
        statements (a temporary table and one ``UPDATE ... FROM ... RETURNING``).

        Used to catch up many reminders at once; one claim alone is cheaper by :meth:`claim`.
        Everything is committed before this returns, so a caller that sends afterwards keeps
        the at-most-once guarantee; after a crash the claims whose request never left (still
        ``claimed``) come back through :meth:`open_claims`.

        Returns:
            One bool per item, in order (a repeated chat loses after its first item).
        """
        if not dues:
            return []
        first: dict[int, int] = {}  # chat_id -> index of its first item (a repeat loses)
        for i, (chat_id, _) in enumerate(dues):
            first.setdefault(chat_id, i)
        returning = ", ".join(
            f"subscriptions.{c.strip()} AS {c.strip()}" for c in SUB_COLUMNS.split(",")
        )
        async with self._db.transaction() as conn:
            await conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS claim_batch "
                "(chat_id INTEGER PRIMARY KEY, day TEXT NOT NULL)"
            )
            await conn.execute("DELETE FROM claim_batch")
            await conn.executemany(
                "INSERT INTO claim_batch (chat_id, day) VALUES (?, ?)",
                [(dues[i][0], dues[i][1].isoformat()) for i in first.values()],
            )
            async with conn.execute(
                "UPDATE subscriptions SET last_sent_date = b.day FROM claim_batch AS b "
                "WHERE subscriptions.chat_id = b.chat_id AND subscriptions.active = 1 "
                "AND (subscriptions.last_sent_date IS NULL "
                "OR subscriptions.last_sent_date < b.day) "
                f"RETURNING {returning}"
            ) as cur:
                rows = list(await cur.fetchall())
            # The next look is computed now, so the next checks need not look.
            await conn.executemany(
                _MOVE,
                [
                    (*next_columns(subscription_from_row(r).schedule, now), r["chat_id"])
                    for r in rows
                ],
            )
            await conn.executemany(
                _CLAIMED, [(r["chat_id"], r["last_sent_date"], iso(now)) for r in rows]
            )
        winners = {r["chat_id"] for r in rows}
        return [first[c] == i and c in winners for i, (c, _) in enumerate(dues)]

    async def claim_snoozes(self, now: datetime) -> list[OpenClaim]:
        """Take every snooze due at ``now`` and claim it, in one transaction: each becomes a
        ``claimed`` ``snooze`` delivery for the local date it fires on (in the subscription's
        zone, UTC without one), and is returned exactly once.

        Returns:
            The claims, earliest snooze first.
        """
        async with self._db.transaction() as conn:
            async with conn.execute(
                "DELETE FROM snoozes WHERE due_at <= ? RETURNING chat_id, due_at", (iso(now),)
            ) as cur:
                taken = sorted(await cur.fetchall(), key=lambda r: (r["due_at"], r["chat_id"]))
            out: list[OpenClaim] = []
            for row in taken:
                async with conn.execute(
                    "SELECT timezone FROM subscriptions WHERE chat_id = ?", (row["chat_id"],)
                ) as cur:
                    sub = await cur.fetchone()
                try:
                    day = local_date(now, sub["timezone"] if sub else "UTC")
                except ScheduleError:
                    day = local_date(now, "UTC")
                await conn.execute(
                    "INSERT OR REPLACE INTO deliveries (chat_id, local_date, kind, state, "
                    "attempts, updated_at) VALUES (?, ?, 'snooze', 'claimed', 0, ?)",
                    (row["chat_id"], day.isoformat(), iso(now)),
                )
                out.append(OpenClaim(row["chat_id"], day, "snooze", 0))
        return out

    async def open_claims(self, now: datetime) -> list[OpenClaim]:
        """The ``claimed`` deliveries whose ``retry_at`` has come (``''``: at once), oldest
        retry first. A run sends them before new claims (or drops them when the day is over)."""
        rows = await self._db.fetch_all(
            f"SELECT chat_id, local_date, kind, attempts FROM deliveries WHERE {_OPEN} "
            "AND state = 'claimed' AND retry_at <= ? ORDER BY retry_at, chat_id",
            (iso(now),),
        )
        return [
            OpenClaim(r["chat_id"], date.fromisoformat(r["local_date"]), r["kind"], r["attempts"])
            for r in rows
        ]

    async def start_sending(self, chat_id: int, local_day: date, kind: str, now: datetime) -> bool:
        """Mark a claimed delivery ``sending``, and commit (with the other writes queued at
        the time): its request is about to leave.

        Returns:
            True if this call moved it from ``claimed``; False means someone else (another
            process on the same file) did, or it has an outcome: do not send it.
        """
        changed = await self._group.write(
            f"UPDATE deliveries SET state = 'sending', updated_at = ? WHERE {_KEY} "
            "AND state = 'claimed'",
            (iso(now), chat_id, local_day.isoformat(), kind),
        )
        return changed == 1

    async def defer(
        self,
        chat_id: int,
        local_day: date,
        kind: str,
        now: datetime,
        retry_at: datetime,
        *,
        detail: str | None = None,
    ) -> None:
        """Put a delivery whose request certainly never reached Telegram back to ``claimed``,
        to be sent at a check from ``retry_at`` on; ``attempts`` counts one more."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET state = 'claimed', attempts = attempts + 1, "
                f"retry_at = ?, detail = ?, updated_at = ? WHERE {_KEY} "
                "AND state IN ('claimed', 'sending')",
                (iso(retry_at), detail, iso(now), chat_id, local_day.isoformat(), kind),
            )

    async def settle_interrupted(self, now: datetime) -> int:
        """Mark every ``sending`` delivery ``unknown``: the process that was sending it stopped
        before the answer came (call once at start-up, before any run). Never resent.

        Returns:
            How many there were.
        """
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "UPDATE deliveries SET state = 'unknown', attempts = attempts + 1, "
                "detail = 'interrupted: the bot stopped while the request was in flight', "
                f"updated_at = ? WHERE {_OPEN} AND state = 'sending'",
                (iso(now),),
            ) as cur,
        ):
            return cur.rowcount

    async def record(
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
        """Record the outcome of a claimed delivery (``sent``, ``failed``, ``unknown`` or
        ``skipped``), committed with the other writes queued at the time; ``attempts`` is the
        number of checks that tried to send it."""
        await self._group.write(
            "INSERT INTO deliveries (chat_id, local_date, kind, state, attempts, detail, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, local_date, kind) "
            "DO UPDATE SET state = excluded.state, attempts = excluded.attempts, "
            "detail = excluded.detail, updated_at = excluded.updated_at",
            (chat_id, local_day.isoformat(), kind, state, attempts, detail, iso(now)),
        )

    async def of_chat(self, chat_id: int) -> list[dict[str, Any]]:
        """Return the chat's delivery log, oldest first.

        Returns:
            Dicts with ``local_date`` (ISO date), ``kind``, ``state``, ``attempts``,
            ``detail`` (str or None) and ``updated_at`` (ISO-8601 UTC).
        """
        rows = await self._db.fetch_all(
            f"SELECT {', '.join(_LOG_COLUMNS)} FROM deliveries WHERE chat_id = ? "
            "ORDER BY local_date, kind",
            (chat_id,),
        )
        return [{k: r[k] for k in _LOG_COLUMNS} for r in rows]
