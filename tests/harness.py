"""Run the real paperbot Application in a test: in-process (:class:`OfflineBot`) or polling a
fake Bot API over HTTP (:class:`RunningBot`).

Both build the Application with :func:`bot.telegram.app.build_application`, run its
``post_init`` / ``post_shutdown`` as ``run_polling`` does, and expose the running services and
the reminder job. Neither ever waits for a fixed time: :meth:`OfflineBot.idle` and
:meth:`RunningBot.idle` return once every injected update has been handed to the application
and its ``update_queue`` is joined (python-telegram-bot marks an update done after its handlers
and error handlers have run), so "no reply" is checked when the bot has nothing left to do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot.config import Settings
from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from bot.features.common import Services
from bot.features.reminders import RunStats
from bot.storage import Store
from bot.telegram import app as app_module
from bot.telegram.app import build_application
from tests.botapi import FakeBotAPI
from tests.botmethods import FakeTelegram
from tests.botmodel import Request
from tests.offline import OfflineRequest

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmn"
Clock = Callable[[], datetime]
App = Application  # type: ignore[type-arg]


def build(
    settings: Settings,
    catalogue: Catalogue,
    clock: Clock,
    *,
    rate_limiter: bool,
    overall_rate: float,
    request: BaseRequest | None = None,
) -> App:
    """``build_application`` as ``paperbot run`` calls it, with the reminder job left to the
    test (``first_check=None``); with ``request``, the bot's requests go through it.

    ``build_application`` takes no request class, so the builder it uses is swapped, for this
    call only, for one that sets ``request`` before building.
    """
    if request is None:
        return build_application(
            settings,
            TOKEN,
            catalogue,
            clock=clock,
            rate_limiter=rate_limiter,
            first_check=None,
            overall_rate=overall_rate,
        )
    fixed = request

    class OfflineBuilder(ApplicationBuilder):  # type: ignore[type-arg]
        def build(self) -> Any:
            self.request(fixed).get_updates_request(fixed)
            return super().build()

    original = app_module.ApplicationBuilder
    app_module.ApplicationBuilder = OfflineBuilder  # type: ignore[misc]
    try:
        return build(
            settings, catalogue, clock, rate_limiter=rate_limiter, overall_rate=overall_rate
        )
    finally:
        app_module.ApplicationBuilder = original  # type: ignore[misc]


class AppHarness:
    """What every test harness around a built Application shares: opening and closing it
    as ``run_polling`` does, its services and database, and running its reminder job."""

    app: App

    async def _open(self) -> None:
        app = self.app
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)

    async def _close(self) -> None:
        app = self.app
        await app.stop()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()

    @property
    def services(self) -> Services:
        """The running bot's services (set in ``post_init``)."""
        services = self.app.bot_data.services
        assert services is not None
        return services

    @property
    def store(self) -> Store:
        """The running bot's open database."""
        return self.services.store

    def reminder_job(self) -> Any:
        """The job queue's ``reminders`` job."""
        assert self.app.job_queue is not None
        (job,) = self.app.job_queue.get_jobs_by_name("reminders")
        return job

    async def run_reminder_job(self) -> RunStats:
        """Run the registered reminder job now, with the context the job queue would give it,
        and return its stats."""
        job = self.reminder_job()
        context = self.app.context_types.context.from_job(job, self.app)
        stats = await job.callback(context)
        assert isinstance(stats, RunStats)
        return stats


class _Harness(AppHarness):
    """What both ways of running the bot against a fake Telegram share."""

    telegram: FakeTelegram

    async def idle(self) -> None:
        """Wait until every injected update is handled (each way of running has its own)."""
        raise NotImplementedError

    async def answer_poll(self, chat: int, message: Request, option: int, **kwargs: Any) -> None:
        """Answer the poll ``message`` carries with ``option`` (see
        :meth:`tests.botupdates.UpdateSource.answer_poll`) and wait until the bot has handled
        it; what it sent stays to be read."""
        assert message.message_id is not None and message.poll is not None, message
        self.telegram.answer_poll(chat, message.message_id, option, **kwargs)
        await self.idle()


