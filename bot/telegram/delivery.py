"""Sending messages that survive Telegram errors, and the reminder job.

* ``RetryAfter``: python-telegram-bot's ``AIORateLimiter`` waits as long as Telegram asks and
  retries (``max_retries``); if it still fails we wait ``retry_after`` once more ourselves.
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
from dataclasses import dataclass
from datetime import datetime

import httpx
from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.render import Reply
from bot.service import Due, PaperBot
from bot.telegram.render import keyboard

log = logging.getLogger("paperbot.delivery")

MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 0.5
CONCURRENCY = 25


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


@dataclass
class RunStats:
    """What one reminder run did."""

    due: int = 0
    sent: int = 0
    skipped: int = 0
    forbidden: int = 0
    failed: int = 0
    unknown: int = 0


async def deliver_one(bot: Bot, core: PaperBot, due: Due, now: datetime, stats: RunStats) -> None:
    """Claim, send and record one reminder."""
    if not await core.claim(due, now):
        stats.skipped += 1
        return
    day = due.local_date
    kind = "snooze" if due.snooze else "daily"
    day_for_log = day or now.date()
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

    async def one(due: Due) -> None:
        async with gate:
            await deliver_one(bot, core, due, now, stats)

    await asyncio.gather(*(one(d) for d in dues))
    if dues:
        log.info("reminder run", extra={k: v for k, v in stats.__dict__.items()})
    return stats
