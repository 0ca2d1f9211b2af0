"""Benchmark a reminder run: N subscriptions due in the same minute, through the real
Application and HTTP layer, against the fake Bot API (tests/botapi.py) enforcing flood limits.

Method:
  1. N subscriptions (08:00 UTC, every day) are written to a fresh SQLite file in one
     transaction, and the fake clock is set to 08:00:30 so all of them are due.
  2. "Own work" is measured on a copy of that database without any HTTP: due(), then for each
     reminder the claim, the rendering (reminder_reply + keyboard) and the record, one after the
     other, timed with time.perf_counter. This is what the bot itself spends per reminder,
     outside the rate limiter and the network.
  3. The delivery run: the fake enforces --rate messages/s overall and 1/s per chat (429
     retry_after=1 beyond that), the bot's AIORateLimiter is built with the same rate, and the
     "reminders" job runs once. Reported: wall time, messages/s, 429 answers, duplicates, the
     busiest one-second window of send attempts, and how long a question from another user
     took to be answered in the middle of the run. --rate 0 turns both limits off: the run is
     then bound by the CPU (bot and fake share this process).

--limiter aiorate swaps in python-telegram-bot's AIORateLimiter(rate, 1 s) as paperbot used it
before PacedRateLimiter, for comparison; --inject-429 makes the fake answer one extra 429
(retry_after=1) a third of the way through, to see whether one 429 leads to more.

Run: .venv/bin/python benchmarks/reminders.py --subscribers 10000 --rate 30
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import types
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram.ext import AIORateLimiter  # noqa: E402

from bot.core.catalogue import load_catalogue  # noqa: E402
from bot.service import PaperBot  # noqa: E402
from bot.storage import Storage  # noqa: E402
from bot.telegram.render import keyboard  # noqa: E402
from tests.botapi import FakeBotAPI, busiest_second  # noqa: E402
from tests.harness import RunningBot  # noqa: E402

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmn"
DUE = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)
FIRST_CHAT = 1_000_000
ASKER = 77


def install_sniffio_stub() -> None:
    """httpcore 1.0.9 retries ``import sniffio`` on every request when it is missing (anyio
    >= 4.11 no longer installs it); this stub answers "asyncio" as httpcore's fallback does."""
    if importlib.util.find_spec("sniffio") is None:
        stub = types.ModuleType("sniffio")
        stub.current_async_library = lambda: "asyncio"  # type: ignore[attr-defined]
        sys.modules["sniffio"] = stub


async def make_db(db: Path, n: int) -> float:
    started = time.perf_counter()
    store = await Storage.open(db)
    await store.close()
    created, start = DUE.isoformat(timespec="seconds"), DUE.date().isoformat()
    chats = range(FIRST_CHAT, FIRST_CHAT + n)
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO users (chat_id, created_at) VALUES (?, ?)", ((c, created) for c in chats)
        )
        conn.executemany(
            "INSERT INTO subscriptions (chat_id, local_time, timezone, active, "
            "start_date) VALUES (?, '08:00', 'UTC', 1, ?)",
            ((c, start) for c in chats),
        )
    conn.close()
    return time.perf_counter() - started


async def own_work(db: Path) -> dict[str, float]:
    """due() + claim + render + record for every reminder, sequentially, no HTTP."""
    store = await Storage.open(db)
    core = PaperBot(load_catalogue(), store)
    t0 = time.perf_counter()
    dues = await core.due(DUE)
    t_due = time.perf_counter() - t0
    t_claim = t_render = t_record = 0.0
    for due in dues:
        t0 = time.perf_counter()
        await core.claim(due, DUE)
        t1 = time.perf_counter()
        keyboard(await core.reminder_reply(due.chat_id, DUE))
        t2 = time.perf_counter()
        assert due.local_date is not None
        await store.record_delivery(due.chat_id, due.local_date, "sent", DUE)
        t3 = time.perf_counter()
        t_claim, t_render, t_record = t_claim + t1 - t0, t_render + t2 - t1, t_record + t3 - t2
    await store.close()
    return {
        "due": t_due,
        "claim": t_claim,
        "render": t_render,
        "record": t_record,
        "count": len(dues),
    }


class Clock:
    def __call__(self) -> datetime:
        return DUE


