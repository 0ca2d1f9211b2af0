"""One way in for every adapter: a command, a button press or a question -> a :class:`Reply`.

The Telegram adapter and ``paperbot chat`` both call these, so the same table
(:mod:`bot.features.registry`) runs in both. Each call resolves the chat's language, runs the
feature, and renders Traditional Chinese at the very end.
"""

from __future__ import annotations

from datetime import datetime

from bot.features import asking, notes, quiz
from bot.features import callbacks as cb
from bot.features.common import Request, Services, in_script, lang_of
from bot.features.group import for_group
from bot.features.registry import ACTIONS, ADMIN_ACTIONS, COMMANDS, PRIVATE_ONLY
from bot.features.reply import Reply
from bot.i18n import t


class Dispatcher:
    """Routes adapters' input to the features.

    Args:
        services: the catalogue, the open store and the answerer.
    """

    def __init__(self, services: Services) -> None:
        self.services = services

    async def command(
        self,
        chat_id: int,
        name: str,
        args: str = "",
        *,
        tg_lang: str | None = None,
        first_name: str = "",
        now: datetime,
        in_group: bool = False,
        is_admin: bool = True,
        user_id: int | None = None,
    ) -> Reply:
        """Run ``/name args`` for the chat; an unknown command gets a pointer to /help.

        In a group (``in_group``), a command that changes what the group shares needs
        ``is_admin`` (the adapter asks Telegram only when :meth:`needs_admin` says so).
        """
        await self.services.store.users.ensure(chat_id, now)
        await notes.drop_pending_note(self.services, chat_id, now)  # a command: not a note
        command = COMMANDS.get(name.lower())
        if not in_group or (command is not None and command.needs_admin(args) and is_admin):
            # What the bot sends unprompted speaks this language: in a group, the language
            # of the administrator who set it up (unless /lang chose one).
            await self.services.store.users.remember_tg_lang(chat_id, tg_lang, now)
        lang = await lang_of(self.services, chat_id, tg_lang)
        if command is None:
            return in_script(Reply(t(lang, "unknown_command"), lang))
        if in_group and not is_admin and command.needs_admin(args):
            return in_script(Reply(t(lang, "group_admins_only"), lang))
        request = Request(
            chat_id, lang, now, args.strip(), first_name, in_group, is_admin, user_id
        )
        return await self.finish(await command.run(self.services, request), request)

    async def finish(self, reply: Reply, request: Request) -> Reply:
        """The reply as the chat sees it: a card is remembered (for follow-up questions) and
        shows the chat's own note, a group's cards mark each member's own reading, and
        Traditional Chinese is rendered last."""
        if reply.paper_id is not None:
            self.services.shown(request.chat_id, reply.paper_id)
            if not request.in_group:
                reply = await notes.with_note(self.services, request.chat_id, reply)
        if request.in_group:
            reply = for_group(reply, reply.lang)
        return in_script(reply)

    @staticmethod
    def needs_admin(name: str, args: str = "") -> bool:
        """Whether ``/name args`` in a group takes an administrator."""
        command = COMMANDS.get(name.lower())
        return command is not None and (command.needs_admin(args) or command.asks_admin)

    @staticmethod
    def action_needs_admin(action: cb.Action) -> bool:
        """Whether pressing ``action`` in a group takes an administrator."""
        return type(action) in ADMIN_ACTIONS

    async def callback(
        self, chat_id: int, data: str, *, tg_lang: str | None = None, now: datetime
    ) -> Reply:
        """Handle a button press by this chat; forged or stale data gets the "expired" notice."""
        lang = await lang_of(self.services, chat_id, tg_lang)
        action = cb.decode(data or "")
        if action is None:
            return in_script(expired(lang))
        return await self.action(chat_id, action, tg_lang=tg_lang, now=now)

    async def action(
        self,
        chat_id: int,
        action: cb.Action,
        *,
        tg_lang: str | None = None,
        now: datetime,
        in_group: bool = False,
        is_admin: bool = True,
        user_id: int | None = None,
        first_name: str = "",
    ) -> Reply:
        """Run a decoded button action; one that no longer applies gets the "expired" notice."""
        lang = await lang_of(self.services, chat_id, tg_lang)
        if in_group and type(action) in PRIVATE_ONLY:
            return in_script(expired(lang))  # a reader's own button, not a group's
        if not isinstance(action, cb.NoteStart):
            await notes.drop_pending_note(self.services, chat_id, now)
        if in_group and not is_admin and self.action_needs_admin(action):
            text = t(lang, "group_admins_only")
            return in_script(Reply(text, lang, toast=text))
        request = Request(
            chat_id,
            lang,
            now,
            first_name=first_name,
            in_group=in_group,
            is_admin=is_admin,
            user_id=user_id,
        )
        reply = await ACTIONS[type(action)](self.services, request, action)
        return await self.finish(reply or expired(lang), request)

    async def text(
        self,
        chat_id: int,
        text: str,
        *,
        tg_lang: str | None = None,
        now: datetime,
        in_group: bool = False,
    ) -> Reply:
        """Answer free text as a question about the lists (or keep it as the note the chat
        asked to write with 📝 Note)."""
        user_lang = await lang_of(self.services, chat_id, tg_lang)
        request = Request(chat_id, user_lang, now, text, in_group=in_group)
        reply = await notes.take_pending_note(self.services, request)
        return await self.finish(reply or await asking.answer(self.services, request), request)

    async def poll_answer(
        self,
        poll_id: str,
        option_ids: tuple[int, ...],
        *,
        tg_lang: str | None = None,
        now: datetime,
        voter_id: int | None = None,
    ) -> tuple[int, Reply] | None:
        """A Telegram quiz-poll answer: ``(chat_id, the reply)`` (the next question or a short
        verdict), or None for a poll that is not ours or a retracted vote."""
        poll = await self.services.store.learning.poll(poll_id)
        if poll is None or not option_ids:
            return None
        if poll.chat_id > 0 and voter_id is not None and voter_id != poll.chat_id:
            return None  # a forwarded copy answered by someone else: not this reader's answer
        lang = await lang_of(self.services, poll.chat_id, tg_lang)
        request = Request(poll.chat_id, lang, now)
        reply = await quiz.answer(
            self.services, request, poll.question_id, option_ids[0], poll.review
        )
        return None if reply is None else (poll.chat_id, in_script(reply))


def expired(lang: str) -> Reply:
    """The answer to a button whose data is forged, stale or no longer valid."""
    return Reply(t(lang, "stale_button"), lang, toast=t(lang, "stale_button"))
