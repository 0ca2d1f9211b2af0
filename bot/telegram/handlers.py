"""Telegram handlers: parse the update, call the core (:class:`bot.service.PaperBot`), render.

Each handler is small and typed. Replies go through :func:`reply_to`, which edits the pressed
message for button presses that change a card in place, and sends a new message otherwise.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, MessageEntityType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackContext, ExtBot
from telegram.helpers import create_deep_linked_url

from bot.core.reading import next_unread
from bot.i18n import base_lang, from_telegram, localise, t
from bot.render import Reply, card
from bot.service import PaperBot
from bot.telegram.render import keyboard

log = logging.getLogger("paperbot.telegram")


@dataclass
class BotData:
    """Shared state for handlers and jobs (``context.bot_data``)."""

    core: PaperBot | None = None
    clock: Callable[[], datetime] | None = None

    def now(self) -> datetime:
        """The current time from the injected clock (tests pass a fake one)."""
        assert self.clock is not None
        return self.clock()

    @property
    def bot(self) -> PaperBot:
        """The core; set in ``post_init``."""
        assert self.core is not None
        return self.core


Context = CallbackContext[ExtBot[None], dict, dict, BotData]  # type: ignore[type-arg]


def _ids(update: Update) -> tuple[int, str | None, str]:
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None
    return chat.id, user.language_code if user else None, user.first_name if user else ""


async def reply_to(update: Update, context: Context, reply: Reply) -> Message | None:
    """Send ``reply`` to the update's chat: edit the pressed message when ``reply.edit``."""
    chat = update.effective_chat
    if chat is None:
        return None
    query = update.callback_query
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
    if reply.document is not None:
        await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
        name, blob = reply.document
        return await context.bot.send_document(
            chat.id, document=blob, filename=name, caption=reply.text
        )
    return await context.bot.send_message(chat.id, reply.text, reply_markup=keyboard(reply))


def _addressed_text(update: Update, context: Context) -> str | None:
    """The text a message addresses to the bot, or None when it is group chatter."""
    message = update.effective_message
    if message is None or message.text is None:
        return None
    text = message.text
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return text
    username = (context.bot.username or "").lower()
    replied = message.reply_to_message
    if (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == context.bot.id
    ):
        return text
    for entity in message.entities:
        if entity.type == MessageEntityType.MENTION:
            mention = message.parse_entity(entity)
            if mention.lower() == f"@{username}":
                return text.replace(mention, " ").strip()
    # Clients always send a mention entity; accept the plain text form too.
    pattern = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE)
    if username and pattern.search(text):
        return pattern.sub(" ", text).strip()
    return None


async def on_text(update: Update, context: Context) -> None:
    """Answer a question (in groups only when the bot is mentioned or replied to)."""
    text = _addressed_text(update, context)
    if text is None:
        return
    chat_id, tg_lang, _ = _ids(update)
    data = context.bot_data
    reply = await data.bot.text(chat_id, text, tg_lang=tg_lang, now=data.now())
    await reply_to(update, context, reply)


def _command_parts(message: Message) -> tuple[str, str, str]:
    """``/name@target args`` -> (name, target, args). The command is the ``bot_command``
    entity Telegram marks at the start, so any whitespace (a newline too) ends it."""
    text = message.text or ""
    command = next(
        (
            message.parse_entity(e)
            for e in message.entities
            if e.type == MessageEntityType.BOT_COMMAND and e.offset == 0
        ),
        text.split(maxsplit=1)[0] if text.strip() else "",
    )
    name, _, target = command.lstrip("/").partition("@")
    return name, target, text[len(command) :].strip()


async def on_command(update: Update, context: Context) -> None:
    """Run any command through the core."""
    message = update.effective_message
    if message is None:
        return
    name, target, args = _command_parts(message)
    if target and target.lower() != (context.bot.username or "").lower():
        return  # /command@other_bot in a group: meant for another bot
    chat_id, tg_lang, first_name = _ids(update)
    data = context.bot_data
    reply = await data.bot.command(
        chat_id, name, args, tg_lang=tg_lang, first_name=first_name, now=data.now()
    )
    await reply_to(update, context, reply)


