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
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from bot.core.answers import Answer, Answerer
from bot.core.catalogue import Catalogue
from bot.i18n import localise
from bot.render import Reply, answer_reply

if TYPE_CHECKING:  # the chat adapter only; `ask` starts faster without it
    from bot.service import PaperBot

LOCAL_CHAT_ID = 1
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
    if labels:
        lines.append("  ".join(labels))
    if reply.document is not None:
        lines.append(reply.document[1].decode("utf-8"))
    return "\n".join(lines), actions


def answer_json(answer: Answer) -> dict[str, Any]:
    """The stable ``ask --json`` object for one answer.

    ``{"query", "status": "answer"|"choices"|"none"|"papers", "paper": {id, title, score} |
    null, "choices": [{id, title, score}], "papers": [{id, title}]}``.
    """
    paper = None
    if answer.status == "answer" and answer.paper is not None:
        p = answer.paper
        paper = {"id": p.paper.id, "title": p.paper.title, "score": p.score}
    return {
        "query": answer.query,
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
    answerer = Answerer(catalogue)
    answer = answerer.answer(question)
    text, _ = format_reply(answer_reply(catalogue, answer, answer.lang))
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


async def deliver_due(bot: PaperBot, now: datetime, emit: Callable[[str], None]) -> int:
    """Print every reminder due at ``now`` for the local user; returns how many."""
    sent = 0
    for due in await bot.due(now):
        if due.chat_id != LOCAL_CHAT_ID or not await bot.claim(due, now):
            continue
        reply = await bot.reminder_reply(due.chat_id, now)
        text, _ = format_reply(reply)
        emit(text)
        if due.local_date is not None:
            await bot.storage.record_delivery(due.chat_id, due.local_date, "sent", now)
        sent += 1
    return sent


async def chat(
    bot: PaperBot,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    reminder_interval: float = 30.0,
    lang: str | None = None,
) -> int:
    """Run the interactive terminal chat until end of input."""
    actions: list[str] = []

    def emit(text: str) -> None:
        out.write(text + "\n\n")
        out.flush()

    welcome = await bot.command(LOCAL_CHAT_ID, "start", tg_lang=lang, first_name="", now=clock())
    text, actions = format_reply(welcome)
    emit(text)

    async def reminders() -> None:
        while True:
            await deliver_due(bot, clock(), emit)
            await asyncio.sleep(reminder_interval)

    task = asyncio.create_task(reminders())
    loop = asyncio.get_running_loop()
    try:
        while True:
            if stdin.isatty():
                out.write("> ")
                out.flush()
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            now = clock()
            if line.isdigit() and 1 <= int(line) <= len(actions):
                reply = await bot.callback(
                    LOCAL_CHAT_ID, actions[int(line) - 1], tg_lang=lang, now=now
                )
            elif line.startswith("/"):
                name, _, args = line[1:].partition(" ")
                if name in {"quit", "exit"}:
                    break
                reply = await bot.command(
                    LOCAL_CHAT_ID, name.split("@")[0], args, tg_lang=lang, now=now
                )
            else:
                reply = await bot.text(LOCAL_CHAT_ID, line, tg_lang=lang, now=now)
            text, new_actions = format_reply(reply)
            actions = new_actions or actions
            emit(localise(text, reply.lang))
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return 0
