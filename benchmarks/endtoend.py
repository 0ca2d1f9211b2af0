"""End-to-end throughput: questions answered per second through python-telegram-bot's real HTTP
layer, paperbot beside a trivial echo bot, with 1, 10 and 100 users, for two values of
``concurrent_updates``, on loopback and with a simulated round trip to Telegram.

Each bot is a child process polling its own fake Bot API server (``tests/botapi.py``) on
127.0.0.1; the fakes and the simulated users run in this process. ``benchmarks/_serve.py``
holds the two bots and :class:`benchmarks._bots.Users` the closed loop.

Run: ``.venv/bin/python -m benchmarks.endtoend`` (about two minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._bots import (
    BotProcess,
    DistantBotAPI,
    Users,
    bot_env,
    log,
    median,
    questions,
    spread,
    wall,
)
from bot.config import DEFAULT_CONCURRENT_UPDATES

TARGET = 1.5  # echo / paperbot answers per second: at most this
OWN_WORK_QUESTIONS = 300
Key = tuple[int, int, int]  # (run, users, added latency in ms)


@dataclass(eq=False)  # compared by identity
class Bot:
    """One bot process under test and what was measured on it."""

    kind: str  # "echo", "card" (echo answering with a paperbot card) or "paperbot"
    concurrent: int
    api: DistantBotAPI
    users: Users
    process: BotProcess
    # (run, users, latency ms) -> answers/s, and bot CPU ms per answer
    rates: dict[Key, float] = field(default_factory=dict)
    cpu_ms: dict[Key, float] = field(default_factory=dict)
    driver_cpu: list[float] = field(default_factory=list)  # this process, share of one core


async def start_bot(kind: str, concurrent: int, tmp: Path) -> Bot:
    """Start a fake Bot API (no flood limits) and the bot process that polls it; ``kind`` is
    ``echo``, ``card`` (the echo bot answering with a paperbot card) or ``paperbot``."""
    api = DistantBotAPI()
    await api.start()
    api.disable_limits()
    name = f"{kind}-{concurrent}"
    argv = ["-m", "benchmarks._serve", "echo" if kind == "card" else kind]
    argv += ["--base-url", api.base_url, "--concurrent-updates", str(concurrent)]
    argv += ["--card"] if kind == "card" else []
    process = BotProcess(argv, bot_env(tmp / f"{name}.sqlite3"), api, tmp / f"{name}.log")
    return Bot(kind, concurrent, api, Users(api), process)


async def measure(bot: Bot, key: Key, texts: list[str], args: argparse.Namespace) -> None:
    """One closed-loop window on ``bot``: answers/s, and CPU per answer over the window."""
    _, users, latency_ms = key
    bot.api.latency = latency_ms / 1000
    # once counting stops, the answers still on their way come back without the delay
    no_delay = asyncio.get_running_loop().call_later(
        args.warmup + args.seconds, setattr, bot.api, "latency", 0.0
    )
    cpu0, own0, t0 = bot.process.cpu(), time.process_time(), time.monotonic()
    answers0 = bot.users.answers
    answered, measured = await bot.users.closed_loop(users, texts, args.warmup, args.seconds)
    elapsed = time.monotonic() - t0
    cpu, own = bot.process.cpu() - cpu0, time.process_time() - own0
    answers = bot.users.answers - answers0
    no_delay.cancel()
    bot.api.latency = 0.0
    bot.api.reset_records()
    bot.rates[key] = answered / measured
    # the whole window's CPU (warm-up and drain too) over all its answers
    bot.cpu_ms[key] = 1000 * cpu / max(1, answers)
    bot.driver_cpu.append(own / elapsed)
    log(
        f"run {key[0] + 1}, {users} users, +{latency_ms} ms, {bot.kind} "
        f"concurrent_updates={bot.concurrent}: {bot.rates[key]:.0f}/s, "
        f"{bot.cpu_ms[key]:.1f} ms CPU per answer"
    )


async def own_work(texts: list[str], tmp: Path, run: int) -> float:
    """paperbot's own work per question without HTTP, in this process: ``Dispatcher.text``
    (the chat's settings from SQLite, the answer, the rendering) and the keyboard. Returns CPU
    ms per question (this process's, so the SQLite thread's too)."""
    from bot.core.catalogue import load_catalogue
    from bot.features.common import Services
    from bot.features.dispatch import Dispatcher
    from bot.storage import Store
    from bot.telegram.send import keyboard

    storage = await Store.open(tmp / f"own{run}.sqlite3")
    try:
        core = Dispatcher(Services(load_catalogue(), storage))
        now = datetime.now(UTC)
        sample = texts[:OWN_WORK_QUESTIONS]
        keyboard(await core.text(1, sample[0], now=now))  # warm-up
        started = time.process_time()
        for i, text in enumerate(sample):
            keyboard(await core.text(10_000 + i % 100, text, now=now))
        return 1000 * (time.process_time() - started) / len(sample)
    finally:
        await storage.close()


def plan(args: argparse.Namespace, bots: list[Bot], run: int) -> list[tuple[Key, list[Bot]]]:
    """The windows of one run, each (key, the bots measured one after the other): every bot
    at each number of users (the card echo only at the most), then paperbot alone with the
    simulated round trip."""
    most = max(args.users)
    out = [
        ((run, users, 0), [b for b in bots if b.kind != "card" or users == most])
        for users in args.users
    ]
    if args.latency_ms:
        latency = (run, args.latency_users, args.latency_ms)
        out.append((latency, [b for b in bots if b.kind == "paperbot"]))
    return out


def row(
    label: tuple[int, str, str], echo: Bot | None, ours: Bot, key: Key, runs: int
) -> tuple[str, float]:
    """One table row (answers/s of both bots, their ratio per run, CPU per answer) and the
    median ratio (0 without an echo bot)."""
    _, users, latency = key
    our_rates = [ours.rates[r, users, latency] for r in range(runs)]
    our_cpu = median(ours.cpu_ms[r, users, latency] for r in range(runs))
    echo_rates, ratio, echo_cpu, mid = "-", "-", "-", 0.0
    if echo is not None:
        rates = [echo.rates[r, users, latency] for r in range(runs)]
        ratios = [a / b for a, b in zip(rates, our_rates, strict=True)]
        echo_rates, ratio, mid = spread(rates), spread(ratios, "{:.2f}") + "x", median(ratios)
        echo_cpu = f"{median(echo.cpu_ms[r, users, latency] for r in range(runs)):.1f}"
    cells = [*map(str, label), echo_rates, spread(our_rates), ratio, f"{echo_cpu} / {our_cpu:.1f}"]
    return "| " + " | ".join(cells) + " |", mid


def report(
    bots: list[Bot], args: argparse.Namespace, texts: list[str], own: list[float], notes: str
) -> None:
    """Print the markdown section."""
    by = {(b.kind, b.concurrent): b for b in bots}
    low, high = args.concurrent
    runs = range(args.runs)
    print("### End-to-end throughput: paperbot vs an echo bot (`benchmarks/endtoend.py`)\n")
    print(
        "Each bot is its own process polling its own fake Bot API (`tests/botapi.py`, flood "
        "limits off) on 127.0.0.1 through python-telegram-bot's HTTP layer; the fakes and the "
        "simulated users share the benchmark process. *N* users each send a question (from "
        f"the {len(texts)} labelled English and Chinese questions in `tests/data/questions/`), "
        "wait for the answer and send the next. Answers are counted for "
        f"{args.seconds:g} s after {args.warmup:g} s of warm-up; {args.runs} runs, the bots "
        "one after the other in each run (in reverse order every other run), and echo/paperbot "
        "is taken per run. Neither bot has "
        "a rate limiter (at Telegram's 30/s both would sit at 28.5/s): paperbot is "
        "`build_application(..., rate_limiter=False)`, otherwise as `paperbot run` (INFO "
        "logs, SQLite, reminder job); the echo bot sends back the message's text with the same "
        "`Defaults`, or, marked *card*, always the same paperbot card and its four buttons. In "
        f"the last rows the fake answers every call {args.latency_ms} ms late, a stand-in for "
        "the round trip to api.telegram.org.\n"
    )
    print(
        "| users | Bot API answers | `concurrent_updates` | echo, answers/s "
        "| paperbot, answers/s | echo / paperbot | CPU ms per answer, echo / paperbot |"
    )
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    effects = []
    for key, chosen in plan(args, bots, 0):
        _, users, latency = key
        when = f"+{latency} ms" if latency else "at once"
        for concurrent in (low, high):
            echo = by["echo", concurrent] if by["echo", concurrent] in chosen else None
            text, ratio = row(
                (users, when, str(concurrent)), echo, by["paperbot", concurrent], key, args.runs
            )
            print(text)
            worst = max(worst, ratio)
        if by["card", high] in chosen:
            card = (users, when, f"{high}, echo sends a *card*")
            print(row(card, by["card", high], by["paperbot", high], key, args.runs)[0])
        hi, lo = by["paperbot", high], by["paperbot", low]
        gain = median(hi.rates[r, users, latency] / lo.rates[r, users, latency] for r in runs)
        effects.append(f"{gain:.2f}x at {users} users" + (f" +{latency} ms" if latency else ""))
    print()
    print(
        f"paperbot with `concurrent_updates` {high} vs {low}: {', '.join(effects)}. Worst "
        f"median echo/paperbot: {worst:.2f}x (target at most {TARGET}x). CPU per answer: the "
        "bot process's user+system time over a whole window (warm-up and the answers still on "
        "their way included) over all its answers. paperbot's own work per "
        f"question (`Dispatcher.text` with its SQLite reads, and the keyboard; no HTTP), timed "
        f"in the benchmark process: {spread(own, '{:.1f}')} ms CPU. {notes}"
    )


async def main_async(args: argparse.Namespace) -> int:
    started, load_before = time.monotonic(), os.getloadavg()[0]
    texts = questions()
    tmp = Path(tempfile.mkdtemp(prefix="paperbot-e2e-"))
    bots: list[Bot] = []
    codes: list[int] = []
    own: list[float] = []
    try:
        for concurrent in args.concurrent:  # echo and paperbot side by side in each run
            for kind in ("echo", "paperbot"):
                bots.append(await start_bot(kind, concurrent, tmp))
        bots.append(await start_bot("card", args.concurrent[1], tmp))
        log(f"starting {len(bots)} bot processes")
        await asyncio.gather(*(b.process.start() for b in bots))
        for bot in bots:  # the first answers load what loads lazily (OpenCC, SQLite pages)
            await bot.users.closed_loop(10, texts, 0, 1.0)
            bot.api.reset_records()
        log(f"warm ({wall(started)})")
        for run in range(args.runs):
            own.append(await own_work(texts, tmp, run))
            for key, chosen in plan(args, bots, run):
                for bot in chosen if run % 2 == 0 else chosen[::-1]:
                    await measure(bot, key, texts, args)
            log(f"run {run + 1}/{args.runs} done ({wall(started)})")
        codes = list(await asyncio.gather(*(b.process.stop() for b in bots)))
    finally:
        for bot in bots:
            await bot.process.stop()
            await bot.api.stop()
    drivers = max(median(b.driver_cpu) for b in bots)
    failed = sum(b.users.failed for b in bots)
    notes = (
        f"Sends the fake refused: {failed}. The fakes and users used at most "
        f"{100 * drivers:.0f}% of a core (median per bot). "
        f"Load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
        f"({os.cpu_count()} CPUs); the benchmark took {time.monotonic() - started:.0f} s."
    )
    report(bots, args, texts, own, notes)
    if any(codes):
        log(f"bot exit codes {codes}; logs kept in {tmp}")
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def _pair(text: str) -> list[int]:
    values = _ints(text)
    if len(values) != 2 or values[0] >= values[1]:
        raise argparse.ArgumentTypeError("two values, lower first, e.g. 1,16")
    return values


def main(argv: list[str] | None = None) -> int:
    """Measure, then print one markdown section on stdout (progress on stderr)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs; figures are medians")
    parser.add_argument("--users", type=_ints, default=[1, 10, 100], help="e.g. 1,10,100")
    parser.add_argument(
        "--concurrent",
        type=_pair,
        default=[1, DEFAULT_CONCURRENT_UPDATES],
        help=f"two concurrent_updates values (default 1,{DEFAULT_CONCURRENT_UPDATES})",
    )
    parser.add_argument("--warmup", type=float, default=0.5, help="seconds before counting")
    parser.add_argument("--seconds", type=float, default=1.5, help="seconds counted per window")
    parser.add_argument(
        "--latency-ms", type=int, default=50, help="simulated round trip (0: no such row)"
    )
    parser.add_argument("--latency-users", type=int, default=100, help="users in that row")
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