async def on_callback(update: Update, context: Context) -> None:
    """Handle a button press; the data only ever acts on the presser's own chat."""
    query = update.callback_query
    if query is None:
        return
    chat = update.effective_chat
    if chat is None or (chat.type == ChatType.PRIVATE and query.from_user.id != chat.id):
        # A button of an inline message, or someone else's private chat: nothing here is
        # the presser's own, so act on nothing.
        lang = from_telegram(query.from_user.language_code)
        await query.answer(localise(t(lang, "stale_button"), lang))
        return
    chat_id, tg_lang, _ = _ids(update)
    data = context.bot_data
    reply = await data.bot.callback(chat_id, query.data or "", tg_lang=tg_lang, now=data.now())
    toast = reply.toast if reply.toast and len(reply.toast) <= 200 else None
    await query.answer(toast)
    if reply.toast and reply.text == reply.toast and not reply.buttons:
        return
    await reply_to(update, context, reply)


async def on_inline_query(update: Update, context: Context) -> None:
    """Answer ``@bot <query>`` with up to 10 paper cards (the next paper when empty)."""
    inline = update.inline_query
    if inline is None:
        return
    data = context.bot_data
    core = data.bot
    user_id = inline.from_user.id
    lang = await core.lang_of(user_id, inline.from_user.language_code)
    text = inline.query.strip()
    if text:
        from bot.core.text import has_cjk

        if has_cjk(text) and base_lang(lang) != "zh":
            lang = "zh"
        ranked = core.answerer.matcher.score(text)
        cutoff = core.answerer.matcher.suggest_cutoff
        papers = [s.paper for s in ranked[:10] if s.score >= cutoff]
    else:
        lst = await core.current_list(user_id)
        pid = next_unread(lst, await core.storage.progress(user_id))
        papers = [core.catalogue.papers[pid]] if pid else []
    results = []
    username = context.bot.username or ""
    for paper in papers:
        body = localise(card(core.catalogue, paper, lang), lang)
        url = create_deep_linked_url(username, f"paper-{paper.id}")
        results.append(
            InlineQueryResultArticle(
                id=paper.id,
                title=localise(paper.display_title(base_lang(lang)), lang),
                description=f"{paper.year} · "
                + (paper.title if base_lang(lang) == "zh" else paper.title_zh),
                input_message_content=InputTextMessageContent(body),
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton(localise(t(lang, "inline_open_bot"), lang), url=url)]]
                ),
            )
        )
    await inline.answer(results, cache_time=10, is_personal=not text)


async def on_error(update: object, context: Context) -> None:
    """Log the exception and send the user a short apology (never a stack trace)."""
    err = context.error
    chat_id = None
    if isinstance(update, Update) and update.effective_chat is not None:
        chat_id = update.effective_chat.id
    log.error(
        "update failed",
        exc_info=err,
        extra={
            "chat_id": chat_id,
            "update_id": update.update_id if isinstance(update, Update) else None,
        },
    )
    if chat_id is None or not isinstance(update, Update):
        return
    if update.inline_query is not None:
        return
    try:
        lang = "en"
        user = update.effective_user
        if user is not None and context.bot_data.core is not None:
            lang = await context.bot_data.bot.lang_of(chat_id, user.language_code)
        await context.bot.send_message(chat_id, localise(t(lang, "error_apology"), lang))
    except TelegramError:
        log.warning("apology not sent", extra={"chat_id": chat_id})
    except Exception:
        log.warning("apology not sent", extra={"chat_id": chat_id})


async def log_update(update: object, context: Context) -> None:
    """Log one line per incoming update: its id, kind and chat (never its text)."""
    if not isinstance(update, Update):
        return
    kind = next(
        (
            name
            for name in ("message", "callback_query", "inline_query", "edited_message")
            if getattr(update, name) is not None
        ),
        "other",
    )
    chat = update.effective_chat
    log.info(
        "update",
        extra={"update_id": update.update_id, "kind": kind, "chat_id": chat.id if chat else None},
    )


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Register every handler, in one visible block."""
    from telegram.ext import (
        CallbackQueryHandler,
        InlineQueryHandler,
        MessageHandler,
        TypeHandler,
        filters,
    )

    application.add_handler(TypeHandler(Update, log_update), group=-1)
    application.add_handler(MessageHandler(filters.COMMAND, on_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(CallbackQueryHandler(on_callback))
    application.add_handler(InlineQueryHandler(on_inline_query))
    application.add_error_handler(on_error)
