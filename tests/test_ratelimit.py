"""PacedRateLimiter on a virtual clock: even pacing, no bursts, a global 429 pauses everything
and a chat's own 429 pauses that chat only. No test here waits on the wall clock."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.telegram import ratelimit
from bot.telegram.ratelimit import HEADROOM, PacedRateLimiter


class VirtualTime:
    """The event loop's clock, moved only by the limiter's own sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float, *args: Any) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


@pytest.fixture
async def vclock(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[VirtualTime]:
    virtual = VirtualTime()
    loop = asyncio.get_running_loop()
    real_sleep = asyncio.sleep

    async def sleep(seconds: float, *args: Any) -> None:
        if seconds <= 0:
            await real_sleep(0)
        else:
            await virtual.sleep(seconds)

    monkeypatch.setattr(loop, "time", virtual.time)
    monkeypatch.setattr(ratelimit.asyncio, "sleep", sleep)
    yield virtual


async def send_all(
    limiter: PacedRateLimiter, vclock: VirtualTime, chats: list[int]
) -> list[float]:
    """Send one request per chat through the limiter; return each request's virtual time."""
    sent: list[float] = []

    async def request(chat: int) -> dict[str, Any]:
        sent.append(vclock.now)
        return {"ok": True}

    for chat in chats:
        await limiter.process_request(request, (chat,), {}, "sendMessage", {"chat_id": chat}, None)
    return sent


async def test_messages_are_evenly_paced_at_the_rate_with_headroom(vclock: VirtualTime) -> None:
    limiter = PacedRateLimiter(30)
    sent = await send_all(limiter, vclock, list(range(1, 91)))
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    interval = 1 / (30 * HEADROOM)
    assert min(gaps) == pytest.approx(interval)  # never two in one gap: no bursts
    # No sliding one-second window holds more than the rate.
    assert max(sum(1 for t in sent if s <= t < s + 1) for s in sent) <= 30


async def test_a_global_429_pauses_all_sending_for_as_long_as_asked(vclock: VirtualTime) -> None:
    limiter = PacedRateLimiter(30)
    sent: list[tuple[int, float]] = []
    refused = {"left": 1}

    async def request(chat: int) -> dict[str, Any]:
        if chat == 2 and refused["left"]:
            refused["left"] -= 1
            raise RetryAfter(timedelta(seconds=5))
        sent.append((chat, vclock.now))
        return {"ok": True}

    for chat in (1, 2, 3):
        await limiter.process_request(request, (chat,), {}, "sendMessage", {"chat_id": chat}, None)
    times = dict(sent)
    assert times[2] - times[1] >= 5.0  # chat 1 had sent long before: a global limit
    assert times[3] > times[2]


async def test_a_chats_own_429_pauses_that_chat_only(vclock: VirtualTime) -> None:
    limiter = PacedRateLimiter(30)
    sent: list[tuple[int, float]] = []
    refused = {"left": 1}

    async def request(chat: int) -> dict[str, Any]:
        if chat == 7 and len([c for c, _ in sent if c == 7]) == 1 and refused["left"]:
            refused["left"] -= 1
            raise RetryAfter(timedelta(seconds=5))
        sent.append((chat, vclock.now))
        return {"ok": True}

    async def one(chat: int) -> None:
        await limiter.process_request(request, (chat,), {}, "sendMessage", {"chat_id": chat}, None)

    await one(7)  # chat 7's first message
    # Its second message, right after, hits its own limit; the others go on meanwhile.
    await asyncio.gather(one(7), *(one(c) for c in range(100, 110)))
    others = [t for c, t in sent if c >= 100]
    first, second = [t for c, t in sent if c == 7]
    assert max(others) - min(others) < 1.0, "the other chats were not paused"
    assert second - first >= 5.0
