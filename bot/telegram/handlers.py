"""Telegram handlers: parse the update, call the features through the dispatcher, send.

One ``CommandHandler`` per command and one ``CallbackQueryHandler(pattern=...)`` per button
action, both from :mod:`bot.features.registry`, registered in :func:`register`.
"""

from __future__ import annotations

import html
import logging
import re

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatType, MessageEntityType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application
from telegram.helpers import create_deep_linked_url

from bot.features import asking
from bot.features import callbacks as cb
from bot.features.common import lang_of
from bot.features.registry import ACTIONS, COMMANDS
from bot.features.render import card
from bot.features.reply import Reply
from bot.i18n import base_lang, from_telegram, localise, t
from bot.telegram.context import ANSWERS_KEPT, Context, Handler
from bot.telegram.groups import in_group, on_added_to_group, sender_is_admin
from bot.telegram.replies import reply_to, send_to
from bot.telegram.send import keyboard

log = logging.getLogger("paperbot.telegram")


def _ids(update: Update) -> tuple[int, str | None, str]:
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None
    return chat.id, user.language_code if user else None, user.first_name if user else ""


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
    reply = await data.dispatcher.text(
        chat_id, text, tg_lang=tg_lang, now=data.now(), in_group=in_group(update)
    )
    sent = await reply_to(update, context, reply)
    message = update.effective_message
    if sent is not None and message is not None:
        data.answers[(chat_id, message.message_id)] = (sent.message_id, text)
        if len(data.answers) > ANSWERS_KEPT:
            data.answers.popitem(last=False)


async def on_edited_text(update: Update, context: Context) -> None:
    """An edited question: when the text changed, edit the earlier answer to fit it."""
    text = _addressed_text(update, context)
    message = update.effective_message
    if text is None or message is None:
        return
    chat_id, tg_lang, _ = _ids(update)
    data = context.bot_data
    earlier = data.answers.get((chat_id, message.message_id))
    if earlier is None or earlier[1].strip() == text.strip():
        return  # not a question we answered, or only its formatting changed
    reply = await data.dispatcher.text(
        chat_id, text, tg_lang=tg_lang, now=data.now(), in_group=in_group(update)
    )
    try:
        await context.bot.edit_message_text(
            reply.text, chat_id=chat_id, message_id=earlier[0], reply_markup=keyboard(reply)
        )
    except BadRequest as err:
        if "not modified" not in str(err).lower():
            log.info("answer not edited", extra={"chat_id": chat_id, "reason": str(err)})
    data.answers[(chat_id, message.message_id)] = (earlier[0], text)


def command_args(message: Message) -> str:
    """The text after the command (``/name@bot args`` -> ``args``). The command is the
    ``bot_command`` entity Telegram marks at the start, so any whitespace ends it."""
    text = message.text or ""
    command = next(
        (
            message.parse_entity(e)
            for e in message.entities
            if e.type == MessageEntityType.BOT_COMMAND and e.offset == 0
        ),
        text.split(maxsplit=1)[0] if text.strip() else "",
    )
    return text[len(command) :].strip()


