"""A fake Telegram Bot API server for end-to-end tests of python-telegram-bot bots.

The server is an :mod:`aiohttp.web` application bound to ``127.0.0.1`` on a free port.  It is
started and stopped inside the test's own event loop::

    api = FakeBotAPI()
    await api.start()
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    ...
    uid = api.send_text(42, "/start")
    reply = await api.next_reply(42)
    assert "Welcome" in reply.text
    ...
    await api.stop()

It speaks enough of the Bot API for a polling bot (``getUpdates`` long polling with ``offset`` /
``timeout``), records every call in :attr:`FakeBotAPI.requests`, keeps the messages the bot sent
so that callback queries can carry them, and can inject faults (403/400 per chat, timeouts,
dropped connections, 5xx, ``retry_after``) and enforce flood limits.

The module never contacts any address but ``127.0.0.1`` and never downloads anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import html
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

__all__ = [
    "BOT_FIRST_NAME",
    "BOT_ID",
    "BOT_USERNAME",
    "SEND_METHODS",
    "FakeBotAPI",
    "Request",
    "UploadedFile",
]

BOT_ID = 1000
BOT_USERNAME = "paperbot_test_bot"
BOT_FIRST_NAME = "paperbot"

#: Methods whose successful calls count as "something the user sees" (see ``sent``/``next_reply``).
SEND_METHODS: frozenset[str] = frozenset({"sendmessage", "senddocument", "editmessagetext"})
#: Methods subject to ``enforce_limits``.
RATE_LIMITED_METHODS: frozenset[str] = SEND_METHODS
#: Methods affected by ``forbidden_chats`` / ``bad_request_chats``.
_CHAT_FAULT_PREFIXES: tuple[str, ...] = ("send", "edit", "copy", "forward", "deletemessage")

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
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")

_HTML_TAGS: frozenset[str] = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
_HTML_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024


@dataclass
class UploadedFile:
    """A file part received in a multipart request (e.g. ``sendDocument``)."""

    field: str
    filename: str | None
    content_type: str | None
    content: bytes

    @property
    def size(self) -> int:
        """Size of the upload in bytes."""
        return len(self.content)


@dataclass
class Request:
    """One recorded Bot API call.

    ``method`` is the method name as sent by the client (e.g. ``"sendMessage"``), ``params`` the
    decoded parameters, ``at`` the arrival time (:func:`time.monotonic`).  ``status`` is the HTTP
    status the fake decided on (``0`` for injected timeouts/disconnects) and ``result`` the
    ``result`` field of a successful answer (e.g. the sent Message as a dict).
    """

    method: str
    params: dict[str, Any]
    at: float
    token: str = ""
    status: int | None = None
    result: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the call was answered with ``{"ok": true}``."""
        return self.status == 200

    @property
    def chat_id(self) -> int | str | None:
        """The ``chat_id`` parameter (int when numeric)."""
        return _norm_chat(self.params.get("chat_id"))

    @property
    def text(self) -> str | None:
        """``text`` or ``caption`` of the call."""
        value = self.params.get("text", self.params.get("caption"))
        return None if value is None else str(value)

    @property
    def message_id(self) -> int | None:
        """The id of the message this call created or edited, when known."""
        if isinstance(self.result, dict) and "message_id" in self.result:
            return int(self.result["message_id"])
        mid = self.params.get("message_id")
        return int(mid) if isinstance(mid, int | str) and str(mid).lstrip("-").isdigit() else None

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        """The decoded ``reply_markup`` parameter, if any."""
        markup = self.params.get("reply_markup")
        return markup if isinstance(markup, dict) else None

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """Rows of inline keyboard buttons of ``reply_markup`` (empty if none)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or []
        return [list(row) for row in rows]

    @property
    def callback_data(self) -> list[str]:
        """All ``callback_data`` values of the inline keyboard, row by row."""
        return [b["callback_data"] for row in self.buttons for b in row if "callback_data" in b]

    def __str__(self) -> str:
        shown = {k: v for k, v in self.params.items() if not isinstance(v, UploadedFile)}
        files = [k for k, v in self.params.items() if isinstance(v, UploadedFile)]
        extra = f" files={files}" if files else ""
        return f"{self.method} [{self.status}] {shown!r}{extra}"


class _ApiError(Exception):
    """Raised by method implementations to answer ``{"ok": false, ...}``."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class _Fault:
    kind: str  # "timeout" | "disconnect" | "error"
    code: int = 0
    description: str = ""
    parameters: dict[str, Any] | None = None


