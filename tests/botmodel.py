"""The state of a fake Telegram (chats, messages, updates, recorded calls) and its decisions.

:class:`BotModel` is what both fakes of the Bot API share: it records every call, decides the
answer (with the checks of :mod:`tests.botrules`, injected faults and flood limits), keeps the
messages the bot sent so that button presses can carry them, and builds the updates a test
injects.
The users' side (the updates) is in :mod:`tests.botupdates`, the methods in
:mod:`tests.botmethods`; the transports are
:class:`tests.botapi.FakeBotAPI` (HTTP on loopback) and :class:`tests.offline.OfflineRequest`
(in-process). Nothing here does I/O.
"""

from __future__ import annotations

import copy
import itertools
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.botrules import ApiError, error_payload

BOT_ID = 1000
BOT_USERNAME = "paperbot_test_bot"
BOT_FIRST_NAME = "paperbot"

#: Methods whose successful calls count as "something the user sees" (see ``sent``/``next_reply``).
SEND_METHODS: frozenset[str] = frozenset(
    {"sendmessage", "senddocument", "sendpoll", "editmessagetext", "editmessagereplymarkup"}
)
#: Methods subject to ``enforce_limits``.
RATE_LIMITED_METHODS: frozenset[str] = SEND_METHODS
#: Methods affected by ``forbidden_chats`` / ``bad_request_chats``.
_CHAT_FAULT_PREFIXES: tuple[str, ...] = ("send", "edit", "copy", "forward", "deletemessage")
_INT_RE = re.compile(r"-?\d+")
COMMAND_RE = re.compile(r"/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")

Handler = Callable[[dict[str, Any]], Any]


def bot_user() -> dict[str, Any]:
    """The bot's own ``User`` dict."""
    return {"id": BOT_ID, "is_bot": True, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME}


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
        return norm_chat(self.params.get("chat_id"))

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
    def poll(self) -> dict[str, Any] | None:
        """The ``Poll`` of the message a successful ``sendPoll`` created (id, question,
        options, type, correct options, explanation), or None."""
        if isinstance(self.result, dict) and isinstance(self.result.get("poll"), dict):
            return dict(self.result["poll"])
        return None

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


@dataclass
class SentPoll:
    """A poll the bot sent: where it is, the ``Poll`` as Telegram shows it (``poll``, its
    counts kept up to date), and each voter's chosen options."""

    chat_id: int | str
    message_id: int
    poll: dict[str, Any]
    votes: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class Fault:
    """An injected failure of the next call of a method (see :meth:`BotModel.fail_next`)."""

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


def norm_chat(value: Any) -> int | str | None:
    """Normalise a chat id: ints stay ints, numeric strings become ints."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if _INT_RE.fullmatch(text) else text


def utf16_len(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (how Telegram counts entity offsets)."""
    return len(text.encode("utf-16-le")) // 2


