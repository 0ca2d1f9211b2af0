"""`paperbot run` as a real process: polling against a loopback Bot API via --base-url,
structured logs without the token, and a clean exit on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.botapi import FakeBotAPI
from tests.harness import TOKEN

ROOT = Path(__file__).resolve().parents[1]


async def test_run_polls_answers_logs_and_stops_cleanly_on_sigterm(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERBOT_")}
    env.update({"TELEGRAM_BOT_TOKEN": TOKEN, "PAPERBOT_DB": str(tmp_path / "run.db")})
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--log-level",
        "INFO",
        "run",
        "--base-url",
        api.base_url,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        polling = asyncio.ensure_future(api.wait_for("getUpdates", timeout=30))
        exited = asyncio.ensure_future(proc.wait())
        await asyncio.wait({polling, exited}, return_when=asyncio.FIRST_COMPLETED)
        if not polling.done():  # the process died before polling: fail at once, with its log
            polling.cancel()
            _, err = await proc.communicate()
            pytest.fail(f"paperbot run exited with {proc.returncode}:\n{err.decode()[-3000:]}")
        exited.cancel()
        polling.result()
        api.send_text(42, "what is resnet")
        reply = await api.next_reply(42, timeout=15)
        assert "Deep Residual Learning" in (reply.text or "")
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    logs = err.decode()
    assert proc.returncode == 0, logs
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs
    lines = [line for line in logs.splitlines() if line.strip()]
    assert any(
        "event=update" in line and "update_id=" in line and "chat_id=42" in line for line in lines
    ), logs
    assert all(line.startswith("ts=") and " level=" in line for line in lines), logs
    assert "event=stopped" in logs, "the database was closed in post_shutdown"


def test_webhook_mode_uses_run_webhook_with_the_url_path_and_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from telegram.ext import Application

    from bot.config import load_settings
    from bot.core.catalogue import load_catalogue
    from bot.telegram import app as app_module

    seen: dict[str, object] = {}

    def fake_run_webhook(self: Application, **kwargs: object) -> None:  # type: ignore[type-arg]
        seen.update(kwargs)

    def fake_run_polling(self: Application, **kwargs: object) -> None:  # type: ignore[type-arg]
        seen["polling"] = True

    monkeypatch.setattr(Application, "run_webhook", fake_run_webhook)
    monkeypatch.setattr(Application, "run_polling", fake_run_polling)
    settings = load_settings(
        db=tmp_path / "w.db",
        webhook_url="https://bot.example.com/hook",
        port=8443,
        secret_token="s3cret-token",
    )
    app_module.run(settings, TOKEN, load_catalogue())
    assert seen["url_path"] == "hook" and seen["webhook_url"] == "https://bot.example.com/hook"
    assert seen["port"] == 8443 and seen["secret_token"] == "s3cret-token"
    assert "polling" not in seen
    seen.clear()
    app_module.run(load_settings(db=tmp_path / "p.db"), TOKEN, load_catalogue())
    assert seen == {"polling": True}
