"""Build and run the python-telegram-bot ``Application``.

Services open in ``post_init`` (database, core) and close in ``post_shutdown``. Defaults are
set once (HTML parse mode, no link previews). Sending goes through
:class:`~bot.telegram.ratelimit.PacedRateLimiter`: one message every 1/30 s overall (no
bursts) and 20 per minute per group, with ``RetryAfter`` honoured (see docs/delivery.md). The
reminder check is one repeating job of the job queue; its schedule lives in SQLite, so a
restart loses nothing. Up to ``settings.concurrent_updates`` updates are handled at once, but
each chat's updates one after the other, in order (:class:`ChatOrderedUpdates`).

Start-up survives a flaky Bot API: ``getMe`` and the first ``getUpdates`` (or ``setWebhook``)
are retried with backoff before ``paperbot run`` gives up with one line
(:class:`StartupError`); menus and descriptions are cosmetic and are retried in the background.
Webhook mode checks its port before it registers the webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import importlib.util
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
)
from telegram.request import HTTPXRequest

from bot.config import Settings
from bot.core.catalogue import Catalogue
from bot.features.common import Services
from bot.features.registry import MENU_COMMANDS
from bot.i18n import t
from bot.storage import Store
from bot.telegram.context import BotData
from bot.telegram.handlers import register
from bot.telegram.jobs import ReminderJob
from bot.telegram.ratelimit import PacedRateLimiter, retry_seconds

log = logging.getLogger("paperbot.app")
DESCRIPTIONS = {
    "en": (
        "Read Ilya Sutskever's ~30 papers and Li Mu's paper-reading list one paper at a time. "
        "Ask about any paper in English or Chinese, get the next one with /next, and a daily "
        "reminder at your local time."
    ),
    "zh": (
        "陪你读完 Ilya Sutskever 的约 30 篇论文和李沐的论文精读清单。用中文或英文问任何一篇论文，"
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


async def set_menus(application: Application) -> None:  # type: ignore[type-arg]
    """Register command menus and descriptions in English (default) and Chinese."""
    bot = application.bot
    for lang, code in (("en", None), ("zh", "zh")):
        commands = [BotCommand(c, t(lang, f"cmd_{c}")[:256]) for c in MENU_COMMANDS]
        await bot.set_my_commands(commands, language_code=code)
        await bot.set_my_description(DESCRIPTIONS[lang], language_code=code)
        await bot.set_my_short_description(SHORT_DESCRIPTIONS[lang], language_code=code)


#: Menus and descriptions are cosmetic: the first try may hold the start for this long, then
#: it goes on in the background, retried after MENU_RETRY_FIRST s, then twice as long each
#: time (up to 5 min), MENU_RETRIES times.
MENU_FIRST_TRY = 3.0
MENU_RETRY_FIRST = 2.0
MENU_RETRIES = 8


async def menus_in_background(application: PaperbotApplication) -> None:
    """Set the menus once, bounded by :data:`MENU_FIRST_TRY`; on failure keep trying in a
    background task (a WARNING per failure) while the bot runs."""
    try:
        await asyncio.wait_for(set_menus(application), MENU_FIRST_TRY)
        return
    except (TelegramError, TimeoutError) as err:
        log.warning("menus not set; retrying in the background", extra={"reason": _why(err)})

    async def retry() -> None:
        delay = MENU_RETRY_FIRST
        for attempt in range(1, MENU_RETRIES + 1):
            await asyncio.sleep(delay)
            try:
                await set_menus(application)
            except TelegramError as err:
                log.warning("menus not set", extra={"attempt": attempt, "reason": _why(err)})
                delay = min(delay * 2, 300)
            else:
                log.info("menus set", extra={"attempt": attempt})
                return
        log.warning("menus not set; giving up until the next start")

    application.background = asyncio.create_task(retry(), name="paperbot:menus")


def _why(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__


class StartupError(Exception):
    """``paperbot run`` could not start or had to stop: the Bot API cannot be reached, the
    token is refused, or the webhook port is in use. The message says which, in one line."""


class PaperbotApplication(Application):  # type: ignore[type-arg]
    """python-telegram-bot's ``Application`` with a patient start-up.

    * ``getMe`` (in :meth:`initialize`) is retried with backoff on network errors, up to
      ``startup_retries`` times, then fails with a :class:`StartupError`.
    * ``getUpdates`` errors (python-telegram-bot retries them for ever, waiting up to 30 s)
      are logged as one WARNING each instead of going to the update error handler; if no
      ``getUpdates`` ever succeeded and ``startup_retries`` more failed, the bot stops and
      :func:`run` raises a :class:`StartupError`.

    Attributes:
        startup_retries: retries of each start-up call.
        fatal: why the bot stopped by itself (raised by :func:`run` once it has stopped).
        background: the task setting the menus, when their first try failed.
        poll_request: the ``getUpdates`` connection.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.startup_retries = 5
        self.fatal: Exception | None = None
        self.background: asyncio.Task[None] | None = None
        self.poll_request: _PollRequest | None = None
        self._poll_failures = 0

    @property
    def api_root(self) -> str:
        """The Bot API server, without the ``/bot<token>`` part (safe to show)."""
        return str(self.bot.base_url).split("/bot", 1)[0]

    async def initialize(self) -> None:
        """Initialise the bot (``getMe``) with retries, then the rest of the Application."""
        delay = 1.0
        for attempt in range(self.startup_retries + 1):
            try:
                await self.bot.initialize()
                break
            except InvalidToken:
                raise StartupError(
                    "the Bot API refused TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token "
                    "with @BotFather"
                ) from None
            except (NetworkError, RetryAfter) as err:
                if attempt == self.startup_retries:
                    raise StartupError(
                        f"cannot reach the Bot API at {self.api_root} ({_why(err)}; "
                        f"{attempt + 1} tries): check the network and PAPERBOT_BASE_URL"
                    ) from None
                wait = retry_seconds(err) if isinstance(err, RetryAfter) else delay
                log.warning(
                    "Bot API not reachable at start-up; retrying",
                    extra={"call": "getMe", "seconds": wait, "reason": _why(err)},
                )
                await asyncio.sleep(wait)
                delay = min(delay * 2, 30)
        await super().initialize()

    async def process_error(
        self,
        update: object | None,
        error: Exception,
        job: Any = None,
        coroutine: Any = None,
    ) -> bool:
        """Handle a polling error here (see the class docstring); any other error goes to
        the registered error handlers."""
        if update is not None or job is not None or coroutine is not None:
            return await super().process_error(update, error, job, coroutine)
        self._poll_failures += 1
        answered = self.poll_request is not None and self.poll_request.answered
        if isinstance(error, InvalidToken) or (
            not answered and self._poll_failures > self.startup_retries
        ):
            if self.fatal is None:
                self.fatal = StartupError(
                    f"cannot get updates from the Bot API at {self.api_root} ({_why(error)}; "
                    f"{self._poll_failures} tries)"
                )
            if self.running:
                self.stop_running()
        else:
            log.warning("getting updates failed; retrying", extra={"reason": _why(error)})
        return False


