"""Fault injection for the reliability tests (``tests/test_faults_*.py``).

* :class:`BotProcess`: ``paperbot run`` as a real process (``python -m bot``), its stderr
  collected as it runs, stopped with SIGTERM or killed with SIGKILL.
* :class:`FaultyBotAPI`: the fake Bot API of :mod:`tests.botapi` with the faults a wire or
  Telegram's flood control adds: the listener going away and coming back on the same port
  (connections refused), and a per-chat flood limit answering 429 with its own ``retry_after``.
* :class:`LiveBot`: the real Application in this process, polling a fake Bot API over HTTP
  with the production rate limiter, a settable clock and (optionally) its job queue running.
* :func:`add_due_subscribers`: a database with many reminders due *now* on the wall clock (for
  processes, which read the real clock).
* :func:`delivery_rows`: the ``deliveries`` table, read from outside the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import socket
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.config import Settings
from bot.core.catalogue import Catalogue
from bot.storage import Store
from bot.telegram.app import PaperbotApplication, build_application
from tests.botapi import FakeBotAPI
from tests.botmodel import Fault, Request
from tests.harness import TOKEN, AppHarness

ROOT = Path(__file__).resolve().parents[1]
REMINDER_AT = "00:05"  # local time of every subscription made by add_due_subscribers


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- databases ------------------------------------------------------------------------------


def due_zone(now: datetime) -> str:
    """A fixed-offset zone in which ``now`` is between 02:00 and 21:59 local: a reminder at
    :data:`REMINDER_AT` is due there, and the local day does not end during a test."""
    for hours in range(0, 13):
        for name in (f"Etc/GMT-{hours}", f"Etc/GMT+{hours}"):
            if 2 <= now.astimezone(ZoneInfo(name)).hour < 22:
                return name
    raise AssertionError("unreachable: some offset is always in the middle of its day")


async def add_due_subscribers(db: Path, chats: Iterable[int], now: datetime) -> date:
    """Create the database (schema by :class:`Store`) with ``chats`` subscribed to a daily
    reminder that is due at ``now``, all inserted in one transaction. Returns the local date
    the reminders are for."""
    store = await Store.open(db)
    await store.close()
    tz = due_zone(now)
    today = now.astimezone(ZoneInfo(tz)).date()
    created = now.astimezone(UTC).isoformat(timespec="seconds")
    ids = list(chats)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.executemany(
            "INSERT INTO users (chat_id, created_at) VALUES (?, ?)",
            ((chat, created) for chat in ids),
        )
        conn.executemany(
            "INSERT INTO subscriptions (chat_id, local_time, timezone, active, start_date) "
            "VALUES (?, ?, ?, 1, ?)",
            ((chat, REMINDER_AT, tz, today.isoformat()) for chat in ids),
        )
    return today


def delivery_rows(db: Path) -> dict[tuple[int, str], dict[str, Any]]:
    """Every row of ``deliveries``, keyed by ``(chat_id, kind)``, read through a separate
    connection (safe while the bot runs: WAL)."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT * FROM deliveries").fetchall()
    return {(r["chat_id"], r["kind"]): dict(r) for r in rows}


def count_states(db: Path) -> dict[str, int]:
    """How many deliveries are in each state."""
    out: dict[str, int] = {}
    for row in delivery_rows(db).values():
        out[row["state"]] = out.get(row["state"], 0) + 1
    return out


# -- the bot as a process -------------------------------------------------------------------


class BotProcess:
    """``python -m bot [global args] run [run args]`` with a clean ``PAPERBOT_*`` environment.

    Args:
        db: the database file (``PAPERBOT_DB``).
        run_args: arguments after ``run`` (``--base-url`` ... ).
        env: extra environment variables.
        log_level: ``--log-level``.
    """

    def __init__(
        self,
        db: Path,
        run_args: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        log_level: str = "INFO",
    ) -> None:
        self.db = db
        self.args = ["--log-level", log_level, "run", *run_args]
        base = {k: v for k, v in os.environ.items() if not k.startswith("PAPERBOT_")}
        base.update({"TELEGRAM_BOT_TOKEN": TOKEN, "PAPERBOT_DB": str(db)})
        base.update(env or {})
        self.env = base
        self.proc: asyncio.subprocess.Process | None = None
        self.lines: list[str] = []
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> BotProcess:
        """Start the process; its stderr is collected in :attr:`lines` as it comes."""
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *self.args,
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            self.lines.append(line.decode("utf-8", "replace").rstrip("\n"))

    @property
    def logs(self) -> str:
        """Everything written to stderr so far."""
        return "\n".join(self.lines)

    async def wait_log(self, needle: str, timeout: float = 15) -> str:
        """Wait until a stderr line contains ``needle``; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if needle in line:
                    return line
            if self.proc is not None and self.proc.returncode is not None:
                break
            await asyncio.sleep(0.02)
        raise AssertionError(f"no log line with {needle!r}; logs:\n{self.logs}")

    async def wait_call(self, api: FakeBotAPI, method: str, timeout: float = 20) -> Request:
        """Wait until the bot calls ``method`` on ``api`` (fail at once if it exits)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = api.calls(method)
            if calls:
                return calls[0]
            if self.proc is not None and self.proc.returncode is not None:
                break
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {method} call; logs:\n{self.logs}\nrequests:\n{api.dump()}")

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as in a crash or an OOM kill."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)

    async def wait(self, timeout: float = 30) -> int:
        """Wait for the process to end (and its stderr to be read); return its exit code."""
        assert self.proc is not None
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout)
        return code

    async def stop(self, timeout: float = 30) -> int:
        """SIGTERM (if still running) and wait; return the exit code."""
        assert self.proc is not None
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
        return await self.wait(timeout)


