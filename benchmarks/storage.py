"""Benchmark storage at scale: /next, read/skip and the reminder check on a large database.

Method:
  1. A database with ``--users`` users (default 100,000), every one subscribed, and on average
     27 progress rows each (2.7 million rows) is written with sqlite3 in one transaction
     through paperbot's own schema (``Store.open``). Local times follow a plausible shape
     (most at 07:00-09:00 and 20:00-23:00, on the hour or half hour, the rest anywhere),
     zones from 12 common ones, one in five on weekdays only, and a fifth of users read Li
     Mu's list instead of Ilya Sutskever's.
  2. The first reminder check computes ``next_at`` for every row (what the first check after
     the v3 migration does); it is timed once.
  3. Each run (``--runs``, median reported) starts from a copy of that state, at 07:59:30 in
     Shanghai with everything due earlier already claimed, and measures, through the real
     :class:`~bot.features.dispatch.Dispatcher` over :class:`~bot.storage.Store` (no
     Telegram):
       * ``/next`` (``command("next")``: user, list, progress, card) and the Read / Skip
         buttons (``action(MarkRead(id))``, a committed write, then the progress line), for
         ``--samples`` random users each, p50 and p99;
       * the reminder check, ``reminders.due(now)``, at each of ``--minutes`` consecutive
         minutes of the busiest hour, each followed by the claims of what was due (as the
         job does); reported: the median and the slowest minute, and the rows due;
       * the busiest of those minutes also answered by a full scan (every active
         subscription through ``due_date``, how paperbot found due reminders before v3), as
         a ratio.
  4. ``EXPLAIN QUERY PLAN`` of the hot queries is printed as SQLite reports it.

Every commit is a real one (WAL, ``synchronous`` at SQLite's default FULL) on the local disk.

Run: .venv/bin/python -m benchmarks.storage [--users 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._bots import log, percentile  # noqa: E402
from bot.core.catalogue import Catalogue, load_catalogue  # noqa: E402
from bot.core.reading import next_unread  # noqa: E402
from bot.core.schedule import due_date  # noqa: E402
from bot.features import callbacks as cb  # noqa: E402
from bot.features.common import Services, current_list  # noqa: E402
from bot.features.dispatch import Dispatcher  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.storage.reminders import DUE_QUERY  # noqa: E402

NOW = datetime(2026, 3, 2, 0, 0, 30, tzinfo=UTC)  # Monday 08:00:30 in Shanghai
ZONES = (
    ("Asia/Shanghai", 30),
    ("America/New_York", 10),
    ("America/Los_Angeles", 10),
    ("Europe/London", 8),
    ("Europe/Berlin", 8),
    ("Asia/Tokyo", 6),
    ("Asia/Singapore", 6),
    ("Asia/Kolkata", 6),
    ("Asia/Taipei", 6),
    ("Asia/Hong_Kong", 4),
    ("Australia/Sydney", 3),
    ("UTC", 3),
)
HOT_QUERIES = {
    "reminder check": (
        DUE_QUERY.format(columns="chat_id, local_time, timezone"),
        ("2026", "", -1, 1000),
    ),
    "progress of a user": ("SELECT paper_id, state FROM progress WHERE chat_id = ?", (1,)),
    "mark read/skipped": (
        "INSERT INTO progress (chat_id, paper_id, state, at) VALUES (?, ?, 'read', ?) "
        "ON CONFLICT (chat_id, paper_id) DO UPDATE SET state = excluded.state, at = excluded.at",
        (1, "resnet", "2026"),
    ),
    "user": ("SELECT lang, timezone, current_list FROM users WHERE chat_id = ?", (1,)),
    "claim": (
        "UPDATE subscriptions SET last_sent_date = ? WHERE chat_id = ? AND active = 1 "
        "AND (last_sent_date IS NULL OR last_sent_date < ?)",
        ("2026-03-02", 1, "2026-03-02"),
    ),
    "snoozes due": ("SELECT chat_id FROM snoozes WHERE due_at <= ? ORDER BY due_at", ("2026",)),
}


def local_time(rng: random.Random) -> str:
    """A reminder time: mostly mornings and evenings on the hour or half hour."""
    roll = rng.random()
    if roll < 0.45:
        hour, minute = rng.choice((7, 8, 8, 9)), rng.choice((0, 0, 30))
    elif roll < 0.75:
        hour, minute = rng.choice((20, 21, 21, 22, 23)), rng.choice((0, 0, 30))
    else:
        hour, minute = rng.randrange(24), rng.randrange(60)
    return f"{hour:02d}:{minute:02d}"


def build(db: Path, catalogue: Catalogue, users: int, seed: int) -> int:
    """Fill ``db`` (already created by Store.open); returns the number of progress rows."""
    rng = random.Random(seed)
    zones, weights = zip(*ZONES, strict=True)
    created = (NOW - timedelta(days=60)).isoformat(timespec="seconds")
    lists = {lid: lst.order for lid, lst in catalogue.lists.items()}
    list_ids = list(lists)
    rows = 0

    def progress_rows() -> object:
        # Progress is per paper: the current list first, then papers of the other list.
        nonlocal rows
        everything = list(catalogue.papers)
        for chat in range(1, users + 1):
            first = lists[list_ids[chat % 5 == 0]] if len(list_ids) > 1 else lists[list_ids[0]]
            order = [*first, *(p for p in everything if p not in first)]
            for pid in order[: rng.randint(0, 54)]:
                rows += 1
                yield (chat, pid, "read" if rng.random() < 0.85 else "skipped", created)

    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO users (chat_id, lang, timezone, created_at, current_list) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                (
                    c,
                    rng.choice(("en", "zh", None)),
                    rng.choices(zones, weights)[0],
                    created,
                    list_ids[c % 5 == 0] if len(list_ids) > 1 else list_ids[0],
                )
                for c in range(1, users + 1)
            ),
        )
        conn.execute(
            "INSERT INTO subscriptions (chat_id, local_time, timezone, active, last_sent_date, "
            "start_date, days) SELECT chat_id, '00:00', timezone, 1, '2026-03-01', "
            "'2026-01-01', '0,1,2,3,4,5,6' FROM users"
        )
        conn.executemany(
            "UPDATE subscriptions SET local_time = ?, days = ? WHERE chat_id = ?",
            (
                (local_time(rng), "0,1,2,3,4" if rng.random() < 0.2 else "0,1,2,3,4,5,6", c)
                for c in range(1, users + 1)
            ),
        )
        conn.executemany(
            "INSERT INTO progress (chat_id, paper_id, state, at) VALUES (?, ?, ?, ?)",
            progress_rows(),  # type: ignore[arg-type]
        )
    conn.close()
    return rows


async def full_scan(store: Store, now: datetime) -> int:
    """Due reminders the way paperbot found them before v3: every active row, in Python."""
    return sum(due_date(sub.schedule, now) is not None for sub in await store.reminders.active())


async def one_run(
    core: Dispatcher, args: argparse.Namespace, rng: random.Random, start: datetime
) -> dict[str, float]:
    """One measured run; every value is in milliseconds except the counts."""
    store = core.services.store
    chats = rng.sample(range(1, args.users + 1), args.samples)
    nxt, mark, check, scan, claims = [], [], [], [], []
    due_counts = []
    for chat in chats:
        t0 = time.perf_counter()
        reply = await core.command(chat, "next", now=start)
        nxt.append((time.perf_counter() - t0) * 1000)
        assert reply.text
    log(f"  /next x{len(chats)}: {sum(nxt) / 1000:.1f} s")
    for i, chat in enumerate(chats):
        lst = await current_list(core.services, chat)
        pid = next_unread(lst, await store.progress.states(chat)) or lst.order[0]
        action = cb.MarkRead(pid) if i % 2 == 0 else cb.MarkSkipped(pid)
        t0 = time.perf_counter()
        await core.action(chat, action, now=start)
        mark.append((time.perf_counter() - t0) * 1000)
    log(f"  Read/Skip x{len(chats)}: {sum(mark) / 1000:.1f} s")
    for m in range(args.minutes):
        now = start + timedelta(minutes=m)
        if m == 1:  # 08:00:30 in Shanghai, the busiest minute: the full scan beside it
            t0 = time.perf_counter()
            scan_due = await full_scan(store, now)
            scan.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        due = await store.reminders.due(now)
        check.append((time.perf_counter() - t0) * 1000)
        if m == 1:
            assert len(due) == scan_due, (now, len(due), scan_due)
            peak = check[-1]
        due_counts.append(len(due))
        # The first 200 claims one by one, as the job makes them (timed); the rest at once.
        for chat, day in due[:200]:
            t0 = time.perf_counter()
            assert await store.deliveries.claim(chat, day, now)
            claims.append((time.perf_counter() - t0) * 1000)
        assert all(await store.deliveries.claim_many(due[200:], now))
        log(f"  minute {m}: {len(due)} due, check {check[-1]:.0f} ms")
    ratio = scan[0] / peak
    return {
        "next_p50": statistics.median(nxt),
        "next_p99": percentile(nxt, 0.99),
        "mark_p50": statistics.median(mark),
        "mark_p99": percentile(mark, 0.99),
        "check_median": statistics.median(check),
        "check_max": max(check),
        "scan_median": statistics.median(scan),
        "ratio": ratio,
        "claim_p50": statistics.median(claims) if claims else 0.0,
        "due_median": statistics.median(due_counts),
        "due_max": max(due_counts),
    }


def explain(db: Path) -> list[str]:
    """``EXPLAIN QUERY PLAN`` of each hot query, one line per plan step."""
    lines = []
    conn = sqlite3.connect(db)
    try:
        for name, (sql, params) in HOT_QUERIES.items():
            plan = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            steps = "; ".join(str(row[-1]) for row in plan)
            lines.append(
                f"{name}: {steps or 'no plan steps: one insert, conflict on the primary key'}"
            )
    finally:
        conn.close()
    return lines


async def bench(args: argparse.Namespace) -> None:
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory(prefix="paperbot-bench-") as tmp:
        db = Path(tmp) / "bench.sqlite3"
        store = await Store.open(db)
        await store.close()
        log(f"building {args.users:,} users ...")
        t0 = time.perf_counter()
        rows = build(db, catalogue, args.users, args.seed)
        build_s = time.perf_counter() - t0
        size_mb = db.stat().st_size / 1e6
        log(f"built in {build_s:.1f} s: {rows:,} progress rows, {size_mb:.0f} MB")
        store = await Store.open(db)
        t0 = time.perf_counter()
        first = await store.reminders.due(NOW - timedelta(hours=1))
        first_s = time.perf_counter() - t0
        # Claim what fell due before the measured minutes (as the job would have), then
        # keep this state: every run starts from a copy of it, so runs are repetitions.
        before = NOW - timedelta(minutes=2)
        await store.deliveries.claim_many(await store.reminders.due(before), before)
        await store.close()
        base = Path(tmp) / "base.sqlite3"
        shutil.copy(db, base)
        rng = random.Random(args.seed)
        results = []
        for run in range(args.runs):
            log(f"run {run + 1}/{args.runs} ...")
            shutil.copy(base, db)
            store = await Store.open(db)
            core = Dispatcher(Services(catalogue, store))
            results.append(await one_run(core, args, rng, NOW - timedelta(minutes=1)))
            await store.close()
        plans = explain(db)

    def med(key: str) -> float:
        return statistics.median(r[key] for r in results)

    def rng_of(key: str) -> str:
        values = [r[key] for r in results]
        return f"{min(values):.2f}-{max(values):.2f}"

    print("### Storage")
    print()
    print(
        f"{args.users:,} users, all subscribed, with {rows:,} progress rows ({size_mb:.0f} MB "
        f"file, built in {build_s:.0f} s). Through `Dispatcher` over `Store`, no Telegram; "
        f"{args.samples:,} random users per run for `/next` and for Read/Skip; the reminder "
        f"check at {args.minutes} consecutive minutes around 08:00 in Shanghai (the busiest), "
        f"each followed by the claims. Median of {args.runs} runs (range in brackets)."
    )
    print()
    print("| operation | p50 ms | p99 ms |")
    print("|---|---|---|")
    print(
        f"| `/next` (user, list, progress, card) | {med('next_p50'):.2f} "
        f"({rng_of('next_p50')}) | {med('next_p99'):.2f} ({rng_of('next_p99')}) |"
    )
    print(
        f"| Read / Skip button (committed write + progress) | {med('mark_p50'):.2f} "
        f"({rng_of('mark_p50')}) | {med('mark_p99'):.2f} ({rng_of('mark_p99')}) |"
    )
    print(f"| claim of one due reminder (committed) | {med('claim_p50'):.2f} | - |")
    print()
    print(
        f"| reminder check, {args.users:,} subscriptions | median minute ms | slowest minute ms "
        "| due per minute (median / max) |"
    )
    print("|---|---|---|---|")
    print(
        f"| `reminders.due` (index on `next_at`) | {med('check_median'):.2f} | "
        f"{med('check_max'):.2f} | {med('due_median'):.0f} / {med('due_max'):.0f} |"
    )
    print(
        f"| full scan + `due_date` (before v3), the busiest minute | - | "
        f"{med('scan_median'):.0f} | same |"
    )
    print(f"| ratio full scan / index, busiest minute, same run | - | {med('ratio'):.0f}x | - |")
    print()
    print(
        f"The first check after the v3 migration computes `next_at` for all "
        f"{args.users:,} rows once: {first_s:.1f} s ({len(first)} due then)."
    )
    print()
    print("`EXPLAIN QUERY PLAN`:")
    print()
    print("```")
    for line in plans:
        print(line)
    print("```")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--minutes", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    asyncio.run(bench(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
