"""Notes and bookmarks: ``/note <paper> <text>``, the 📝 Note button (the next message is the
note), ``/notes``, and 📌 Reading now (``/next`` offers to continue it first)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.catalogue import Paper
from bot.features import callbacks as cb
from bot.features.common import Request, Services
from bot.features.render import paper_button
from bot.features.reply import Button, Reply, echo, esc, plain
from bot.i18n import base_lang, t

MAX_NOTE = 1000  # characters kept of a note
NOTE_SEPARATORS = (":", "：", "|", " - ", " — ")


def _title(paper: Paper, lang: str) -> str:
    return esc(paper.display_title(base_lang(lang)))


def split_note(services: Services, args: str) -> tuple[Paper | None, str]:
    """``"<paper> <text>"`` -> (the paper, the text): after a separator (``resnet: text``), or
    the longest leading words that name a paper with confidence."""
    matcher = services.answerer.matcher
    for sep in NOTE_SEPARATORS:
        head, found, tail = args.partition(sep)
        if found and head.strip():
            match = matcher.match(head.strip())
            if match.status == "answer" and match.best is not None:
                return match.best.paper, tail.strip()
    words = args.split()
    for n in range(min(len(words), 8), 0, -1):
        match = matcher.match(" ".join(words[:n]))
        if match.status == "answer" and match.best is not None:
            return match.best.paper, " ".join(words[n:])
    return None, args


async def note(services: Services, request: Request) -> Reply:
    """``/note <paper> <text>``: keep a private note on a paper (``/note <paper>`` alone shows
    it; an empty note deletes it with ``/note <paper> -``)."""
    lang = request.lang
    if request.in_group:
        return Reply(t(lang, "notes_private"), lang)
    if not request.args:
        return Reply(t(lang, "note_usage"), lang)
    paper, text = split_note(services, request.args)
    if paper is None:
        return Reply(t(lang, "note_which", arg=echo(request.args)), lang)
    learning = services.store.learning
    if not text:
        current = (await learning.notes(request.chat_id)).get(paper.id)
        key = "note_show" if current else "note_none"
        return Reply(t(lang, key, title=_title(paper, lang), note=esc(current or "")), lang)
    text = "" if text == "-" else text[:MAX_NOTE]
    await learning.set_note(request.chat_id, paper.id, text, request.now)
    key = "note_saved" if text else "note_deleted"
    return Reply(t(lang, key, title=_title(paper, lang)), lang, ((paper_button(paper, lang),),))


async def list_notes(services: Services, request: Request) -> Reply:
    """``/notes``: every note, newest first, with a button per paper."""
    lang = request.lang
    if request.in_group:
        return Reply(t(lang, "notes_private"), lang)
    notes = await services.store.learning.notes(request.chat_id)
    if not notes:
        return Reply(t(lang, "notes_none"), lang)
    papers = services.catalogue.papers
    lines = [t(lang, "notes_head", count=len(notes))]
    rows = []
    for pid, text in notes.items():
        if pid in papers:
            lines.append(f"• <b>{_title(papers[pid], lang)}</b>: {esc(text[:200])}")
            rows.append((paper_button(papers[pid], lang),))
    return Reply("\n".join(lines), lang, tuple(rows[:10]))


async def with_note(services: Services, chat_id: int, reply: Reply) -> Reply:
    """A card with the chat's own note on its paper, before the link line (if it has one)."""
    if reply.paper_id is None:
        return reply
    text = (await services.store.learning.notes(chat_id)).get(reply.paper_id)
    if not text:
        return reply
    line = t(reply.lang, "card_note", note=esc(text[:300]))
    head, sep, link = reply.text.rpartition("\n🔗 ")
    body = f"{head}\n{line}{sep}{link}" if sep else f"{reply.text}\n{line}"
    return replace(reply, text=body)


async def on_note_start(
    services: Services, request: Request, action: cb.NoteStart
) -> Reply | None:
    """📝 Note: the chat's next message becomes the note on this paper."""
    paper = services.catalogue.papers.get(action.paper_id)
    if paper is None:
        return None
    await services.store.learning.set_user_field(
        request.chat_id, "pending_note", paper.id, request.now
    )
    return Reply(t(request.lang, "note_prompt", title=_title(paper, request.lang)), request.lang)


async def drop_pending_note(services: Services, chat_id: int, now: datetime) -> None:
    """Stop waiting for a note (the chat did something else after pressing 📝 Note)."""
    fields = await services.store.learning.user_fields(chat_id)
    if fields.get("pending_note"):
        await services.store.learning.set_user_field(chat_id, "pending_note", None, now)


async def take_pending_note(services: Services, request: Request) -> Reply | None:
    """If the chat pressed 📝 Note, keep this message as the note (and stop waiting)."""
    fields = await services.store.learning.user_fields(request.chat_id)
    pid = fields.get("pending_note")
    if not isinstance(pid, str) or pid not in services.catalogue.papers:
        return None
    learning = services.store.learning
    await learning.set_user_field(request.chat_id, "pending_note", None, request.now)
    paper = services.catalogue.papers[pid]
    await learning.set_note(request.chat_id, pid, request.args[:MAX_NOTE], request.now)
    lang = request.lang
    return Reply(
        t(lang, "note_saved", title=_title(paper, lang)), lang, ((paper_button(paper, lang),),)
    )


async def on_reading_now(
    services: Services, request: Request, action: cb.ReadingNow
) -> Reply | None:
    """📌 Reading now: /next will offer to continue this paper first."""
    paper = services.catalogue.papers.get(action.paper_id)
    if paper is None:
        return None
    await services.store.learning.set_user_field(
        request.chat_id, "reading_now", paper.id, request.now
    )
    text = t(request.lang, "reading_now_set", title=_title(paper, request.lang))
    return Reply(text, request.lang, toast=plain(text))


async def continue_offer(services: Services, request: Request) -> Reply | None:
    """When a 📌 paper is still unread, offer to continue it before the next one."""
    fields = await services.store.learning.user_fields(request.chat_id)
    pid = fields.get("reading_now")
    if not isinstance(pid, str) or pid not in services.catalogue.papers:
        return None
    if pid in await services.store.progress.states(request.chat_id):
        return None  # read or skipped since
    lang = request.lang
    paper = services.catalogue.papers[pid]
    rows = (
        (Button.action(t(lang, "btn_continue"), cb.ShowCard(pid, base_lang(lang))),),
        (Button.action(t(lang, "btn_next_unread"), cb.Menu("unread")),),
    )
    return Reply(t(lang, "reading_now_offer", title=_title(paper, lang)), lang, rows)
