"""The reminder run: every due reminder, claimed, rendered, sent through the adapter's
``send`` and recorded, at most once (docs/delivery.md).

The run is one path for every adapter: claim (committed before anything is sent) -> still
wanted? (unsubscribed, paused or snoozed since; its local day not over) -> render (pure) ->
``send`` (the adapter's callable; the reminder is marked ``sending`` right before its request
leaves) -> record. The Telegram job and ``paperbot chat`` differ only in the ``send`` they
pass. The commands that set reminders up live in :mod:`bot.features.reminders`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from bot.core.catalogue import ReadingList
from bot.core.reading import next_unread, progress
from bot.core.schedule import local_date
from bot.features import callbacks as cb
from bot.features.common import Services, current_list, lang_of, list_name
from bot.features.render import card
from bot.features.reply import Button, Reply
from bot.i18n import t
from bot.storage import DeliveryState, ProgressState

log = logging.getLogger("paperbot.reminders")

#: Reminders sent at once (each waits for its turn in the adapter's rate limiter).
CONCURRENCY = 25


@dataclass(frozen=True)
class Due:
    """A reminder to send.

    Attributes:
        chat_id: the chat.
        local_date: the local date it is for (None: today in the chat's zone).
        snooze: an extra reminder from "Snooze 1 h" (not the daily one).
        claimed: claimed already (an open claim of an earlier check, or a snooze).
        attempts: earlier checks whose request could not reach the Bot API.
    """

    chat_id: int
    local_date: date | None
    snooze: bool = False
    claimed: bool = False
    attempts: int = 0

    @property
    def kind(self) -> str:
        """``snooze`` or ``daily``, as in the deliveries table."""
        return "snooze" if self.snooze else "daily"


@dataclass(frozen=True)
class Sent:
    """What ``send`` did with one reminder.

    Attributes:
        state: ``sent``; ``failed`` (certainly not delivered, not retried: Telegram refused
            it); ``retry`` (certainly not delivered: the request never reached Telegram, or
            every attempt got a 429; tried again at a later check the same local day);
            ``unknown`` (maybe delivered, e.g. a read timeout: never resent).
        blocked: the chat blocked the bot or is gone: its reminder is stopped.
        detail: why it failed, for the deliveries table.
        poll_id: the Telegram id of the review poll sent after the reminder, if any.
    """

    state: Literal["sent", "failed", "retry", "unknown"]
    blocked: bool = False
    detail: str | None = None
    poll_id: str | None = None


#: ``send(chat_id, reply)``: the adapter's way to deliver one reminder; it handles its own
#: transport errors and reports them as a :class:`Sent`.
Send = Callable[[int, Reply], Awaitable[Sent]]


@dataclass(frozen=True)
class PacedSend:
    """A ``send`` that calls :func:`leaving` itself, right before its request leaves (after
    any wait for the rate limiter). Without it the run marks a reminder ``sending`` just
    before calling ``send``, so a crash while it waits for its turn loses it."""

    send: Send


class Taken(Exception):
    """Another process moved the claim on first (two bots on one database): do not send."""


_LEAVING: ContextVar[Callable[[], Awaitable[None]] | None] = ContextVar(
    "paperbot_reminder_leaving", default=None
)


async def leaving() -> None:
    """Say that the current reminder's request is about to leave: the first call marks it
    ``sending`` (committed); later calls, and calls outside a reminder, do nothing.

    Raises:
        Taken: the reminder is no longer this run's to send.
    """
    hook = _LEAVING.get()
    if hook is not None:
        await hook()


#: A reminder that could not reach the Bot API is retried this long after the first failed
#: check, then twice as long after each further one, up to RETRY_MAX, until its day ends.
RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(minutes=30)
#: After this many reminders in a row could not reach the Bot API, the run stops: the rest
#: stay claimed (or unclaimed) for the next check instead of each waiting out its retries.
OUTAGE_AFTER = 3


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next try after ``attempts`` (>= 1) failed checks."""
    return min(RETRY_FIRST * 2 ** min(attempts - 1, 16), RETRY_MAX)


@dataclass
class RunStats:
    """What one reminder run did (counts)."""

    due: int = 0
    sent: int = 0
    skipped: int = 0
    forbidden: int = 0
    failed: int = 0
    unknown: int = 0
    deferred: int = 0
    expired: int = 0
    finished: list[int] = field(default_factory=list)


async def due_now(services: Services, now: datetime) -> list[Due]:
    """The reminders to send at ``now``: open claims first (left by a stopped run, waiting
    for a retry, or snoozes taken now), then the daily ones due and not yet claimed."""
    deliveries = services.store.deliveries
    await deliveries.claim_snoozes(now)
    out = [
        Due(c.chat_id, c.local_date, c.kind == "snooze", claimed=True, attempts=c.attempts)
        for c in await deliveries.open_claims(now)
    ]
    out.extend(Due(chat_id, day) for chat_id, day in await services.store.reminders.due(now))
    return out


async def claim(services: Services, dues: Sequence[Due], now: datetime) -> list[bool]:
    """Claim many daily reminders in one committed transaction; one bool per item, in order.

    An item claimed already (an open claim, a snooze) counts as claimed.
    """
    new = [(d.chat_id, d.local_date) for d in dues if not d.claimed and d.local_date]
    won = iter(await services.store.deliveries.claim_many(new, now))
    return [True if d.claimed or not d.local_date else next(won) for d in dues]


async def still_wanted(services: Services, due: Due, now: datetime) -> tuple[date, date] | None:
    """``(the local date the reminder is for, today in the chat's zone)``, or None when the
    chat has since unsubscribed, paused, or (for a snooze) stopped reminders."""
    sub = await services.store.reminders.get(due.chat_id)
    if sub is None or not sub.schedule.active:
        return None
    today = local_date(now, sub.schedule.timezone)
    paused = sub.schedule.paused_until
    if paused is not None and today < paused:
        return None
    return due.local_date or today, today


def reminder_reply(
    services: Services, lst: ReadingList, states: dict[str, ProgressState], lang: str
) -> Reply:
    """The reminder: the next unread paper with Read / Snooze / Skip / Pause buttons, or a
    congratulation when the list is finished. Pure: changes nothing."""
    pid = next_unread(lst, states)
    if pid is None:
        text = t(lang, "reminder_finished", list=list_name(lst, lang))
        return Reply(text, lang, ((Button.action(t(lang, "btn_lists"), cb.Menu("lists")),),))
    paper = services.catalogue.papers[pid]
    prog = progress(lst, states)
    head = t(lang, "reminder", list=list_name(lst, lang), done=prog.done, total=prog.total)
    rows = (
        (
            Button.action(t(lang, "btn_read"), cb.MarkRead(pid)),
            Button.action(t(lang, "btn_skip"), cb.MarkSkipped(pid)),
        ),
        (
            Button.action(t(lang, "btn_snooze"), cb.Snooze()),
            Button.action(t(lang, "btn_pause"), cb.PauseReminders()),
        ),
        (Button(t(lang, "btn_open"), url=paper.url),),
    )
    return Reply(head + "\n\n" + card(services.catalogue, paper, lang), lang, rows)


async def _send(
    services: Services, due: Due, day: date, reply: Reply, now: datetime, send: Send | PacedSend
) -> Sent:
    """Send through the adapter, marking the reminder ``sending`` right before it leaves.

    Raises:
        Taken: another process took the claim first.
    """
    marked = False

    async def mark() -> None:
        nonlocal marked
        if not marked:
            if not await services.store.deliveries.start_sending(due.chat_id, day, due.kind, now):
                raise Taken(due.chat_id)
            marked = True

    token = _LEAVING.set(mark)
    try:
        if isinstance(send, PacedSend):
            return await send.send(due.chat_id, reply)
        await mark()
        return await send(due.chat_id, reply)
    except Taken:
        raise
    except Exception as err:  # a bug in send, or the database: the other reminders go on
        log.exception("reminder failed", extra={"chat_id": due.chat_id})
        # Before the mark nothing has left: it is tried again at a later check.
        return Sent("failed" if marked else "retry", detail=f"{type(err).__name__}: {err}")
    finally:
        _LEAVING.reset(token)


async def _drop(
    services: Services, due: Due, now: datetime, stats: RunStats, *, expired: bool
) -> None:
    """Record a claimed reminder that is no longer wanted (``skipped``) or whose local day
    ended before it could be sent (``failed``)."""
    if expired:
        stats.expired += 1
        state: DeliveryState = "failed"
        detail = f"its local day ended before it could be sent ({due.attempts} tries)"
    else:
        stats.skipped += 1
        state, detail = "skipped", "no longer wanted: unsubscribed or paused"
    if due.local_date is not None:
        await services.store.deliveries.record(
            due.chat_id,
            due.local_date,
            state,
            now,
            attempts=due.attempts,
            detail=detail,
            kind=due.kind,
        )


async def deliver(
    services: Services, due: Due, now: datetime, send: Send | PacedSend, stats: RunStats
) -> Sent | None:
    """Send one claimed reminder if it is still wanted and its day is not over, and record
    what happened. Returns the outcome (None when nothing was tried)."""
    from bot.features.common import in_script
    from bot.features.extras import advance_group, after_sent, reminder_extras, with_extras
    from bot.features.group import for_group

    deliveries, chat_id, kind = services.store.deliveries, due.chat_id, due.kind
    wanted = await still_wanted(services, due, now)
    if wanted is None or wanted[0] < wanted[1]:
        await _drop(services, due, now, stats, expired=wanted is not None)
        return None
    day = wanted[0]
    if chat_id < 0 and kind == "daily":
        await advance_group(services, chat_id, now)
    lst = await current_list(services, chat_id)
    states = await services.store.progress.states(chat_id)
    lang = await lang_of(services, chat_id, None)
    extras = await reminder_extras(services, chat_id, lst, states, day, now, lang)
    reply = with_extras(reminder_reply(services, lst, states, lang), extras)
    if chat_id < 0:  # a group: each member marks their own reading
        reply = for_group(reply, lang)
    reply = in_script(reply)
    try:
        result = await _send(services, due, day, reply, now, send)
    except Taken:
        stats.skipped += 1
        return None
    attempts = due.attempts + 1
    if result.state == "retry":
        stats.deferred += 1
        retry_at = now + retry_delay(attempts)
        await deliveries.defer(chat_id, day, kind, now, retry_at, detail=result.detail)
        return result
    await deliveries.record(
        chat_id, day, result.state, now, attempts=attempts, detail=result.detail, kind=kind
    )
    if result.blocked:
        stats.forbidden += 1
        await services.store.reminders.unsubscribe(chat_id)
        log.info("subscription deactivated", extra={"chat_id": chat_id, "reason": result.detail})
    elif result.state == "sent":
        stats.sent += 1
        daily = kind == "daily"
        await after_sent(services, chat_id, lst, states, day, now, extras, result.poll_id, daily)
        if next_unread(lst, states) is None:  # the list is finished: stop until /resume
            await services.store.reminders.pause(chat_id, None)
            stats.finished.append(chat_id)
    elif result.state == "unknown":
        stats.unknown += 1
    else:
        stats.failed += 1
    return result


class _Run:
    """One run's queue: reminders are claimed ``batch`` at a time, just before the workers
    need them, and handed out one by one; :data:`OUTAGE_AFTER` unreachable sends in a row
    stop it."""

    def __init__(self, services: Services, now: datetime, dues: list[Due], batch: int) -> None:
        self.services, self.now, self.batch = services, now, batch
        self.ready = deque(d for d in dues if d.claimed)
        self.fresh = deque(d for d in dues if not d.claimed)
        self.lock = asyncio.Lock()
        self.unreachable = 0  # in a row
        self.skipped = 0

    async def next(self) -> Due | None:
        async with self.lock:
            while not self.ready and self.fresh and self.unreachable < OUTAGE_AFTER:
                batch = [self.fresh.popleft() for _ in range(min(self.batch, len(self.fresh)))]
                won = await claim(self.services, batch, self.now)
                self.skipped += won.count(False)
                self.ready.extend(d for d, ok in zip(batch, won, strict=True) if ok)
            if not self.ready or self.unreachable >= OUTAGE_AFTER:
                return None
            return self.ready.popleft()

    async def worker(self, send: Send | PacedSend, stats: RunStats) -> None:
        while (due := await self.next()) is not None:
            try:
                result = await deliver(self.services, due, self.now, send, stats)
            except Exception:  # a bug with one chat: logged; the other reminders go on
                log.exception("reminder failed", extra={"chat_id": due.chat_id})
                stats.failed += 1
                continue
            if result is not None:
                self.unreachable = self.unreachable + 1 if result.state == "retry" else 0


async def run_reminders(
    services: Services, now: datetime, send: Send | PacedSend, concurrency: int = CONCURRENCY
) -> RunStats:
    """Send every reminder due at ``now`` through ``send``, ``concurrency`` at a time.

    Open claims go first (a run that stopped, a retry that has come, a snooze). New reminders
    are claimed ``concurrency`` at a time as the senders need them, each claim committed
    before anything is sent. Each reminder is marked ``sending`` right before its request
    leaves, so a crash leaves at most the requests in flight ``unknown``; the claimed ones
    whose request never left are sent at the next check. A reminder whose request could not
    reach the Bot API is retried at later checks until its local day ends. Never twice.
    """
    stats = RunStats()
    dues = await due_now(services, now)
    stats.due = len(dues)
    run = _Run(services, now, dues, concurrency)
    await asyncio.gather(*(run.worker(send, stats) for _ in range(min(concurrency, len(dues)))))
    stats.skipped += run.skipped
    if dues:
        counts = {k: v for k, v in stats.__dict__.items() if k != "finished"}
        if run.unreachable >= OUTAGE_AFTER:
            counts["stopped"] = "the Bot API cannot be reached; the rest wait for the next check"
        log.info("reminder run", extra=counts)
    return stats
