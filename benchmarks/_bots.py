"""Shared pieces of the benchmarks (statistics, progress lines; bot processes for
``endtoend``, ``footprint`` and ``reminders``).

A bot runs as a real child process that polls a :class:`tests.botapi.FakeBotAPI` on loopback;
the fake and the simulated users live in the benchmark's own process and event loop.
:class:`BotProcess` starts and stops the child and reads its CPU time and memory from
``/proc``; :class:`Users` drives closed-loop users (send a message, wait for the reply, send
the next one); the rest are small statistics and formatting helpers. Importing this module
starts nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.botapi import SEND_METHODS, FakeBotAPI, Request  # noqa: E402

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmn"
QUESTIONS = ROOT / "tests" / "data" / "questions"
PYTHON = sys.executable
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def log(message: str) -> None:
    """Progress on stderr (stdout is for the markdown section)."""
    print(message, file=sys.stderr, flush=True)


def questions(seed: int = 7) -> list[str]:
    """Every labelled question of ``tests/data/questions/*.yaml`` (English and Chinese mixed),
    in a shuffled order that is the same on every run."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: list[str] = []
    for path in sorted(QUESTIONS.glob("*.yaml")):
        for entry in yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []:
            if isinstance(entry, dict) and str(entry.get("q") or "").strip():
                out.append(str(entry["q"]))
    random.Random(seed).shuffle(out)
    return out


# ---------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0-1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def median(values: Iterable[float]) -> float:
    """The median (NaN for no values)."""
    data = list(values)
    return statistics.median(data) if data else float("nan")


def spread(values: Sequence[float], fmt: str = "{:.0f}") -> str:
    """``median (min–max)`` of ``values``, each formatted with ``fmt``."""
    if not values:
        return "-"
    mid = fmt.format(median(values))
    if len(values) == 1:
        return mid
    return f"{mid} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def wall(started: float) -> str:
    """Seconds since ``started`` (``time.monotonic``), for progress lines."""
    return f"{time.monotonic() - started:.1f} s"


# ---------------------------------------------------------------------------- processes


def bot_env(db: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot process: ours minus every ``PAPERBOT_*`` variable, plus the
    token, a fresh database file and ``extra`` (e.g. ``PAPERBOT_CONCURRENT_UPDATES``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERBOT_")}
    env.update({"TELEGRAM_BOT_TOKEN": TOKEN, "PAPERBOT_DB": str(db), **extra})
    return env


def proc_status(pid: int) -> dict[str, float]:
    """``VmHWM`` (peak resident set) and ``VmRSS`` of a process from ``/proc``, in MB."""
    out: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0]) / 1024  # kB -> MB (MiB)
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (``/proc/<pid>/stat``)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


class BotProcess:
    """A bot in a child process, polling ``api``.

    Args:
        argv: the command after the Python interpreter, e.g. ``["-m", "bot", "run", ...]``.
        env: its environment (see :func:`bot_env`).
        api: the fake Bot API the bot polls; ``started`` waits for its first ``getUpdates``.
        stderr: where the child's log goes (a file path; its stdout is discarded).
    """

    def __init__(
        self, argv: Sequence[str], env: dict[str, str], api: FakeBotAPI, stderr: Path
    ) -> None:
        self.argv, self.env, self.api, self.stderr = list(argv), env, api, stderr
        self.proc: asyncio.subprocess.Process | None = None
        self.spawned = float("nan")

    @property
    def pid(self) -> int:
        """The child's process id."""
        assert self.proc is not None
        return self.proc.pid

    async def start(self, timeout: float = 60) -> float:
        """Spawn the child and wait for its first ``getUpdates``.

        Returns:
            Seconds from just before the spawn to the fake receiving that ``getUpdates``.
        """
        since = len(self.api.requests)
        with open(self.stderr, "ab") as err:
            self.spawned = time.monotonic()
            self.proc = await asyncio.create_subprocess_exec(
                PYTHON,
                *self.argv,
                cwd=ROOT,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=err,
            )
        first = await self._first_poll(since, timeout)
        return first.at - self.spawned

    async def _first_poll(self, since: int, timeout: float) -> Request:
        assert self.proc is not None
        poll = asyncio.ensure_future(self.api.wait_for("getUpdates", timeout, since=since))
        died = asyncio.ensure_future(self.proc.wait())
        await asyncio.wait({poll, died}, return_when=asyncio.FIRST_COMPLETED)
        if not poll.done():
            poll.cancel()
            tail = self.stderr.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(self.argv)} exited with {died.result()}:\n{tail}")
        died.cancel()
        return poll.result()

    def status(self) -> dict[str, float]:
        """``VmHWM`` and ``VmRSS`` of the child, in MB."""
        return proc_status(self.pid)

    def cpu(self) -> float:
        """CPU seconds the child has used so far."""
        return cpu_seconds(self.pid)

    async def stop(self, timeout: float = 30) -> int:
        """SIGTERM, then SIGKILL after ``timeout`` seconds; return the exit status."""
        if self.proc is None:
            return 0
        if self.proc.returncode is not None:
            return self.proc.returncode
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            return await self.proc.wait()


class DistantBotAPI(FakeBotAPI):
    """The fake Bot API, answering every call ``latency`` seconds late (0: at once): a
    stand-in for the round trip to api.telegram.org, which loopback does not have."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__()
        self.latency = latency

    async def _handle(self, request: Any) -> Any:
        if self.latency:
            await asyncio.sleep(self.latency)
        return await super()._handle(request)


# ---------------------------------------------------------------------------- users


class _Tap(list):  # type: ignore[type-arg]
    """``FakeBotAPI.requests`` that also calls ``on_request`` with every recorded call."""

    def __init__(self, on_request: Callable[[Request], None]) -> None:
        super().__init__()
        self.on_request = on_request

    def append(self, item: Any) -> None:
        super().append(item)
        self.on_request(item)


class Users:
    """Simulated users of one fake Bot API: each sends a message and waits for the bot's
    answer (a successful sendMessage / editMessageText to its chat) before sending the next.

    Args:
        api: the fake (its ``requests`` list is replaced by one that reports each call).
        first_chat: chat id of user 0; user ``i`` is ``first_chat + i``.
    """

    def __init__(self, api: FakeBotAPI, first_chat: int = 10_000) -> None:
        self.api = api
        self.first_chat = first_chat
        self.answers = 0  # successful sends and edits to any chat
        self.failed = 0  # sends and edits the fake answered with an error
        self._waiting: dict[int | str, asyncio.Future[Request]] = {}
        api.requests = _Tap(self._seen)

    def _seen(self, request: Request) -> None:
        if request.method.lower() not in SEND_METHODS or request.chat_id is None:
            return
        if not request.ok:
            self.failed += 1
        else:
            self.answers += 1
            waiter = self._waiting.pop(request.chat_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(request)

    def chat(self, user: int) -> int:
        """The chat id of user ``user``."""
        return self.first_chat + user

    async def ask(self, chat: int, send: Callable[[], object], timeout: float = 60) -> Request:
        """Call ``send`` (which injects an update for ``chat``) and return the bot's answer."""
        waiter: asyncio.Future[Request] = asyncio.get_running_loop().create_future()
        self._waiting[chat] = waiter
        send()
        try:
            return await asyncio.wait_for(waiter, timeout)
        finally:
            self._waiting.pop(chat, None)

    async def question(self, chat: int, text: str, timeout: float = 60) -> Request:
        """Send ``text`` from ``chat`` (a private chat) and return the answer."""
        lang = "zh" if chat % 2 else "en"
        return await self.ask(
            chat, lambda: self.api.send_text(chat, text, language_code=lang), timeout
        )

    async def closed_loop(
        self, users: int, texts: Sequence[str], warmup: float, seconds: float
    ) -> tuple[int, float]:
        """``users`` users ask questions back to back (question ``k`` of the run goes to
        whichever user is free) for ``warmup + seconds``; answers that arrive during the last
        ``seconds`` are counted. Returns (answers counted, the measured seconds); the loop
        then waits for the answers still on their way, so the next run starts idle."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        measure_from, stop_at = start + warmup, start + warmup + seconds
        counted = 0
        next_text = 0

        async def user(index: int) -> None:
            nonlocal counted, next_text
            chat = self.chat(index)
            while loop.time() < stop_at:
                text = texts[next_text % len(texts)]
                next_text += 1
                await self.question(chat, text)
                if measure_from <= loop.time() < stop_at:
                    counted += 1

        await asyncio.gather(*(user(i) for i in range(users)))
        return counted, seconds
