"""The reminder job: every ``reminder_interval`` seconds, check the database file and run the
reminder feature."""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.features.reminder_run import RunStats, run_reminders
from bot.storage import StorageBusy, StorageError
from bot.telegram.context import Context
from bot.telegram.send import reminder_sender

log = logging.getLogger("paperbot.jobs")


class ReminderJob:
    """The repeating reminder check, one per Application (the job queue's callback).

    * Each check first makes sure the database file is still the one the bot opened
      (:meth:`~bot.storage.db.Database.verify_file`). If it was removed or replaced, whatever
      the bot writes is lost, so it stops: :attr:`fatal` holds the error, which
      ``paperbot run`` reports in one line (exit 2).
    * A check that comes while the previous run is still sending returns at once (one DEBUG
      line). Runs never overlap, and the job queue never has to skip a check, so a long run
      does not log a "skipped" warning every interval.
    * A run that fails is logged here as ``reminder check failed`` (ERROR, with the error),
      never as a failed update; the next check tries again.

    Attributes:
        fatal: why the bot had to stop, or None.
    """

    def __init__(self) -> None:
        self.fatal: StorageError | None = None
        self._running = False

    async def __call__(self, context: Context) -> RunStats:
        """One check: verify the database file, then send what is due (unless a run is
        still going). Returns the run's counts (empty when nothing ran)."""
        data = context.bot_data
        assert data.services is not None
        try:
            data.services.store.db.verify_file()
        except StorageError as err:
            self._stop(context.application, err)
            return RunStats()
        if self._running:
            log.debug("reminder check: the previous run is still going")
            return RunStats()
        self._running = True
        try:
            return await run_reminders(data.services, data.now(), reminder_sender(context.bot))
        except StorageBusy as err:
            log.warning("reminder check postponed", extra={"reason": str(err)})
        except Exception:
            log.exception("reminder check failed")
        finally:
            self._running = False
        return RunStats()

    def _stop(self, application: Application, err: StorageError) -> None:  # type: ignore[type-arg]
        if self.fatal is None:
            self.fatal = err
            log.error(
                "stopping: the database file is not the one opened", extra={"reason": str(err)}
            )
        if application.running:
            application.stop_running()
