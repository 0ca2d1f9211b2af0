"""Replies to the kinds of question that are not a paper's name: relations, comparisons,
videos, the lists themselves, greetings, actions typed as words, and descriptions.

Each function renders one :class:`~bot.core.answers.Answer` kind (no data changes: an action
typed as words only offers its button).
"""

from __future__ import annotations

from bot.core.answers import Answer
from bot.core.catalogue import Catalogue, Paper, ReadingList
from bot.features import callbacks as cb
from bot.features.render import answer_title, card, card_buttons, paper_button, short_title
from bot.features.reply import Button, Reply, esc
from bot.features.videos import video_block
from bot.i18n import base_lang, format_count, t

MAX_BUTTONS = 8


def _title(paper: Paper, lang: str) -> str:
    return paper.display_title(base_lang(lang))


def _lines(papers: tuple[Paper, ...], lang: str) -> list[str]:
    return [f"• {esc(_title(p, lang))} ({p.year})" for p in papers]


def related_reply(catalogue: Catalogue, answer: Answer, lang: str) -> Reply:
    """What to read before / after a paper, oldest first, with a button per paper."""
    assert answer.paper is not None
    paper = answer.paper.paper
    title = esc(answer_title(paper, lang))
    parts: list[str] = []
    shown: list[Paper] = []
    if answer.direction in {"before", "both"}:
        key = "related_before" if answer.before else "related_before_none"
        parts += [t(lang, key, title=title), *_lines(answer.before, lang)]
        shown += answer.before
    if answer.direction in {"after", "both"}:
        key = "related_after" if answer.after else "related_after_none"
        parts += ["", t(lang, key, title=title), *_lines(answer.after, lang)]
        shown += answer.after
    rows = [(paper_button(p, lang),) for p in shown[:MAX_BUTTONS]]
    rows.append((Button.action(t(lang, "btn_card"), cb.ShowCard(paper.id, base_lang(lang))),))
    return Reply("\n".join(parts).strip(), lang, tuple(rows))


def key_idea(paper: Paper, lang: str) -> str:
    """The paper's key idea in a few words: its first contribution that is more than its own
    name ("residual connections", not "ResNet"), else why to read it."""
    names = {
        n.lower() for n in (paper.title, paper.title_zh, *paper.aliases_en, *paper.aliases_zh)
    }
    for phrase in paper.contributions.get(base_lang(lang)):
        if phrase.lower() not in names and not any(phrase.lower().startswith(n) for n in names):
            return phrase
    return paper.why.get(base_lang(lang))


def _link(catalogue: Catalogue, a: Paper, b: Paper, lang: str) -> str:
    """How two papers relate: one builds on the other, or they share an ancestor, or not."""
    if a.id in b.builds_on:
        return t(
            lang,
            "compare_builds_on",
            later=esc(short_title(b, lang)),
            earlier=esc(short_title(a, lang)),
        )
    if b.id in a.builds_on:
        return t(
            lang,
            "compare_builds_on",
            later=esc(short_title(a, lang)),
            earlier=esc(short_title(b, lang)),
        )
    shared = [catalogue.papers[i] for i in set(a.builds_on) & set(b.builds_on)]
    if shared:
        names = "、" if base_lang(lang) == "zh" else ", "
        common = names.join(esc(short_title(p, lang)) for p in shared[:3])
        return t(lang, "compare_shared", papers=common)
    return t(lang, "compare_unlinked")


def compare_reply(catalogue: Catalogue, answer: Answer, lang: str) -> Reply:
    """Two papers side by side: year, the key idea of each in one line, how they relate."""
    a, b = sorted(answer.papers[:2], key=lambda p: (p.year, p.id))
    blocks = []
    for paper in (a, b):
        idea = key_idea(paper, lang)
        blocks.append(
            t(
                lang,
                "compare_item",
                title=esc(_title(paper, lang)),
                year=paper.year,
                idea=esc(idea),
            )
        )
    text = "\n\n".join([t(lang, "compare_head"), *blocks, _link(catalogue, a, b, lang)])
    rows = ((paper_button(a, lang), paper_button(b, lang)),)
    return Reply(text, lang, rows)


