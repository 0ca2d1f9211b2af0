"""The users' side of the fake Telegram: the updates a test injects.

:class:`UpdateSource` builds real Bot API ``Update`` dicts, as Telegram would send them, and
queues them in ``pending_updates``: a user's text message (with its ``bot_command`` entity),
a press of a button of a message the bot sent, an inline query, an answer to a poll the bot
sent (``poll_answer``, then the ``poll`` with its new counts, as Telegram sends them), or any
update. The transports
hand them to the bot (``getUpdates`` over HTTP, the application's update queue in-process).

Groups: :meth:`UpdateSource.set_member` gives a user a status in a chat (``creator``,
``administrator``, ``member``, ``restricted``, ``left``, ``kicked``), which ``getChatMember``
then answers with (as a ``ChatMember`` of that status, :func:`chat_member`);
:meth:`UpdateSource.bot_status` changes the bot's own status in a chat and sends the
``my_chat_member`` update Telegram sends (the bot added to a group, promoted, removed). An
edited message is :meth:`UpdateSource.edit_text` (an ``edited_message`` update).
"""

from __future__ import annotations

import copy
import time
from typing import Any

from tests.botmodel import COMMAND_RE, BotModel, bot_user, utf16_len

#: What each ``ChatMember`` status carries besides ``status`` and ``user`` (Bot API 9.x; the
#: fake's administrators manage the chat and change its info, its restricted members can
#: still write).
MEMBER_FIELDS: dict[str, dict[str, Any]] = {
    "creator": {"is_anonymous": False},
    "administrator": {
        "can_be_edited": False,
        "is_anonymous": False,
        "can_manage_chat": True,
        "can_delete_messages": False,
        "can_manage_video_chats": False,
        "can_restrict_members": False,
        "can_promote_members": False,
        "can_change_info": True,
        "can_invite_users": True,
        "can_post_stories": False,
        "can_edit_stories": False,
        "can_delete_stories": False,
        "can_pin_messages": False,
    },
    "member": {},
    "restricted": {
        "is_member": True,
        "until_date": 0,
        **dict.fromkeys(
            (
                "can_send_messages",
                "can_send_audios",
                "can_send_documents",
                "can_send_photos",
                "can_send_videos",
                "can_send_video_notes",
                "can_send_voice_notes",
                "can_send_polls",
                "can_send_other_messages",
                "can_add_web_page_previews",
            ),
            True,
        ),
        **dict.fromkeys(
            (
                "can_change_info",
                "can_invite_users",
                "can_pin_messages",
                "can_manage_topics",
                "can_edit_tag",
            ),
            False,
        ),
    },
    "left": {},
    "kicked": {"until_date": 0},
}


def chat_member(status: str, user: dict[str, Any]) -> dict[str, Any]:
    """A ``ChatMember`` dict of ``status`` (a key of :data:`MEMBER_FIELDS`) for ``user``.

    Raises:
        KeyError: an unknown status.
    """
    return {"status": status, "user": dict(user), **copy.deepcopy(MEMBER_FIELDS[status])}