def command_handler(name: str) -> Handler:
    """The handler of ``/name``: run the registry's entry through the dispatcher."""

    async def handle(update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None:
            return
        chat_id, tg_lang, first_name = _ids(update)
        data = context.bot_data
        args = command_args(message)
        group = in_group(update)
        admin = not group or not data.dispatcher.needs_admin(name, args)
        if not admin:
            admin = await sender_is_admin(update, context)
        reply = await data.dispatcher.command(
            chat_id,
            name,
            args,
            tg_lang=tg_lang,
            first_name=first_name,
            now=data.now(),
            in_group=group,
            is_admin=admin,
            user_id=update.effective_user.id if update.effective_user else None,
        )
        await reply_to(update, context, reply)

    handle.__doc__ = f"Run /{name}."
    return handle


async def on_unknown_command(update: Update, context: Context) -> None:
    """Point an unknown ``/command`` (addressed to this bot) to /help."""
    message = update.effective_message
    if message is None or not message.text:
        return
    target = message.text.split(maxsplit=1)[0].partition("@")[2]
    if target and target.lower() != (context.bot.username or "").lower():
        return  # /command@other_bot in a group: meant for another bot
    if in_group(update) and not target:
        return  # a bare unknown /command in a group may be another bot's
    chat_id, tg_lang, first_name = _ids(update)
    data = context.bot_data
    reply = await data.dispatcher.command(
        chat_id,
        message.text.split(maxsplit=1)[0].lstrip("/").partition("@")[0],
        tg_lang=tg_lang,
        first_name=first_name,
        now=data.now(),
    )
    await reply_to(update, context, reply)


def plain_text(text: str) -> str:
    """Telegram HTML as the text a user reads (for comparing a reply with its toast)."""
    return html.unescape(re.sub(r"<[^>]*>", "", text)).strip()


def _own_chat(update: Update) -> bool:
    """False for a button of an inline message, or of someone else's private chat: nothing
    there is the presser's own, so the press acts on nothing."""
    chat, query = update.effective_chat, update.callback_query
    assert query is not None
    return chat is not None and not (
        chat.type == ChatType.PRIVATE and query.from_user.id != chat.id
    )


async def _answer_press(update: Update, context: Context, reply: Reply) -> None:
    query = update.callback_query
    assert query is not None
    toast = reply.toast if reply.toast and len(reply.toast) <= 200 else None
    await query.answer(toast)
    if reply.toast and plain_text(reply.text) == plain_text(reply.toast) and not reply.buttons:
        return  # the toast said it all
    await reply_to(update, context, reply)


def action_handler(kind: type[cb.Action]) -> Handler:
    """The handler of one button action: decode its data and run the registry's entry."""

    async def handle(update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        action = kind.decode(query.data or "")
        if action is None or not _own_chat(update):
            await on_expired(update, context)
            return
        chat_id, tg_lang, _ = _ids(update)
        data = context.bot_data
        group = in_group(update)
        admin = not group or not data.dispatcher.action_needs_admin(action)
        if not admin:
            admin = await sender_is_admin(update, context)
        reply = await data.dispatcher.action(
            chat_id,
            action,
            tg_lang=tg_lang,
            now=data.now(),
            in_group=group,
            is_admin=admin,
            user_id=query.from_user.id,
            first_name=query.from_user.first_name,
        )
        await _answer_press(update, context, reply)

    handle.__doc__ = f"Handle a {kind.__name__} button."
    return handle


async def on_poll_answer(update: Update, context: Context) -> None:
    """An answer to one of our quiz polls: record it and send the round's next question."""
    answer = update.poll_answer
    if answer is None:
        return
    data = context.bot_data
    voter = answer.user.language_code if answer.user else None
    found = await data.dispatcher.poll_answer(
        answer.poll_id,
        tuple(answer.option_ids),
        tg_lang=voter,
        now=data.now(),
        voter_id=answer.user.id if answer.user else None,
    )
    if found is not None:
        chat_id, reply = found
        await send_to(context, chat_id, reply)


async def on_expired(update: Update, context: Context) -> None:
    """A button whose data is forged, stale or not this chat's: say it has expired."""
    query = update.callback_query
    if query is None:
        return
    lang = from_telegram(query.from_user.language_code)
    if update.effective_chat is not None and context.bot_data.services is not None:
        lang = await lang_of(
            context.bot_data.services, update.effective_chat.id, query.from_user.language_code
        )
    await query.answer(localise(t(lang, "stale_button"), lang))


async def on_inline_query(update: Update, context: Context) -> None:
    """Answer ``@bot <query>`` with up to 10 paper cards (the next paper when empty)."""
    inline = update.inline_query
    if inline is None:
        return
    services = context.bot_data.services
    assert services is not None
    user_id = inline.from_user.id
    user_lang = await lang_of(services, user_id, inline.from_user.language_code)
    papers, lang = await asking.inline_papers(services, user_id, inline.query, user_lang)
    username = context.bot.username or ""
    results = []
    for paper in papers:
        body = localise(card(services.catalogue, paper, lang), lang)
        url = create_deep_linked_url(username, f"paper-{paper.id}")
        other = paper.title if base_lang(lang) == "zh" else paper.title_zh
        results.append(
            InlineQueryResultArticle(
                id=paper.id,
                title=localise(paper.display_title(base_lang(lang)), lang),
                description=localise(f"{paper.year} · {other}", lang),
                input_message_content=InputTextMessageContent(body),
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton(localise(t(lang, "inline_open_bot"), lang), url=url)]]
                ),
            )
        )
    # Results depend on the user's language and list: never shared between users.
    await inline.answer(results, cache_time=10, is_personal=True)


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
    if chat_id is None or not isinstance(update, Update) or update.inline_query is not None:
        return
    try:
        lang = "en"
        user = update.effective_user
        if user is not None and context.bot_data.services is not None:
            lang = await lang_of(context.bot_data.services, chat_id, user.language_code)
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
    """Register every handler, in one visible block: one per registry entry."""
    from telegram.ext import (
        CallbackQueryHandler,
        ChatMemberHandler,
        CommandHandler,
        InlineQueryHandler,
        MessageHandler,
        PollAnswerHandler,
        TypeHandler,
        filters,
    )

    application.add_handler(TypeHandler(Update, log_update), group=-1)
    messages = filters.UpdateType.MESSAGE
    for name in COMMANDS:
        application.add_handler(CommandHandler(name, command_handler(name), filters=messages))
    application.add_handler(MessageHandler(filters.COMMAND & messages, on_unknown_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & messages, on_text))
    edits = filters.UpdateType.EDITED_MESSAGE & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(edits, on_edited_text))
    for kind in ACTIONS:
        application.add_handler(CallbackQueryHandler(action_handler(kind), pattern=kind.pattern()))
    application.add_handler(CallbackQueryHandler(on_expired))
    application.add_handler(InlineQueryHandler(on_inline_query))
    application.add_handler(PollAnswerHandler(on_poll_answer))
    application.add_handler(ChatMemberHandler(on_added_to_group, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_error_handler(on_error)