def video_reply(catalogue: Catalogue, answer: Answer, lang: str) -> Reply:
    """A paper's recorded readings, or a plain "none" with the paper's own link."""
    assert answer.paper is not None
    paper = answer.paper.paper
    title = esc(_title(paper, lang))
    open_card = Button.action(t(lang, "btn_card"), cb.ShowCard(paper.id, base_lang(lang)))
    if not paper.videos:
        text = t(lang, "video_none", title=title, url=esc(paper.url))
        return Reply(text, lang, ((open_card, Button(t(lang, "btn_open"), url=paper.url)),))
    text = "\n".join([f"<b>{title}</b>", *video_block(paper, lang)])
    return Reply(text, lang, ((open_card,),))


def list_info_reply(catalogue: Catalogue, lst: ReadingList, lang: str) -> Reply:
    """What a list is: who made it, where it comes from, what it covers, how many papers."""
    about = lst.about.get(base_lang(lang)) if lst.about else ""
    count = format_count(len(lst), "paper", lang)
    text = t(
        lang, "list_info", name=esc(lst.name.get(base_lang(lang))), about=esc(about), count=count
    )
    others = [o for o in catalogue.lists.values() if o.id != lst.id]
    rows: list[tuple[Button, ...]] = [
        (
            Button.action(t(lang, "btn_list"), cb.ListPage(lst.id, 0)),
            Button.action(t(lang, "btn_next"), cb.Menu("next")),
        )
    ]
    rows += [
        (
            Button.action(
                t(lang, "btn_other_list", name=o.name.get(base_lang(lang))), cb.SwitchList(o.id)
            ),
        )
        for o in others
    ]
    return Reply(text, lang, tuple(rows))


def smalltalk_reply(answer: Answer, lang: str, menu: tuple[tuple[Button, ...], ...]) -> Reply:
    """A short, friendly reply to a greeting, thanks, goodbye or "ok", with the main buttons."""
    key = {"thanks": "smalltalk_thanks", "bye": "smalltalk_bye", "ok": "smalltalk_ok"}.get(
        answer.command or "", "smalltalk_hello"
    )
    return Reply(t(lang, key), lang, menu)


def action_reply(catalogue: Catalogue, answer: Answer, lang: str) -> Reply:
    """An action typed as words: a confirmation with its button (nothing changes until it is
    pressed), or the card with a share button."""
    assert answer.paper is not None
    paper = answer.paper.paper
    title = esc(_title(paper, lang))
    show = Button.action(t(lang, "btn_card"), cb.ShowCard(paper.id, base_lang(lang)))
    if answer.action == "share":
        share = Button(t(lang, "btn_share"), switch_inline=short_title(paper, "en"))
        rows = ((share,), *card_buttons(catalogue, paper, lang)[1:])
        return Reply(card(catalogue, paper, lang), lang, rows, paper_id=paper.id)
    if answer.action == "skip":
        button = Button.action(t(lang, "btn_skip"), cb.MarkSkipped(paper.id))
        return Reply(t(lang, "confirm_skip", title=title), lang, ((button, show),))
    button = Button.action(t(lang, "btn_read"), cb.MarkRead(paper.id))
    return Reply(t(lang, "confirm_read", title=title), lang, ((button, show),))


def describe_reply(catalogue: Catalogue, answer: Answer, lang: str) -> Reply:
    """The best match for a description, headed as such, with the runners-up as buttons."""
    assert answer.paper is not None
    paper = answer.paper.paper
    text = t(lang, "describe_head") + "\n\n" + card(catalogue, paper, lang)
    rows = list(card_buttons(catalogue, paper, lang))
    runners = [s.paper for s in answer.choices if s.paper.id != paper.id][:2]
    if runners:
        rows.append(tuple(paper_button(p, lang) for p in runners))
    return Reply(text, lang, tuple(rows), paper_id=paper.id)
