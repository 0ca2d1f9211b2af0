"""The terminal adapter: ``paperbot chat`` and ``paperbot ask`` over the same core.

``chat`` is one local user (chat id :data:`LOCAL_CHAT_ID`) on a local database file. Buttons
print as numbered choices; typing the number presses it. Reminders that fall due while it runs
are printed, through the same claim-then-send path as on Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from bot.core.answers import Answer, Answerer
from bot.core.catalogue import Catalogue
from bot.features.reply import Reply
from bot.i18n import localise, reply_lang, t

if TYPE_CHECKING:  # the chat adapter only; `ask` starts faster without them
    from bot.features.common import Services
    from bot.features.dispatch import Dispatcher
    from bot.features.reminders import RunStats

LOCAL_CHAT_ID = 1
log = logging.getLogger("paperbot.console")
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Turn Telegram HTML into terminal text (tags dropped, entities unescaped)."""
    return html.unescape(_TAG.sub("", text))


def format_reply(reply: Reply) -> tuple[str, list[str]]:
    """Return the printable text of a reply and the callback data of its numbered buttons."""
    lines = [plain(reply.text)]
    actions: list[str] = []
    labels = []
    for row in reply.buttons:
        for button in row:
            if button.data is not None:
                actions.append(button.data)
                labels.append(f"[{len(actions)}] {button.text}")
            elif button.url is not None:
                labels.append(f"{button.text}: {button.url}")
            elif button.switch_inline is not None:
                labels.append(f"{button.text}: @paperbot {button.switch_inline}")
    if labels:
        lines.append("  ".join(labels))
    if reply.poll is not None:  # a quiz poll: its options are numbered buttons here
        from bot.features.callbacks import QuizAnswer

        poll = reply.poll
        lines.append(f"🧠 {poll.question}")
        for i, option in enumerate(poll.options):
            actions.append(QuizAnswer(poll.question_id, i, int(poll.review)).encode())
            lines.append(f"  [{len(actions)}] {option}")
    for name, blob in reply.documents:
        lines.append(f"--- {name} ---\n{blob.decode('utf-8')}")
    return "\n".join(lines), actions


def answer_json(answer: Answer) -> dict[str, Any]:
    """The stable ``ask --json`` object for one answer (documented in the README).

    ``{"query", "kind", "status": "answer"|"choices"|"none"|"papers"|"info", "paper": {id,
    title, score} | null, "choices": [{id, title, score}], "papers": [{id, title}]}``: ``kind``
    is what kind of question it was (:data:`bot.core.answers.Kind`); search, relations and
    comparisons list their papers in rank order under ``papers``; ``info`` is a reply that is
    not about papers (a greeting, a command in words, a question about the lists).
    """
    paper = None
    if answer.paper is not None and answer.status in {"answer", "papers"}:
        p = answer.paper
        paper = {"id": p.paper.id, "title": p.paper.title, "score": p.score}
    return {
        "query": answer.query,
        "kind": answer.kind,
        "status": answer.status,
        "paper": paper,
        "choices": [
            {"id": s.paper.id, "title": s.paper.title, "score": s.score} for s in answer.choices
        ]
        if answer.status == "choices"
        else [],
        "papers": [{"id": p.id, "title": p.title} for p in answer.papers]
        if answer.status == "papers"
        else [],
    }


def ask(catalogue: Catalogue, question: str, out: TextIO) -> int:
    """Print the reply to one question, in the question's language. Returns 0, or 1 for none."""
    from bot.features.asking import render_kind  # the same replies as in a chat

    answerer = Answerer(catalogue)
    answer = answerer.answer(question)
    lang = reply_lang(question, "en")
    reply = render_kind(catalogue, answer, lang)
    text, _ = format_reply(in_script(reply))
    out.write(text + "\n")
    return 0 if answer.status != "none" else 1


def ask_json(catalogue: Catalogue, lines: TextIO, out: TextIO) -> int:
    """Answer one question per input line; write one JSON object per line, in order."""
    answerer = Answerer(catalogue)
    for line in lines:
        query = line.rstrip("\r\n")
        out.write(json.dumps(answer_json(answerer.answer(query)), ensure_ascii=False) + "\n")
        out.flush()
    return 0


