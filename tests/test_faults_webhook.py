"""Webhook mode as installed, for real (issue 15, items 1, 10 and 11).

``paperbot run --webhook-url ...`` runs as a process against the fake Bot API: it registers
the webhook there (``setWebhook``), then the test POSTs updates to the port it listens on, as
Telegram would, with and without the secret token header. Replies are checked through the fake
Bot API. Bad webhook settings end with one line on stderr (exit 2), never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.console import plain
from tests.faults import BotProcess, FaultyBotAPI, free_port

SECRET = "s3cret_Token-42"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
PRIVATE_TEXT = "my private diary entry 7f3a"


@pytest.fixture
async def api() -> AsyncIterator[FaultyBotAPI]:
    server = FaultyBotAPI()
    await server.start()
    yield server
    await server.stop()


def webhook_args(api: FaultyBotAPI, port: int, *extra: str) -> list[str]:
    return [
        "--base-url",
        api.base_url,
        "--webhook-url",
        f"http://127.0.0.1:{port}/telegram",
        "--listen",
        "127.0.0.1",
        "--port",
        str(port),
        *extra,
    ]


async def wait_listening(port: int, bot: BotProcess, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert bot.proc is not None
        if bot.proc.returncode is not None:
            raise AssertionError(f"paperbot exited with {bot.proc.returncode}:\n{bot.logs}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise AssertionError(f"nothing listens on {port}:\n{bot.logs}")


def update_of(api: FaultyBotAPI, chat: int, text: str) -> dict[str, Any]:
    """An update as Telegram would POST it (made by the fake, then taken off its queue)."""
    api.send_text(chat, text)
    (update,) = api.take_updates()
    return update


async def post(port: int, body: object, secret: str | None) -> int:
    """POST an update (a dict as JSON, or raw bytes) as Telegram would; return the status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[HEADER] = secret
    data = body if isinstance(body, bytes) else json.dumps(body)
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}/telegram", data=data, headers=headers) as response,
    ):
        return response.status


async def test_webhook_mode_answers_updates_with_the_secret_and_ignores_forged_ones(
    api: FaultyBotAPI, tmp_path: Path
) -> None:
    port = free_port()
    bot = await BotProcess(
        tmp_path / "hook.db", webhook_args(api, port, "--secret-token", SECRET)
    ).start()
    try:
        registered = await bot.wait_call(api, "setWebhook")
        assert registered.params["url"] == f"http://127.0.0.1:{port}/telegram"
        assert registered.params["secret_token"] == SECRET
        await wait_listening(port, bot)

        assert await post(port, update_of(api, 42, "what is resnet"), SECRET) == 200
        reply = await api.next_reply(42, timeout=15)
        assert "Deep Residual Learning" in plain(reply.text or "")

        assert await post(port, update_of(api, 43, "what is resnet"), None) == 403
        assert await post(port, update_of(api, 43, "/start"), "wrong-secret") == 403
        # A malformed update (no message_id, no date) with the right secret: refused, and
        # the user's text never reaches the logs above DEBUG.
        broken = {"update_id": 999, "message": {"text": PRIVATE_TEXT, "chat": {"id": 44}}}
        assert await post(port, broken, SECRET) == 400
        assert (
            await post(port, b'{"update_id": 1000, "text": "' + PRIVATE_TEXT.encode(), SECRET)
            >= 400
        )
        # The bot is still up and answering after all that.
        assert await post(port, update_of(api, 42, "/progress"), SECRET) == 200
        await api.next_reply(42, timeout=15)
    finally:
        code = await bot.stop()
    assert code == 0, bot.logs
    assert api.sent(43) == [] and api.sent(44) == [], "forged updates got nothing"
    assert PRIVATE_TEXT not in bot.logs, bot.logs
    assert "level=critical" not in bot.logs, bot.logs
    assert any("unreadable update" in line for line in bot.lines), bot.logs
    assert all(line.startswith("ts=") for line in bot.lines if line.strip()), bot.logs


def one_line_error(bot: BotProcess, code: int) -> str:
    """The process failed with exit 2 and said why in one line (no traceback)."""
    assert code == 2, bot.logs
    assert "Traceback" not in bot.logs, bot.logs
    last = bot.lines[-1]
    assert last.startswith("paperbot: "), bot.logs
    return last


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ((), "--secret-token"),
        (("--secret-token", "has spaces and ünicode"), "A-Z, a-z, 0-9"),
        (("--secret-token", "x" * 257), "1-256"),
    ],
    ids=["no secret", "bad characters", "too long"],
)
async def test_webhook_secret_is_required_and_checked(
    api: FaultyBotAPI, tmp_path: Path, extra: tuple[str, ...], expected: str
) -> None:
    port = free_port()
    bot = await BotProcess(tmp_path / "w.db", webhook_args(api, port, *extra)).start()
    line = one_line_error(bot, await bot.wait())
    assert expected in line
    assert "has spaces" not in line, "the secret is never echoed"
    assert api.calls("setWebhook") == [] and api.calls("getMe") == []


async def test_webhook_without_a_secret_needs_no_secret_token(
    api: FaultyBotAPI, tmp_path: Path
) -> None:
    port = free_port()
    bot = await BotProcess(tmp_path / "w.db", webhook_args(api, port, "--no-secret-token")).start()
    try:
        registered = await bot.wait_call(api, "setWebhook")
        assert not registered.params.get("secret_token")
        await wait_listening(port, bot)
        assert await post(port, update_of(api, 42, "what is resnet"), None) == 200
        await api.next_reply(42, timeout=15)
    finally:
        code = await bot.stop()
    assert code == 0, bot.logs
    assert "without a secret token" in bot.logs


async def test_webhook_on_a_busy_port_fails_with_one_line(
    api: FaultyBotAPI, tmp_path: Path
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        bot = await BotProcess(
            tmp_path / "w.db", webhook_args(api, port, "--secret-token", SECRET)
        ).start()
        line = one_line_error(bot, await bot.wait())
    assert f"127.0.0.1:{port}" in line and "in use" in line
    assert api.calls("setWebhook") == [], "nothing registered for a bot that cannot listen"
