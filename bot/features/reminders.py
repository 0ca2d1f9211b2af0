"""Daily reminders: ``/subscribe`` … ``/resume``, Snooze and Pause (the commands).

The run itself (claim -> still wanted? -> render -> send -> record) lives in
:mod:`bot.features.reminder_run`; its public names are re-exported here.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from babel.dates import get_timezone_location

from bot.core.parse import (
    ParseError,
    parse_days,
    parse_local_time,
    parse_subscribe_args,
    resolve_timezone,
    zone_label,
)
from bot.core.schedule import (
    EVERY_DAY,
    WEEKDAYS,
    Schedule,
    first_date,
    local_date,
    next_fire,
    pause_end,
    zone,
)
from bot.features import callbacks as cb
from bot.features.common import Request, Services
from bot.features.reminder_run import CONCURRENCY as CONCURRENCY
from bot.features.reminder_run import Due as Due
from bot.features.reminder_run import PacedSend as PacedSend
from bot.features.reminder_run import RunStats as RunStats
from bot.features.reminder_run import Send as Send
from bot.features.reminder_run import Sent as Sent
from bot.features.reminder_run import Taken as Taken
from bot.features.reminder_run import claim as claim
from bot.features.reminder_run import deliver as deliver
from bot.features.reminder_run import due_now as due_now
from bot.features.reminder_run import leaving as leaving
from bot.features.reminder_run import reminder_reply as reminder_reply
from bot.features.reminder_run import run_reminders as run_reminders
from bot.features.reminder_run import still_wanted as still_wanted
from bot.features.reply import Button, Reply, echo, esc
from bot.features.settings import SUGGESTED_ZONES, user_zone, zone_error
from bot.i18n import babel_locale, format_count, format_date, format_weekdays, t
from bot.storage import PAUSED_INDEFINITELY

log = logging.getLogger("paperbot.reminders")

SNOOZE = timedelta(hours=1)


# -- commands -------------------------------------------------------------------------------


def schedule_text(schedule: Schedule, lang: str) -> str:
    """The schedule as people say it: "every weekday at 09:00 (Asia/Shanghai)"."""
    at = schedule.local_time.strftime("%H:%M")
    if schedule.days == EVERY_DAY:
        days = t(lang, "days_every")
    elif schedule.days == WEEKDAYS:
        days = t(lang, "days_weekdays")
    elif schedule.days == frozenset({5, 6}):
        days = t(lang, "days_weekends")
    else:
        days = t(lang, "days_on", days=format_weekdays(schedule.days, lang))
    return t(lang, "schedule", days=days, time=at, tz=esc(zone_label(schedule.timezone, lang)))


async def subscribe_at(services: Services, request: Request, hhmm: str, tz: str) -> Reply:
    """Create or move the daily reminder to ``hhmm`` local time in ``tz``; confirm it."""
    lang, chat_id, now = request.lang, request.chat_id, request.now
    at = parse_local_time(hhmm)
    await services.store.reminders.subscribe(chat_id, at, tz, first_date(at, tz, now), now)
    sub = await services.store.reminders.get(chat_id)
    assert sub is not None
    when = next_fire(sub.schedule, now)
    first = "-"
    if when is not None:
        local = when.astimezone(zone(tz))
        first = f"{format_date(local.date(), lang)} {local.strftime('%H:%M')}"
    return Reply(
        t(lang, "subscribed", schedule=schedule_text(sub.schedule, lang), first=first), lang
    )


async def subscribe(services: Services, request: Request) -> Reply:
    """``/subscribe <time> [zone]``: a daily reminder (e.g. "8am PST", "晚上9点半 上海")."""
    lang = request.lang
    if not request.args:
        return Reply(t(lang, "subscribe_usage"), lang)
    try:
        at, tz = parse_subscribe_args(request.args, request.base)
    except ParseError as err:
        if err.field == "zone":
            return zone_error(lang, request.args, err)
        bad = t(lang, "bad_time", arg=echo(request.args))
        return Reply(bad + "\n" + t(lang, "subscribe_usage"), lang)
    if tz is None:
        tz = await user_zone(services, request.chat_id)
        if tz == "UTC":  # never set: ask rather than guess
            return ask_zone(request, at.strftime("%H:%M"))
    else:
        await services.store.users.set_timezone(request.chat_id, tz, request.now)
    return await subscribe_at(services, request, at.strftime("%H:%M"), tz)


def city_name(tz: str, lang: str) -> str:
    """A zone as its city, in the reader's language ("上海", "New York"; "UTC" as it is)."""
    if tz == "UTC":
        return tz
    return str(get_timezone_location(tz, locale=babel_locale(lang), return_city=True))


