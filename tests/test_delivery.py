"""Reminder delivery under failure.

The guarantee under test is *at most once*: a reminder is claimed (committed to SQLite) before
it is sent, so no failure, retry, later run or restart can send a second copy of the same day's
reminder. What may be lost is one day's reminder, when we cannot know whether Telegram got it.

What needs a wire (flood limits and ``RetryAfter`` timing, refused connections, read timeouts,
dropped connections) runs the real Application and python-telegram-bot's HTTP layer against the
fake Bot API on loopback; the rest runs the same Application in-process.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from telegram import Bot
from telegram.error import NetworkError
from telegram.request import HTTPXRequest

from bot.console import plain
from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from bot.features.common import current_list
from bot.features.reminders import claim, due_now
from bot.features.reply import Reply
from bot.storage import ProgressState
from bot.telegram.send import MAX_ATTEMPTS, Undelivered, send_reply
from tests.botapi import FakeBotAPI
from tests.botmethods import FakeTelegram
from tests.botmodel import Request
from tests.conftest import FakeClock
from tests.harness import TOKEN, OfflineBot, RunningBot

CHAT = 4242
# 2 March 2026, every subscription here is "08:00 UTC" unless a test says otherwise.
BEFORE = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)
LATER_SAME_DAY = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 3, 3, 8, 0, 30, tzinfo=UTC)


async def subscribe(bot: OfflineBot | RunningBot, chat: int, spec: str = "08:00 UTC") -> None:
    """Send ``/subscribe spec`` from ``chat`` and read the confirmation."""
    bot.telegram.send_text(chat, f"/subscribe {spec}")
    await bot.idle()
    reply = bot.telegram.take_reply(chat)
    assert " at " in plain(reply.text or "") and "/unsubscribe" in plain(reply.text or "")


def reminders(telegram: FakeTelegram, chat: int) -> list[Request]:
    """Reminders the user actually received (successful sends only)."""
    return [r for r in telegram.sent(chat) if "daily paper" in plain(r.text or "")]


def send_attempts(telegram: FakeTelegram, chat: int) -> list[Request]:
    """Every attempt to send ``chat`` a reminder, failed ones included."""
    return [
        r
        for r in telegram.calls("sendMessage")
        if r.chat_id == chat and "daily paper" in plain(r.text or "")
    ]


async def states(bot: OfflineBot | RunningBot, chat: int) -> list[tuple[str, str, str]]:
    """``(local_date, kind, state)`` rows of the chat's delivery log."""
    rows = await bot.store.deliveries.of_chat(chat)
    return [(r["local_date"], r["kind"], r["state"]) for r in rows]


def production(
    telegram: FakeTelegram, db: Path, catalogue: Catalogue, clock: FakeClock
) -> OfflineBot:
    """The bot in-process with the production rate limiter."""
    return OfflineBot(telegram, db, catalogue, clock, rate_limiter=True)


# -- RetryAfter and flood limits (over HTTP) ----------------------------------------------------


@pytest.mark.parametrize("rate_limiter", [True, False], ids=["PacedRateLimiter", "send_reply"])
async def test_retry_after_is_waited_out_and_the_reminder_arrives_once(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock, rate_limiter: bool
) -> None:
    """With the rate limiter (production) it waits and retries; without it send_reply does."""
    clock.set(BEFORE)
    async with RunningBot(api, db_path, catalogue, clock, rate_limiter=rate_limiter) as bot:
        await subscribe(bot, CHAT)
        clock.set(DUE)
        api.fail_next("sendMessage", "retry_after:1")
        started = time.monotonic()
        await bot.run_reminder_job()
        elapsed = time.monotonic() - started

        refused, accepted = send_attempts(api, CHAT)[-2:]
        assert refused.status == 429 and accepted.ok
        waited = accepted.at - refused.at
        assert 1.0 <= waited < 4, f"asked to wait 1 s, waited {waited:.2f} s"
        assert elapsed >= 1.0
        assert len(reminders(api, CHAT)) == 1
        assert await states(bot, CHAT) == [("2026-03-02", "daily", "sent")]


