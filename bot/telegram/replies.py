"""Sending a reply to Telegram: edit the pressed message or send a new one, documents, and
quiz polls (whose ids are remembered to read the answers back)."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest

from bot.features import callbacks as cb
from bot.features.reply import Poll, Reply
from bot.telegram.context import Context
from bot.telegram.send import keyboard, send_quiz

log = logging.getLogger("paperbot.telegram")


async def reply_to(update: Update, context: Context, reply: Reply) -> Message | None:
    """Send ``reply`` to the update's chat: edit the pressed message when ``reply.edit``."""
    chat = update.effective_chat
    if chat is None:
        return None
    query = update.callback_query
    if reply.keep_text and query is not None and query.message is not None:
        try:
            await query.edit_message_reply_markup(reply_markup=kept_rows(query.message, reply))
        except BadRequest as err:
            if "not modified" not in str(err).lower():
                log.info("buttons not updated", extra={"chat_id": chat.id, "reason": str(err)})
        return None
    if reply.edit and query is not None and query.message is not None and reply.document is None:
        try:
            edited = await query.edit_message_text(reply.text, reply_markup=keyboard(reply))
            return edited if isinstance(edited, Message) else None
        except BadRequest as err:
            if "not modified" in str(err).lower():
                return None
            log.info(
                "edit failed, sending instead", extra={"chat_id": chat.id, "reason": str(err)}
            )
    if reply.documents:
        await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
        sent = None
        for i, (name, blob) in enumerate(reply.documents):
            caption = reply.text if i == 0 else None
            sent = await context.bot.send_document(
                chat.id, document=blob, filename=name, caption=caption
            )
        return sent
    sent = await context.bot.send_message(chat.id, reply.text, reply_markup=keyboard(reply))
    if reply.poll is not None:
        await send_poll(context, chat.id, reply.poll)
    return sent


def kept_rows(message: object, reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's keyboard, plus the pressed message's rows that belong to where it was
    opened from (⬅ Back to a list page, ⏰ Snooze and 🔕 Pause on a reminder): a Read or
    Undo press keeps the way back."""
    markup = getattr(message, "reply_markup", None)
    new = keyboard(reply)
    if not isinstance(markup, InlineKeyboardMarkup):
        return new
    kept = [
        row
        for row in markup.inline_keyboard
        if row
        and all(
            isinstance(
                cb.decode(b.callback_data or ""), cb.ListPage | cb.Snooze | cb.PauseReminders
            )
            for b in row
            if isinstance(b.callback_data, str)
        )
        and all(isinstance(b.callback_data, str) for b in row)
    ]
    if not kept:
        return new
    return InlineKeyboardMarkup([*(new.inline_keyboard if new else ()), *kept])


async def send_poll(context: Context, chat_id: int, poll: Poll) -> None:
    """Send a quiz poll and remember its id, so that the answer can be read back."""
    message = await send_quiz(context.bot, chat_id, poll)
    data = context.bot_data
    if message.poll is not None and data.services is not None:
        await data.services.store.learning.remember_poll(
            message.poll.id, chat_id, poll.question_id, poll.review, data.now()
        )


async def send_to(context: Context, chat_id: int, reply: Reply) -> None:
    """Send a reply that answers no message (a quiz answer's follow-up) to ``chat_id``."""
    if reply.text:
        await context.bot.send_message(chat_id, reply.text, reply_markup=keyboard(reply))
    if reply.poll is not None:
        await send_poll(context, chat_id, reply.poll)
