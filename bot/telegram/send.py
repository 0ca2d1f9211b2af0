"""Sending replies to Telegram: keyboards, editing in place, and retries that never duplicate.

* Connection failures before the request reached Telegram (connect errors, connect/pool
  timeouts) are retried with exponential backoff: nothing was delivered, so no duplicate.
* A *read* timeout is ambiguous (Telegram may have delivered): it is **not** retried and is
  reported as ``unknown``. Reminders are therefore delivered **at most once**.
* ``Forbidden`` (blocked, chat gone) and ``BadRequest`` are reported to the caller, who decides
  (the reminder run stops a blocked chat's reminder and goes on with the others).
* For a reminder, a request that never left after every retry (or a 429 on every attempt) is
  ``retry``: the reminder run tries it again at a later check the same local day.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram import Poll as TgPoll
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.features.reminder_run import PacedSend, Send, Sent
from bot.features.reply import Poll, Reply
from bot.telegram.ratelimit import PacedRateLimiter, retry_seconds

log = logging.getLogger("paperbot.send")

MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 0.5


class Undelivered(Exception):
    """The message may or may not have reached Telegram (read timeout): do not resend."""


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Return the reply's inline keyboard, or None when it has no buttons."""
    if not reply.buttons:
        return None
    rows = []
    for row in reply.buttons:
        buttons = []
        for b in row:
            if b.url is not None:
                buttons.append(InlineKeyboardButton(b.text, url=b.url))
            elif b.switch_inline is not None:
                buttons.append(InlineKeyboardButton(b.text, switch_inline_query=b.switch_inline))
            else:
                buttons.append(InlineKeyboardButton(b.text, callback_data=b.data))
        rows.append(buttons)
    return InlineKeyboardMarkup(rows)


def safe_to_retry(err: NetworkError) -> bool:
    """True when the request certainly did not reach Telegram."""
    cause = err.__cause__
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    if isinstance(err, TimedOut):
        return "Pool timeout" in str(err)
    return False


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
            return await bot.send_message(chat_id, reply.text, reply_markup=keyboard(reply))
        except RetryAfter as err:
            if attempt == MAX_ATTEMPTS:
                raise
            await asyncio.sleep(retry_seconds(err))
        except (Forbidden, BadRequest):
            raise
        except NetworkError as err:
            if not safe_to_retry(err):
                raise Undelivered(str(err)) from err
            if attempt == MAX_ATTEMPTS:
                raise
            await asyncio.sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


async def send_quiz(bot: Bot, chat_id: int, poll: Poll) -> Message:
    """Send a quiz poll (``sendPoll`` with ``type="quiz"``, not anonymous, so that the answer
    comes back as a ``poll_answer`` update)."""
    return await bot.send_poll(
        chat_id,
        poll.question,
        list(poll.options),
        type=TgPoll.QUIZ,
        correct_option_ids=[poll.correct],  # type: ignore[list-item]  # 0-3, checked on load
        explanation=poll.explanation,
        # Quiz texts are plain text: no HTML parse mode (the bot's default) on any of them.
        question_parse_mode=None,
        explanation_parse_mode=None,
        is_anonymous=False,
    )


async def send_review(bot: Bot, chat_id: int, reply: Reply) -> str | None:
    """Send the reminder's review question as a quiz poll, best effort (a question that does
    not go out stays due); returns the poll's id."""
    if reply.poll is None:
        return None
    try:
        message = await send_quiz(bot, chat_id, reply.poll)
    except TelegramError as err:
        log.warning("review question not sent", extra={"chat_id": chat_id, "reason": str(err)})
        return None
    return message.poll.id if message.poll else None


def reminder_sender(bot: Bot) -> Send | PacedSend:
    """The ``send`` the reminder run uses on Telegram: every Telegram error becomes a
    :class:`~bot.features.reminder_run.Sent` outcome, handled here where it occurs.

    With :class:`~bot.telegram.ratelimit.PacedRateLimiter` (production) it is a
    :class:`~bot.features.reminder_run.PacedSend`: the limiter marks each reminder ``sending``
    when its turn comes, right before the request leaves.
    """

    async def send(chat_id: int, reply: Reply) -> Sent:
        try:
            await send_reply(bot, chat_id, reply, backoff=BACKOFF_SECONDS)
        except Forbidden as err:
            return Sent("failed", blocked=True, detail=f"forbidden: {err}")
        except BadRequest as err:
            log.warning("reminder rejected", extra={"chat_id": chat_id, "reason": str(err)})
            return Sent("failed", detail=f"bad request: {err}")
        except Undelivered as err:
            log.warning("reminder delivery unknown", extra={"chat_id": chat_id})
            return Sent("unknown", detail=str(err))
        except RetryAfter as err:  # a 429 on every attempt: not delivered, try again later
            log.warning("reminder postponed: flood limit", extra={"chat_id": chat_id})
            return Sent("retry", detail=f"flood limit: {err}")
        except NetworkError as err:  # only the safe ones get here: the request never left
            log.info("reminder postponed", extra={"chat_id": chat_id, "reason": str(err)})
            return Sent("retry", detail=f"unreachable: {err}")
        return Sent("sent", poll_id=await send_review(bot, chat_id, reply))

    if isinstance(getattr(bot, "rate_limiter", None), PacedRateLimiter):
        return PacedSend(send)
    return send