def ask_zone(request: Request, hhmm: str) -> Reply:
    """Ask which zone ``hhmm`` is in, with a few zones suited to the reply language."""
    lang = request.lang
    zones = [*SUGGESTED_ZONES[request.base], "UTC"]
    buttons = [Button.action(city_name(z, lang), cb.SubscribeIn(hhmm, z)) for z in zones]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Reply(t(lang, "subscribe_which_zone", time=hhmm), lang, rows)


async def on_subscribe_in(
    services: Services, request: Request, action: cb.SubscribeIn
) -> Reply | None:
    """A zone button of /subscribe: remember the zone and subscribe."""
    try:
        tz = resolve_timezone(action.zone)
        parse_local_time(action.time)
    except ParseError:
        return None
    await services.store.users.set_timezone(request.chat_id, tz, request.now)
    reply = await subscribe_at(services, request, action.time, tz)
    return Reply(reply.text, reply.lang, edit=True)


async def unsubscribe(services: Services, request: Request) -> Reply:
    """Stop the daily reminder."""
    done = await services.store.reminders.unsubscribe(request.chat_id)
    return Reply(t(request.lang, "unsubscribed" if done else "not_subscribed"), request.lang)


async def set_days(services: Services, request: Request) -> Reply:
    """``/days daily|weekdays|weekends|mon,wed,fri``: which days to remind."""
    lang = request.lang
    if not request.args:
        sub = await services.store.reminders.get(request.chat_id)
        if sub is None or not sub.schedule.active:  # say so first: there is nothing to change
            return Reply(t(lang, "not_subscribed") + "\n" + t(lang, "days_usage"), lang)
        now_text = schedule_text(sub.schedule, lang)
        return Reply(
            t(lang, "days_current", schedule=now_text) + "\n" + t(lang, "days_usage"), lang
        )
    try:
        days = parse_days(request.args)
    except ParseError:
        return Reply(t(lang, "bad_days", arg=echo(request.args)), lang)
    if not await services.store.reminders.set_days(request.chat_id, days):
        return Reply(t(lang, "not_subscribed"), lang)
    sub = await services.store.reminders.get(request.chat_id)
    assert sub is not None
    return Reply(t(lang, "days_set", schedule=schedule_text(sub.schedule, lang)), lang)


def paused_until(schedule: Schedule, now: datetime) -> date | None:
    """The local date reminders come back on, :data:`PAUSED_INDEFINITELY` for "until
    /resume", or None when they are not paused."""
    end = schedule.paused_until
    if end is None or end <= local_date(now, schedule.timezone):
        return None
    return end


def status_text(schedule: Schedule, now: datetime, lang: str) -> str:
    """The reminder as /settings shows it: its schedule, and whether (and until when) it is
    paused."""
    text = schedule_text(schedule, lang)
    end = paused_until(schedule, now)
    if end == PAUSED_INDEFINITELY:
        return text + t(lang, "status_paused")
    if end is not None:
        return text + t(lang, "status_paused_until", date=format_date(end, lang))
    return text


