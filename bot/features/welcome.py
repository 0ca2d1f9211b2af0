"""Greeting and help: ``/start`` (with ``paper-<id>`` deep links) and ``/help``."""

from __future__ import annotations

import re

from bot.features import callbacks as cb
from bot.features.common import Request, Services, current_list, list_name
from bot.features.render import card_reply
from bot.features.reply import Button, Reply, esc
from bot.i18n import t

DEEP_LINK = re.compile(r"paper-([a-z0-9-]+)")


def main_menu(lang: str) -> tuple[tuple[Button, ...], ...]:
    """The /start buttons: next paper, browse, daily reminder, language, lists."""
    return (
        (
            Button.action(t(lang, "btn_next"), cb.Menu("next")),
            Button.action(t(lang, "btn_list"), cb.Menu("browse")),
        ),
        (
            Button.action(t(lang, "btn_reminder"), cb.Settings("time")),
            Button.action(t(lang, "btn_language"), cb.Settings("lang")),
        ),
        (Button.action(t(lang, "btn_lists"), cb.Menu("lists")),),
    )


async def start(services: Services, request: Request) -> Reply:
    """Greet the user with the main actions as buttons, or open a deep-linked card."""
    lang = request.lang
    m = DEEP_LINK.fullmatch(request.args)
    if m and m.group(1) in services.catalogue.papers:
        paper = services.catalogue.papers[m.group(1)]
        return card_reply(services.catalogue, paper, lang)
    lst = await current_list(services, request.chat_id)
    name = request.first_name or t(lang, "start_no_name")
    text = t(lang, "start", name=esc(name), list_name=list_name(lst, lang), total=len(lst))
    return Reply(text, lang, main_menu(lang))


def commands_help(lang: str) -> str:
    """One line per command: ``/next: Your next paper to read``."""
    from bot.features.registry import COMMANDS  # the registry imports every feature

    return "\n".join(f"/{name}: {esc(t(lang, f'cmd_{name}'))}" for name in COMMANDS)


async def help_(services: Services, request: Request) -> Reply:
    """Examples of questions and the command list."""
    return Reply(t(request.lang, "help", commands=commands_help(request.lang)), request.lang)


async def on_menu(services: Services, request: Request, action: cb.Menu) -> Reply:
    """A main-menu button: next paper, lists, progress or help."""
    from bot.features import browsing, reading  # they import welcome's neighbours

    if action.item == "next":
        return await reading.next_paper(services, request)
    if action.item == "unread":
        return await reading.next_reply(services, request.chat_id, request.lang)
    if action.item == "lists":
        return await browsing.show_lists(services, request)
    if action.item == "browse":
        return await browsing.browse(services, request)
    if action.item == "progress":
        return await reading.show_progress(services, request)
    return await help_(services, request)
