"""The Bot API methods of the fake Telegram: :class:`FakeTelegram` (no transport).

Every method checks what Telegram checks (:mod:`tests.botrules`) and answers with Telegram's
shapes (``Message`` dicts and the like). :class:`tests.botapi.FakeBotAPI` serves it over HTTP,
:class:`tests.offline.OfflineRequest` hands it python-telegram-bot's requests in-process.
"""

from __future__ import annotations

import copy
import itertools
import json
import time
from typing import Any

from tests.botmodel import SentPoll, UploadedFile, bot_user, norm_chat
from tests.botrules import (
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    bad_request,
    check_callback_answer,
    check_inline_results,
    check_markup,
    check_poll,
    check_text,
)
from tests.botupdates import UpdateSource, chat_member

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)

#: The rights a ``ChatMemberAdministrator`` lists (the fake's administrators have few of them).
ADMIN_RIGHTS = (
    "can_be_edited",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
)


class FakeTelegram(UpdateSource):
    """A fake Telegram: its state and users (:class:`~tests.botupdates.UpdateSource`) and the
    methods a bot calls."""

    def __init__(self) -> None:
        super().__init__()
        self.webhook_url: str = ""
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.menu_buttons: dict[int | str | None, dict[str, Any]] = {}
        self._file_ids = itertools.count(1)
        self._poll_ids = itertools.count(5_368_000_000_000_000_001)
        self._handlers.update(
            {
                "getme": self._get_me,
                "deletewebhook": self._delete_webhook,
                "setwebhook": self._set_webhook,
                "getwebhookinfo": self._get_webhook_info,
                "sendmessage": self._send_message,
                "senddocument": self._send_document,
                "sendpoll": self._send_poll,
                "getchatmember": self._get_chat_member,
                "editmessagetext": self._edit_message_text,
                "editmessagereplymarkup": self._edit_message_reply_markup,
                "deletemessage": self._delete_message,
                "answercallbackquery": self._answer_callback_query,
                "answerinlinequery": self._answer_inline_query,
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
        )

    def file_path(self, file_id: str) -> str | None:
        """The download path of an uploaded file (``documents/<id>.<ext>``), or None."""
        upload = self.files.get(file_id)
        return None if upload is None else self._file_path(file_id, upload)

    @staticmethod
    def _true(params: dict[str, Any]) -> bool:
        return True

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        check_callback_answer(params)
        return True

    def _answer_inline_query(self, params: dict[str, Any]) -> bool:
        check_inline_results(params, validate_html=self.validate_html)
        return True

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **bot_user(),
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
        chat = norm_chat(params.get("chat_id"))
        if chat is None:
            raise bad_request("chat_id is empty")
        return chat

    def _check_text(self, params: dict[str, Any], key: str, limit: int, empty_ok: bool) -> str:
        text = check_text(params, key, limit, empty_ok=empty_ok, validate_html=self.validate_html)
        check_markup(params.get("reply_markup"))
        return text

    def _new_bot_message(self, chat: int | str, params: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat),
            "from": bot_user(),
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
            raise bad_request("there is no document in the request")
        message = self._new_bot_message(chat, params)
        message["document"] = doc
        if caption:
            message["caption"] = caption
        self._apply_markup(message, params.get("reply_markup"))
        self.messages[(chat, message["message_id"])] = copy.deepcopy(message)
        return message

    def _send_poll(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(params)
        poll = check_poll(params, validate_html=self.validate_html)
        check_markup(params.get("reply_markup"))
        if not poll["is_anonymous"] and isinstance(chat, str):
            raise bad_request("non-anonymous polls can't be sent to channel chats")
        poll = {"id": str(next(self._poll_ids)), **poll}
        message = self._new_bot_message(chat, params)
        message["poll"] = poll
        self._apply_markup(message, params.get("reply_markup"))
        self.messages[(chat, message["message_id"])] = copy.deepcopy(message)
        self.polls[poll["id"]] = SentPoll(chat, message["message_id"], copy.deepcopy(poll))
        return message

    def _get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(params)
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise bad_request("PARTICIPANT_ID_INVALID")
        user = self._users.get(user_id, {"id": user_id, "is_bot": False, "first_name": "Ada"})
        status = self.member_statuses.get((chat, user_id))
        if status is not None:  # set with set_member / bot_status
            return chat_member(status, user)
        if user_id not in self.chat_admins.get(chat, set()):
            return {"status": "member", "user": dict(user)}
        member = {"status": "administrator", "user": dict(user), "is_anonymous": False}
        member.update(dict.fromkeys(ADMIN_RIGHTS, False))
        member["can_manage_chat"] = member["can_change_info"] = True
        return member

    def _stored_message(self, params: dict[str, Any]) -> tuple[int | str, dict[str, Any]] | None:
        if params.get("inline_message_id"):
            return None
        chat = self._target_chat(params)
        mid = params.get("message_id")
        message = self.messages.get((chat, mid)) if isinstance(mid, int) else None
        if message is None:
            raise bad_request("message to edit not found")
        return chat, message

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        text = self._check_text(params, "text", MAX_TEXT_LENGTH, empty_ok=False)
        found = self._stored_message(params)
        if found is None:
            return True
        chat, message = found
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        new = copy.deepcopy(message)
        new["text"] = text
        self._apply_markup(new, params.get("reply_markup"))
        if (
            self.strict_not_modified
            and new.get("text") == message.get("text")
            and new.get("reply_markup") == message.get("reply_markup")
        ):
            raise bad_request(NOT_MODIFIED)
        new["edit_date"] = int(time.time())
        self.messages[(chat, new["message_id"])] = new
        return copy.deepcopy(new)

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        check_markup(params.get("reply_markup"))
        found = self._stored_message(params)
        if found is None:
            return True
        chat, message = found
        new = copy.deepcopy(message)
        self._apply_markup(new, params.get("reply_markup"))
        if self.strict_not_modified and new.get("reply_markup") == message.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        new["edit_date"] = int(time.time())
        self.messages[(chat, new["message_id"])] = new
        return copy.deepcopy(new)

    def _delete_message(self, params: dict[str, Any]) -> bool:
        chat = self._target_chat(params)
        mid = params.get("message_id")
        if not isinstance(mid, int) or self.messages.pop((chat, mid), None) is None:
            raise bad_request("message to delete not found")
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope")
        scope_key = json.dumps(scope, sort_keys=True) if scope else '{"type": "default"}'
        return scope_key, str(params.get("language_code") or "")

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
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
        chat = norm_chat(params.get("chat_id"))
        self.menu_buttons[chat] = (
            copy.deepcopy(button) if isinstance(button, dict) else {"type": "default"}
        )
        return True

    def _get_chat_menu_button(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = norm_chat(params.get("chat_id"))
        return copy.deepcopy(
            self.menu_buttons.get(chat, self.menu_buttons.get(None, {"type": "default"}))
        )

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id") or "")
        upload = self.files.get(file_id)
        if upload is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"U{file_id[-8:]}",
            "file_size": upload.size,
            "file_path": self._file_path(file_id, upload),
        }
