"""Reading together in a group: the group shares a list, a pace and a reminder (set by its
administrators); each member marks papers read for themselves ("✅ I read it"), ``/progress``
shows each member's count, and a member's ``/forget`` deletes only their own marks."""

from __future__ import annotations

from dataclasses import replace

from bot.features import callbacks as cb
from bot.features.common import Request, Services, current_list
from bot.features.reply import Button, Reply, esc, plain
from bot.i18n import base_lang, format_count, t

MAX_MEMBERS_SHOWN = 10


def for_group(reply: Reply, lang: str) -> Reply:
    """A reply as a group sees it: a card's ✅ Read becomes "✅ I read it" (each member's own
    mark); Skip goes (the group's pace is the administrators' to set), and so do 📝 Note and
    📌 Reading now (a reader's own, in a private chat)."""
    rows = []
    for row in reply.buttons:
        new: list[Button] = []
        for button in row:
            action = cb.decode(button.data) if button.data else None
            if isinstance(action, cb.MarkRead):
                new.append(Button.action(t(lang, "btn_i_read_it"), cb.MarkMine(action.paper_id)))
            elif not isinstance(action, cb.MarkSkipped | cb.NoteStart | cb.ReadingNow):
                new.append(button)  # notes and 📌 are a reader's own: not on a group's card
        if new:
            rows.append(tuple(new))
    return replace(reply, buttons=tuple(rows))


async def on_mark_mine(services: Services, request: Request, action: cb.MarkMine) -> Reply | None:
    """A member read the paper: their own mark, and how many members have read it."""
    paper = services.catalogue.papers.get(action.paper_id)
    if paper is None or request.user_id is None:
        return None
    name = request.first_name or str(request.user_id)
    learning = services.store.learning
    await learning.mark_member(request.chat_id, request.user_id, name, paper.id, request.now)
    readers = await learning.readers_of(request.chat_id, paper.id)
    text = t(
        request.lang,
        "member_marked",
        name=esc(name),
        title=esc(paper.display_title(base_lang(request.lang))),
        count=readers,
    )
    return Reply(text, request.lang, toast=plain(text))


async def members_text(services: Services, request: Request) -> str:
    """Each member's count on the group's list ("Ada 5 · Lin 3"), or "" when none marked."""
    lst = await current_list(services, request.chat_id)
    counts = await services.store.learning.member_counts(request.chat_id, lst.order)
    if not counts:
        return ""
    shown = " · ".join(f"{esc(n)} {c}" for n, c in counts[:MAX_MEMBERS_SHOWN])
    return t(request.lang, "members_progress", members=shown, total=len(lst))


def forget_mine_offer(request: Request) -> Reply:
    """In a group, a member's /forget offers to delete their own marks only."""
    lang = request.lang
    user = request.user_id or 0
    rows = (
        (
            Button.action(t(lang, "btn_forget_mine"), cb.ForgetMine("yes", user)),
            Button.action(t(lang, "btn_cancel"), cb.ForgetMine("no", user)),
        ),
    )
    return Reply(t(lang, "forget_mine_confirm"), lang, rows)


async def on_forget_mine(services: Services, request: Request, action: cb.ForgetMine) -> Reply:
    """Delete the presser's own marks in this group (only the member who asked can)."""
    if request.user_id != action.user_id:
        text = t(request.lang, "not_your_button")
        return Reply(text, request.lang, toast=text)
    if action.answer != "yes" or request.user_id is None:
        return Reply(t(request.lang, "forget_cancelled"), request.lang, edit=True)
    n = await services.store.learning.forget_member(request.chat_id, request.user_id)
    count = format_count(n, "paper", request.lang)
    return Reply(t(request.lang, "forgotten_mine", count=count), request.lang, edit=True)
