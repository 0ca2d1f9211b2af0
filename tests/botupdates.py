"""The users' side of the fake Telegram: the updates a test injects.

:class:`UpdateSource` builds real Bot API ``Update`` dicts, as Telegram would send them, and
queues them in ``pending_updates``: a user's text message (with its ``bot_command`` entity),
a press of a button of a message the bot sent, an inline query, or any update. The transports
hand them to the bot (``getUpdates`` over HTTP, the application's update queue in-process).
"""

from __future__ import annotations

import copy
import time
from typing import Any

from tests.botmodel import COMMAND_RE, BotModel, bot_user, utf16_len


class UpdateSource(BotModel):
    """:class:`~tests.botmodel.BotModel` plus the users who write to the bot."""

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
        self.updates_changed()
        return update_id

    def updates_changed(self) -> None:
        """Called whenever an update is injected (the HTTP fake wakes its long polls)."""

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
            match = COMMAND_RE.match(text)
            if match:
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}
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
                    "from": bot_user(),
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
