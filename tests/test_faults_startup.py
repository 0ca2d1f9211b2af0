"""Start-up and the database file, for ``paperbot run`` as a process (issue 15, items 3 and 7).

* One transient Bot API error at start-up (``getMe``, ``deleteWebhook``, the first
  ``getUpdates``, the menus) does not kill the bot; the menus are retried in the background.
* A Bot API that never answers, or refuses the token, ends the start with one line (exit 2).
* A database file removed or replaced while the bot runs stops it with one line (exit 2); a
  database created at start-up is logged as such (a warning).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.console import plain
from tests.faults import BotProcess, FaultyBotAPI, free_port


@pytest.fixture
async def api() -> AsyncIterator[FaultyBotAPI]:
    server = FaultyBotAPI()
    await server.start()
    yield server
    await server.stop()


def one_line_error(bot: BotProcess, code: int) -> str:
    """Exit 2, no traceback, and the last stderr line says why."""
    assert code == 2, bot.logs
    assert "Traceback" not in bot.logs, bot.logs
    last = bot.lines[-1]
    assert last.startswith("paperbot: "), bot.logs
    return last


async def test_one_transient_error_at_each_start_up_call_does_not_stop_the_bot(
    api: FaultyBotAPI, tmp_path: Path
) -> None:
    api.fail_next("getMe", "disconnect")
    api.fail_next("setMyCommands", "502")
    api.fail_next("deleteWebhook", "502")
    api.fail_next("getUpdates", "502")
    bot = await BotProcess(tmp_path / "s.db", ["--base-url", api.base_url]).start()
    try:
        api.send_text(42, "what is resnet")
        reply = await api.next_reply(42, timeout=20)
        assert "Deep Residual Learning" in plain(reply.text or "")
        await bot.wait_log('event="menus set"', timeout=10)  # retried in the background
    finally:
        code = await bot.stop()
    assert code == 0, bot.logs
    assert len(api.calls("getMe")) >= 2 and len(api.calls("deleteWebhook")) == 2
    assert {lang for _, lang in api.commands} == {"", "zh"}, "menus set in both languages"
    for needle in ("retrying", "menus not set", "getting updates failed"):
        assert needle in bot.logs, bot.logs
    assert "update failed" not in bot.logs, "polling errors are not update errors"


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("nothing listens", "cannot reach the Bot API"),
        ("401", "refused TELEGRAM_BOT_TOKEN"),
        ("getUpdates 502", "cannot get updates"),
    ],
)
async def test_a_bot_api_that_never_answers_ends_the_start_with_one_line(
    api: FaultyBotAPI, tmp_path: Path, fault: str, expected: str
) -> None:
    base = api.base_url
    if fault == "nothing listens":
        base = f"http://127.0.0.1:{free_port()}/bot"
    elif fault == "401":
        api.fail_next("getMe", "401")
    else:
        api.fail_next("getUpdates", "502", 100)
    started = time.monotonic()
    bot = await BotProcess(
        tmp_path / "s.db", ["--base-url", base], env={"PAPERBOT_STARTUP_RETRIES": "2"}
    ).start()
    line = one_line_error(bot, await bot.wait(timeout=30))
    assert expected in line
    assert "AAFake" not in bot.logs, "never the token"
    assert time.monotonic() - started < 40  # gives up, rather than retrying for ever


def replace_database(db: Path, how: str) -> None:
    if how == "removed":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    else:  # a restored backup copied over it: another inode at the same path
        other = db.with_name("other.db")
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()
        shutil.move(other, db)


@pytest.mark.parametrize("how", ["removed", "replaced"])
async def test_a_lost_database_file_stops_the_bot_with_one_line(
    api: FaultyBotAPI, tmp_path: Path, how: str
) -> None:
    db = tmp_path / "lost.db"
    env = {"PAPERBOT_REMINDER_INTERVAL": "1"}
    bot = await BotProcess(db, ["--base-url", api.base_url], env=env).start()
    await bot.wait_call(api, "getUpdates")
    await bot.wait_log("new database created")
    replace_database(db, how)
    line = one_line_error(bot, await bot.wait(timeout=15))
    assert "database error" in line and "removed or replaced" in line and str(db) in line
    assert os.path.exists(db) == (how == "replaced")


async def test_a_second_start_on_the_same_database_is_not_a_new_database(
    api: FaultyBotAPI, tmp_path: Path
) -> None:
    db = tmp_path / "kept.db"
    for start in (1, 2):
        bot = await BotProcess(db, ["--base-url", api.base_url]).start()
        await bot.wait_call(api, "getUpdates")
        assert await bot.stop() == 0, bot.logs
        api.reset_records()
        created = [line for line in bot.lines if "new database created" in line]
        assert len(created) == (1 if start == 1 else 0), bot.logs
        assert all("level=warning" in line for line in created)