class _PollRequest(HTTPXRequest):
    """The ``getUpdates`` connection; remembers whether a call was ever answered 200."""

    def __init__(self) -> None:
        super().__init__(connection_pool_size=1)
        self.answered = False

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Make the request (see ``HTTPXRequest``) and note a 200."""
        status, body = await super().do_request(*args, **kwargs)
        self.answered = self.answered or status == 200
        return status, body


async def _post_init(
    application: Application,  # type: ignore[type-arg]
    *,
    settings: Settings,
    catalogue: Catalogue,
    clock: Callable[[], datetime] | None,
    first_check: float | None,
    job: ReminderJob,
) -> None:
    """Open the services, settle what a crash left, set the menus, schedule the checks."""
    store = await Store.open(settings.db)
    data: BotData = application.bot_data
    data.services = Services(catalogue, store)
    data.clock = clock or (lambda: datetime.now(UTC))
    if store.db.created:
        log.warning(
            "new database created", extra={"path": str(settings.db), "hint": NEW_DATABASE_HINT}
        )
    if interrupted := await store.deliveries.settle_interrupted(data.now()):
        log.warning("reminders in flight at the last stop", extra={"unknown": interrupted})
    assert isinstance(application, PaperbotApplication)
    await menus_in_background(application)
    assert application.job_queue is not None
    # The first check runs soon after start-up, so reminders missed while the bot was down go
    # out the same local day; tests pass first_check=None and run the job by hand.
    first = settings.reminder_interval if first_check is None else first_check
    application.job_queue.run_repeating(
        job,
        interval=settings.reminder_interval,
        first=first,
        name="reminders",
        # A check that comes during a long run returns at once (ReminderJob), so a second
        # instance may start; a late check runs late rather than being dropped with a
        # warning, and missed ones run once.
        job_kwargs={"max_instances": 3, "misfire_grace_time": None, "coalesce": True},
    )
    log.info("started", extra={"papers": len(catalogue.papers), "db": str(settings.db)})


async def _post_shutdown(
    application: Application,  # type: ignore[type-arg]
    *,
    job: ReminderJob,
) -> None:
    """Stop the menus' retries, close the database, keep why the bot stopped (if it must)."""
    assert isinstance(application, PaperbotApplication)
    if application.background is not None:
        application.background.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await application.background
    data: BotData = application.bot_data
    if data.services is not None:
        await data.services.store.deliveries.flush()
        await data.services.store.close()
    if job.fatal is not None and application.fatal is None:
        application.fatal = job.fatal
    log.info("stopped")


