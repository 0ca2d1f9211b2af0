"""Asking: free text is a question about the lists; ``@bot <query>`` is an inline search."""

from __future__ import annotations

from dataclasses import replace

from bot.core.answers import Answer
from bot.core.catalogue import Catalogue, Paper
from bot.core.reading import next_unread
from bot.features.common import Request, Services, current_list
from bot.features.kinds import (
    action_reply,
    compare_reply,
    describe_reply,
    list_info_reply,
    related_reply,
    smalltalk_reply,
    video_reply,
)
from bot.features.reading import next_reply
from bot.features.render import answer_reply, card_reply, paper_button
from bot.features.reply import Reply, esc
from bot.features.welcome import main_menu
from bot.i18n import base_lang, reply_lang, t

INLINE_RESULTS = 10


async def answer(services: Services, request: Request) -> Reply:
    """Answer free text (``request.args``) in the question's language: a paper, a field, a
    search, relations, a comparison, a video, the lists, a greeting, a command or an action
    typed as words. ``request.lang`` is the user's language."""
    chat_id, text = request.chat_id, request.args
    lst = await current_list(services, chat_id)
    last = services.recent.get(chat_id)
    result = services.answerer.answer(text, current_list=lst.id, last_paper=last)
    lang = reply_lang(text, request.lang)
    if result.kind in {"command", "start"}:
        return await run_words(services, replace(request, lang=lang), result)
    reply = render_answer(services, result, lang, in_group=request.in_group)
    if result.paper is not None and result.status == "answer":
        services.shown(chat_id, result.paper.paper.id)
    return reply


async def run_words(services: Services, request: Request, result: Answer) -> Reply:
    """A command typed as words ("next paper please", "下一篇", "where should I start")."""
    from bot.features.registry import COMMANDS  # the registry imports every feature

    if result.kind == "start":
        return await next_reply(services, request.chat_id, request.lang, start=True)
    command = COMMANDS[result.command or "help"]
    return await command.run(services, replace(request, args=""))


def group_action_reply(catalogue: Catalogue, result: Answer, lang: str) -> Reply:
    """ "mark X as read" / "skip X" in a group: the card (each member marks their own reading
    with ✅ I read it), and for a skip, that the administrators set the pace."""
    assert result.paper is not None
    reply = card_reply(catalogue, result.paper.paper, lang)
    if result.action == "skip":
        return replace(reply, text=t(lang, "skip_in_group") + "\n\n" + reply.text)
    return reply


def render_answer(
    services: Services, result: Answer, lang: str, *, in_group: bool = False
) -> Reply:
    """The reply to an answer, by its kind."""
    return render_kind(services.catalogue, result, lang, in_group=in_group)


def render_kind(
    catalogue: Catalogue, result: Answer, lang: str, *, in_group: bool = False
) -> Reply:
    """The reply to an answer of any kind (the terminal's ``ask`` uses it too)."""
    if result.kind in {"command", "start"}:
        name = result.command or "next"
        return Reply(t(lang, "ask_run_command", command=name), lang)
    if result.kind == "smalltalk":
        return smalltalk_reply(result, lang, main_menu(lang))
    if result.kind == "list_info" and result.listing is None:  # a count is a listing
        lst = catalogue.lists.get(result.list_id or "", catalogue.default_list)
        return list_info_reply(catalogue, lst, lang)
    if result.status == "none" and result.kind == "compare" and result.paper is not None:
        known = result.paper.paper
        text = t(lang, "compare_unknown", title=esc(known.display_title(base_lang(lang))))
        return Reply(text, lang, ((paper_button(known, lang),),))
    if result.status == "papers" and result.kind == "related":
        return related_reply(catalogue, result, lang)
    if result.status == "papers" and result.kind == "compare":
        return compare_reply(catalogue, result, lang)
    if result.status == "answer" and result.paper is not None:
        if result.kind == "video" or result.facet == "video":
            return video_reply(catalogue, result, lang)
        if result.kind == "action":
            if in_group and result.action in {"read", "skip"}:
                return group_action_reply(catalogue, result, lang)
            return action_reply(catalogue, result, lang)
        if result.kind == "describe":
            return describe_reply(catalogue, result, lang)
    return answer_reply(catalogue, result, lang)


async def inline_papers(
    services: Services, user_id: int, query: str, user_lang: str
) -> tuple[list[Paper], str]:
    """The papers that answer an inline query, answered as in a chat (the paper a name points
    to, the choices when it is ambiguous, an author's or topic's papers), and the language to
    show them in. An empty query gives the user's next unread paper; no answer gives none."""
    lst = await current_list(services, user_id)
    if not query.strip():
        pid = next_unread(lst, await services.store.progress.states(user_id))
        return ([services.catalogue.papers[pid]] if pid else []), user_lang
    result = services.answerer.answer(query, current_list=lst.id)
    lang = reply_lang(query, user_lang)
    if result.status == "answer" and result.paper is not None:
        return [result.paper.paper], lang
    if result.status == "choices":
        return [c.paper for c in result.choices], lang
    if result.status == "papers":
        return list(result.papers[:INLINE_RESULTS]), lang
    return [], lang
