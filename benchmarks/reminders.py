"""Benchmark reminder delivery: our own cost with the rate limiter off, and the wall time
with it on, through python-telegram-bot's HTTP layer against a loopback fake Bot API.

Method:
  1. A fresh SQLite file gets N users, each subscribed at 00:00 UTC from today, so that all N
     are due at the bot's first reminder check (one second after it starts).
  2. The bot runs as its own process, as in production, polling the fake
     (``tests/botapi.py``), which runs in this process with the load driver:
       * limiter off: ``python -m benchmarks._serve paperbot``, paperbot's Application
         without the rate limiter, and the fake without flood limits. The run is bound by the
         CPU. Reported: the wall time from the first to the last reminder, messages/s, and
         the CPU seconds the bot process spent in that time (``/proc/<pid>/stat``): our own
         cost per reminder, HTTP client included, fake server excluded;
       * limiter on: ``python -m bot run``, exactly as shipped (``PacedRateLimiter`` at 30
         messages/s), against a fake that enforces Telegram's limits (30 messages/s in any
         sliding second, 1/s per chat, 429 with ``retry_after`` beyond that). Reported: wall
         time, messages/s beside the limit of 30 (and the limiter's own pace, 95% of it), 429
         answers, duplicates, the busiest second, and how long a question asked a third of the
         way through the run waits for its answer (the reminders must not starve users).
  3. Every figure is the median of ``--runs`` runs (range in brackets). Duplicates are counted
     per chat from what the fake delivered, and must be 0.

The limiter-on run uses fewer subscribers (``--paced``, 300 by default: about 11 s) so that
the whole benchmark stays within its budget; at 30/s 10,000 reminders take 10,000 / 28.5 s
plus start-up, which ``--paced 10000`` measures (366 s when last run in full). The full load
run that used to be a test (10,000 reminders at a scaled limit of 100/s, about 2 minutes) is
``--paced 10000 --rate 100 --runs 1``; CI keeps a small one (``tests/test_load.py``).

Run: .venv/bin/python -m benchmarks.reminders [--subscribers 10000] [--paced 600] [--rate 30]
[--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._bots import BotProcess, bot_env, log, median, spread  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.telegram.ratelimit import HEADROOM as PACE  # noqa: E402
from tests.botapi import FakeBotAPI, busiest_second  # noqa: E402

FIRST_CHAT = 1_000_000
ASKER = 77  # a user who asks a question while the reminders go out


async def make_db(db: Path, n: int) -> None:
    """N users, each due at 00:00 UTC from today (UTC)."""
    store = await Store.open(db)
    await store.close()
    now = datetime.now(UTC)
    created, today = now.isoformat(timespec="seconds"), now.date().isoformat()
    chats = range(FIRST_CHAT, FIRST_CHAT + n)
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO users (chat_id, created_at) VALUES (?, ?)", ((c, created) for c in chats)
        )
        conn.executemany(
            "INSERT INTO subscriptions (chat_id, local_time, timezone, active, start_date) "
            "VALUES (?, '00:00', 'UTC', 1, ?)",
            ((c, today) for c in chats),
        )
    conn.close()


async def one_run(limiter: bool, n: int, rate: int, tmp: Path, run: int) -> dict[str, float]:
    """Start a bot process with N due reminders; measure until all N are delivered."""
    db = tmp / f"{'on' if limiter else 'off'}-{run}.sqlite3"
    await make_db(db, n)
    api = FakeBotAPI(hang_seconds=3.0)
    await api.start()
    if limiter:
        api.enforce_limits(global_per_second=rate, per_chat_per_second=1)
        argv = ["-m", "bot", "run", "--base-url", api.base_url]
    else:
        api.disable_limits()
        argv = ["-m", "benchmarks._serve", "paperbot", "--base-url", api.base_url]
    proc = BotProcess(argv, bot_env(db), api, tmp / f"{db.stem}.log")
    try:
        await proc.start()
        cpu0 = proc.cpu()
        deadline = time.monotonic() + max(120.0, 3 * n / (rate if limiter else 50))
        latency = float("nan")
        while len({c for c, _ in api.delivered if c != ASKER}) < n:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(api.delivered)} of {n} reminders delivered")
            if limiter and math.isnan(latency) and len(api.delivered) >= n // 3:
                latency = await ask_during_run(api)
            await asyncio.sleep(0.05)
        cpu = proc.cpu() - cpu0
    finally:
        await proc.stop()
        await api.stop()
    sends = [r for r in api.calls("sendMessage") if r.chat_id not in (0, ASKER)]
    ok = [r.at for r in sends if r.ok]
    per_chat = Counter(chat for chat, _ in api.delivered if chat != ASKER)
    wall = max(ok) - min(ok)
    return {
        "wall": wall,
        "rate": (n - 1) / wall if wall else float("nan"),
        "cpu": cpu,
        "cpu_ms": cpu / n * 1000,
        "too_many": api.too_many,
        "duplicates": sum(k - 1 for k in per_chat.values()),
        "busiest": busiest_second([r.at for r in sends]),
        "latency": latency,
    }


async def ask_during_run(api: FakeBotAPI) -> float:
    """Ask a question; return the seconds until its answer (checked to be the right one)."""
    asked = time.monotonic()
    api.send_text(ASKER, "what is resnet")
    answer = await api.next_reply(ASKER, timeout=60)
    if "Deep Residual Learning" not in (answer.text or ""):
        raise RuntimeError(f"wrong answer during the run: {answer.text!r}")
    return time.monotonic() - asked


async def bench(args: argparse.Namespace) -> int:
    off: list[dict[str, float]] = []
    on: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="paperbot-bench-") as tmp:
        for run in range(args.runs):
            log(f"run {run + 1}/{args.runs}: {args.subscribers:,} reminders, limiter off ...")
            off.append(await one_run(False, args.subscribers, args.rate, Path(tmp), run))
            log(f"  {off[-1]['wall']:.1f} s, {off[-1]['rate']:.0f} msg/s")
            log(f"run {run + 1}/{args.runs}: {args.paced:,} reminders, limiter on ...")
            on.append(await one_run(True, args.paced, args.rate, Path(tmp), run))
            log(f"  {on[-1]['wall']:.1f} s, {on[-1]['rate']:.1f} msg/s")

    def col(rows: list[dict[str, float]], key: str, fmt: str = "{:.1f}") -> str:
        return spread([r[key] for r in rows], fmt)

    pace = PACE * args.rate
    print("### Reminders")
    print()
    print(
        f"All reminders due at the bot's first check; the bot runs as its own process and "
        f"polls the fake Bot API on loopback. Limiter off: `benchmarks._serve paperbot` (no "
        f"rate limiter, no flood limits on the fake): our own cost, measured as the bot "
        f"process's CPU time. Limiter on: `python -m bot run` as shipped, against a fake that "
        f"answers 429 above {args.rate} messages in any second or 1/s per chat. Median of "
        f"{args.runs} runs (range in brackets). In the limiter-on run a user asks a question a "
        f"third of the way through."
    )
    print()
    print(
        "| run | reminders | wall s | messages/s | bot CPU s | bot CPU ms per reminder "
        "| 429s | duplicates |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, count, rows, rate_fmt in (
        ("limiter off", args.subscribers, off, "{:.0f}"),
        (f"limiter on ({args.rate}/s)", args.paced, on, "{:.1f}"),
    ):
        print(
            f"| {label} | {count:,} | {col(rows, 'wall')} | {col(rows, 'rate', rate_fmt)} "
            f"| {col(rows, 'cpu')} | {col(rows, 'cpu_ms', '{:.2f}')} "
            f"| {col(rows, 'too_many', '{:.0f}')} | {col(rows, 'duplicates', '{:.0f}')} |"
        )
    print()
    share = median(r["rate"] for r in on) / args.rate
    print(
        f"With the limiter on, throughput is {share:.0%} of Telegram's {args.rate} messages/s "
        f"(the limiter paces at {pace:.1f}/s, {PACE:.0%} of it, so that jitter never crosses "
        f"the limit); the busiest second held {median(r['busiest'] for r in on):.0f} sends. "
        f"At that pace 10,000 reminders take about {10_000 / pace / 60:.1f} minutes; our own "
        f"work for them is about {median(r['cpu_ms'] for r in off) * 10:.0f} s of CPU. A "
        f"question asked during the paced run was answered in "
        f"{spread([r['latency'] for r in on], '{:.2f}')} s."
    )
    bad = sum(r["duplicates"] for r in off + on) + sum(r["too_many"] for r in on)
    bad += sum(r["busiest"] > args.rate for r in on)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000, help="limiter-off run")
    parser.add_argument("--paced", type=int, default=300, help="limiter-on run")
    parser.add_argument("--rate", type=int, default=30, help="Telegram's limit, messages/s")
    parser.add_argument("--runs", type=int, default=3)
    return asyncio.run(bench(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