@dataclass
class _Limits:
    global_per_second: int
    per_chat_per_second: int
    global_window: deque[float] = field(default_factory=deque)
    chat_windows: dict[int | str, deque[float]] = field(default_factory=dict)


def _norm_chat(value: Any) -> int | str | None:
    """Normalise a chat id: ints stay ints, numeric strings become ints."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if _INT_RE.fullmatch(text) else text


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


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


def _check_html(text: str) -> str:
    """Validate Telegram-HTML markup; return the visible text or raise :class:`_ApiError`."""
    stack: list[str] = []
    for match in _HTML_TAG_RE.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        offset = len(text[: match.start()].encode("utf-8"))
        if name not in _HTML_TAGS:
            kind = "end" if closing else "start"
            raise _ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unsupported {kind} tag "{name}" '
                f"at byte offset {offset}",
            )
        if not closing:
            stack.append(name)
            continue
        if not stack:
            raise _ApiError(
                400,
                f"Bad Request: can't parse entities: Unexpected end tag at byte offset {offset}",
            )
        expected = stack.pop()
        if expected != name:
            raise _ApiError(
                400,
                "Bad Request: can't parse entities: Unmatched end tag at byte offset "
                f'{offset}, expected "</{expected}>", found "</{name}>"',
            )
    if stack:
        raise _ApiError(
            400,
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1]}"',
        )
    return html.unescape(_HTML_TAG_RE.sub("", text))


class FakeBotAPI:
    """An in-process fake of ``https://api.telegram.org`` for one or more bot tokens.

    Public state (all mutable at runtime):

    * ``requests`` - every call, in order of decision (see :class:`Request`);
    * ``tokens`` - every token seen in a URL;
    * ``forbidden_chats`` / ``bad_request_chats`` - chats answered with 403 / 400;
    * ``hang_seconds`` - how long an injected ``"timeout"`` fault holds the request;
    * ``too_many`` - number of 429 answers produced by :meth:`enforce_limits`;
    * ``delivered`` - ``(chat_id, text)`` of every successful send/edit;
    * ``updates`` - every injected update (dicts), ``pending_updates`` - not yet confirmed ones;
    * ``messages`` - ``(chat_id, message_id) -> Message dict`` of all known messages;
    * ``validate_html`` - reject malformed ``parse_mode="HTML"`` text like Telegram does;
    * ``strict_not_modified`` - answer 400 "message is not modified" for no-op edits.
    """

    def __init__(self, *, host: str = "127.0.0.1", hang_seconds: float = 30.0) -> None:
        if host != "127.0.0.1":
            raise ValueError("FakeBotAPI only binds to 127.0.0.1")
        self._host = host
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._cond = asyncio.Condition()
        self._updates_changed = asyncio.Event()

        self.requests: list[Request] = []
        self.tokens: set[str] = set()
        self.forbidden_chats: set[int] = set()
        self.bad_request_chats: set[int] = set()
        self.hang_seconds: float = hang_seconds
        self.too_many: int = 0
        self.delivered: list[tuple[int | str, str]] = []
        self.updates: list[dict[str, Any]] = []
        self.pending_updates: list[dict[str, Any]] = []
        self.messages: dict[tuple[int | str, int], dict[str, Any]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.validate_html: bool = True
        self.strict_not_modified: bool = True

        self.webhook_url: str = ""
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.menu_buttons: dict[int | str | None, dict[str, Any]] = {}

        self._faults: dict[str, deque[_Fault]] = {}
        self._limits: _Limits | None = None
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(9_000_001)
        self._inline_ids = itertools.count(7_000_001)
        self._file_ids = itertools.count(1)
        self._next_message_id: dict[int | str, int] = {}
        self._chats: dict[int | str, dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._sent_by_chat: dict[int | str, list[Request]] = {}
        self._cursors: dict[int | str, int] = {}
        self._confirmed_offset = 0
        self._update_kinds: dict[int, tuple[str, str]] = {}

        self._handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getme": self._get_me,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._true,
            "answerinlinequery": self._true,
            "sendchataction": self._true,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setmydescription": self._set_my_description,
            "getmydescription": self._get_my_description,
            "setmyshortdescription": self._set_my_short_description,
            "getmyshortdescription": self._get_my_short_description,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "getfile": self._get_file,
            "close": self._true,
            "logout": self._true,
        }

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
        self._pulse_updates()
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

    # ------------------------------------------------------------------ configuration

    def fail_next(self, method: str, kind: str, count: int = 1) -> None:
        """Make the next ``count`` calls of ``method`` fail.

        ``kind`` is ``"timeout"`` (hold the request for ``hang_seconds``, then drop it),
        ``"disconnect"`` (close the connection without answering), ``"500"`` (or any other
        3-digit HTTP status) or ``"retry_after:N"`` (429 with ``parameters.retry_after = N``).
        """
        fault = self._parse_fault(kind)
        queue = self._faults.setdefault(method.lower(), deque())
        queue.extend(copy.copy(fault) for _ in range(count))

    def clear_faults(self) -> None:
        """Forget all pending :meth:`fail_next` faults."""
        self._faults.clear()

    def enforce_limits(self, global_per_second: int = 30, per_chat_per_second: int = 1) -> None:
        """Enable flood control for sendMessage/sendDocument/editMessageText.

        A sliding one-second window is kept overall and per chat; a call that would exceed
        either limit is answered with 429 ``retry_after = 1`` and counted in ``too_many``.
        """
        self._limits = _Limits(global_per_second, per_chat_per_second)

    def disable_limits(self) -> None:
        """Turn flood control off again."""
        self._limits = None

    @staticmethod
    def _parse_fault(kind: str) -> _Fault:
        if kind in ("timeout", "disconnect"):
            return _Fault(kind)
        if kind.startswith("retry_after:"):
            seconds = int(kind.split(":", 1)[1])
            return _Fault(
                "error",
                429,
                f"Too Many Requests: retry after {seconds}",
                {"retry_after": seconds},
            )
        if re.fullmatch(r"[1-5]\d\d", kind):
            code = int(kind)
            descriptions = {
                500: "Internal Server Error",
                502: "Bad Gateway",
                503: "Service Unavailable",
                400: "Bad Request",
                403: "Forbidden",
                409: "Conflict",
            }
            return _Fault("error", code, descriptions.get(code, f"Error {code}"))
        raise ValueError(f"unknown fault kind {kind!r}")

    # ------------------------------------------------------------------ records

    def calls(self, method: str) -> list[Request]:
        """All recorded calls of ``method`` (case-insensitive), in order."""
        wanted = method.lower()
        return [r for r in self.requests if r.method.lower() == wanted]

    def sent(
        self, chat_id: int | str | None = None, *, include_failed: bool = False
    ) -> list[Request]:
        """sendMessage/sendDocument/editMessageText calls, optionally for one chat.

        By default only successful calls are returned (what the user actually saw).
        """
        chat = _norm_chat(chat_id)
        return [
            r
            for r in self.requests
            if r.method.lower() in SEND_METHODS
            and (include_failed or r.ok)
            and (chat is None or r.chat_id == chat)
        ]

    def texts(self, chat_id: int | str | None = None) -> list[str]:
        """The texts (or captions) of :meth:`sent`, in order."""
        return [r.text or "" for r in self.sent(chat_id)]

    def last_bot_message(self, chat_id: int | str) -> dict[str, Any] | None:
        """The most recent stored message sent by the bot in ``chat_id``."""
        chat = _norm_chat(chat_id)
        candidates = [
            m
            for (c, _), m in self.messages.items()
            if c == chat and m.get("from", {}).get("id") == BOT_ID
        ]
        if not candidates:
            return None
        return copy.deepcopy(max(candidates, key=lambda m: m["message_id"]))

    def buttons(self, chat_id: int | str, message_id: int) -> list[list[dict[str, Any]]]:
        """Current inline keyboard rows of a stored message (empty if none)."""
        chat = _norm_chat(chat_id)
        message = None if chat is None else self.messages.get((chat, message_id))
        if message is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        return copy.deepcopy(rows)

    def reset_records(self) -> None:
        """Forget recorded requests, deliveries and reply cursors (keeps messages/updates)."""
        self.requests.clear()
        self.delivered.clear()
        self.too_many = 0
        self._sent_by_chat.clear()
        self._cursors.clear()

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

    async def next_reply(self, chat_id: int | str, timeout: float = 5.0) -> Request:
        """Return the next successful send/edit to ``chat_id`` not yet consumed by the test."""
        chat = _norm_chat(chat_id)
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

    def unread(self, chat_id: int | str) -> list[Request]:
        """Replies to ``chat_id`` not consumed yet; marks them as consumed."""
        chat = _norm_chat(chat_id)
        assert chat is not None
        sent = self._sent_by_chat.get(chat, [])
        index = self._cursors.get(chat, 0)
        self._cursors[chat] = len(sent)
        return sent[index:]

    async def assert_no_reply(self, chat_id: int | str, within: float = 0.3) -> None:
        """Assert that nothing new is sent to ``chat_id`` for ``within`` seconds."""
        chat = _norm_chat(chat_id)
        assert chat is not None
        start = self._cursors.get(chat, 0)
        with contextlib.suppress(TimeoutError):
            async with self._cond:
                await asyncio.wait_for(
                    self._cond.wait_for(lambda: len(self._sent_by_chat.get(chat, [])) > start),
                    within,
                )
        extra = self._sent_by_chat.get(chat, [])[start:]
        if extra:
            raise AssertionError(f"unexpected reply to chat {chat_id}: {extra[0]}")

    async def answered(self, update_id: int, timeout: float = 5.0) -> Request | None:
        """Wait until the bot has dealt with an injected update.

        For callback queries this waits for the matching ``answerCallbackQuery``, for inline
        queries for ``answerInlineQuery`` (both returned).  For other updates it waits until
        a ``getUpdates`` call confirmed the update (``offset > update_id``) and returns None.
        """
        kind, ident = self._update_kinds.get(update_id, ("message", ""))
        if kind == "callback_query":
            return await self.wait_for(
                lambda r: (
                    r.method.lower() == "answercallbackquery"
                    and str(r.params.get("callback_query_id")) == ident
                ),
                timeout,
            )
        if kind == "inline_query":
            return await self.wait_for(
                lambda r: (
                    r.method.lower() == "answerinlinequery"
                    and str(r.params.get("inline_query_id")) == ident
                ),
                timeout,
            )
        try:
            async with self._cond:
                await asyncio.wait_for(
                    self._cond.wait_for(lambda: self._confirmed_offset > update_id), timeout
                )
        except TimeoutError:
            raise AssertionError(
                f"update {update_id} not confirmed within {timeout}s; last requests:\n"
                f"{self.dump()}"
            ) from None
        return None

    def dump(self, last: int = 10) -> str:
        """Human-readable listing of the last ``last`` requests."""
        if not self.requests:
            return "  (no requests)"
        return "\n".join(f"  {r}" for r in self.requests[-last:])

    # ------------------------------------------------------------------ update injection

    def _user(
        self,
        user_id: int,
        first_name: str | None = None,
        language_code: str | None = "en",
        username: str | None = None,
    ) -> dict[str, Any]:
        user = dict(
            self._users.get(user_id, {"id": user_id, "is_bot": False, "first_name": "Ada"})
        )
        if first_name is not None:
            user["first_name"] = first_name
        if language_code is not None:
            user["language_code"] = language_code
        else:
            user.pop("language_code", None)
        if username is not None:
            user["username"] = username
        self._users[user_id] = user
        return dict(user)

    def _chat(self, chat_id: int | str) -> dict[str, Any]:
        chat = self._chats.get(chat_id)
        if chat is None:
            if isinstance(chat_id, int) and chat_id < 0:
                chat = {"id": chat_id, "type": "group", "title": "Test Group"}
            else:
                chat = {"id": chat_id, "type": "private", "first_name": "Ada"}
            self._chats[chat_id] = chat
        return dict(chat)

    def _new_message_id(self, chat_id: int | str) -> int:
        mid = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = mid + 1
        return mid

    def _push_update(self, update: dict[str, Any], kind: str, ident: str = "") -> int:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **update}
        self.updates.append(update)
        self.pending_updates.append(update)
        self._update_kinds[update_id] = (kind, ident)
        self._pulse_updates()
        return update_id

    def _pulse_updates(self) -> None:
        event, self._updates_changed = self._updates_changed, asyncio.Event()
        event.set()

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str = "Ada",
        language_code: str | None = "en",
        chat_type: str = "private",
        reply_to_bot: bool = False,
        reply_to: int | None = None,
        chat_title: str = "Test Group",
        username: str | None = None,
    ) -> int:
        """Inject a text message from a user; return its update id.

        ``user_id`` defaults to ``chat_id`` (``abs(chat_id)`` for negative group ids).
        A leading ``/command`` gets a ``bot_command`` entity.  ``chat_type`` may be
        ``"private"``, ``"group"`` or ``"supergroup"``.  ``reply_to_bot`` makes the message a
        reply to the bot's latest message in the chat; ``reply_to`` to a specific message id.
        """
        if user_id is None:
            user_id = abs(chat_id) if chat_type != "private" else chat_id
        user = self._user(user_id, first_name, language_code, username)
        chat: dict[str, Any]
        if chat_type == "private":
            chat = {"id": chat_id, "type": "private", "first_name": first_name}
            if username:
                chat["username"] = username
        else:
            chat = {"id": chat_id, "type": chat_type, "title": chat_title}
        self._chats[chat_id] = dict(chat)
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat_id),
            "from": user,
            "date": int(time.time()),
            "chat": chat,
            "text": text,
        }
        if text.startswith("/"):
            match = _COMMAND_RE.match(text)
            if match:
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": _utf16_len(match.group(0))}
                ]
        replied: dict[str, Any] | None = None
        if reply_to is not None:
            replied = copy.deepcopy(self.messages.get((chat_id, reply_to)))
            if replied is None:
                raise LookupError(f"no message {reply_to} in chat {chat_id}")
        elif reply_to_bot:
            replied = self.last_bot_message(chat_id)
            if replied is None:
                replied = {
                    "message_id": self._new_message_id(chat_id),
                    "from": self._bot_user(),
                    "date": int(time.time()),
                    "chat": dict(chat),
                    "text": "",
                }
        if replied is not None:
            replied.pop("reply_to_message", None)
            message["reply_to_message"] = replied
        self.messages[(chat_id, message["message_id"])] = copy.deepcopy(message)
        return self._push_update({"message": message}, "message")

    def press(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        language_code: str | None = "en",
        first_name: str = "Ada",
        strict: bool = True,
    ) -> int:
        """Inject a callback query for a button of a stored bot message; return the update id.

        With ``strict`` (default) the message must carry an inline button with exactly this
        ``callback_data``.  ``user_id`` defaults to ``chat_id``.
        """
        message = self.messages.get((chat_id, message_id))
        if message is None:
            raise LookupError(
                f"no message {message_id} in chat {chat_id}; known: "
                f"{sorted(k for k in self.messages if k[0] == chat_id)}"
            )
        if strict:
            rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
            datas = [b.get("callback_data") for row in rows for b in row]
            if data not in datas:
                raise LookupError(
                    f"message {message_id} in chat {chat_id} has no button with callback_data "
                    f"{data!r}; buttons: {datas}"
                )
        if user_id is None:
            user_id = chat_id if chat_id > 0 else abs(chat_id)
        query_id = str(next(self._callback_ids))
        query = {
            "id": query_id,
            "from": self._user(user_id, first_name, language_code),
            "message": copy.deepcopy(message),
            "chat_instance": str(-abs(hash(("chat_instance", chat_id))) % 10**18),
            "data": data,
        }
        return self._push_update({"callback_query": query}, "callback_query", query_id)

    def press_label(self, chat_id: int, message_id: int, label: str, **kwargs: Any) -> int:
        """Like :meth:`press` but finds the button by (a substring of) its text."""
        for row in self.buttons(chat_id, message_id):
            for button in row:
                if label in button.get("text", "") and "callback_data" in button:
                    return self.press(chat_id, message_id, button["callback_data"], **kwargs)
        raise LookupError(f"no button labelled {label!r} on message {message_id}")

    def inline_query(
        self,
        user_id: int,
        query: str,
        *,
        language_code: str | None = "en",
        first_name: str = "Ada",
        offset: str = "",
    ) -> int:
        """Inject an inline query; return its update id."""
        query_id = str(next(self._inline_ids))
        payload = {
            "id": query_id,
            "from": self._user(user_id, first_name, language_code),
            "query": query,
            "offset": offset,
            "chat_type": "sender",
        }
        return self._push_update({"inline_query": payload}, "inline_query", query_id)

    def inject(self, update: dict[str, Any]) -> int:
        """Inject an arbitrary update dict (``update_id`` is assigned); return its id."""
        body = {k: v for k, v in update.items() if k != "update_id"}
        return self._push_update(body, next(iter(body), "unknown"))

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
            status=status,
            text=json.dumps(payload),
            content_type="application/json",
        )

    @staticmethod
    def _error_payload(
        code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            payload["parameters"] = parameters
        return payload

    async def _record(self, req: Request) -> None:
        self.requests.append(req)
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
            await self._record(req)
            return self._json(400, self._error_payload(400, f"Bad Request: {exc}"))
        req = Request(method, params, at, token)
        key = method.lower()

        fault = self._take_fault(key)
        if fault is not None and fault.kind in ("timeout", "disconnect"):
            req.status = 0
            req.error = fault.kind
            await self._record(req)
            if fault.kind == "timeout":
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), self.hang_seconds)
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)

        if key == "getupdates" and fault is None:
            req.status = 200
            offset = params.get("offset")
            self._confirm(offset if isinstance(offset, int) else None)
            await self._record(req)
            updates = await self._long_poll(params)
            req.result = updates
            return self._json(200, {"ok": True, "result": updates})

        status, payload = self._decide(key, req, fault)
        req.status = status
        if payload.get("ok"):
            req.result = payload.get("result")
        else:
            req.error = payload.get("description")
        self.requests.append(req)
        if status == 200 and key in SEND_METHODS and req.chat_id is not None:
            self._sent_by_chat.setdefault(req.chat_id, []).append(req)
        async with self._cond:
            self._cond.notify_all()
        return self._json(status, payload)

    def _take_fault(self, key: str) -> _Fault | None:
        queue = self._faults.get(key)
        if not queue:
            return None
        fault = queue.popleft()
        if not queue:
            del self._faults[key]
        return fault

    def _decide(self, key: str, req: Request, fault: _Fault | None) -> tuple[int, dict[str, Any]]:
        """Synchronously compute the answer of a (non-long-poll) call."""
        if fault is not None:
            return fault.code, self._error_payload(fault.code, fault.description, fault.parameters)
        handler = self._handlers.get(key)
        if handler is None:
            return 404, self._error_payload(404, "Not Found: method not found")
        chat = req.chat_id
        if chat is not None and key.startswith(_CHAT_FAULT_PREFIXES):
            if chat in self.forbidden_chats:
                return 403, self._error_payload(403, "Forbidden: bot was blocked by the user")
            if chat in self.bad_request_chats:
                return 400, self._error_payload(400, "Bad Request: chat not found")
        now = time.monotonic()
        if (
            key in RATE_LIMITED_METHODS
            and self._limits is not None
            and chat is not None
            and self._rate_limited(chat, now)
        ):
            self.too_many += 1
            return 429, self._error_payload(
                429, "Too Many Requests: retry after 1", {"retry_after": 1}
            )
        try:
            result = handler(req.params)
        except _ApiError as err:
            return err.code, self._error_payload(err.code, err.description, err.parameters)
        if key in RATE_LIMITED_METHODS and chat is not None:
            if self._limits is not None:
                self._limits.global_window.append(now)
                self._limits.chat_windows.setdefault(chat, deque()).append(now)
            self.delivered.append((chat, req.text or ""))
        return 200, {"ok": True, "result": result}

    def _rate_limited(self, chat: int | str, now: float) -> bool:
        limits = self._limits
        assert limits is not None
        horizon = now - 1.0
        window = limits.global_window
        while window and window[0] <= horizon:
            window.popleft()
        chat_window = limits.chat_windows.setdefault(chat, deque())
        while chat_window and chat_window[0] <= horizon:
            chat_window.popleft()
        return (
            len(window) >= limits.global_per_second
            or len(chat_window) >= limits.per_chat_per_second
        )

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset > 0:
            self.pending_updates = [u for u in self.pending_updates if u["update_id"] >= offset]
            self._confirmed_offset = max(self._confirmed_offset, offset)
        else:
            keep = self.pending_updates[offset:]
            if keep:
                self._confirmed_offset = max(self._confirmed_offset, keep[0]["update_id"])
            self.pending_updates = keep

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
            if path == self._file_path(file_id, upload):
                return web.Response(body=upload.content)
        return self._json(404, self._error_payload(404, "Not Found"))

    # ------------------------------------------------------------------ method implementations

    @staticmethod
    def _bot_user() -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }

    @staticmethod
    def _true(params: dict[str, Any]) -> bool:
        return True

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            if self.pending_updates:
                self._confirmed_offset = max(
                    self._confirmed_offset, self.pending_updates[-1]["update_id"] + 1
                )
            self.pending_updates = []
        return True

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self.pending_updates = []
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending_updates),
        }

    def _target_chat(self, params: dict[str, Any]) -> int | str:
        chat = _norm_chat(params.get("chat_id"))
        if chat is None:
            raise _ApiError(400, "Bad Request: chat_id is empty")
        return chat

    def _check_text(self, params: dict[str, Any], key: str, limit: int, empty_ok: bool) -> str:
        raw = params.get(key)
        text = "" if raw is None else str(raw)
        visible = text
        if self.validate_html and str(params.get("parse_mode") or "").lower() == "html":
            visible = _check_html(text)
        if not visible.strip() and not empty_ok:
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(visible) > limit:
            what = "message caption" if key == "caption" else "message"
            raise _ApiError(400, f"Bad Request: {what} is too long")
        return text

    def _new_bot_message(self, chat: int | str, params: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat),
            "from": self._bot_user(),
            "date": int(time.time()),
            "chat": self._chat(chat),
        }
        if isinstance(params.get("message_thread_id"), int):
            message["message_thread_id"] = params["message_thread_id"]
        reply_id = params.get("reply_to_message_id")
        reply_params = params.get("reply_parameters")
        if isinstance(reply_params, dict):
            reply_id = reply_params.get("message_id")
        if isinstance(reply_id, int) and (chat, reply_id) in self.messages:
            replied = copy.deepcopy(self.messages[(chat, reply_id)])
            replied.pop("reply_to_message", None)
            message["reply_to_message"] = replied
        return message

    @staticmethod
    def _apply_markup(message: dict[str, Any], markup: Any) -> None:
        # Telegram only reflects inline keyboards in the returned Message.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = copy.deepcopy(markup)
        else:
            message.pop("reply_markup", None)

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(params)
        text = self._check_text(params, "text", MAX_TEXT_LENGTH, empty_ok=False)
        message = self._new_bot_message(chat, params)
        message["text"] = text
        self._apply_markup(message, params.get("reply_markup"))
        self.messages[(chat, message["message_id"])] = copy.deepcopy(message)
        return message

    def _file_path(self, file_id: str, upload: UploadedFile) -> str:
        suffix = ""
        if upload.filename and "." in upload.filename:
            suffix = "." + upload.filename.rsplit(".", 1)[1]
        return f"documents/{file_id}{suffix}"

    def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(params)
        caption = self._check_text(params, "caption", MAX_CAPTION_LENGTH, empty_ok=True)
        document = params.get("document")
        if isinstance(document, UploadedFile):
            file_id = f"BQACAgDOC{next(self._file_ids):06d}"
            self.files[file_id] = document
            doc = {
                "file_id": file_id,
                "file_unique_id": f"U{file_id[-8:]}",
                "file_name": document.filename or "document",
                "mime_type": document.content_type or "application/octet-stream",
                "file_size": document.size,
            }
        elif isinstance(document, str) and document:
            known = self.files.get(document)
            name = document.rsplit("/", 1)[-1] if "://" in document else "document"
            doc = {
                "file_id": document if known else f"BQACAgURL{next(self._file_ids):06d}",
                "file_unique_id": f"U{next(self._file_ids):08d}",
                "file_name": (known.filename if known else None) or name,
                "mime_type": (known.content_type if known else None) or "application/octet-stream",
                "file_size": known.size if known else 0,
            }
        else:
            raise _ApiError(400, "Bad Request: there is no document in the request")
        message = self._new_bot_message(chat, params)
        message["document"] = doc
        if caption:
            message["caption"] = caption
        self._apply_markup(message, params.get("reply_markup"))
        self.messages[(chat, message["message_id"])] = copy.deepcopy(message)
        return message

    def _stored_message(self, params: dict[str, Any]) -> tuple[int | str, dict[str, Any]] | None:
        if params.get("inline_message_id"):
            return None
        chat = self._target_chat(params)
        mid = params.get("message_id")
        message = self.messages.get((chat, mid)) if isinstance(mid, int) else None
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        return chat, message

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        text = self._check_text(params, "text", MAX_TEXT_LENGTH, empty_ok=False)
        found = self._stored_message(params)
        if found is None:
            return True
        chat, message = found
        if "text" not in message:
            raise _ApiError(400, "Bad Request: there is no text in the message to edit")
        new = copy.deepcopy(message)
        new["text"] = text
        self._apply_markup(new, params.get("reply_markup"))
        if (
            self.strict_not_modified
            and new.get("text") == message.get("text")
            and new.get("reply_markup") == message.get("reply_markup")
        ):
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        new["edit_date"] = int(time.time())
        self.messages[(chat, new["message_id"])] = new
        return copy.deepcopy(new)

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        found = self._stored_message(params)
        if found is None:
            return True
        chat, message = found
        new = copy.deepcopy(message)
        self._apply_markup(new, params.get("reply_markup"))
        if self.strict_not_modified and new.get("reply_markup") == message.get("reply_markup"):
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        new["edit_date"] = int(time.time())
        self.messages[(chat, new["message_id"])] = new
        return copy.deepcopy(new)

    def _delete_message(self, params: dict[str, Any]) -> bool:
        chat = self._target_chat(params)
        mid = params.get("message_id")
        if not isinstance(mid, int) or self.messages.pop((chat, mid), None) is None:
            raise _ApiError(400, "Bad Request: message to delete not found")
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope")
        scope_key = json.dumps(scope, sort_keys=True) if scope else '{"type": "default"}'
        return scope_key, str(params.get("language_code") or "")

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _ApiError(400, "Bad Request: can't parse commands JSON object")
        self.commands[self._commands_key(params)] = copy.deepcopy(commands)
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return copy.deepcopy(self.commands.get(self._commands_key(params), []))

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _set_my_description(self, params: dict[str, Any]) -> bool:
        self.descriptions[str(params.get("language_code") or "")] = str(
            params.get("description") or ""
        )
        return True

    def _get_my_description(self, params: dict[str, Any]) -> dict[str, str]:
        lang = str(params.get("language_code") or "")
        return {"description": self.descriptions.get(lang, "")}

    def _set_my_short_description(self, params: dict[str, Any]) -> bool:
        self.short_descriptions[str(params.get("language_code") or "")] = str(
            params.get("short_description") or ""
        )
        return True

    def _get_my_short_description(self, params: dict[str, Any]) -> dict[str, str]:
        lang = str(params.get("language_code") or "")
        return {"short_description": self.short_descriptions.get(lang, "")}

    def _set_chat_menu_button(self, params: dict[str, Any]) -> bool:
        button = params.get("menu_button")
        chat = _norm_chat(params.get("chat_id"))
        self.menu_buttons[chat] = (
            copy.deepcopy(button) if isinstance(button, dict) else {"type": "default"}
        )
        return True

    def _get_chat_menu_button(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = _norm_chat(params.get("chat_id"))
        return copy.deepcopy(
            self.menu_buttons.get(chat, self.menu_buttons.get(None, {"type": "default"}))
        )

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id") or "")
        upload = self.files.get(file_id)
        if upload is None:
            raise _ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"U{file_id[-8:]}",
            "file_size": upload.size,
            "file_path": self._file_path(file_id, upload),
        }


def busiest_second(times: list[float]) -> int:
    """The most events in any one-second window (the fake's window: (t - 1, t])."""
    times = sorted(times)
    best = start = 0
    for end, t in enumerate(times):
        while times[start] <= t - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best
