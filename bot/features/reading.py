"""Reading: ``/next``, ``/random``, ``/progress``, and the Read / Skip / Undo buttons."""

from __future__ import annotations

import html
import re
from datetime import datetime

from bot.core.reading import next_unread, progress, progress_bar, random_unread
from bot.core.schedule import local_date
from bot.core.streaks import streak
from bot.features import callbacks as cb
from bot.features import group, notes, quiz
from bot.features.common import Request, Services, current_list, list_name, paper_title
from bot.features.render import card_buttons, card_reply
from bot.features.reply import Button, Reply, esc
from bot.features.videos import video_seconds_left
from bot.i18n import format_count, format_hours, t
from bot.storage import ProgressState

_TAG = re.compile(r"<[^>]*>")


def next_button(lang: str) -> tuple[tuple[Button, ...], ...]:
    """One row with the "Next paper" button."""
    return ((Button.action(t(lang, "btn_next"), cb.Menu("next")),),)


def lists_button(lang: str) -> tuple[tuple[Button, ...], ...]:
    """One row with the "Lists" button."""
    return ((Button.action(t(lang, "btn_lists"), cb.Menu("lists")),),)


async def next_reply(services: Services, chat_id: int, lang: str, *, start: bool = False) -> Reply:
    """The next unread paper of the current list as a card, or a congratulation. ``start``:
    the answer to "where should I start" (a heading that says why this paper)."""
    lst = await current_list(services, chat_id)
    states = await services.store.progress.states(chat_id)
    pid = next_unread(lst, states)
    prog = progress(lst, states)
    name = list_name(lst, lang)
    if pid is None:
        text = t(lang, "list_finished", list=name, read=prog.read, skipped=prog.skipped)
        return Reply(text, lang, lists_button(lang))
    paper = services.catalogue.papers[pid]
    key = "start_here" if start else "next_paper"
    head = t(lang, key, list=name, done=prog.done, total=prog.total)
    return card_reply(services.catalogue, paper, lang, head=head)


async def next_paper(services: Services, request: Request) -> Reply:
    """Show the next unread paper of the current list (first offering to continue the 📌
    paper being read, if any)."""
    offer = await notes.continue_offer(services, request)
    return offer or await next_reply(services, request.chat_id, request.lang)


async def random_paper(services: Services, request: Request) -> Reply:
    """Show a random unread paper of the current list."""
    lst = await current_list(services, request.chat_id)
    states = await services.store.progress.states(request.chat_id)
    pid = random_unread(lst, states, services.rng)
    if pid is None:
        return await next_reply(services, request.chat_id, request.lang)
    paper = services.catalogue.papers[pid]
    return card_reply(services.catalogue, paper, request.lang)


async def progress_text(
    services: Services, chat_id: int, lang: str, now: datetime
) -> tuple[str, bool]:
    """The /progress text (bar, read/total, skipped, next paper) and whether a paper is left."""
    lst = await current_list(services, chat_id)
    states = await services.store.progress.states(chat_id)
    prog = progress(lst, states)
    skipped = t(lang, "progress_skipped", skipped=prog.skipped) if prog.skipped else ""
    lines = [
        t(
            lang,
            "progress",
            list=list_name(lst, lang),
            bar=progress_bar(prog.fraction),
            read=prog.read,
            total=prog.total,
            skipped_note=skipped,
        )
    ]
    pid = next_unread(lst, states)
    if pid is None:
        lines.append(t(lang, "progress_done"))
    else:
        lines.append(t(lang, "progress_next", title=esc(paper_title(services, pid, lang))))
    seconds = video_seconds_left(services.catalogue.papers, lst, states)
    if seconds:
        lines.append(t(lang, "progress_video_left", hours=format_hours(seconds, lang)))
    lines.extend(await learning_lines(services, chat_id, lang, now))
    return "\n".join(lines), pid is not None


async def learning_lines(services: Services, chat_id: int, lang: str, now: datetime) -> list[str]:
    """/progress's streak and quiz lines (none before the first read or answer)."""
    learning = services.store.learning
    user = await services.store.users.get(chat_id)
    today = local_date(now, user.timezone if user else "UTC")
    days = await learning.active_days(chat_id)
    lines = []
    if days:
        s = streak(days, await learning.paused_days(chat_id, today), today)
        lines.append(
            t(
                lang,
                "progress_streak",
                current=format_count(s.current, "day", lang),
                best=format_count(s.best, "day", lang),
            )
        )
    right, answered = await quiz.first_try_share(services, chat_id)
    if answered:
        lines.append(
            t(
                lang,
                "progress_quiz",
                right=right,
                answered=answered,
                share=f"{right / answered:.0%}",
            )
        )
    return lines


