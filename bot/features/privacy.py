"""Your data: ``/export``, ``/forget`` (after a confirmation) and ``/privacy``."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.core.schedule import zone
from bot.features import callbacks as cb
from bot.features.common import Request, Services
from bot.features.reply import Button, Reply
from bot.i18n import base_lang, localise, t


async def show_privacy(services: Services, request: Request) -> Reply:
    """What is stored and why."""
    return Reply(t(request.lang, "privacy"), request.lang)


def _with_titles(services: Services, data: dict[str, Any]) -> dict[str, Any]:
    """Add each paper's title and link beside its id, so the export reads on its own."""
    papers = services.catalogue.papers
    for row in data.get("progress", []):
        paper = papers.get(row.get("paper_id", ""))
        if paper is not None:
            row["title"] = paper.title
            row["url"] = paper.url
    return data


def reading_log(services: Services, data: dict[str, Any], lang: str) -> str:
    """A Markdown reading log: per list, each paper read or skipped, with its date and link."""
    marks = {row["paper_id"]: row for row in data.get("progress", [])}
    tz = (data.get("user") or {}).get("time_zone") or "UTC"  # dates as the reader lived them
    lines = [f"# {t(lang, 'log_title')}", ""]
    for lst in services.catalogue.lists.values():
        done = [pid for pid in lst.order if pid in marks]
        lines += [f"## {lst.name.get(base_lang(lang))} ({len(done)}/{len(lst)})", ""]
        for pid in done:
            paper, row = services.catalogue.papers[pid], marks[pid]
            state = t(lang, "log_read" if row["state"] == "read" else "log_skipped")
            when = datetime.fromisoformat(row["at"]).astimezone(zone(tz)).date().isoformat()
            title = paper.display_title(base_lang(lang)).replace("]", "\\]")
            lines.append(f"- {state} {when}: [{title}]({paper.url}) ({paper.year})")
        lines.append("" if done else t(lang, "log_none") + "\n")
    return "\n".join(lines).rstrip() + "\n"


async def export(services: Services, request: Request) -> Reply:
    """Send everything stored about the chat: a JSON document (named fields, ISO dates with
    zones, paper ids with titles) and a Markdown reading log."""
    data = _with_titles(services, await services.store.privacy.export(request.chat_id))
    data = {"format": "paperbot-export/1", "exported_at": request.now.isoformat(), **data}
    blob = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    log = localise(reading_log(services, data, request.lang), request.lang).encode("utf-8")
    documents = (("paperbot-export.json", blob), ("paperbot-reading-log.md", log))
    return Reply(t(request.lang, "export_caption"), request.lang, documents=documents)


async def forget(services: Services, request: Request) -> Reply:
    """Ask for a confirmation before deleting everything stored about the chat; in a group,
    a member who is not an administrator is offered to delete their own marks only."""
    if request.in_group and not request.is_admin:
        from bot.features.group import forget_mine_offer  # group imports privacy's neighbours

        return forget_mine_offer(request)
    lang = request.lang
    buttons = (
        (
            Button.action(t(lang, "btn_confirm_forget"), cb.Forget("yes")),
            Button.action(t(lang, "btn_cancel"), cb.Forget("no")),
        ),
    )
    key = "forget_confirm_group" if request.in_group else "forget_confirm"
    return Reply(t(lang, key), lang, buttons)


async def on_forget(services: Services, request: Request, action: cb.Forget) -> Reply:
    """The confirmation buttons of /forget."""
    if action.answer == "yes":
        await services.store.privacy.forget(request.chat_id)
        key = "forgotten_group" if request.in_group else "forgotten"
        return Reply(t(request.lang, key), request.lang, edit=True)
    return Reply(t(request.lang, "forget_cancelled"), request.lang, edit=True)
