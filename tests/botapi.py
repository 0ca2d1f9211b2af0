"""A fake Telegram Bot API server on loopback, for the tests that need a wire.

The server is an :mod:`aiohttp.web` application bound to ``127.0.0.1`` on a free port, started
and stopped inside the test's own event loop::

    api = FakeBotAPI()
    await api.start()
    app = ApplicationBuilder().token(TOKEN).base_url(api.base_url).build()
    ...
    uid = api.send_text(42, "/start")
    reply = await api.next_reply(42)
    ...
    await api.stop()

It serves :class:`tests.botmethods.FakeTelegram` (the state, the methods and what Telegram
enforces) over HTTP: ``getUpdates`` long polling with ``offset`` / ``timeout``, uploads, file
downloads, and the faults only a wire has (a request held until the client times out, a
dropped connection). Most tests need none of that and use the in-process
:class:`tests.offline.OfflineRequest` over the same fake Telegram instead.

The module never contacts any address but ``127.0.0.1`` and never downloads anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.botmethods import FakeTelegram
from tests.botmodel import (
    BOT_FIRST_NAME,
    BOT_ID,
    BOT_USERNAME,
    COMMAND_RE,
    SEND_METHODS,
    Request,
    UploadedFile,
    busiest_second,
    norm_chat,
)
from tests.botrules import error_payload

__all__ = [
    "BOT_FIRST_NAME",
    "BOT_ID",
    "BOT_USERNAME",
    "COMMAND_RE",
    "SEND_METHODS",
    "FakeBotAPI",
    "Request",
    "UploadedFile",
    "busiest_second",
]

#: Form fields that are always kept as strings (never int/bool/JSON decoded).
_STRING_FIELDS: frozenset[str] = frozenset(
    {
        "text",
        "caption",
        "query",
        "data",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "description",
        "short_description",
        "name",
        "title",
        "url",
        "secret_token",
        "parse_mode",
        "action",
        "language_code",
        "next_offset",
        "switch_pm_text",
        "switch_pm_parameter",
        "file_id",
        "emoji",
        "business_connection_id",
        "message_effect_id",
    }
)
_INT_RE = re.compile(r"-?\d+")
_FLOAT_RE = re.compile(r"-?\d+\.\d+")


def _decode_form_value(key: str, value: str) -> Any:
    """Decode one form field the way python-telegram-bot encoded it (``json.dumps``)."""
    if key in _STRING_FIELDS:
        return value
    stripped = value.strip()
    if stripped[:1] in ("{", "[") and stripped[-1:] in ("}", "]"):
        try:
            return json.loads(stripped)
        except ValueError:
            return value
    if _INT_RE.fullmatch(stripped):
        return int(stripped)
    if _FLOAT_RE.fullmatch(stripped):
        return float(stripped)
    if stripped in ("true", "false"):
        return stripped == "true"
    if stripped == "null":
        return None
    return value


class FakeBotAPI(FakeTelegram):
    """:class:`~tests.botmethods.FakeTelegram` served over HTTP on ``127.0.0.1``.

    ``hang_seconds`` is how long an injected ``"timeout"`` fault holds the request.
    """

    def __init__(self, *, host: str = "127.0.0.1", hang_seconds: float = 30.0) -> None:
        if host != "127.0.0.1":
            raise ValueError("FakeBotAPI only binds to 127.0.0.1")
        super().__init__()
        self._host = host
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._cond = asyncio.Condition()
        self._updates_changed = asyncio.Event()
        self.hang_seconds: float = hang_seconds

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start serving on ``127.0.0.1`` on a free port (in the running event loop)."""
        if self._runner is not None:
            return
        self._closing.clear()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self._host, 0)
        await site.start()
        self._port = int(runner.addresses[0][1])
        self._runner = runner

    async def stop(self) -> None:
        """Wake every pending long poll / hanging request and shut the server down."""
        runner, self._runner = self._runner, None
        self._closing.set()
        self.updates_changed()
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on (only after :meth:`start`)."""
        if self._port is None:
            raise RuntimeError("FakeBotAPI is not started")
        return self._port

    @property
    def url(self) -> str:
        """Root URL of the server, e.g. ``http://127.0.0.1:PORT``."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Value for ``ApplicationBuilder.base_url`` / ``Bot(base_url=...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``ApplicationBuilder.base_file_url`` / ``Bot(base_file_url=...)``."""
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------ waiting

    async def wait_for(
        self,
        predicate: Callable[[Request], bool] | str,
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> Request:
        """Return the first recorded request (from index ``since``) matching ``predicate``.

        ``predicate`` may be a method name.  Raises :class:`AssertionError` with the last
        10 requests on timeout.
        """
        check: Callable[[Request], bool]
        if isinstance(predicate, str):
            method = predicate.lower()
            check = lambda r: r.method.lower() == method  # noqa: E731
        else:
            check = predicate
        found: list[Request] = []

        def scan() -> bool:
            for r in self.requests[since:]:
                if check(r):
                    found.append(r)
                    return True
            return False

        try:
            async with self._cond:
                await asyncio.wait_for(self._cond.wait_for(scan), timeout)
        except TimeoutError:
            raise AssertionError(
                f"no matching request within {timeout}s; last requests:\n{self.dump()}"
            ) from None
        return found[0]

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until ``condition()`` holds; it is checked after every recorded call.

        Raises:
            AssertionError: it did not hold within ``timeout`` seconds.
        """
        try:
            async with self._cond:
                await asyncio.wait_for(self._cond.wait_for(condition), timeout)
        except TimeoutError:
            raise AssertionError(
                f"condition not met within {timeout}s; last requests:\n{self.dump()}"
            ) from None

    async def next_reply(self, chat_id: int | str, timeout: float = 5.0) -> Request:
        """Return the next successful send/edit to ``chat_id`` not yet consumed by the test."""
        chat = norm_chat(chat_id)
        assert chat is not None

        def ready() -> bool:
            return len(self._sent_by_chat.get(chat, [])) > self._cursors.get(chat, 0)

        try:
            async with self._cond:
                await asyncio.wait_for(self._cond.wait_for(ready), timeout)
        except TimeoutError:
            raise AssertionError(
                f"no reply to chat {chat_id} within {timeout}s; last requests:\n{self.dump()}"
            ) from None
        index = self._cursors.get(chat, 0)
        self._cursors[chat] = index + 1
        return self._sent_by_chat[chat][index]

    async def replies(self, chat_id: int | str, count: int, timeout: float = 5.0) -> list[Request]:
        """Consume the next ``count`` replies to ``chat_id`` (see :meth:`next_reply`)."""
        deadline = time.monotonic() + timeout
        out = []
        for _ in range(count):
            out.append(await self.next_reply(chat_id, max(0.0, deadline - time.monotonic())))
        return out

    async def assert_no_reply(self, chat_id: int | str) -> None:
        """Assert that nothing new was sent to ``chat_id``. Call it once the bot is idle
        (:meth:`tests.harness.RunningBot.idle`, or after an awaited reminder job): it never
        waits, so it never passes by being too quick."""
        self.check_no_reply(chat_id)

    async def answered(self, update_id: int, timeout: float = 5.0) -> Request | None:
        """Wait until the bot has dealt with an injected update.

        For callback queries this waits for the matching ``answerCallbackQuery``, for inline
        queries for ``answerInlineQuery`` (both returned).  For other updates it waits until
        a ``getUpdates`` call confirmed the update (``offset > update_id``) and returns None.
        """
        if self.update_kind(update_id) in ("callback_query", "inline_query"):
            found = await self.wait_for(lambda r: self.answer_to(update_id) is r, timeout)
            return found
        await self.wait_confirmed(update_id, timeout)
        return None

    async def wait_confirmed(self, update_id: int, timeout: float = 5.0) -> None:
        """Wait until a ``getUpdates`` call confirmed ``update_id`` (``offset > update_id``):
        the bot has then handed it to its update queue."""
        try:
            async with self._cond:
                await asyncio.wait_for(
                    self._cond.wait_for(lambda: self.confirmed(update_id)), timeout
                )
        except TimeoutError:
            raise AssertionError(
                f"update {update_id} not confirmed within {timeout}s; last requests:\n"
                f"{self.dump()}"
            ) from None

    def updates_changed(self) -> None:
        """Wake every long poll waiting for updates."""
        event, self._updates_changed = self._updates_changed, asyncio.Event()
        event.set()

    # ------------------------------------------------------------------ HTTP layer

    async def _parse_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for key, value in request.query.items():
            params[key] = _decode_form_value(key, value)
        if request.method != "POST" or not request.body_exists:
            return params
        content_type = request.content_type
        if content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
            return params
        form = await request.post()
        for key, item in form.items():
            if isinstance(item, str):
                params[key] = _decode_form_value(key, item)
            elif isinstance(item, bytes | bytearray):
                params[key] = _decode_form_value(key, bytes(item).decode("utf-8", "replace"))
            else:  # FileField
                try:
                    content = item.file.read()
                finally:
                    item.file.close()
                params[key] = UploadedFile(key, item.filename, item.content_type, content)
        # resolve attach:// references to uploaded parts
        for key, ref in list(params.items()):
            if isinstance(ref, str) and ref.startswith("attach://"):
                part = params.get(ref[len("attach://") :])
                if isinstance(part, UploadedFile):
                    params[key] = part
        return params

    @staticmethod
    def _json(status: int, payload: dict[str, Any]) -> web.Response:
        return web.Response(
            status=status, text=json.dumps(payload), content_type="application/json"
        )

    async def _notify(self) -> None:
        async with self._cond:
            self._cond.notify_all()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        at = time.monotonic()
        token = request.match_info["token"]
        method = request.match_info["method"]
        self.tokens.add(token)
        try:
            params = await self._parse_params(request)
        except Exception as exc:  # malformed body
            req = Request(method, {}, at, token, 400, error=str(exc))
            self.requests.append(req)
            await self._notify()
            return self._json(400, error_payload(400, f"Bad Request: {exc}"))
        req = Request(method, params, at, token)
        fault = self.take_fault(method)
        if fault is not None and fault.kind in ("timeout", "disconnect"):
            req.status = 0
            req.error = fault.kind
            self.requests.append(req)
            await self._notify()
            if fault.kind == "timeout":
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), self.hang_seconds)
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)
        if method.lower() == "getupdates" and fault is None:
            req.status = 200
            offset = params.get("offset")
            self.confirm(offset if isinstance(offset, int) else None)
            self.requests.append(req)
            await self._notify()
            updates = await self._long_poll(params)
            req.result = updates
            return self._json(200, {"ok": True, "result": updates})
        status, payload = self.call(req, fault)
        await self._notify()
        return self._json(status, payload)

    async def _long_poll(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        limit = params.get("limit")
        limit = max(1, min(100, limit)) if isinstance(limit, int) and limit > 0 else 100
        timeout = params.get("timeout")
        timeout_s = float(timeout) if isinstance(timeout, int | float) else 0.0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout_s)
        while True:
            batch = self.pending_updates[:limit]
            if batch or self._closing.is_set():
                return copy.deepcopy(batch)
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            event = self._updates_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        self.tokens.add(request.match_info["token"])
        path = request.match_info["path"]
        for file_id, upload in self.files.items():
            if path == self.file_path(file_id):
                return web.Response(body=upload.content)
        return self._json(404, error_payload(404, "Not Found"))
