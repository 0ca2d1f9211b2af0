"""Footprint: start-up time of ``paperbot ask`` and ``paperbot run``, and the resident memory of
``run`` when idle and after a load, as real processes.

``run`` polls a fake Bot API (``tests/botapi.py``) on 127.0.0.1 that lives in this process
with the simulated users; it is ``paperbot run`` as shipped (rate limiter on). Targets (issue
7): ``ask`` under 1 s, RSS under 120 MB.

Run: ``.venv/bin/python -m benchmarks.footprint`` (about a minute on 2 cores).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _bots as bots

QUESTION = "what is resnet"
ASK_TARGET = 1.0  # seconds
RSS_TARGET = 120.0  # MB
# The ``ask`` path of bot/cli.py, step by step, timed inside one process.
PHASES = """
import sys, time
marks = [time.perf_counter()]
import bot.cli, bot.console
marks.append(time.perf_counter())
from bot.config import load_settings
from bot.core.catalogue import load_catalogue
from bot.logs import setup_logging
settings = load_settings()
setup_logging(settings.log_level)
catalogue = load_catalogue(settings.knowledge_dir)
marks.append(time.perf_counter())
from bot.core.answers import Answerer
answerer = Answerer(catalogue)
marks.append(time.perf_counter())
from bot.console import format_reply
from bot.features.render import answer_reply
answer = answerer.answer(sys.argv[1])
format_reply(answer_reply(catalogue, answer, answer.lang))
marks.append(time.perf_counter())
print(*(b - a for a, b in zip(marks, marks[1:])))
"""
PHASE_NAMES = (
    "imports (`bot.cli`, `bot.console`)",
    "settings + catalogue YAML",
    "`Answerer(catalogue)` (matcher index)",
    "answering and rendering",
)


def paperbot(*args: str) -> list[str]:
    """``paperbot args`` as arguments of this interpreter: the installed ``paperbot`` script
    beside it (as the ``.venv/bin/paperbot`` command runs), else ``-m bot``."""
    script = Path(bots.PYTHON).with_name("paperbot")
    return [str(script), *args] if script.exists() else ["-m", "bot", *args]


def timed(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command to completion.

    Returns:
        (wall seconds from spawn to exit, its peak RSS in MB from ``wait4``, its stdout).
    """
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=bots.ROOT, env=env, stdout=out, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} exited with {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024, text


def import_costs(env: dict[str, str], top: int = 6) -> str:
    """The modules with the largest cumulative import time of one ``ask`` (``-X importtime``;
    that run is slower than a normal one), nested no deeper than two levels."""
    argv = [bots.PYTHON, "-X", "importtime", "-m", "bot", "ask", QUESTION]
    done = subprocess.run(
        argv, cwd=bots.ROOT, env=env, capture_output=True, text=True, check=False
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        depth = (len(name) - len(name.lstrip())) // 2
        if depth <= 2:
            rows.append((int(cumulative) / 1000, name.strip()))
    rows.sort(reverse=True)
    return ", ".join(f"`{name}` {ms:.0f} ms" for ms, name in rows[:top])


def measure_ask(args: argparse.Namespace, env: dict[str, str]) -> dict[str, list[float]]:
    """``python -c pass``, ``paperbot ask`` and the in-process phases of ``ask``."""
    ask = [bots.PYTHON, *paperbot("ask", QUESTION)]
    timed(ask, env)  # warm-up: page cache, .pyc files
    timed([bots.PYTHON, "-c", "pass"], env)
    out: dict[str, list[float]] = {"pass": [], "ask": [], "ask_rss": []}
    out.update({name: [] for name in PHASE_NAMES})
    for _ in range(args.ask_runs):
        out["pass"].append(timed([bots.PYTHON, "-c", "pass"], env)[0])
        elapsed, rss, _ = timed(ask, env)
        out["ask"].append(elapsed)
        out["ask_rss"].append(rss)
    for _ in range(args.runs):
        _, _, printed = timed([bots.PYTHON, "-c", PHASES, QUESTION], env)
        for name, seconds in zip(PHASE_NAMES, printed.split(), strict=True):
            out[name].append(float(seconds))
    return out


async def load(users: bots.Users, count: int, per_user: int, texts: list[str]) -> int:
    """``count`` users at once; each asks ``per_user`` questions one after the other, then
    sends /next and presses the card's "Read" button. Returns the number of answers."""
    answered = 0

    async def user(index: int) -> None:
        nonlocal answered
        chat = users.chat(index)
        for k in range(per_user):
            await users.question(chat, texts[(index * per_user + k) % len(texts)])
            answered += 1
        card = await users.question(chat, "/next")
        read = next(d for d in card.callback_data if d.startswith("r:"))
        assert card.message_id is not None
        await users.ask(chat, lambda: users.api.press(chat, card.message_id or 0, read))
        answered += 2

    await asyncio.gather(*(user(i) for i in range(count)))
    return answered


async def measure_run(args: argparse.Namespace, tmp: Path) -> dict[str, list[float]]:
    """Start ``paperbot run`` ``args.runs`` times: time to the first getUpdates, memory after
    ``args.idle`` seconds idle and after the load."""
    out: dict[str, list[float]] = {
        k: [] for k in ("start", "idle_hwm", "idle_rss", "load_hwm", "load_rss", "load_s")
    }
    texts = bots.questions()
    for run in range(args.runs):
        api = bots.FakeBotAPI()
        await api.start()
        api.disable_limits()
        users = bots.Users(api)
        argv = paperbot("run", "--base-url", api.base_url)
        env = bots.bot_env(tmp / f"run{run}.sqlite3")
        process = bots.BotProcess(argv, env, api, tmp / f"run{run}.log")
        try:
            out["start"].append(await process.start())
            await asyncio.sleep(args.idle)
            idle = process.status()
            began = time.monotonic()
            answered = await load(users, args.users, args.questions, texts)
            out["load_s"].append(time.monotonic() - began)
            after = process.status()
        finally:
            code = await process.stop()
            await api.stop()
        if code != 0 or users.failed:
            raise RuntimeError(
                f"paperbot run: exit {code}, {users.failed} failed sends; see {tmp}"
            )
        out["idle_hwm"].append(idle["VmHWM"])
        out["idle_rss"].append(idle["VmRSS"])
        out["load_hwm"].append(after["VmHWM"])
        out["load_rss"].append(after["VmRSS"])
        bots.log(
            f"run {run + 1}/{args.runs}: first getUpdates after {out['start'][-1]:.2f} s, "
            f"idle {idle['VmHWM']:.0f} MB, {answered} answers in {out['load_s'][-1]:.1f} s, "
            f"then {after['VmHWM']:.0f} MB"
        )
    return out


def report(
    ask: dict[str, list[float]], run: dict[str, list[float]], args: argparse.Namespace, notes: str
) -> None:
    """Print the markdown section."""
    sec, mb = "{:.2f} s", "{:.0f} MB"
    load_desc = (
        f"{args.users} users at once, each {args.questions} question(s), /next and the "
        "card's Read button"
    )
    print("### Footprint: start-up time and memory (`benchmarks/footprint.py`)\n")
    print(
        f'`paperbot ask "{QUESTION}"` is timed from spawn to exit ({args.ask_runs} runs after '
        "one warm-up; peak RSS from `wait4`), beside `python -c pass`; its phases are timed "
        f"inside one process that repeats the `ask` path of `bot/cli.py` ({args.runs} runs). "
        f"`paperbot run --base-url` (as shipped: rate limiter on, INFO logs) is started "
        f"{args.runs} times against a fake Bot API on 127.0.0.1 in the benchmark process: the "
        f"time from spawn to the fake receiving the first `getUpdates`, then `VmHWM` (peak) and "
        f"`VmRSS` from `/proc/<pid>/status` after {args.idle:g} s idle and after a load "
        f"({load_desc}; the rate limiter paces replies at 28.5/s).\n"
    )
    print("| measure | median (min–max) | target |")
    print("|---|---|---|")
    print(f"| `python -c pass` (for scale) | {bots.spread(ask['pass'], sec)} | |")
    ok = "met" if bots.median(ask["ask"]) < ASK_TARGET else "**missed**"
    print(f"| `paperbot ask`, spawn to exit | {bots.spread(ask['ask'], sec)} | < 1 s: {ok} |")
    for name in PHASE_NAMES:
        print(f"| &nbsp;&nbsp;of which {name} | {bots.spread(ask[name], sec)} | |")
    print(f"| `paperbot ask`, peak RSS | {bots.spread(ask['ask_rss'], mb)} | |")
    print(f"| `paperbot run`, spawn to first `getUpdates` | {bots.spread(run['start'], sec)} | |")
    for key, label in (("idle", f"{args.idle:g} s idle"), ("load", "after the load")):
        hwm, rss = run[f"{key}_hwm"], run[f"{key}_rss"]
        ok = "met" if bots.median(hwm) < RSS_TARGET else "**missed**"
        print(
            f"| `paperbot run`, {label}: peak (VmHWM) | {bots.spread(hwm, mb)} | < 120 MB: {ok} |"
        )
        print(f"| `paperbot run`, {label}: now (VmRSS) | {bots.spread(rss, mb)} | |")
    print(f"| the load itself, wall | {bots.spread(run['load_s'], '{:.1f} s')} | |")
    print()
    print(notes)


async def main_async(args: argparse.Namespace) -> int:
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="paperbot-footprint-"))
    try:
        env = bots.bot_env(tmp / "ask.sqlite3")
        bots.log("timing ask")
        ask = measure_ask(args, env)
        costs = ""
        if bots.median(ask["ask"]) >= 0.8 * ASK_TARGET:
            costs = import_costs(env)
        bots.log(f"ask done ({bots.wall(started)}); starting paperbot run")
        run = await measure_run(args, tmp)
    except BaseException:
        bots.log(f"failed; logs kept in {tmp}")
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    notes = (
        f"Load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after "
        f"({os.cpu_count()} CPUs); the run took {time.monotonic() - started:.0f} s."
    )
    if costs:
        notes += f" Largest cumulative imports of one `ask` (`-X importtime`): {costs}."
    report(ask, run, args, notes)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Measure, then print one markdown section on stdout (progress on stderr)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="`paperbot run` starts")
    parser.add_argument("--ask-runs", type=int, default=7, help="timed `paperbot ask` runs")
    parser.add_argument("--idle", type=float, default=5.0, help="idle seconds before reading")
    parser.add_argument("--users", type=int, default=100, help="users at once in the load")
    parser.add_argument("--questions", type=int, default=2, help="questions per user")
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
