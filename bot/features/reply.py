"""What a feature returns: a :class:`Reply` (Telegram-HTML text and abstract buttons).

No Telegram import: the Telegram adapter turns :class:`Button` rows into
``InlineKeyboardMarkup``; the terminal adapter prints them as numbered choices.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.features.callbacks import Action

ECHO_LIMIT = 80
_TAG = re.compile(r"<[^>]*>")
TELEGRAM_TEXT_LIMIT = 4096
BUTTON_TEXT_LIMIT = 60


@dataclass(frozen=True)
class Button:
    """An inline button: exactly one of ``data`` (callback data, <= 64 bytes), ``url`` or
    ``switch_inline`` (prefills an inline query) is set."""

    text: str
    data: str | None = None
    url: str | None = None
    switch_inline: str | None = None

    @classmethod
    def action(cls, text: str, action: Action) -> Button:
        """A button that sends ``action`` as its callback data."""
        return cls(text, data=action.encode())


@dataclass(frozen=True)
class Poll:
    """A quiz poll (Telegram ``sendPoll`` with ``type="quiz"``): the question, its options,
    the index of the correct one and the explanation shown after answering. ``question_id``
    and ``review`` say which quiz question it is, to read the answer back."""

    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    question_id: str
    review: bool = False


@dataclass(frozen=True)
class Reply:
    """One message to send (or, with ``edit``, the new content of the pressed message).

    ``text`` is Telegram HTML in the reply's language; ``lang`` is that language. With
    ``keep_text`` (a button press), only the pressed message's buttons change and ``text`` is
    said in the toast (the terminal prints it); ``poll`` is a quiz poll sent after ``text``
    (the terminal prints its options as numbered buttons); ``paper_id`` names the paper
    whose card the text is (the chat's own note is added to it); ``documents``
    is an optional ``(filename, bytes)`` attachment.
    """

    text: str
    lang: str = "en"
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    documents: tuple[tuple[str, bytes], ...] = ()
    toast: str | None = None
    keep_text: bool = False
    poll: Poll | None = None
    paper_id: str | None = None

    @property
    def document(self) -> tuple[str, bytes] | None:
        """The first attached ``(filename, bytes)``, or None."""
        return self.documents[0] if self.documents else None


def esc(value: object) -> str:
    """Escape any value for Telegram HTML."""
    return html.escape(str(value), quote=False)


def echo(value: str) -> str:
    """Escape user input quoted back in a reply, cut to :data:`ECHO_LIMIT` characters, so a
    4,096-character argument cannot push the reply over Telegram's message limit."""
    value = value.strip()
    return esc(value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…")


def label(text: str, limit: int = BUTTON_TEXT_LIMIT) -> str:
    """Cut a button label to ``limit`` characters at a word boundary, adding "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.:;-·") + "…"


def plain(text: str) -> str:
    """Telegram HTML as plain text (tags dropped, entities unescaped), e.g. for a toast."""
    return html.unescape(_TAG.sub("", text)).strip()