class UpdateSource(BotModel):
    """:class:`~tests.botmodel.BotModel` plus the users who write to the bot.

    ``member_statuses`` holds ``(chat id, user id) -> status`` set by :meth:`set_member` and
    :meth:`bot_status`; ``getChatMember`` answers with it first (then ``chat_admins``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.member_statuses: dict[tuple[int | str, int], str] = {}

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

    def poll_answer(
        self,
        poll_id: str,
        user_id: int,
        option_ids: list[int],
        *,
        first_name: str = "Ada",
        language_code: str | None = "en",
    ) -> int:
        """Inject a user's answer to a poll the bot sent, as Telegram does: a ``poll_answer``
        update (``PollAnswer(poll_id, user, option_ids)``), then a ``poll`` update with the
        poll's new counts. Returns the ``poll_answer``'s update id.

        Raises:
            LookupError: no such poll.
            AssertionError: an answer Telegram would not let the user give or would not tell
                the bot about: to an anonymous poll (the bot gets no ``poll_answer``), to a
                closed one, an option the poll lacks, several options of a single-answer poll,
                or a second answer (or a retraction) to a quiz.
        """
        sent = self.polls.get(poll_id)
        if sent is None:
            raise LookupError(f"no poll {poll_id!r}; known: {sorted(self.polls)}")
        poll = sent.poll
        count = len(poll["options"])
        assert not poll["is_anonymous"], "Telegram sends no poll_answer for an anonymous poll"
        assert not poll["is_closed"], "the poll is closed"
        assert all(0 <= i < count for i in option_ids), f"options are 0-{count - 1}"
        assert len(set(option_ids)) <= 1 or poll["allows_multiple_answers"], "one option only"
        if not poll.get("allows_revoting", True):
            assert user_id not in sent.votes, "a quiz takes one answer, never changed"
            assert option_ids, "a quiz answer cannot be retracted"
        for i in sent.votes.get(user_id, []):
            poll["options"][i]["voter_count"] -= 1
        chosen = sorted(set(option_ids))
        for i in chosen:
            poll["options"][i]["voter_count"] += 1
        if chosen:
            sent.votes[user_id] = chosen
        else:
            sent.votes.pop(user_id, None)
        poll["total_voter_count"] = len(sent.votes)
        shown = self.messages.get((sent.chat_id, sent.message_id))
        if shown is not None:
            shown["poll"] = copy.deepcopy(poll)
        answer = {
            "poll_id": poll_id,
            "user": self._user(user_id, first_name, language_code),
            "option_ids": chosen,
            "option_persistent_ids": [poll["options"][i]["persistent_id"] for i in chosen],
        }
        update_id = self._push_update({"poll_answer": answer}, "poll_answer", poll_id)
        self._push_update({"poll": copy.deepcopy(poll)}, "poll", poll_id)
        return update_id

    def answer_poll(self, chat_id: int | str, message_id: int, option: int, **kwargs: Any) -> int:
        """Answer the poll of the bot's message ``message_id`` in ``chat_id`` with one option
        (``user_id`` defaults to the private chat's user); return the update id.

        Raises:
            LookupError: the message carries no poll.
        """
        message = self.messages.get((chat_id, message_id))
        if message is None or "poll" not in message:
            raise LookupError(f"message {message_id} in chat {chat_id} carries no poll")
        user_id = kwargs.pop("user_id", None)
        if user_id is None:
            user_id = abs(chat_id) if isinstance(chat_id, int) else 0
        return self.poll_answer(str(message["poll"]["id"]), user_id, [option], **kwargs)

    def inject(self, update: dict[str, Any]) -> int:
        """Inject an arbitrary update dict (``update_id`` is assigned); return its id."""
        body = {k: v for k, v in update.items() if k != "update_id"}
        return self._push_update(body, next(iter(body), "unknown"))

    # -- groups and edits ---------------------------------------------------------------------

    def set_member(
        self,
        chat_id: int,
        user_id: int,
        status: str,
        *,
        first_name: str = "Ada",
        language_code: str | None = "en",
    ) -> None:
        """Give ``user_id`` the status ``status`` in ``chat_id`` (what ``getChatMember``
        answers from now on).

        Raises:
            KeyError: an unknown status (see :data:`MEMBER_FIELDS`).
        """
        if status not in MEMBER_FIELDS:
            raise KeyError(f"unknown status {status!r}")
        self._user(user_id, first_name, language_code)
        self.member_statuses[(chat_id, user_id)] = status

    def bot_status(
        self,
        chat_id: int,
        status: str,
        *,
        by_user_id: int,
        chat_type: str = "group",
        chat_title: str = "Test Group",
        first_name: str = "Ada",
        language_code: str | None = "en",
    ) -> int:
        """Change the bot's status in a chat, as ``by_user_id`` did (``member`` or
        ``administrator``: added or promoted; ``left`` or ``kicked``: removed), and send the
        ``my_chat_member`` update Telegram sends; return its id. The old status is the one
        set before (``left`` at first).

        Raises:
            KeyError: an unknown status.
        """
        bot = bot_user()
        new = chat_member(status, bot)
        old = chat_member(self.member_statuses.get((chat_id, bot["id"]), "left"), bot)
        if chat_type == "private":
            chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": first_name}
        else:
            chat = {"id": chat_id, "type": chat_type, "title": chat_title}
        self._chats[chat_id] = dict(chat)
        self.member_statuses[(chat_id, bot["id"])] = status
        change = {
            "chat": chat,
            "from": self._user(by_user_id, first_name, language_code),
            "date": int(time.time()),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        return self._push_update({"my_chat_member": change}, "my_chat_member")

    def edit_text(self, chat_id: int, message_id: int, text: str) -> int:
        """The user edits their message ``message_id`` to ``text``: an ``edited_message``
        update (with ``edit_date``; a leading ``/command`` gets its entity again); return its
        id.

        Raises:
            LookupError: no such message, or it is the bot's.
        """
        message = self.messages.get((chat_id, message_id))
        if message is None or message.get("from", {}).get("id") == bot_user()["id"]:
            raise LookupError(f"no message {message_id} of a user in chat {chat_id}")
        edited = copy.deepcopy(message)
        edited["text"] = text
        edited["edit_date"] = int(time.time())
        edited.pop("entities", None)
        match = COMMAND_RE.match(text) if text.startswith("/") else None
        if match:
            edited["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}
            ]
        self.messages[(chat_id, message_id)] = copy.deepcopy(edited)
        return self._push_update({"edited_message": edited}, "edited_message")
