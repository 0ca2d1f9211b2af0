"""The due index (``subscriptions.next_at``) finds exactly the reminders a full scan would.

``Reminders.due`` reads only the rows whose ``next_at`` has come. These tests check
it against the definition (every active subscription through ``due_date``) at every check of
random runs: clocks that jump minutes or days (the bot was down), daylight-saving changes in
both hemispheres, half-hour zones, and users changing days, zones, pauses and subscriptions
between checks.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.schedule import (
    RECHECK_AFTER,
    DueCheck,
    Schedule,
    check_due,
    due_by_index,
    due_date,
)
from bot.storage import Store
from bot.storage.reminders import DUE_QUERY

ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Shanghai",
    "Australia/Sydney",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Pacific/Chatham",
)
START = datetime(2026, 3, 6, 22, 0, tzinfo=UTC)  # US DST starts 8 March, EU 29 March
SUBSCRIPTION = st.tuples(
    st.sampled_from(ZONES),
    st.integers(0, 23),
    st.sampled_from([0, 1, 30, 59]),
    st.frozensets(st.integers(0, 6), min_size=1),
)
ACTION = st.sampled_from(
    ["check", "check", "check", "days", "zone", "pause", "resume", "unsubscribe", "subscribe"]
)
STEP = st.tuples(
    st.one_of(st.integers(1, 90), st.integers(60, 3000)),  # minutes: checks, or downtime
    ACTION,
    st.integers(0, 5),
    SUBSCRIPTION,
)


async def scan(store: Store, now: datetime) -> list[tuple[int, date]]:
    """The definition: every active subscription, decided by due_date."""
    out = []
    for sub in await store.reminders.active():
        day = due_date(sub.schedule, now)
        if day is not None:
            out.append((sub.chat_id, day))
    return out


async def act(store: Store, now: datetime, action: str, chat_id: int, spec: tuple) -> None:  # type: ignore[type-arg]
    tz, hour, minute, days = spec
    if action == "days":
        await store.reminders.set_days(chat_id, days)
    elif action == "zone":
        await store.users.set_timezone(chat_id, tz, now)
    elif action == "pause":
        await store.reminders.pause(chat_id, (now + timedelta(days=minute % 4 + 1)).date())
    elif action == "resume":
        await store.reminders.resume(chat_id)
    elif action == "unsubscribe":
        await store.reminders.unsubscribe(chat_id)
    elif action == "subscribe":
        await store.reminders.subscribe(chat_id, time(hour, minute), tz, now.date(), now)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    subs=st.lists(SUBSCRIPTION, min_size=1, max_size=6),
    steps=st.lists(STEP, min_size=5, max_size=40),
)
async def test_due_index_agrees_with_a_full_scan_at_every_check(
    subs: list[tuple],
    steps: list[tuple],  # type: ignore[type-arg]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "due.sqlite3")
        try:
            now = START
            for chat_id, (tz, hour, minute, days) in enumerate(subs):
                await store.reminders.subscribe(chat_id, time(hour, minute), tz, now.date(), now)
                await store.reminders.set_days(chat_id, days)
            sent: set[tuple[int, date]] = set()
            for minutes, action, who, spec in steps:
                now += timedelta(minutes=minutes)
                expected = await scan(store, now)
                got = await store.reminders.due(now)
                assert got == expected, (now, action)
                for chat_id, day in got:
                    assert await store.deliveries.claim(chat_id, day, now)
                    assert (chat_id, day) not in sent
                    sent.add((chat_id, day))
                assert await store.reminders.due(now) == []
                await act(store, now, action, who % len(subs), spec)
        finally:
            await store.close()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "paperbot.sqlite3")
    yield opened
    await opened.close()


async def next_at(store: Store, chat_id: int) -> str:
    row = await store.db.fetch_one(
        "SELECT next_at FROM subscriptions WHERE chat_id = ?", (chat_id,)
    )
    assert row is not None
    return str(row["next_at"])


async def test_a_check_moves_rows_that_are_not_due_past_now(store: Store) -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    await store.reminders.subscribe(1, time(8, 0), "UTC", date(2026, 3, 3), now)  # tomorrow 08:00
    await store.reminders.subscribe(2, time(13, 0), "UTC", date(2026, 3, 2), now)  # today 13:00
    assert await store.reminders.due(now) == []
    assert [await next_at(store, 1), await next_at(store, 2)] == [
        "2026-03-03T08:00:00+00:00",
        "2026-03-02T13:00:00+00:00",
    ]
    assert await store.reminders.due(now.replace(hour=13)) == [(2, date(2026, 3, 2))]
    assert await store.deliveries.claim(2, date(2026, 3, 2), now.replace(hour=13))
    assert await next_at(store, 2) == "2026-03-03T13:00:00+00:00"


async def test_a_check_reads_in_batches_and_misses_none(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.storage.reminders.DUE_BATCH", 3)
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    for chat_id in range(10):  # 0-4 due at 11:00 today, 5-9 at 13:00
        at = time(11 if chat_id < 5 else 13, 0)
        start = now - timedelta(hours=2)
        await store.reminders.subscribe(chat_id, at, "UTC", date(2026, 3, 2), start)
    assert await store.reminders.due(now) == [(c, date(2026, 3, 2)) for c in range(5)]
    assert await store.reminders.due(now.replace(hour=13)) == [
        (c, date(2026, 3, 2)) for c in range(10)
    ]


async def test_the_due_query_is_an_index_range_scan(store: Store) -> None:
    conn = sqlite3.connect(store.db.path)
    try:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN " + DUE_QUERY.format(columns="chat_id"), ("2026", "", -1, 1000)
        ).fetchall()
    finally:
        conn.close()
    (detail,) = [row[-1] for row in plan]
    assert detail.startswith("SEARCH subscriptions USING INDEX subscriptions_due (next_at"), plan


def test_the_due_decision_is_pure_schedule_logic() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    today = date(2026, 3, 2)
    morning = Schedule(time(8, 0), "UTC")
    assert check_due(morning, now) == DueCheck(today)
    evening = Schedule(time(20, 0), "UTC")
    assert check_due(evening, now) == DueCheck(None, now.replace(hour=20), today)
    # Paused beyond next_fire's horizon: looked at again after RECHECK_AFTER, with no date.
    paused = Schedule(time(8, 0), "UTC", paused_until=date(2028, 1, 1))
    assert check_due(paused, now) == DueCheck(None, now + RECHECK_AFTER, None)
    # The index's shortcut holds only for a stored look that has come and falls today.
    assert due_by_index(now.replace(hour=8), today, today, now)
    assert not due_by_index(None, today, today, now)  # reset by a change: decide afresh
    assert not due_by_index(now.replace(hour=13), today, today, now)
    assert not due_by_index(now.replace(hour=8), date(2026, 3, 1), today, now)
