"""What every Telegram handler and job shares: :class:`BotData` (``context.bot_data``) and the
typed ``Context``."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import CallbackContext, ExtBot

from bot.features.common import Services
from bot.features.dispatch import Dispatcher

#: How many answered questions ``BotData.answers`` remembers (for edited questions).
ANSWERS_KEPT = 5_000
#: How long a group administrator check is trusted, in seconds.
ADMIN_CACHE_SECONDS = 300


@dataclass
class BotData:
    """Shared state for handlers and jobs (``context.bot_data``), set in ``post_init``.

    ``answers`` remembers, for the last :data:`ANSWERS_KEPT` questions, which message
    answered them: ``(chat_id, question message_id) -> (answer message_id, question text)``,
    so that an edited question edits its answer. ``admins`` caches whether a user
    administers a group: ``(chat_id, user_id) -> (expires, is_admin)`` on the monotonic
    clock, for :data:`ADMIN_CACHE_SECONDS`.
    """

    services: Services | None = None
    clock: Callable[[], datetime] | None = None
    admins: dict[tuple[int, int], tuple[float, bool]] = field(default_factory=dict)
    answers: OrderedDict[tuple[int, int], tuple[int, str]] = field(default_factory=OrderedDict)

    def now(self) -> datetime:
        """The current time from the injected clock (tests pass a fake one)."""
        assert self.clock is not None
        return self.clock()

    @property
    def dispatcher(self) -> Dispatcher:
        """The features' dispatcher over the open services."""
        assert self.services is not None
        return Dispatcher(self.services)


Context = CallbackContext[ExtBot[None], dict, dict, BotData]  # type: ignore[type-arg]
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]
