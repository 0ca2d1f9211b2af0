"""What a daily reminder carries besides the next paper: the group's members, the weekly recap
(once a week, on the reminder's day and time; off in /settings) and a review question that is
due (off in /settings); and what is recorded once it went out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.core.catalogue import ReadingList
from bot.core.reading import next_unread
from bot.features.common import Services
from bot.features.reply import Poll, Reply, esc
from bot.i18n import base_lang, t
from bot.storage import ProgressState

#: Days between weekly recaps.
RECAP_EVERY_DAYS = 7


@dataclass(frozen=True)
class Extras:
    """What a reminder carries besides the next paper: a line on the group's members, the
    weekly recap, a review question."""

    lines: tuple[str, ...] = ()
    poll: Poll | None = None
    recap: bool = False


def with_extras(reply: Reply, extras: Extras) -> Reply:
    """The reminder with its extra lines before the card and the review poll after it."""
    if not extras.lines and extras.poll is None:
        return reply
    head, sep, rest = reply.text.partition("\n\n")
    text = "\n".join((head, *extras.lines)) + sep + rest
    return replace(reply, text=text, poll=extras.poll)


async def reminder_extras(
    services: Services,
    chat_id: int,
    lst: ReadingList,
    states: dict[str, ProgressState],
    day: date,
    now: datetime,
    lang: str,
) -> Extras:
    """The group line, the weekly recap (once a week, unless turned off) and a review
    question due today (unless turned off), for one chat's reminder."""
    from bot.features import quiz  # quiz imports the reminder's neighbours

    learning = services.store.learning
    lines: list[str] = []
    if chat_id < 0 and (last := last_covered(lst, states)) is not None:
        readers = await learning.readers_of(chat_id, last)
        if readers:
            lines.append(t(lang, "reminder_members", count=readers))
    if next_unread(lst, states) is None:
        return Extras()  # the list is finished: the congratulation alone
    fields = await learning.user_fields(chat_id)
    recap = False
    if fields.get("recap", 1):
        last_recap = await learning.last_recap(chat_id)
        if last_recap is None:  # the first reminder: a week from now is the first recap
            await learning.recap_sent(chat_id, day)
        elif (day - last_recap).days >= RECAP_EVERY_DAYS:
            lines.append(await recap_line(services, chat_id, lst, states, day, now, lang))
            recap = True
    poll = await quiz.review_due(services, chat_id, now, lang)
    if poll is not None:
        lines.append(t(lang, "quiz_review"))
    return Extras(tuple(lines), poll, recap)


def last_covered(lst: ReadingList, states: dict[str, ProgressState]) -> str | None:
    """The last paper of the list, in reading order, that is marked (a group's last paper)."""
    marked = [pid for pid in lst.order if pid in states]
    return marked[-1] if marked else None


async def recap_line(
    services: Services,
    chat_id: int,
    lst: ReadingList,
    states: dict[str, ProgressState],
    day: date,
    now: datetime,
    lang: str,
) -> str:
    """📰 Your week: papers marked read in the last 7 days, streak, quiz score, what comes
    next (a group's "read" are the papers it covered)."""
    from bot.core.streaks import streak
    from bot.features import quiz
    from bot.i18n import format_count

    learning = services.store.learning
    days = await learning.active_days(chat_id)
    since = now - timedelta(days=RECAP_EVERY_DAYS)
    marked = await services.store.progress.marked_at(chat_id)
    week = sum(1 for pid, at in marked.items() if at >= since and states.get(pid) == "read")
    s = streak(days, await learning.paused_days(chat_id, day), day)
    right, answered = await quiz.first_try_share(services, chat_id)
    score = f"{right}/{answered}" if answered else t(lang, "recap_quiz_none")
    nxt = next_unread(lst, states)
    title = services.catalogue.papers[nxt].display_title(base_lang(lang)) if nxt else "-"
    return t(
        lang,
        "recap",
        read=week,
        streak=format_count(s.current, "day", lang),
        quiz=score,
        next=esc(title),
    )


async def after_sent(
    services: Services,
    chat_id: int,
    lst: ReadingList,
    states: dict[str, ProgressState],
    day: date,
    now: datetime,
    extras: Extras,
    poll_id: str | None,
    daily: bool,
) -> None:
    """After a reminder went out: remember its review poll, the recap's date, and in a group
    the paper it sent (the next daily reminder moves the group past it; a snooze repeats it)."""
    learning = services.store.learning
    if extras.poll is not None and poll_id is not None:
        await learning.remember_poll(poll_id, chat_id, extras.poll.question_id, True, now)
    if extras.recap:
        await learning.recap_sent(chat_id, day)
    if chat_id < 0 and daily and (pid := next_unread(lst, states)) is not None:
        await learning.set_user_field(chat_id, "reading_now", pid, now)


async def advance_group(services: Services, chat_id: int, now: datetime) -> None:
    """Before a group's daily reminder: the paper the last one sent counts as covered (the
    group's pace is one paper per reminder day)."""
    learning = services.store.learning
    pid = (await learning.user_fields(chat_id)).get("reading_now")
    if isinstance(pid, str) and pid in services.catalogue.papers:
        if pid not in await services.store.progress.states(chat_id):
            await services.store.progress.mark(chat_id, pid, "read", now)
        await learning.set_user_field(chat_id, "reading_now", None, now)
