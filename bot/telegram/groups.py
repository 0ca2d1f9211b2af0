"""Groups: whether an update comes from one, whether its sender administers it (cached
``getChatMember``), and the greeting when the bot is added."""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.i18n import from_telegram, localise, t
from bot.telegram.context import ADMIN_CACHE_SECONDS, Context

log = logging.getLogger("paperbot.telegram")

GROUP_TYPES = {ChatType.GROUP, ChatType.SUPERGROUP}


def in_group(update: Update) -> bool:
    """Whether the update comes from a group chat."""
    return update.effective_chat is not None and update.effective_chat.type in GROUP_TYPES


async def sender_is_admin(update: Update, context: Context) -> bool:
    """Whether the sender administers the group (``getChatMember``, cached briefly). An
    anonymous administrator posts as the group itself."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None:
        return False
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id
    key = (chat.id, user.id)
    cached = context.bot_data.admins.get(key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as err:
        log.warning("admin check failed", extra={"chat_id": chat.id, "reason": str(err)})
        return False
    admin = member.status in {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
    if len(context.bot_data.admins) > 10_000:
        context.bot_data.admins.clear()
    context.bot_data.admins[key] = (time.monotonic() + ADMIN_CACHE_SECONDS, admin)
    return admin


async def on_added_to_group(update: Update, context: Context) -> None:
    """Greet a group when the bot is added to it, saying how it behaves there."""
    change = update.my_chat_member
    if change is None or change.chat.type not in GROUP_TYPES:
        return
    before, after = change.old_chat_member.status, change.new_chat_member.status
    gone = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}
    if before not in gone or after in gone:
        return
    lang = from_telegram(change.from_user.language_code)
    await context.bot.send_message(change.chat.id, localise(t(lang, "group_welcome"), lang))