async def pause(services: Services, request: Request) -> Reply:
    """``/pause [days]``: pause reminders for N reminder days, or until /resume."""
    lang, args = request.lang, request.args
    sub = await services.store.reminders.get(request.chat_id)
    if sub is None or not sub.schedule.active:
        return Reply(t(lang, "not_subscribed"), lang)
    if not args:
        end = paused_until(sub.schedule, request.now)
        if end is not None:
            return Reply(
                t(lang, "already_paused", status=status_text(sub.schedule, request.now, lang)),
                lang,
            )
        await services.store.reminders.pause(request.chat_id, None)
        await record_pause(services, request, sub.schedule, PAUSED_INDEFINITELY)
        return Reply(t(lang, "paused"), lang)
    if not args.isdigit() or not 1 <= int(args) <= 365:
        return Reply(t(lang, "pause_usage"), lang)
    until = pause_end(sub.schedule, int(args), request.now)
    await services.store.reminders.pause(request.chat_id, until)
    await record_pause(services, request, sub.schedule, until)
    days = format_count(int(args), "day", lang)
    return Reply(t(lang, "paused_until", days=days, date=format_date(until, lang)), lang)


async def record_pause(
    services: Services, request: Request, schedule: Schedule, until: date
) -> None:
    """Remember the pause, so that its days never break the reader's streak."""
    today = local_date(request.now, schedule.timezone)
    await services.store.learning.record_pause(request.chat_id, today, until)


async def resume(services: Services, request: Request) -> Reply:
    """Resume paused reminders."""
    sub = await services.store.reminders.get(request.chat_id)
    if sub is not None and sub.schedule.active and paused_until(sub.schedule, request.now) is None:
        schedule = schedule_text(sub.schedule, request.lang)  # nothing to resume
        return Reply(t(request.lang, "not_paused", schedule=schedule), request.lang)
    if sub is None or not await services.store.reminders.resume(request.chat_id):
        return Reply(t(request.lang, "not_subscribed"), request.lang)
    today = local_date(request.now, sub.schedule.timezone)
    await services.store.learning.end_pauses(request.chat_id, today)
    sub = await services.store.reminders.get(request.chat_id)
    assert sub is not None
    schedule = schedule_text(sub.schedule, request.lang)
    return Reply(t(request.lang, "resumed", schedule=schedule), request.lang)


async def on_snooze(services: Services, request: Request, action: cb.Snooze) -> Reply:
    """Snooze: the reminder comes again in an hour."""
    lang = request.lang
    sub = await services.store.reminders.get(request.chat_id)
    if sub is None or not sub.schedule.active:
        return Reply(t(lang, "not_subscribed"), lang)
    await services.store.reminders.snooze(request.chat_id, request.now + SNOOZE)
    return Reply(t(lang, "snoozed", time=sub.schedule.local_time.strftime("%H:%M")), lang)


async def on_pause(services: Services, request: Request, action: cb.PauseReminders) -> Reply:
    """The reminder's Pause button: pause until /resume (or say it already is)."""
    sub = await services.store.reminders.get(request.chat_id)
    if sub is None or not sub.schedule.active:
        return Reply(t(request.lang, "not_subscribed"), request.lang)
    if paused_until(sub.schedule, request.now) is not None:
        status = status_text(sub.schedule, request.now, request.lang)
        return Reply(t(request.lang, "already_paused", status=status), request.lang)
    await services.store.reminders.pause(request.chat_id, None)
    await record_pause(services, request, sub.schedule, PAUSED_INDEFINITELY)
    return Reply(t(request.lang, "paused"), request.lang)


async def on_set_time(services: Services, request: Request, action: cb.SetTime) -> Reply | None:
    """A reminder-time button of /settings: subscribe at that time, or stop reminders."""
    if action.value == "off":
        await services.store.reminders.unsubscribe(request.chat_id)
        return Reply(t(request.lang, "unsubscribed"), request.lang, edit=True)
    tz = await user_zone(services, request.chat_id)
    return await subscribe_at(services, request, action.value, tz)