def build_application(
    settings: Settings,
    token: str,
    catalogue: Catalogue,
    *,
    clock: Callable[[], datetime] | None = None,
    rate_limiter: bool = True,
    first_check: float | None = 1.0,
    overall_rate: float | None = None,
) -> PaperbotApplication:
    """Build the Application (not started).

    Args:
        settings: settings (``base_url`` may point at a loopback Bot API server).
        token: the validated bot token.
        catalogue: the loaded catalogue.
        clock: returns the current aware datetime; defaults to the UTC wall clock.
        rate_limiter: use the rate limiter (on in production).
        first_check: seconds until the first reminder check (None: one full interval).
        overall_rate: messages per second the rate limiter allows overall (default
            ``settings.send_rate``, Telegram's 30; load tests pass a scaled value).
    """
    job, poll = ReminderJob(), _PollRequest()
    start = functools.partial(
        _post_init, settings=settings, catalogue=catalogue, clock=clock, first_check=first_check,
        job=job,
    )  # fmt: skip
    updates = settings.concurrent_updates
    builder = (
        ApplicationBuilder()
        .application_class(PaperbotApplication)
        .token(token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_url.replace("/bot", "/file/bot"))
        .get_updates_request(poll)
        .context_types(ContextTypes(bot_data=BotData))
        .concurrent_updates(ChatOrderedUpdates(updates) if updates > 1 else 1)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LINK_PREVIEWS_OFF))
        .post_init(start)
        .post_shutdown(functools.partial(_post_shutdown, job=job))
    )
    if rate_limiter:
        rate = settings.send_rate if overall_rate is None else overall_rate
        limiter = PacedRateLimiter(rate, group_rate=20, group_period=60, max_retries=3)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    application = builder.build()
    assert isinstance(application, PaperbotApplication)
    application.startup_retries = settings.startup_retries
    application.poll_request = poll
    register(application)
    quiet_unreadable_updates()
    return application


LINK_PREVIEWS_OFF = LinkPreviewOptions(is_disabled=True)
NEW_DATABASE_HINT = (
    "normal on the first start; otherwise the old database is not at this path: stop the "
    "bot and check PAPERBOT_DB"
)


class _UnreadableUpdate(logging.Filter):
    """python-telegram-bot logs an update it cannot read at CRITICAL, with the whole update
    (the user's message text included). Keep one WARNING line without the data; the data is
    still logged at DEBUG ("Webhook received data")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.CRITICAL and str(record.msg).startswith(
            "Something went wrong processing the data received from Telegram"
        ):
            error = record.exc_info[1] if record.exc_info else None
            record.msg, record.args = "unreadable update ignored", ()
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
            record.error = type(error).__name__ if error is not None else "unknown"
        return True


def quiet_unreadable_updates() -> None:
    """Install :class:`_UnreadableUpdate` on python-telegram-bot's updater logger (once)."""
    logger = logging.getLogger("telegram.ext.Updater")
    if not any(isinstance(f, _UnreadableUpdate) for f in logger.filters):
        logger.addFilter(_UnreadableUpdate())


def run(settings: Settings, token: str, catalogue: Catalogue) -> None:
    """Run until SIGINT/SIGTERM: polling by default, a webhook with ``settings.webhook_url``.

    python-telegram-bot finishes in-flight updates and runs ``post_shutdown`` (closing the
    database) on SIGTERM.

    Raises:
        StartupError: the Bot API could not be reached at start-up (after
            ``settings.startup_retries`` retries of each call), refused the token, or the
            webhook port is in use.
        StorageError: the database file was removed or replaced while the bot ran.
    """
    application = build_application(settings, token, catalogue)
    try:
        if settings.webhook_url:
            _run_webhook(application, settings)
        else:
            application.run_polling(
                allowed_updates=Update.ALL_TYPES, bootstrap_retries=settings.startup_retries
            )
    except TelegramError as err:  # a bootstrap call (deleteWebhook/setWebhook) gave up
        raise StartupError(
            f"the Bot API at {application.api_root} failed at start-up ({_why(err)}; "
            f"{settings.startup_retries + 1} tries)"
        ) from None
    if application.fatal is not None:
        raise application.fatal


def _run_webhook(application: PaperbotApplication, settings: Settings) -> None:
    if importlib.util.find_spec("tornado") is None:
        raise StartupError(
            "webhook mode needs python-telegram-bot's webhooks extra (tornado): "
            'pip install "python-telegram-bot[webhooks]", or run without --webhook-url'
        )
    secret = settings.webhook_secret()
    listen, port = settings.webhook_listen, settings.port
    try:  # before anything else: a bot that cannot listen must not register its webhook
        with socket.create_server((listen, port)):
            pass
    except OSError as err:
        reason = "the port is in use" if err.errno == errno.EADDRINUSE else err.strerror
        raise StartupError(f"cannot listen on {listen}:{port} for the webhook: {reason}") from None
    if secret is None:
        log.warning("webhook without a secret token: anyone who finds the URL can post updates")
    assert settings.webhook_url is not None
    path = urlparse(settings.webhook_url).path.strip("/") or "telegram"
    application.run_webhook(
        listen=listen,
        port=port,
        url_path=path,
        webhook_url=settings.webhook_url,
        secret_token=secret,
        allowed_updates=Update.ALL_TYPES,
        bootstrap_retries=settings.startup_retries,
    )
