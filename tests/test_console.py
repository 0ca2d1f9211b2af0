"""``paperbot chat``: the terminal adapter's reminders go through the same reminder run as
Telegram's, with a fake clock, and never print one the user has stopped."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest

from bot import console
from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from bot.features.common import Services
from bot.features.dispatch import Dispatcher
from bot.features.reminders import RunStats
from bot.storage import Store
from tests.conftest import FakeClock

BEFORE = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)
PAST_THE_HOUR = datetime(2026, 3, 2, 9, 1, tzinfo=UTC)
REMINDER = "daily paper"


class Screen(io.StringIO):
    """The terminal's output; :meth:`wait_for` returns once what was written matches."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = asyncio.Event()

    def write(self, text: str) -> int:
        written = super().write(text)
        self.changed.set()
        return written

    async def wait_for(self, check: Callable[[str], bool], timeout: float = 10) -> str:
        async with asyncio.timeout(timeout):
            while not check(self.getvalue()):
                self.changed.clear()
                await self.changed.wait()
        return self.getvalue()


class Terminal:
    """``bot.console.chat`` on a pipe (the keyboard) and a :class:`Screen`, with its reminder
    runs counted: :meth:`checked_at` waits until a run has looked at the clock's time."""

    def __init__(self, services: Services, clock: FakeClock) -> None:
        read, write = os.pipe()
        self.stdin = os.fdopen(read, "r", encoding="utf-8")
        self.keyboard = os.fdopen(write, "w", encoding="utf-8")
        self.screen = Screen()
        self.services, self.clock = services, clock
        self.runs: list[datetime] = []
        self.ran = asyncio.Event()
        self.task: asyncio.Task[int] | None = None

    async def counting(
        self,
        services: Services,
        now: datetime,
        emit: Callable[[str], None],
        actions: list[str] | None = None,
    ) -> RunStats:
        stats = await REAL_DELIVER_DUE(services, now, emit, actions)
        self.runs.append(now)
        self.ran.set()
        return stats

    def start(self) -> None:
        self.task = asyncio.create_task(
            console.chat(
                self.services,
                self.stdin,
                self.screen,
                clock=self.clock,
                reminder_interval=0.005,
                lang="en",
            )
        )

    async def type(self, line: str, expect: str = "") -> str:
        """Type ``line`` and return what is printed after it, once ``expect`` is there (or,
        without ``expect``, once a whole reply is)."""
        start = len(self.screen.getvalue())
        self.keyboard.write(line + "\n")
        self.keyboard.flush()

        def shown(text: str) -> bool:
            new = text[start:]
            return expect in new if expect else new.endswith("\n\n")

        return (await self.screen.wait_for(shown))[start:]

    async def checked_at(self, now: datetime, runs: int = 2) -> None:
        """Set the clock to ``now`` and wait until ``runs`` reminder runs have looked at it."""
        self.clock.set(now)
        async with asyncio.timeout(10):
            while sum(1 for t in self.runs if t >= now) < runs:
                self.ran.clear()
                await self.ran.wait()

    def reminders(self) -> int:
        return self.screen.getvalue().count(REMINDER)

    async def close(self) -> int:
        self.keyboard.close()
        assert self.task is not None
        code = await asyncio.wait_for(self.task, 10)
        self.stdin.close()
        return code


REAL_DELIVER_DUE = console.deliver_due


@pytest.fixture
async def terminal(
    catalogue: Catalogue, store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Terminal]:
    clock.set(BEFORE)
    term = Terminal(Services(catalogue, store), clock)
    monkeypatch.setattr(console, "deliver_due", term.counting)
    term.start()
    await term.screen.wait_for(lambda text: "Hi there" in text)
    yield term
    assert await term.close() == 0


@pytest.mark.parametrize("stop", ["/unsubscribe", "/pause", None])
async def test_a_snoozed_reminder_is_not_printed_after_the_user_stopped_reminders(
    terminal: Terminal, stop: str | None
) -> None:
    """The terminal's reminder loop used to skip the snooze check: a reminder snoozed before
    /unsubscribe was printed an hour later all the same. Without a stop it is printed."""
    await terminal.type("/subscribe 08:00 UTC", "every day at 08:00")
    await terminal.checked_at(DUE)
    assert terminal.reminders() == 1
    # Snooze, as the reminder's button does (the terminal numbers only the last reply's
    # buttons, see test_the_reminders_buttons_can_be_pressed_by_number).
    snoozed = await Dispatcher(terminal.services).action(
        console.LOCAL_CHAT_ID, cb.Snooze(), now=terminal.clock()
    )
    assert "again in an hour" in snoozed.text
    if stop is not None:
        await terminal.type(stop, "/resume" if stop == "/pause" else "/subscribe")
    await terminal.checked_at(PAST_THE_HOUR)
    assert terminal.reminders() == (1 if stop else 2)


async def test_the_reminders_buttons_can_be_pressed_by_number(terminal: Terminal) -> None:
    await terminal.type("/subscribe 08:00 UTC", "every day at 08:00")
    await terminal.checked_at(DUE)
    screen = terminal.screen.getvalue()
    reminder = screen[screen.index(REMINDER) :]
    snooze = reminder.split("Snooze")[0].rsplit("[", 1)[1].split("]")[0]  # "[2] ⏰ Snooze 1 h"
    assert "again in an hour" in await terminal.type(snooze)
