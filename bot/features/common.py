"""What every feature shares: the services, the request, and a few small look-ups.

A feature function takes ``(services, request)`` (commands) or ``(services, request, action)``
(buttons) and returns a :class:`~bot.features.reply.Reply`. Nothing here imports ``telegram``.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.core.answers import Answerer
from bot.core.catalogue import Catalogue, ReadingList
from bot.features.reply import Button, Reply, esc
from bot.i18n import base_lang, from_telegram, localise
from bot.storage import Store

RECENT_CHATS = 10_000


@dataclass
class Services:
    """The long-lived objects a feature works with.

    Args:
        catalogue: the loaded knowledge base.
        store: the open database (repositories as attributes).
        answerer: answers free-text questions (built from the catalogue if omitted).
        rng: random source for ``/random`` (seed it in tests).
        recent: the last paper shown in each chat (chat_id -> paper id, the last
            :data:`RECENT_CHATS` chats), for follow-ups like "and who wrote it?". In memory:
            a restart forgets it, which costs only a follow-up's context.
    """

    catalogue: Catalogue
    store: Store
    answerer: Answerer = field(default=None)  # type: ignore[assignment]
    rng: random.Random = field(default_factory=random.Random)
    recent: OrderedDict[int, str] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        if self.answerer is None:
            self.answerer = Answerer(self.catalogue)

    def shown(self, chat_id: int, paper_id: str) -> None:
        """Remember that ``paper_id`` was the last paper shown in the chat."""
        self.recent[chat_id] = paper_id
        self.recent.move_to_end(chat_id)
        if len(self.recent) > RECENT_CHATS:
            self.recent.popitem(last=False)


@dataclass(frozen=True)
class Request:
    """One user action, as the feature sees it.

    Attributes:
        chat_id: the Telegram chat (a private chat's id is the user's id).
        lang: the reply language (``en``, ``zh``, ``zh-hant``, ``zh-hk``).
        now: the current instant (aware datetime; tests pass a fake clock).
        args: the command's arguments or the question's text, stripped.
        first_name: the sender's first name (for greetings), or "".
        in_group: the chat is a group: its list, reminder and language are the group's.
        is_admin: the sender may change the group's settings (always True in private).
        user_id: the sender (in a group, whose own marks a "✅ I read it" records).
    """

    chat_id: int
    lang: str
    now: datetime
    args: str = ""
    first_name: str = ""
    in_group: bool = False
    is_admin: bool = True
    user_id: int | None = None

    @property
    def base(self) -> str:
        """The message catalogue of :attr:`lang`: ``en`` or ``zh``."""
        return base_lang(self.lang)


async def lang_of(services: Services, chat_id: int, tg_lang: str | None) -> str:
    """The chat's reply language: its /lang choice, else its Telegram ``language_code`` (the
    one given, or for messages the bot sends unprompted, the one last seen)."""
    user = await services.store.users.get(chat_id)
    if user is not None and user.lang:
        return user.lang
    return from_telegram(tg_lang or (user.tg_lang if user is not None else None))


async def current_list(services: Services, chat_id: int) -> ReadingList:
    """The chat's current list (the first list until it picks another)."""
    user = await services.store.users.get(chat_id)
    if user is not None and user.current_list is not None:
        lst = services.catalogue.lists.get(user.current_list)
        if lst is not None:
            return lst
    return services.catalogue.default_list


def list_name(lst: ReadingList, lang: str) -> str:
    """The list's name in ``lang``, escaped for HTML."""
    return esc(lst.name.get(base_lang(lang)))


def paper_title(services: Services, paper_id: str, lang: str) -> str:
    """The paper's title to show in ``lang`` (not escaped)."""
    return services.catalogue.papers[paper_id].display_title(base_lang(lang))


def in_script(reply: Reply) -> Reply:
    """Convert a finished reply to the Traditional-Chinese variant its language asks for.

    Replies are written in Simplified Chinese; ``zh-hant`` and ``zh-hk`` are rendered from it
    at the very end, text, toast and button labels alike.
    """
    if reply.lang not in {"zh-hant", "zh-hk"}:
        return reply
    rows = tuple(
        tuple(Button(localise(b.text, reply.lang), b.data, b.url, b.switch_inline) for b in row)
        for row in reply.buttons
    )
    poll = reply.poll and replace(
        reply.poll,
        question=localise(reply.poll.question, reply.lang),
        options=tuple(localise(o, reply.lang) for o in reply.poll.options),
        explanation=localise(reply.poll.explanation, reply.lang),
    )
    return replace(
        reply,
        text=localise(reply.text, reply.lang),
        buttons=rows,
        toast=reply.toast and localise(reply.toast, reply.lang),
        poll=poll,
    )