# -- a fake Bot API with more faults --------------------------------------------------------


class FaultyBotAPI(FakeBotAPI):
    """:class:`~tests.botapi.FakeBotAPI` plus:

    * :meth:`go_down` / :meth:`come_back`: the listener closes and every open connection is
      dropped (call it while no send is in flight: from then on connections are refused), and
      later it listens again on the same port;
    * :attr:`chat_limit`: Telegram's per-chat flood control. A send to a chat that already had
      a message within the last second is answered 429 with ``retry_after =
      chat_retry_after`` (counted in :attr:`chat_429`); other chats are not affected.
    """

    def __init__(self, *, hang_seconds: float = 3.0) -> None:
        super().__init__(hang_seconds=hang_seconds)
        self.chat_limit = False
        self.chat_retry_after = 3
        self.chat_429 = 0
        self._chat_last: dict[int | str, float] = {}

    async def go_down(self) -> None:
        """Stop listening: from now on connections are refused until :meth:`come_back`."""
        runner = self._runner
        assert runner is not None, "not started"
        for site in list(runner.sites):
            await site.stop()
        server = runner.server
        assert server is not None
        for connection in server.connections:  # keep-alive ones too: a real outage drops them
            connection.force_close()
        await asyncio.sleep(0.05)  # the client sees them closed before its next request

    async def come_back(self) -> None:
        """Listen again on the same port."""
        runner = self._runner
        assert runner is not None, "not started"
        site = web.TCPSite(runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()

    def call(self, req: Request, fault: Fault | None = None) -> tuple[int, dict[str, Any]]:
        """Answer like :class:`FakeBotAPI`, with the per-chat flood limit first."""
        chat, method = req.chat_id, req.method.lower()
        if not self.chat_limit or fault is not None or chat is None or method not in _SENDS:
            return super().call(req, fault)
        now = time.monotonic()
        last = self._chat_last.get(chat)
        if last is not None and now - last < 1.0:
            self.chat_429 += 1
            seconds = self.chat_retry_after
            description = f"Too Many Requests: retry after {seconds}"
            return super().call(req, Fault("error", 429, description, {"retry_after": seconds}))
        status, payload = super().call(req, fault)
        if status == 200:
            self._chat_last[chat] = now
        return status, payload


_SENDS = frozenset({"sendmessage", "senddocument"})


class LiveBot(AppHarness):
    """The Application built by ``build_application`` against ``api`` over HTTP, started the
    way ``run_polling`` starts it (without blocking) and stopped the same way.

    Args:
        api: the fake Bot API.
        db: the database file.
        catalogue: the loaded catalogue.
        clock: the bot's clock (aware UTC).
        rate: the rate limiter's overall rate (messages/s).
        first_check: seconds to the first reminder check once started (None: the job queue
            never runs it; call :meth:`run_reminder_job`).
        interval: seconds between reminder checks.
    """

    def __init__(
        self,
        api: FakeBotAPI,
        db: Path,
        catalogue: Catalogue,
        clock: Callable[[], datetime],
        *,
        rate: float = 30,
        first_check: float | None = None,
        interval: int = 3600,
    ) -> None:
        settings = Settings(db=db, base_url=api.base_url, reminder_interval=interval)
        self.app: PaperbotApplication = build_application(
            settings, TOKEN, catalogue, clock=clock, first_check=first_check, overall_rate=rate
        )

    async def __aenter__(self) -> LiveBot:
        await self._open()
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1)
        await self.app.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.app.updater is not None
        if self.app.updater.running:
            await self.app.updater.stop()
        await self._close()


def gaps(requests: Sequence[Request]) -> list[float]:
    """Seconds between consecutive requests (by arrival)."""
    times = sorted(r.at for r in requests)
    return [b - a for a, b in itertools.pairwise(times)]


def utc_now() -> datetime:
    """The wall clock, aware UTC (what a ``paperbot run`` process reads)."""
    return datetime.now(UTC)


__all__ = [
    "REMINDER_AT",
    "ROOT",
    "TOKEN",
    "BotProcess",
    "FaultyBotAPI",
    "LiveBot",
    "add_due_subscribers",
    "count_states",
    "delivery_rows",
    "due_zone",
    "free_port",
    "gaps",
    "utc_now",
]