async def show_progress(services: Services, request: Request) -> Reply:
    """Show how far the chat is in its current list."""
    text, more = await progress_text(services, request.chat_id, request.lang, request.now)
    if request.in_group and (members := await group.members_text(services, request)):
        text += "\n" + members
    buttons = next_button(request.lang) if more else lists_button(request.lang)
    return Reply(text, request.lang, buttons)


def marked_buttons(
    services: Services, paper_id: str, lang: str, read: bool
) -> tuple[tuple[Button, ...], ...]:
    """A card's buttons once it is marked: the new state, Undo and Next, then the card's
    other buttons (link, language, related papers)."""
    paper = services.catalogue.papers[paper_id]
    state = (
        Button.action(t(lang, "btn_is_read"), cb.MarkRead(paper_id))
        if read
        else Button.action(t(lang, "btn_is_skipped"), cb.MarkSkipped(paper_id))
    )
    first = (
        state,
        Button.action(t(lang, "btn_undo"), cb.Undo(paper_id)),
        Button.action(t(lang, "btn_next"), cb.Menu("unread")),
    )
    rest = card_buttons(services.catalogue, paper, lang)[1:]
    if read:
        return (first, (quiz.offer_button(paper_id, lang),), *rest)
    return (first, *rest)


async def mark(
    services: Services, request: Request, action: cb.MarkRead | cb.MarkSkipped
) -> Reply | None:
    """Mark a paper read or skipped: the card stays, its buttons show the new state, and the
    toast confirms it."""
    if action.paper_id not in services.catalogue.papers:
        return None
    read = isinstance(action, cb.MarkRead)
    chat_id, lang = request.chat_id, request.lang
    state: ProgressState = "read" if read else "skipped"
    await services.store.progress.mark(chat_id, action.paper_id, state, request.now)
    await reading_recorded(services, chat_id, action.paper_id, read, request.now)
    lst = await current_list(services, chat_id)
    prog = progress(lst, await services.store.progress.states(chat_id))
    text = t(
        lang,
        "marked_read" if read else "marked_skipped",
        title=esc(paper_title(services, action.paper_id, lang)),
        done=prog.done,
        total=prog.total,
        list=list_name(lst, lang),
    )
    buttons = marked_buttons(services, action.paper_id, lang, read)
    return Reply(text, lang, buttons, toast=plain(text), keep_text=True)


async def undo(services: Services, request: Request, action: cb.Undo) -> Reply | None:
    """Take back a Read or Skip: the card gets its Read / Skip buttons back."""
    paper = services.catalogue.papers.get(action.paper_id)
    if paper is None:
        return None
    await services.store.progress.unmark(request.chat_id, paper.id)
    text = t(request.lang, "undone", title=esc(paper_title(services, paper.id, request.lang)))
    buttons = card_buttons(services.catalogue, paper, request.lang)
    return Reply(text, request.lang, buttons, toast=plain(text), keep_text=True)


async def reading_recorded(
    services: Services, chat_id: int, paper_id: str, read: bool, now: datetime
) -> None:
    """After a paper is marked: a read counts for the streak (on the reader's local day), and
    a 📌 on it is done."""
    learning = services.store.learning
    if read:
        user = await services.store.users.get(chat_id)
        await learning.active_on(chat_id, local_date(now, user.timezone if user else "UTC"))
    fields = await learning.user_fields(chat_id)
    if fields.get("reading_now") == paper_id:
        await learning.set_user_field(chat_id, "reading_now", None, now)


def plain(text: str) -> str:
    """Telegram HTML as plain text (for a toast)."""
    return html.unescape(_TAG.sub("", text)).strip()


async def show_card(services: Services, request: Request, action: cb.ShowCard) -> Reply | None:
    """Show a paper's card in place of the pressed message, in the asked language."""
    paper = services.catalogue.papers.get(action.paper_id)
    if paper is None:
        return None
    lang = request.lang if request.base == action.lang else action.lang
    return card_reply(services.catalogue, paper, lang, edit=True)
