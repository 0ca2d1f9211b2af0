"""Sending messages that survive Telegram errors, and the reminder job.

* Flood limits: :class:`PacedRateLimiter` spaces messages evenly (no bursts). On
  ``RetryAfter`` it holds every request as long as Telegram asks, then retries
  (``max_retries``); if it still fails, ``send_reply`` waits ``retry_after`` once more itself.
* Connection failures before the request reached Telegram (connect errors, connect/pool
  timeouts) are retried with exponential backoff: nothing was delivered, so no duplicate.
* A *read* timeout is ambiguous (Telegram may have delivered): it is **not** retried and the
  delivery is recorded as ``unknown``. Reminders are therefore delivered **at most once**.
* ``Forbidden`` (blocked, chat gone) deactivates the subscription once; ``BadRequest`` is
  logged with the chat id. Either way the other reminders go on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
from aiolimiter import AsyncLimiter
from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

from bot.core.schedule import local_date
from bot.render import Reply
from bot.service import Due, PaperBot
from bot.telegram.render import keyboard

log = logging.getLogger("paperbot.delivery")

MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 0.5
CONCURRENCY = 25
#: Pace at this share of the flood limit: Telegram counts arrivals, and network jitter can bring
#: two evenly spaced messages closer together than they were sent.
HEADROOM = 0.95


class Undelivered(Exception):
    """The message may or may not have reached Telegram (read timeout): do not resend."""


def _safe_to_retry(err: NetworkError) -> bool:
    """True when the request certainly did not reach Telegram."""
    cause = err.__cause__
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    if isinstance(err, TimedOut):
        return "Pool timeout" in str(err)
    return isinstance(cause, httpx.ConnectError)


def _retry_seconds(err: RetryAfter) -> float:
    value = err.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)


class PacedRateLimiter(BaseRateLimiter[int]):
    """Telegram's flood limits, kept without bursts.

    Each request to a chat waits for its turn, ``1 / (rate * HEADROOM)`` seconds after the one
    before, so no one-second window holds more than ``rate`` of them even when the network
    delays some more than others. Requests to a group also take one of the group's
    ``group_rate`` per ``group_period``. After a ``RetryAfter`` every request waits until the
    pause is over, and then they go on one at a time, as before.

    python-telegram-bot's ``AIORateLimiter`` does neither. Its leaky bucket lets a full second's
    worth of messages go at once. During a ``RetryAfter`` pause, requests keep taking slots and
    then go out together when the pause ends. Each burst draws the next 429: one 429 in a long
    reminder run turned into one every ~1.4 s until the run ended (benchmarks/README.md).
    """

    def __init__(
        self,
        rate: float = 30,
        *,
        group_rate: float = 20,
        group_period: float = 60,
        max_retries: int = 3,
    ) -> None:
        self._interval = 1 / (rate * HEADROOM)
        self._lock = asyncio.Lock()
        self._last = float("-inf")  # event-loop time of the last slot given
        self._paused_until = 0.0
        self._group_rate = group_rate
        self._group_period = group_period
        self._groups: dict[int | str, AsyncLimiter] = {}
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def _slot(self) -> None:
        """Wait, first come first served, until ``interval`` after the previous slot and past
        any pause. Spacing counts from when the previous slot was really given: a late event
        loop never makes up for lost time with a burst."""
        loop = asyncio.get_running_loop()
        async with self._lock:
            while (wait := max(self._last + self._interval, self._paused_until) - loop.time()) > 0:
                await asyncio.sleep(wait)
            self._last = loop.time()

    def _group(self, chat_id: Any) -> AsyncLimiter | None:
        try:
            key: int | str = int(chat_id)
        except (TypeError, ValueError):
            key = str(chat_id)  # @channelusername
        if isinstance(key, int) and key > 0:
            return None  # a private chat
        if key not in self._groups:
            if len(self._groups) > 512:  # forget groups with nothing pending (as PTB does)
                for old, limiter in list(self._groups.items()):
                    if limiter.has_capacity(limiter.max_rate):
                        del self._groups[old]
            self._groups[key] = AsyncLimiter(self._group_rate, self._group_period)
        return self._groups[key]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Send when the limits allow; on ``RetryAfter`` pause everything, then retry."""
        retries = rate_limit_args or self._max_retries
        chat_id = data.get("chat_id")
        loop = asyncio.get_running_loop()
        for attempt in range(retries + 1):
            if chat_id is not None:
                group = self._group(chat_id)
                if group is not None:
                    await group.acquire()
                await self._slot()
            elif self._paused_until > loop.time():
                await asyncio.sleep(self._paused_until - loop.time())
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as err:
                if attempt == retries:
                    raise
                wait = _retry_seconds(err) + 0.1
                self._paused_until = max(self._paused_until, loop.time() + wait)
                log.info(
                    "flood limit: pausing all sending",
                    extra={"endpoint": endpoint, "seconds": wait, "chat_id": chat_id},
                )
        raise AssertionError("unreachable")