class OfflineBot(_Harness):
    """The real Application in-process: updates go into its ``update_queue`` as real
    :class:`telegram.Update` objects, its requests go to ``telegram`` through
    :class:`~tests.offline.OfflineRequest`. No socket is opened.

    Args:
        telegram: the fake Telegram (it outlives the bot: restarts keep the chats).
        db: the SQLite file.
        catalogue: the loaded catalogue.
        clock: the bot's clock.
        rate_limiter: use the production rate limiter (off by default: it only adds waiting).
        concurrent_updates: updates handled at once (the production default if None).
    """

    def __init__(
        self,
        telegram: FakeTelegram,
        db: Path,
        catalogue: Catalogue,
        clock: Clock,
        *,
        rate_limiter: bool = False,
        concurrent_updates: int | None = None,
    ) -> None:
        settings = Settings(db=db, reminder_interval=3600)
        if concurrent_updates is not None:
            settings = Settings(
                db=db, reminder_interval=3600, concurrent_updates=concurrent_updates
            )
        self.telegram = telegram
        self.app = build(
            settings,
            catalogue,
            clock,
            rate_limiter=rate_limiter,
            overall_rate=30,
            request=OfflineRequest(telegram),
        )

    async def __aenter__(self) -> OfflineBot:
        await self._open()
        await self.app.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.idle()
        await self._close()

    async def idle(self) -> None:
        """Hand every injected update to the application and wait until all are handled."""
        for data in self.telegram.take_updates():
            update = Update.de_json(data, self.app.bot)
            assert update is not None
            self.app.update_queue.put_nowait(update)
        await self.app.update_queue.join()

    # -- a user, in a few words ---------------------------------------------------------------

    async def say(self, chat: int, text: str, **kwargs: Any) -> Request:
        """Send ``text`` from ``chat`` and return the bot's (first) reply."""
        self.telegram.send_text(chat, text, **kwargs)
        await self.idle()
        return self.telegram.take_reply(chat)

    async def press(
        self, chat: int, message: Request, data: cb.Action | str, **kwargs: Any
    ) -> Request:
        """Press a button of ``message`` (it must carry one with this data, unless
        ``strict=False``) and return the message the bot sent or edited."""
        await self.tap(chat, message, data, **kwargs)
        return self.telegram.take_reply(chat)

    async def tap(
        self, chat: int, message: Request, data: cb.Action | str, **kwargs: Any
    ) -> Request:
        """Press a button and return the bot's ``answerCallbackQuery`` (messages it sent stay
        to be read)."""
        assert message.message_id is not None
        raw = data.encode() if isinstance(data, cb.Action) else data
        update_id = self.telegram.press(chat, message.message_id, raw, **kwargs)
        await self.idle()
        answer = self.telegram.answer_to(update_id)
        assert answer is not None, f"press {raw!r} was not answered"
        return answer

    async def inline(self, user: int, query: str, **kwargs: Any) -> Request:
        """Send an inline query and return the bot's ``answerInlineQuery``."""
        update_id = self.telegram.inline_query(user, query, **kwargs)
        await self.idle()
        answer = self.telegram.answer_to(update_id)
        assert answer is not None, f"inline query {query!r} was not answered"
        return answer


class RunningBot(_Harness):
    """The Application polling a :class:`~tests.botapi.FakeBotAPI` over HTTP, started and
    stopped the way ``run_polling`` does it, without blocking."""

    def __init__(
        self,
        api: FakeBotAPI,
        db: Path,
        catalogue: Catalogue,
        clock: Clock,
        *,
        rate_limiter: bool = True,
        overall_rate: float = 30,
    ) -> None:
        settings = Settings(db=db, base_url=api.base_url, reminder_interval=3600)
        self.telegram = self.api = api
        self.app = build(
            settings, catalogue, clock, rate_limiter=rate_limiter, overall_rate=overall_rate
        )

    async def __aenter__(self) -> RunningBot:
        await self._open()
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1)
        await self.app.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.app.updater is not None
        await self.app.updater.stop()
        await self._close()

    async def idle(self, timeout: float = 10) -> None:
        """Wait until the bot has fetched every injected update and handled it."""
        if self.api.updates:
            await self.api.wait_confirmed(self.api.updates[-1]["update_id"], timeout)
        await self.app.update_queue.join()
