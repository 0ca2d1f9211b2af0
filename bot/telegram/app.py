"""Build and run the python-telegram-bot ``Application``.

Services open in ``post_init`` (database, core) and close in ``post_shutdown``. Defaults are
set once (HTML parse mode, no link previews). Sending goes through
:class:`~bot.telegram.delivery.PacedRateLimiter`: one message every 1/30 s overall (no
bursts) and 20 per minute per group, with ``RetryAfter`` honoured (see docs/delivery.md). The
reminder check is one repeating job of the job queue; its schedule lives in SQLite, so a
restart loses nothing. Up to ``settings.concurrent_updates`` updates are handled at once, but
each chat's updates one after the other, in order (:class:`ChatOrderedUpdates`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
)

from bot.config import Settings
from bot.core.catalogue import Catalogue
from bot.i18n import t
from bot.service import MENU_COMMANDS, PaperBot
from bot.storage import Storage
from bot.telegram.delivery import PacedRateLimiter, send_due_reminders
from bot.telegram.handlers import BotData, Context, register

log = logging.getLogger("paperbot.app")
DESCRIPTIONS = {
    "en": (
        "Read Ilya Sutskever's ~30 papers and Li Mu's paper-reading list one paper at a time. "
        "Ask about any paper in English or Chinese, get the next one with /next, and a daily "
        "reminder at your local time."
    ),
    "zh": (
        "陪你读完 Ilya Sutskever 的 30 篇论文和李沐的论文精读清单。用中文或英文问任何一篇论文，"
        "/next 获取下一篇，还能按你的当地时间每天提醒。"
    ),
}
SHORT_DESCRIPTIONS = {
    "en": "Your guide to the classic AI reading lists, in English and Chinese.",
    "zh": "经典 AI 论文清单的阅读助手，中英双语。",
}


class ChatOrderedUpdates(BaseUpdateProcessor):
    """Up to ``max_concurrent_updates`` updates at once, but one chat's updates one after the
    other, in the order they arrived.

    python-telegram-bot's own processor runs a chat's updates concurrently too, so a quick
    "/next" after a tap on "Read" could be answered first, and a burst of commands comes back
    shuffled. Here each chat (the user, for inline queries) takes turns behind an
    ``asyncio.Lock``; the turns are taken in arrival order, because python-telegram-bot starts
    one task per update in that order and its semaphore and the lock are both first come, first
    served. A chat waiting for its turn holds one of the slots, so a burst from one chat slows
    the others at worst as much as handling every update one at a time would.
    """

    __slots__ = ("_turns",)

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int, _Turn] = {}  # only chats with an update running or waiting

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await ``coroutine`` once the update's chat has no earlier update still running."""
        key = _chat_key(update)
        if key is None:
            await coroutine
            return
        turn = self._turns.setdefault(key, _Turn())
        turn.updates += 1
        try:
            async with turn.lock:
                await coroutine
        finally:
            turn.updates -= 1
            if not turn.updates:
                del self._turns[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


@dataclass
class _Turn:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    updates: int = 0  # running or waiting


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


async def remind(context: Context) -> None:
    """The repeating job: send every reminder that is due now."""
    data = context.bot_data
    await send_due_reminders(context.bot, data.bot, data.now())


async def set_menus(application: Application) -> None:  # type: ignore[type-arg]
    """Register command menus and descriptions in English (default) and Chinese."""
    bot = application.bot
    for lang, code in (("en", None), ("zh", "zh")):
        commands = [BotCommand(c, t(lang, f"cmd_{c}")[:256]) for c in MENU_COMMANDS]
        await bot.set_my_commands(commands, language_code=code)
        await bot.set_my_description(DESCRIPTIONS[lang], language_code=code)
        await bot.set_my_short_description(SHORT_DESCRIPTIONS[lang], language_code=code)


def build_application(
    settings: Settings,
    token: str,
    catalogue: Catalogue,
    *,
    clock: Callable[[], datetime] | None = None,
    rate_limiter: bool = True,
    first_check: float | None = 1.0,
    overall_rate: float = 30,
) -> Application:  # type: ignore[type-arg]
    """Build the Application (not started).

    Args:
        settings: settings (``base_url`` may point at a loopback Bot API server).
        token: the validated bot token.
        catalogue: the loaded catalogue.
        clock: returns the current aware datetime; defaults to the UTC wall clock.
        rate_limiter: use the rate limiter (on in production).
        first_check: seconds until the first reminder check (None: one full interval).
        overall_rate: messages per second the rate limiter allows overall (Telegram: 30;
            load tests pass a scaled value to match their fake server).
    """
    context_types = ContextTypes(bot_data=BotData)

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        storage = await Storage.open(settings.db)
        data: BotData = application.bot_data
        data.core = PaperBot(catalogue, storage)
        data.clock = clock or (lambda: datetime.now(UTC))
        await set_menus(application)
        assert application.job_queue is not None
        # The first check runs soon after start-up, so reminders missed while the bot was
        # down go out the same local day; tests pass first_check=None and run the job by hand.
        first = settings.reminder_interval if first_check is None else first_check
        application.job_queue.run_repeating(
            remind, interval=settings.reminder_interval, first=first, name="reminders"
        )
        log.info("started", extra={"papers": len(catalogue.papers), "db": str(settings.db)})

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        data: BotData = application.bot_data
        if data.core is not None:
            await data.core.storage.close()
        log.info("stopped")

    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_url.replace("/bot", "/file/bot"))
        .context_types(context_types)
        .concurrent_updates(
            ChatOrderedUpdates(settings.concurrent_updates)
            if settings.concurrent_updates > 1
            else 1
        )
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if rate_limiter:
        limiter = PacedRateLimiter(overall_rate, group_rate=20, group_period=60, max_retries=3)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    application = builder.build()
    register(application)
    return application


def run(settings: Settings, token: str, catalogue: Catalogue) -> None:
    """Run until SIGINT/SIGTERM: polling by default, a webhook with ``settings.webhook_url``.

    python-telegram-bot finishes in-flight updates and runs ``post_shutdown`` (closing the
    database) on SIGTERM.
    """
    application = build_application(settings, token, catalogue)
    if settings.webhook_url:
        secret = settings.secret_token.get_secret_value() if settings.secret_token else None
        path = urlparse(settings.webhook_url).path.strip("/") or "telegram"
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.port,
            url_path=path,
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