async def send_reply(
    bot: Bot, chat_id: int, reply: Reply, *, backoff: float = BACKOFF_SECONDS
) -> Message:
    """Send one reply to ``chat_id`` with retries that never duplicate a message.

    Raises:
        Forbidden, BadRequest: passed on for the caller to handle.
        Undelivered: after a read timeout (delivery unknown).
        NetworkError: when every safe retry failed.
    """
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            if reply.document is not None:
                name, blob = reply.document
                return await bot.send_document(
                    chat_id, document=blob, filename=name, caption=reply.text
                )
            return await bot.send_message(
                chat_id, reply.text, reply_markup=keyboard(reply), link_preview_options=None
            )
        except RetryAfter as err:
            if attempt == MAX_ATTEMPTS:
                raise
            await asyncio.sleep(_retry_seconds(err))
        except (Forbidden, BadRequest):
            raise
        except NetworkError as err:
            if not _safe_to_retry(err):
                raise Undelivered(str(err)) from err
            if attempt == MAX_ATTEMPTS:
                raise
            await asyncio.sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


async def _snooze_day(core: PaperBot, chat_id: int, now: datetime) -> date | None:
    """The chat's local date at ``now`` for a snoozed reminder, or None when the user has
    stopped reminders since pressing Snooze (unsubscribed, paused, blocked the bot)."""
    sub = await core.storage.get_subscription(chat_id)
    if sub is None or not sub.schedule.active:
        return None
    today = local_date(now, sub.schedule.timezone)
    paused = sub.schedule.paused_until
    return today if paused is None or today >= paused else None


@dataclass
class RunStats:
    """What one reminder run did."""

    due: int = 0
    sent: int = 0
    skipped: int = 0
    forbidden: int = 0
    failed: int = 0
    unknown: int = 0


async def deliver_one(
    bot: Bot,
    core: PaperBot,
    due: Due,
    now: datetime,
    stats: RunStats,
    claimed: bool,
) -> None:
    """Send and record one reminder; ``claimed`` is the outcome of the claim the caller made
    before (see :func:`send_due_reminders`), and a lost claim sends nothing."""
    if not claimed:
        stats.skipped += 1
        return
    kind = "snooze" if due.snooze else "daily"
    day_for_log = due.local_date or await _snooze_day(core, due.chat_id, now)
    if day_for_log is None:
        stats.skipped += 1
        return
    try:
        reply = await core.reminder_reply(due.chat_id, now)
        await send_reply(bot, due.chat_id, reply)
    except Forbidden as err:
        stats.forbidden += 1
        await core.storage.deactivate(due.chat_id)
        await core.storage.record_delivery(
            due.chat_id, day_for_log, "failed", now, detail=f"forbidden: {err}", kind=kind
        )
        log.info("subscription deactivated", extra={"chat_id": due.chat_id, "reason": str(err)})
    except BadRequest as err:
        stats.failed += 1
        await core.storage.record_delivery(
            due.chat_id, day_for_log, "failed", now, detail=f"bad request: {err}", kind=kind
        )
        log.warning("reminder rejected", extra={"chat_id": due.chat_id, "reason": str(err)})
    except Undelivered as err:
        stats.unknown += 1
        await core.storage.record_delivery(
            due.chat_id, day_for_log, "unknown", now, detail=str(err), kind=kind
        )
        log.warning("reminder delivery unknown", extra={"chat_id": due.chat_id})
    except Exception as err:
        stats.failed += 1
        await core.storage.record_delivery(
            due.chat_id,
            day_for_log,
            "failed",
            now,
            detail=f"{type(err).__name__}: {err}",
            kind=kind,
        )
        log.exception("reminder failed", extra={"chat_id": due.chat_id})
    else:
        stats.sent += 1
        await core.storage.record_delivery(due.chat_id, day_for_log, "sent", now, kind=kind)


async def send_due_reminders(
    bot: Bot, core: PaperBot, now: datetime, concurrency: int = CONCURRENCY
) -> RunStats:
    """Send every reminder due at ``now``, at most ``concurrency`` in flight at once.

    The rate limiter spreads them within Telegram's limits; updates from users keep being
    handled meanwhile because this runs as its own job.
    """
    stats = RunStats()
    dues = await core.due(now)
    stats.due = len(dues)
    gate = asyncio.Semaphore(concurrency)
    # Claims are made for `concurrency` reminders at a time, in one transaction, when the
    # first of them is about to be sent: a commit per batch instead of one per reminder, and
    # still committed before any of them is sent (at most once; a crash loses at most the
    # batch being sent, as many as are in flight at once anyway).
    batches = [dues[i : i + concurrency] for i in range(0, len(dues), concurrency)]
    claims: dict[int, asyncio.Task[list[bool]]] = {}

    async def claimed(index: int) -> bool:
        batch = index // concurrency
        if batch not in claims:
            claims[batch] = asyncio.ensure_future(core.claim_many(batches[batch], now))
        return (await claims[batch])[index % concurrency]

    async def one(index: int, due: Due) -> None:
        async with gate:
            await deliver_one(bot, core, due, now, stats, await claimed(index))

    await asyncio.gather(*(one(i, d) for i, d in enumerate(dues)))
    if dues:
        log.info("reminder run", extra={k: v for k, v in stats.__dict__.items()})
    return stats