async def deliver_due(
    services: Services,
    now: datetime,
    emit: Callable[[str], None],
    actions: list[str] | None = None,
) -> RunStats:
    """Print every reminder due at ``now`` for the local user, through the same reminder run
    as Telegram (claim, still wanted, render, send, record). ``actions``, when given, becomes
    the printed reminder's buttons, so that typing a number presses them."""
    from bot.features.reminders import Sent, run_reminders

    async def send(chat_id: int, reply: Reply) -> Sent:
        if chat_id != LOCAL_CHAT_ID:
            return Sent("failed", detail="not the terminal's chat")
        text, buttons = format_reply(reply)
        emit(text)
        if actions is not None and buttons:
            actions[:] = buttons
        return Sent("sent")

    return await run_reminders(services, now, send)


async def lang_of(services: Services, chat_id: int, tg_lang: str | None) -> str:
    """The chat's reply language (see :func:`bot.features.common.lang_of`)."""
    from bot.features.common import lang_of as chat_lang

    return await chat_lang(services, chat_id, tg_lang)


def in_script(reply: Reply) -> Reply:
    """The reply in its Traditional-Chinese script when it asks for one."""
    from bot.features.common import in_script as convert

    return convert(reply)


async def _respond(
    bot: Dispatcher, line: str, actions: list[str], lang: str | None, now: datetime
) -> Reply | None:
    """The reply to one typed line: a number presses a button, ``/name`` runs a command,
    anything else is a question. None means ``/quit``."""
    if line.isdigit() and len(line) <= 3:
        if 1 <= int(line) <= len(actions):
            return await bot.callback(LOCAL_CHAT_ID, actions[int(line) - 1], tg_lang=lang, now=now)
        user_lang = await lang_of(bot.services, LOCAL_CHAT_ID, lang)
        return in_script(Reply(t(user_lang, "chat_no_button", n=line), user_lang))
    if line.startswith("/"):
        name, _, args = line[1:].partition(" ")
        if name in {"quit", "exit"}:
            return None
        return await bot.command(LOCAL_CHAT_ID, name.split("@")[0], args, tg_lang=lang, now=now)
    return await bot.text(LOCAL_CHAT_ID, line, tg_lang=lang, now=now)


async def _remind_every(
    services: Services,
    clock: Callable[[], datetime],
    emit: Callable[[str], None],
    actions: list[str],
    interval: float,
) -> None:
    """Print due reminders every ``interval`` seconds; a failing run is logged, not fatal."""
    while True:
        try:
            await deliver_due(services, clock(), emit, actions)
        except Exception:
            log.exception("reminder check failed")
        await asyncio.sleep(interval)


async def chat(
    services: Services,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    reminder_interval: float = 30.0,
    lang: str | None = None,
) -> int:
    """Run the interactive terminal chat until end of input or ``/quit``.

    Buttons print as ``[n] label``; typing ``n`` presses one. Reminders due meanwhile are
    printed by the same reminder run as on Telegram, every ``reminder_interval`` seconds.
    """
    from bot.features.dispatch import Dispatcher

    bot = Dispatcher(services)

    def emit(text: str) -> None:
        out.write(text + "\n\n")
        out.flush()

    welcome = await bot.command(LOCAL_CHAT_ID, "start", tg_lang=lang, first_name="", now=clock())
    text, shown = format_reply(welcome)
    actions: list[str] = shown  # the last printed message's buttons, by number
    emit(text + "\n" + localise(t(welcome.lang, "chat_hint"), welcome.lang))

    task = asyncio.create_task(_remind_every(services, clock, emit, actions, reminder_interval))
    loop = asyncio.get_running_loop()
    try:
        while True:
            if stdin.isatty():
                out.write("> ")
                out.flush()
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            if not line.strip():
                continue
            try:
                reply = await _respond(bot, line.strip(), actions, lang, clock())
            except Exception:  # a bug: logged, and the chat goes on (no traceback on screen)
                log.exception("reply failed")
                emit(localise(t(welcome.lang, "error_apology"), welcome.lang))
                continue
            if reply is None:
                break
            text, new_actions = format_reply(reply)
            if new_actions:
                actions[:] = new_actions
            emit(text)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return 0