class BotModel:
    """The state and the decisions of a fake Telegram, for one or more bot tokens.

    Public state (all mutable at runtime):

    * ``requests`` - every call, in order of decision (see :class:`Request`);
    * ``tokens`` - every token seen;
    * ``forbidden_chats`` / ``bad_request_chats`` - chats answered with 403 / 400;
    * ``too_many`` - number of 429 answers produced by :meth:`enforce_limits`;
    * ``delivered`` - ``(chat_id, text)`` of every successful send/edit;
    * ``updates`` - every injected update (dicts), ``pending_updates`` - not yet confirmed ones;
    * ``messages`` - ``(chat_id, message_id) -> Message dict`` of all known messages;
    * ``polls`` - ``poll id -> SentPoll`` of every poll the bot sent (see ``sendPoll``);
    * ``chat_admins`` - ``chat id -> user ids`` who administer a group (``getChatMember``
      answers ``administrator`` for them, ``member`` for anyone else);
    * ``validate_html`` - reject malformed ``parse_mode="HTML"`` text like Telegram does;
    * ``strict_not_modified`` - answer 400 "message is not modified" for no-op edits.
    """

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.tokens: set[str] = set()
        self.forbidden_chats: set[int] = set()
        self.bad_request_chats: set[int] = set()
        self.too_many: int = 0
        self.delivered: list[tuple[int | str, str]] = []
        self.updates: list[dict[str, Any]] = []
        self.pending_updates: list[dict[str, Any]] = []
        self.messages: dict[tuple[int | str, int], dict[str, Any]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.polls: dict[str, SentPoll] = {}
        self.chat_admins: dict[int | str, set[int]] = {}
        self.validate_html: bool = True
        self.strict_not_modified: bool = True

        self._faults: dict[str, deque[Fault]] = {}
        self._limits: _Limits | None = None
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(9_000_001)
        self._inline_ids = itertools.count(7_000_001)
        self._next_message_id: dict[int | str, int] = {}
        self._chats: dict[int | str, dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._sent_by_chat: dict[int | str, list[Request]] = {}
        self._cursors: dict[int | str, int] = {}
        self._confirmed_offset = 0
        self._update_kinds: dict[int, tuple[str, str]] = {}
        self._handlers: dict[str, Handler] = {}

    # ------------------------------------------------------------------ configuration

    def fail_next(self, method: str, kind: str, count: int = 1) -> None:
        """Make the next ``count`` calls of ``method`` fail.

        ``kind`` is ``"timeout"`` (hold the request, then drop it), ``"disconnect"`` (close
        the connection without answering), ``"500"`` (or any other 3-digit HTTP status) or
        ``"retry_after:N"`` (429 with ``parameters.retry_after = N``). Timeouts and
        disconnects need a wire: only :class:`tests.botapi.FakeBotAPI` has them.
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
    def _parse_fault(kind: str) -> Fault:
        if kind in ("timeout", "disconnect"):
            return Fault(kind)
        if kind.startswith("retry_after:"):
            seconds = int(kind.split(":", 1)[1])
            return Fault(
                "error", 429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
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
            return Fault("error", code, descriptions.get(code, f"Error {code}"))
        raise ValueError(f"unknown fault kind {kind!r}")

    def take_fault(self, method: str) -> Fault | None:
        """The fault injected for the next call of ``method``, if any (consumed)."""
        key = method.lower()
        queue = self._faults.get(key)
        if not queue:
            return None
        fault = queue.popleft()
        if not queue:
            del self._faults[key]
        return fault

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
        chat = norm_chat(chat_id)
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
        chat = norm_chat(chat_id)
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
        chat = norm_chat(chat_id)
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

    def unread(self, chat_id: int | str) -> list[Request]:
        """Replies to ``chat_id`` not consumed yet; marks them as consumed."""
        chat = norm_chat(chat_id)
        assert chat is not None
        sent = self._sent_by_chat.get(chat, [])
        index = self._cursors.get(chat, 0)
        self._cursors[chat] = len(sent)
        return sent[index:]

    def has_reply(self, chat_id: int | str) -> bool:
        """Whether a reply to ``chat_id`` is waiting to be consumed."""
        chat = norm_chat(chat_id)
        return len(self._sent_by_chat.get(chat or 0, [])) > self._cursors.get(chat or 0, 0)

    def take_reply(self, chat_id: int | str) -> Request:
        """Consume the next successful send/edit to ``chat_id`` (it must be there already).

        Raises:
            AssertionError: nothing new was sent to the chat.
        """
        chat = norm_chat(chat_id)
        assert chat is not None
        if not self.has_reply(chat):
            raise AssertionError(f"no reply to chat {chat_id}; last requests:\n{self.dump()}")
        index = self._cursors.get(chat, 0)
        self._cursors[chat] = index + 1
        return self._sent_by_chat[chat][index]

    def check_no_reply(self, chat_id: int | str) -> None:
        """Assert that nothing was sent to ``chat_id`` since the last consumed reply."""
        chat = norm_chat(chat_id)
        assert chat is not None
        extra = self._sent_by_chat.get(chat, [])[self._cursors.get(chat, 0) :]
        if extra:
            raise AssertionError(f"unexpected reply to chat {chat_id}: {extra[0]}")

    def answer_to(self, update_id: int) -> Request | None:
        """The bot's answer to an injected callback or inline query (None: not answered yet;
        always None for other updates)."""
        kind, ident = self._update_kinds.get(update_id, ("message", ""))
        method, key = {
            "callback_query": ("answercallbackquery", "callback_query_id"),
            "inline_query": ("answerinlinequery", "inline_query_id"),
        }.get(kind, ("", ""))
        for r in self.requests:
            if method and r.method.lower() == method and str(r.params.get(key)) == ident:
                return r
        return None

    def update_kind(self, update_id: int) -> str:
        """``message``, ``callback_query``, ``inline_query``, ... of an injected update."""
        return self._update_kinds.get(update_id, ("message", ""))[0]

    def dump(self, last: int = 10) -> str:
        """Human-readable listing of the last ``last`` requests."""
        if not self.requests:
            return "  (no requests)"
        return "\n".join(f"  {r}" for r in self.requests[-last:])

    # ------------------------------------------------------------------ decisions

    def call(self, req: Request, fault: Fault | None = None) -> tuple[int, dict[str, Any]]:
        """Decide and record the answer to one (non-long-poll) call; returns the HTTP status
        and the JSON body. The fake's methods run here, with Telegram's checks."""
        self.tokens.add(req.token)
        status, payload = self._decide(req.method.lower(), req, fault)
        req.status = status
        if payload.get("ok"):
            req.result = payload.get("result")
        else:
            req.error = payload.get("description")
        self.requests.append(req)
        if status == 200 and req.method.lower() in SEND_METHODS and req.chat_id is not None:
            self._sent_by_chat.setdefault(req.chat_id, []).append(req)
        return status, payload

    def _decide(self, key: str, req: Request, fault: Fault | None) -> tuple[int, dict[str, Any]]:
        if fault is not None:
            return fault.code, error_payload(fault.code, fault.description, fault.parameters)
        handler = self._handlers.get(key)
        if handler is None:
            return 404, error_payload(404, "Not Found: method not found")
        chat = req.chat_id
        if chat is not None and key.startswith(_CHAT_FAULT_PREFIXES):
            if chat in self.forbidden_chats:
                return 403, error_payload(403, "Forbidden: bot was blocked by the user")
            if chat in self.bad_request_chats:
                return 400, error_payload(400, "Bad Request: chat not found")
        now = time.monotonic()
        if (
            key in RATE_LIMITED_METHODS
            and self._limits is not None
            and chat is not None
            and self._rate_limited(chat, now)
        ):
            self.too_many += 1
            return 429, error_payload(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        try:
            result = handler(req.params)
        except ApiError as err:
            return err.code, error_payload(err.code, err.description, err.parameters)
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

    def confirm(self, offset: int | None) -> None:
        """Drop the updates before ``offset`` (``getUpdates`` semantics)."""
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

    def confirmed(self, update_id: int) -> bool:
        """Whether the bot has fetched ``update_id`` and asked for the ones after it."""
        return self._confirmed_offset > update_id

    def take_updates(self) -> list[dict[str, Any]]:
        """Hand every pending update over (in-process delivery) and confirm them."""
        batch, self.pending_updates = self.pending_updates, []
        if batch:
            self._confirmed_offset = max(self._confirmed_offset, batch[-1]["update_id"] + 1)
        return batch


def busiest_second(times: list[float]) -> int:
    """The most events in any one-second window (the fake's window: (t - 1, t])."""
    times = sorted(times)
    best = start = 0
    for end, t in enumerate(times):
        while times[start] <= t - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best
