"""Telegram's flood limits, kept without bursts: :class:`PacedRateLimiter`.

The README and ``benchmarks/README.md`` measure why this replaces python-telegram-bot's
``AIORateLimiter``: against a server that enforces a sliding one-second window, its bursts drew
hundreds of 429s in a 10,000-reminder run; pacing drew none.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.features.reminder_run import leaving

log = logging.getLogger("paperbot.ratelimit")

#: Pace at this share of the flood limit: Telegram counts arrivals, and network jitter can bring
#: two evenly spaced messages closer together than they were sent.
HEADROOM = 0.95
#: A 429 for a chat that was sent another message less than this many seconds before is that
#: chat's own flood limit (Telegram allows about one message a second in a chat, twenty a
#: minute in a group), and pauses only that chat; any other 429 pauses all sending.
CHAT_WINDOW = 1.0
_KEEP = 4096  # chats remembered before the old entries are dropped


def retry_seconds(err: RetryAfter) -> float:
    """The seconds a ``RetryAfter`` asks to wait (python-telegram-bot gives int or timedelta)."""
    value = err.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)


class PacedRateLimiter(BaseRateLimiter[int]):
    """Telegram's flood limits, kept without bursts.

    Each request to a chat waits for its turn, ``1 / (rate * HEADROOM)`` seconds after the one
    before, so no one-second window holds more than ``rate`` of them even when the network
    delays some more than others. Requests to a group also take one of the group's
    ``group_rate`` per ``group_period``.

    A ``RetryAfter`` (429) is Telegram's answer both to too many messages overall and to too
    many in one chat, and it does not say which. It is taken as the chat's own limit when that
    chat was sent another message within :data:`CHAT_WINDOW` (or its group is at its pace):
    then only that chat waits. Otherwise every request waits until the pause is over, and then
    they go on one at a time, as before.

    Right before each request to a chat leaves, :func:`bot.features.reminder_run.leaving` is
    called: a reminder is marked ``sending`` only once it has its turn.

    python-telegram-bot's ``AIORateLimiter`` does none of this. Its leaky bucket lets a full
    second's worth of messages go at once. During a ``RetryAfter`` pause, requests keep taking
    slots and then go out together when the pause ends. Each burst draws the next 429: one 429
    in a long reminder run turned into one every ~1.4 s until the run ended
    (benchmarks/README.md).
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
        self._chat_last: dict[int | str, float] = {}  # chat -> time of its last slot
        self._chat_paused: dict[int | str, float] = {}  # chat -> end of its own pause

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

    def _group(self, key: int | str) -> AsyncLimiter | None:
        if isinstance(key, int) and key > 0:
            return None  # a private chat
        if key not in self._groups:
            if len(self._groups) > 512:  # forget groups with nothing pending (as PTB does)
                for old, limiter in list(self._groups.items()):
                    if limiter.has_capacity(limiter.max_rate):
                        del self._groups[old]
            self._groups[key] = AsyncLimiter(self._group_rate, self._group_period)
        return self._groups[key]

    async def _chat_turn(self, key: int | str) -> tuple[float, float]:
        """Wait out the chat's own pause, then for the group and the overall pace.

        Returns:
            The event-loop time of this slot, and of the chat's last message that Telegram
            accepted (-inf if none is remembered).
        """
        loop = asyncio.get_running_loop()
        while (wait := self._chat_paused.get(key, 0.0) - loop.time()) > 0:
            await asyncio.sleep(wait)
        self._chat_paused.pop(key, None)
        group = self._group(key)
        if group is not None:
            await group.acquire()
        await self._slot()
        return loop.time(), self._chat_last.get(key, float("-inf"))

    def _sent(self, key: int | str, at: float) -> None:
        """Remember when the chat was last sent a message (for telling 429s apart)."""
        if len(self._chat_last) > _KEEP:
            self._chat_last = {k: t for k, t in self._chat_last.items() if at - t < CHAT_WINDOW}
        self._chat_last[key] = at

    def _own_limit(self, key: int | str, at: float, previous: float) -> bool:
        """Whether a 429 for the request whose slot came at ``at`` is the chat's own limit."""
        group = self._groups.get(key)
        return at - previous < CHAT_WINDOW or (group is not None and not group.has_capacity())

    def _pause(self, key: int | str | None, wait: float, endpoint: str) -> None:
        """Pause one chat (``key``) or, with None, everything, for ``wait`` seconds."""
        now = asyncio.get_running_loop().time()
        extra = {"endpoint": endpoint, "seconds": round(wait, 2), "chat_id": key}
        if key is not None:
            self._chat_paused[key] = max(self._chat_paused.get(key, 0.0), now + wait)
            log.info("flood limit of one chat: pausing that chat", extra=extra)
        else:
            self._paused_until = max(self._paused_until, now + wait)
            log.info("flood limit: pausing all sending", extra=extra)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Send when the limits allow; on ``RetryAfter`` pause the chat or everything, then
        retry (up to ``max_retries`` times, then the ``RetryAfter`` is raised)."""
        retries = rate_limit_args or self._max_retries
        key = _chat_key(data.get("chat_id"))
        loop = asyncio.get_running_loop()
        at, previous, own = 0.0, float("-inf"), False
        for attempt in range(retries + 1):
            if key is not None:
                at, previous = await self._chat_turn(key)
            elif self._paused_until > loop.time():
                await asyncio.sleep(self._paused_until - loop.time())
            await leaving()
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as err:
                if attempt == retries:
                    raise
                # A chat paused once for its own limit stays "own" on its retries.
                own = key is not None and (own or self._own_limit(key, at, previous))
                self._pause(key if own else None, retry_seconds(err) + 0.1, endpoint)
            else:
                if key is not None:
                    self._sent(key, at)
                return result
        raise AssertionError("unreachable")


def _chat_key(chat_id: Any) -> int | str | None:
    if chat_id is None:
        return None
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)  # @channelusername
