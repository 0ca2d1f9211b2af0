"""Run the real paperbot Application against the fake Bot API on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.core.catalogue import Catalogue
from bot.service import PaperBot
from bot.telegram.app import build_application

try:
    from tests.botapi import FakeBotAPI
except ImportError:  # pragma: no cover - tests/ on sys.path
    from botapi import FakeBotAPI  # type: ignore[no-redef]


class RunningBot:
    """Start/stop the Application the way ``run_polling`` does, without blocking."""

    def __init__(
        self,
        api: FakeBotAPI,
        db: Path,
        catalogue: Catalogue,
        token: str,
        clock: Any,
        *,
        rate_limiter: bool = True,
        overall_rate: float = 30,
    ) -> None:
        settings = Settings(db=db, base_url=api.base_url, reminder_interval=3600)
        self.app: Application = build_application(  # type: ignore[type-arg]
            settings,
            token,
            catalogue,
            clock=clock,
            rate_limiter=rate_limiter,
            first_check=None,
            overall_rate=overall_rate,
        )

    async def __aenter__(self) -> RunningBot:
        app = self.app
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        app = self.app
        assert app.updater is not None
        await app.updater.stop()
        await app.stop()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()

    @property
    def core(self) -> PaperBot:
        """The running bot's core (set in post_init)."""
        return self.app.bot_data.bot

    async def run_reminder_job(self) -> None:
        """Run the registered reminder job now (as the job queue would)."""
        assert self.app.job_queue is not None
        (job,) = self.app.job_queue.get_jobs_by_name("reminders")
        await job.run(self.app)