async def delivery_run(
    db: Path, n: int, rate: float, limiter: str, inject_429: bool
) -> dict[str, float]:
    api = FakeBotAPI(hang_seconds=3.0)
    await api.start()
    if rate:
        api.enforce_limits(global_per_second=int(rate), per_chat_per_second=1)
    catalogue = load_catalogue()
    bot = RunningBot(
        api, db, catalogue, TOKEN, Clock(), rate_limiter=bool(rate), overall_rate=rate or 30
    )
    if rate and limiter == "aiorate":  # the limiter paperbot had before (ExtBot keeps it here)
        bot.app.bot._rate_limiter = AIORateLimiter(  # type: ignore[attr-defined]
            overall_max_rate=rate,
            overall_time_period=1,
            group_max_rate=20,
            group_time_period=60,
            max_retries=3,
        )
    latency = float("nan")
    async with bot:
        started = time.monotonic()
        run = asyncio.create_task(bot.run_reminder_job())
        while len(api.delivered) < n // 3 and not run.done():
            await asyncio.sleep(0.05)
        if inject_429:
            api.fail_next("sendMessage", "retry_after:1")
        if not run.done():
            asked = time.monotonic()
            api.send_text(ASKER, "what is resnet")
            await api.next_reply(ASKER, timeout=60)
            latency = time.monotonic() - asked
        await run
        wall = time.monotonic() - started
    await api.stop()
    sends = [r for r in api.calls("sendMessage") if r.chat_id != ASKER]
    per_chat = Counter(chat for chat, _ in api.delivered if chat != ASKER)
    return {
        "wall": wall,
        "delivered": len(per_chat),
        "duplicates": sum(k - 1 for k in per_chat.values()),
        "too_many": api.too_many,
        "busiest": busiest_second([r.at for r in sends]),
        "latency": latency,
    }


async def main_async(args: argparse.Namespace) -> int:
    n, rate = args.subscribers, args.rate
    if args.sniffio_stub:
        install_sniffio_stub()
    tmp = Path(tempfile.mkdtemp(prefix="paperbot-bench-"))
    try:
        db = tmp / "run.sqlite3"
        setup = await make_db(db, n)
        own = None
        if args.own_work:
            shutil.copy(db, tmp / "own.sqlite3")
            own = await own_work(tmp / "own.sqlite3")
        run = await delivery_run(db, n, rate, args.limiter, args.inject_429)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    stub = "on" if args.sniffio_stub else "off"
    print(
        f"subscribers {n}, rate {rate or 'unlimited'}/s, limiter {args.limiter}, "
        f"injected 429: {'yes' if args.inject_429 else 'no'}, sniffio stub {stub}, "
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(f"setup (bulk insert): {setup:.2f} s")
    if own is not None:
        per = (own["claim"] + own["render"] + own["record"]) / max(1, own["count"])
        print(
            f"own work, sequential, no HTTP: due() {own['due']:.2f} s, "
            f"claims {own['claim']:.2f} s, rendering {own['render']:.2f} s, "
            f"records {own['record']:.2f} s = {per * 1000:.2f} ms per reminder "
            f"({1 / per:.0f}/s)"
        )
    print(
        f"delivery: {run['wall']:.1f} s wall, {n / run['wall']:.1f} msg/s, "
        f"delivered {run['delivered']}/{n}, duplicates {run['duplicates']}, "
        f"429s {run['too_many']}, busiest second {run['busiest']} attempts, "
        f"question answered in {run['latency']:.2f} s"
    )
    ok = run["delivered"] == n and run["duplicates"] == 0
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument(
        "--rate",
        type=float,
        default=30.0,
        help="messages/s for the fake's limit and the bot's limiter; 0: none",
    )
    parser.add_argument(
        "--limiter",
        choices=("paced", "aiorate"),
        default="paced",
        help="paced: paperbot's PacedRateLimiter; aiorate: PTB's AIORateLimiter",
    )
    parser.add_argument(
        "--inject-429",
        action="store_true",
        help="one extra 429 (retry_after=1) a third of the way through",
    )
    parser.add_argument(
        "--own-work",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure own work (due/claims/rendering/records) first",
    )
    parser.add_argument(
        "--sniffio-stub",
        action="store_true",
        help="stub sniffio (works around httpcore re-importing it per request)",
    )
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
