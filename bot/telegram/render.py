"""Turn :class:`bot.render.Reply` buttons into python-telegram-bot markup."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Reply


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Return the reply's inline keyboard, or None when it has no buttons."""
    if not reply.buttons:
        return None
    rows = []
    for row in reply.buttons:
        buttons = []
        for b in row:
            if b.url is not None:
                buttons.append(InlineKeyboardButton(b.text, url=b.url))
            elif b.switch_inline is not None:
                buttons.append(InlineKeyboardButton(b.text, switch_inline_query=b.switch_inline))
            else:
                buttons.append(InlineKeyboardButton(b.text, callback_data=b.data))
        rows.append(buttons)
    return InlineKeyboardMarkup(rows)
