"""Helpers of the user-experience tests: a user in a private chat, and what a reply shows.

Users press only buttons the bot actually sent (strict presses), as a user would; callback data
is built with the codec (``bot.features.callbacks``).
"""

from __future__ import annotations

from typing import Any

from bot.console import plain
from bot.features import callbacks as cb
from tests.botmethods import FakeTelegram
from tests.botmodel import Request
from tests.harness import OfflineBot

#: Private chats (= user ids), one per language.
EN, ZH, TW = 5101, 5102, 5103
#: The ``language_code`` each user's Telegram reports.
CODES = {EN: "en", ZH: "zh-hans", TW: "zh-TW"}


class User:
    """One Telegram user in a private chat with the bot."""

    def __init__(self, bot: OfflineBot, chat: int) -> None:
        self.bot, self.chat, self.code = bot, chat, CODES[chat]

    async def say(self, text: str) -> Request:
        """Send ``text`` and return the bot's first reply."""
        return await self.bot.say(self.chat, text, language_code=self.code)

    async def press(self, message: Request, action: cb.Action) -> Request:
        """Press a button of ``message`` and return the message the bot sent or edited."""
        return await self.bot.press(self.chat, message, action, language_code=self.code)

    async def tap(self, message: Request, action: cb.Action) -> Request:
        """Press a button and return the ``answerCallbackQuery``."""
        return await self.bot.tap(self.chat, message, action, language_code=self.code)


def text_of(reply: Request) -> str:
    """The reply's text (or caption) as the user reads it, without markup."""
    return plain(reply.text or "")


def labels(reply: Request) -> list[str]:
    """The labels of the reply's buttons, row by row."""
    return [b["text"] for row in reply.buttons for b in row]


def data(*actions: cb.Action) -> list[str]:
    """The callback data of ``actions``, encoded."""
    return [a.encode() for a in actions]


def of_kind(reply: Request, kind: type[cb.Action]) -> list[Any]:
    """The decoded actions of ``kind`` among the reply's buttons, in order."""
    return [a for a in map(cb.decode, reply.callback_data) if isinstance(a, kind)]


def is_edit_of(reply: Request, message: Request) -> bool:
    """Whether ``reply`` replaced the text (and buttons) of ``message``."""
    return reply.method.lower() == "editmessagetext" and reply.message_id == message.message_id


def shown_text(reply: Request) -> str | None:
    """The message text Telegram holds after ``reply`` (sent or edited), markup included."""
    if isinstance(reply.result, dict) and "text" in reply.result:
        return str(reply.result["text"])
    return reply.text


def is_button_edit_of(reply: Request, message: Request) -> bool:
    """Whether ``reply`` changed only the buttons of ``message`` (its text stays)."""
    return (
        reply.method.lower() == "editmessagereplymarkup"
        and reply.message_id == message.message_id
        and "text" not in reply.params
        and shown_text(message) is not None
        and shown_text(reply) == shown_text(message)
    )


def edits_of(telegram: FakeTelegram, chat: int, message: Request) -> list[Request]:
    """Every successful edit (text or buttons) of ``message`` so far."""
    return [
        r
        for r in telegram.sent(chat)
        if r.method.lower().startswith("edit") and r.message_id == message.message_id
    ]


def first_row(reply: Request) -> list[tuple[str, cb.Action | None]]:
    """(label, decoded action) of each button of the reply's first row."""
    return [(b["text"], cb.decode(b["callback_data"])) for b in reply.buttons[0]]