async def test_one_429_in_a_run_pauses_everything_once_and_draws_no_more(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    """At Telegram's real limits (30/s overall, 1/s per chat), one extra 429 in the middle of a
    run must not start a chain of them: nothing held during the pause may go out in a burst."""
    chats = range(500, 545)
    clock.set(BEFORE)
    async with RunningBot(api, db_path, catalogue, clock) as bot:
        for chat in chats:
            await bot.store.reminders.subscribe(chat, dt_time(8, 0), "UTC", DUE.date(), BEFORE)
        api.enforce_limits(global_per_second=30, per_chat_per_second=1)
        clock.set(DUE)
        run = asyncio.create_task(bot.run_reminder_job())
        await api.wait_until(lambda: len(api.delivered) >= 20)
        api.fail_next("sendMessage", "retry_after:1")
        await run
    assert all(len(reminders(api, chat)) == 1 for chat in chats)
    assert api.too_many == 0, "no 429 beyond the injected one"


# -- connection failures: retried only when Telegram certainly did not get the request ----------


class FlakyTransport(httpx.AsyncBaseTransport):
    """Real HTTP to the fake, with failures injected into ``sendMessage``.

    ``connect_failures``: raise ``httpx.ConnectError`` before anything is sent (the request
    never reaches Telegram). ``lost_responses``: forward the request (Telegram delivers the
    message) and then raise ``httpx.ReadTimeout`` as if the answer never came back.
    """

    def __init__(self, *, connect_failures: int = 0, lost_responses: int = 0) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.connect_failures = connect_failures
        self.lost_responses = lost_responses
        self.attempts: list[float] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/sendMessage"):
            self.attempts.append(time.monotonic())
            if self.connect_failures:
                self.connect_failures -= 1
                raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
            if self.lost_responses:
                self.lost_responses -= 1
                response = await self.inner.handle_async_request(request)
                await response.aread()
                await response.aclose()
                raise httpx.ReadTimeout("timed out", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@asynccontextmanager
async def telegram_bot(api: FakeBotAPI, transport: FlakyTransport) -> AsyncIterator[Bot]:
    """A plain ``telegram.Bot`` whose HTTP goes through ``transport`` (PTB maps the httpx
    errors to its own exceptions exactly as in production)."""
    request = HTTPXRequest(httpx_kwargs={"transport": transport})
    async with Bot(TOKEN, base_url=api.base_url, request=request) as bot:
        yield bot


async def test_connect_failure_is_retried_with_backoff_and_delivered_once(
    api: FakeBotAPI,
) -> None:
    transport = FlakyTransport(connect_failures=2)
    async with telegram_bot(api, transport) as bot:
        message = await send_reply(bot, CHAT, Reply("hello"), backoff=0.1)
    assert message.text == "hello"
    assert api.texts(CHAT) == ["hello"]
    first, second, third = transport.attempts
    assert second - first >= 0.1 and third - second >= 0.2, "exponential backoff"


async def test_connect_failure_every_time_gives_up_without_sending(api: FakeBotAPI) -> None:
    transport = FlakyTransport(connect_failures=MAX_ATTEMPTS)
    async with telegram_bot(api, transport) as bot:
        with pytest.raises(NetworkError):
            await send_reply(bot, CHAT, Reply("hello"), backoff=0.01)
    assert len(transport.attempts) == MAX_ATTEMPTS
    assert api.texts(CHAT) == []


async def test_read_timeout_is_not_retried_because_telegram_may_have_delivered(
    api: FakeBotAPI,
) -> None:
    transport = FlakyTransport(lost_responses=1)
    async with telegram_bot(api, transport) as bot:
        with pytest.raises(Undelivered):
            await send_reply(bot, CHAT, Reply("hello"), backoff=0.01)
    assert len(transport.attempts) == 1
    # Telegram did deliver it: a retry here would have been a duplicate.
    assert api.texts(CHAT) == ["hello"]


def shorten_read_timeout(bot: RunningBot, seconds: float) -> None:
    """Make the bot give up reading a response after ``seconds`` (default 5 s).

    ``build_application`` has no timeout option, so this reaches into PTB's HTTPXRequest.
    """
    client = bot.app.bot.request._client  # type: ignore[attr-defined]
    client.timeout = httpx.Timeout(5.0, read=seconds)


async def test_read_timeout_is_recorded_unknown_and_never_resent_that_day(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    clock.set(BEFORE)
    async with RunningBot(api, db_path, catalogue, clock) as bot:
        await subscribe(bot, CHAT)
        shorten_read_timeout(bot, 0.2)
        clock.set(DUE)
        api.fail_next("sendMessage", "timeout")  # the fake holds the request, then drops it
        await bot.run_reminder_job()
        assert len(send_attempts(api, CHAT)) == 1, "a read timeout is not retried"
        assert await states(bot, CHAT) == [("2026-03-02", "daily", "unknown")]
        clock.set(LATER_SAME_DAY)
        await bot.run_reminder_job()
    async with RunningBot(api, db_path, catalogue, clock) as bot:
        await bot.run_reminder_job()
        assert len(send_attempts(api, CHAT)) == 1, "no second copy after a restart either"
        clock.set(NEXT_DAY)
        await bot.run_reminder_job()
        assert len(reminders(api, CHAT)) == 1, "the next day's reminder comes as usual"


@pytest.mark.parametrize("fault", ["disconnect", "500"])
async def test_lost_or_failed_answer_is_recorded_unknown_and_not_retried(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock, fault: str
) -> None:
    """The fake reads the whole request before it drops the connection (or answers 500): like a
    read timeout, Telegram may have delivered, so this too is never retried."""
    clock.set(BEFORE)
    async with RunningBot(api, db_path, catalogue, clock) as bot:
        await subscribe(bot, CHAT)
        clock.set(DUE)
        api.fail_next("sendMessage", fault)
        await bot.run_reminder_job()
        clock.set(LATER_SAME_DAY)
        await bot.run_reminder_job()
        assert len(send_attempts(api, CHAT)) == 1
        assert await states(bot, CHAT) == [("2026-03-02", "daily", "unknown")]


# -- Forbidden / BadRequest: the others go on (in-process) ------------------------------------


async def test_blocked_user_is_unsubscribed_once_and_the_others_get_their_reminder(
    telegram: FakeTelegram,
    db_path: Path,
    catalogue: Catalogue,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first, blocked, last = 101, 102, 103
    clock.set(BEFORE)
    caplog.set_level(logging.INFO, logger="paperbot.reminders")
    async with production(telegram, db_path, catalogue, clock) as bot:
        for chat in (first, blocked, last):
            await subscribe(bot, chat)
        telegram.forbidden_chats.add(blocked)
        clock.set(DUE)
        stats = await bot.run_reminder_job()
        assert (stats.sent, stats.forbidden) == (2, 1)
        assert len(reminders(telegram, first)) == 1 and len(reminders(telegram, last)) == 1
        (refused,) = send_attempts(telegram, blocked)
        assert refused.status == 403

        sub = await bot.store.reminders.get(blocked)
        assert sub is not None and not sub.schedule.active
        assert await states(bot, blocked) == [("2026-03-02", "daily", "failed")]
        (row,) = await bot.store.deliveries.of_chat(blocked)
        assert row["detail"].startswith("forbidden")

        for now in (LATER_SAME_DAY, NEXT_DAY):
            clock.set(now)
            await bot.run_reminder_job()
        assert len(send_attempts(telegram, blocked)) == 1, "never tried again"
        assert len(reminders(telegram, first)) == 2 and len(reminders(telegram, last)) == 2
    deactivated = [r for r in caplog.records if r.getMessage() == "subscription deactivated"]
    assert [r.chat_id for r in deactivated] == [blocked]  # type: ignore[attr-defined]


async def test_bad_request_is_logged_with_the_chat_id_and_the_others_go_on(
    telegram: FakeTelegram,
    db_path: Path,
    catalogue: Catalogue,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first, broken, last = 201, 202, 203
    clock.set(BEFORE)
    async with production(telegram, db_path, catalogue, clock) as bot:
        for chat in (first, broken, last):
            await subscribe(bot, chat)
        telegram.bad_request_chats.add(broken)
        clock.set(DUE)
        with caplog.at_level(logging.WARNING, logger="paperbot.send"):
            await bot.run_reminder_job()
        assert len(reminders(telegram, first)) == 1 and len(reminders(telegram, last)) == 1
        assert reminders(telegram, broken) == []
        (row,) = await bot.store.deliveries.of_chat(broken)
        assert row["state"] == "failed" and row["detail"].startswith("bad request")
    (record,) = [r for r in caplog.records if r.getMessage() == "reminder rejected"]
    assert record.levelno == logging.WARNING
    assert record.chat_id == broken  # type: ignore[attr-defined]
    assert "chat not found" in record.reason.lower()  # type: ignore[attr-defined]


# -- crashes ------------------------------------------------------------------------------------


async def test_crash_after_sending_before_recording_never_sends_a_second_copy(
    telegram: FakeTelegram,
    db_path: Path,
    catalogue: Catalogue,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The message went out but recording it failed and the job died; a restart later the same
    local day must not send it again: the committed claim says the day is taken."""
    clock.set(BEFORE)
    async with production(telegram, db_path, catalogue, clock) as bot:
        await subscribe(bot, CHAT)

        async def crash(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("simulated crash after sending")

        monkeypatch.setattr(bot.store.deliveries, "record", crash)
        clock.set(DUE)
        with caplog.at_level(logging.ERROR):
            await bot.run_reminder_job()
        # The failure is logged for that chat (with the error); the run itself goes on.
        (failed,) = [r for r in caplog.records if r.getMessage() == "reminder failed"]
        assert failed.chat_id == CHAT  # type: ignore[attr-defined]
        assert failed.exc_info and "simulated crash" in str(failed.exc_info[1])
        assert "daily paper" in plain(telegram.take_reply(CHAT).text or "")

    clock.set(LATER_SAME_DAY)
    async with production(telegram, db_path, catalogue, clock) as bot:
        await bot.run_reminder_job()
        telegram.check_no_reply(CHAT)
        # The request had left ("sending") when the job died: after the restart that is
        # "unknown" (maybe delivered), never sent again and never recorded as "sent".
        assert await states(bot, CHAT) == [("2026-03-02", "daily", "unknown")]
    assert len(reminders(telegram, CHAT)) == 1


async def test_crash_after_claiming_before_sending_sends_it_later_that_day(
    telegram: FakeTelegram, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    """A claimed reminder whose request never left (the process died between the claim and
    the send) certainly was not delivered: a restart later the same local day sends it, once;
    the next day's reminder comes as usual."""
    clock.set(BEFORE)
    async with production(telegram, db_path, catalogue, clock) as bot:
        await subscribe(bot, CHAT)
        clock.set(DUE)
        dues = await due_now(bot.services, clock())
        assert [d.chat_id for d in dues] == [CHAT]
        assert await claim(bot.services, dues, clock()) == [True]
        # ... and the process dies here, before sending.

    clock.set(LATER_SAME_DAY)
    async with production(telegram, db_path, catalogue, clock) as bot:
        await bot.run_reminder_job()
        assert "daily paper" in plain(telegram.take_reply(CHAT).text or "")
        assert await states(bot, CHAT) == [("2026-03-02", "daily", "sent")]
        await bot.run_reminder_job()
        telegram.check_no_reply(CHAT)
        clock.set(NEXT_DAY)
        await bot.run_reminder_job()
        assert len(reminders(telegram, CHAT)) == 2


# -- snooze and the end of a list -----------------------------------------------------------


def shanghai(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    """A March 2026 wall-clock time in Shanghai, as the UTC instant the bot's clock returns."""
    local = datetime(2026, 3, day, hour, minute, second, tzinfo=ZoneInfo("Asia/Shanghai"))
    return local.astimezone(UTC)


async def test_snooze_sends_the_reminder_once_more_an_hour_later(
    telegram: FakeTelegram, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    # 06:30 in Shanghai is 22:30 UTC the day before: the log must use the local date.
    clock.set(shanghai(2, 20, 0))
    async with production(telegram, db_path, catalogue, clock) as bot:
        await subscribe(bot, CHAT, "06:30 Asia/Shanghai")
        clock.set(shanghai(3, 6, 30, 10))
        await bot.run_reminder_job()
        reminder = telegram.take_reply(CHAT)
        assert "daily paper" in plain(reminder.text or "")

        snoozed = await bot.press(CHAT, reminder, cb.Snooze())
        assert "again in an hour" in plain(snoozed.text or "")

        for not_yet in (shanghai(3, 7, 0), shanghai(3, 7, 30, 9)):
            clock.set(not_yet)
            await bot.run_reminder_job()
            telegram.check_no_reply(CHAT)
        clock.set(shanghai(3, 7, 30, 10))
        await bot.run_reminder_job()
        assert "daily paper" in plain(telegram.take_reply(CHAT).text or "")
        for later in (shanghai(3, 7, 31), shanghai(3, 12, 0)):
            clock.set(later)
            await bot.run_reminder_job()
            telegram.check_no_reply(CHAT)

        clock.set(shanghai(4, 6, 29, 59))
        await bot.run_reminder_job()
        telegram.check_no_reply(CHAT)
        clock.set(shanghai(4, 6, 30))
        await bot.run_reminder_job()
        assert "daily paper" in plain(telegram.take_reply(CHAT).text or "")
        assert await states(bot, CHAT) == [
            ("2026-03-03", "daily", "sent"),
            ("2026-03-03", "snooze", "sent"),
            ("2026-03-04", "daily", "sent"),
        ]
    assert len(reminders(telegram, CHAT)) == 3


async def test_finished_list_gets_one_congratulation_instead_of_a_card(
    telegram: FakeTelegram, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    clock.set(BEFORE)
    async with production(telegram, db_path, catalogue, clock) as bot:
        await subscribe(bot, CHAT)
        current = await current_list(bot.services, CHAT)
        for i, paper_id in enumerate(current.order):
            state: ProgressState = "skipped" if i % 5 == 0 else "read"
            await bot.store.progress.mark(CHAT, paper_id, state, clock())

        clock.set(DUE)
        await bot.run_reminder_job()
        done = telegram.take_reply(CHAT)
        assert "Congratulations" in plain(done.text or "")
        assert "daily paper" not in plain(done.text or "")
        actions = [cb.decode(d) for d in done.callback_data]
        assert not any(isinstance(a, cb.MarkRead | cb.MarkSkipped) for a in actions), "no card"

        for now in (LATER_SAME_DAY, NEXT_DAY):
            clock.set(now)
            await bot.run_reminder_job()
            telegram.check_no_reply(CHAT)
        assert await states(bot, CHAT) == [("2026-03-02", "daily", "sent")]


@pytest.mark.parametrize("stop", ["/unsubscribe", "/pause", "/pause 3"])
async def test_no_snoozed_reminder_after_the_user_stopped_reminders(
    telegram: FakeTelegram, db_path: Path, catalogue: Catalogue, clock: FakeClock, stop: str
) -> None:
    clock.set(BEFORE)
    async with production(telegram, db_path, catalogue, clock) as bot:
        await subscribe(bot, CHAT)
        clock.set(DUE)
        await bot.run_reminder_job()
        reminder = telegram.take_reply(CHAT)
        await bot.press(CHAT, reminder, cb.Snooze())
        await bot.say(CHAT, stop)
        clock.set(datetime(2026, 3, 2, 9, 1, tzinfo=UTC))
        await bot.run_reminder_job()
        telegram.check_no_reply(CHAT)
    assert len(reminders(telegram, CHAT)) == 1
