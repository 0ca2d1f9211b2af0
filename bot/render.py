"""Render core results as Telegram-HTML text and abstract buttons (no Telegram import).

The Telegram adapter turns :class:`Button` rows into ``InlineKeyboardMarkup``; the terminal
adapter prints them as numbered choices and strips the HTML. Every value that comes from a
user or from the knowledge files is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from bot.core.answers import Answer
from bot.core.catalogue import Catalogue, Paper
from bot.i18n import base_lang, t

MAX_AUTHORS = 5
TELEGRAM_TEXT_LIMIT = 4096
PAGE_SIZE = 10


@dataclass(frozen=True)
class Button:
    """An inline button: exactly one of ``data`` (callback data, <= 64 bytes), ``url`` or
    ``switch_inline`` (prefills an inline query) is set."""

    text: str
    data: str | None = None
    url: str | None = None
    switch_inline: str | None = None


@dataclass(frozen=True)
class Reply:
    """One message to send (or, with ``edit``, the new content of the pressed message).

    ``text`` is Telegram HTML in the reply's language; ``lang`` is that language; ``document``
    is an optional ``(filename, bytes)`` attachment.
    """

    text: str
    lang: str = "en"
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    document: tuple[str, bytes] | None = None
    toast: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def esc(value: object) -> str:
    """Escape any value for Telegram HTML."""
    return html.escape(str(value), quote=False)


def authors_text(paper: Paper, lang: str, limit: int = MAX_AUTHORS) -> str:
    """Return the author list, cut to ``limit`` names plus "et al." / "等"."""
    names = [a for a in paper.authors if not a.startswith("et al")]
    more = len(names) > limit or len(names) < len(paper.authors)
    names = names[:limit]
    sep = "、" if base_lang(lang) == "zh" else ", "
    text = sep.join(names)
    if more:
        text += (" " if base_lang(lang) == "en" else "") + t(lang, "et_al")
    return text


def kind_text(paper: Paper, lang: str) -> str:
    """Return the item's kind and venue: ``paper (NeurIPS 2015)`` / ``论文（NeurIPS 2015）``."""
    kind = t(lang, f"kind_{paper.kind}")
    if paper.venue and paper.venue.lower() not in {"arxiv"}:
        return f"{kind} ({paper.venue})" if base_lang(lang) == "en" else f"{kind}（{paper.venue}）"
    return kind


def memberships_text(catalogue: Catalogue, paper: Paper, lang: str) -> str:
    """Return which lists hold the paper and where: ``Ilya … #7 · Li Mu … #4``."""
    parts = [
        t(lang, "card_list_item", list=esc(lst.name.get(base_lang(lang))), position=pos)
        for lst, pos in catalogue.memberships(paper.id)
    ]
    return t(lang, "card_lists", lists=" · ".join(parts))


def card(catalogue: Catalogue, paper: Paper, lang: str) -> str:
    """Return a paper card: title, authors/year/kind, lists, summary, why, link.

    Fits a phone screen and Telegram's 4,096-character limit (checked for every paper).
    """
    zh = base_lang(lang) == "zh"
    head = (
        f"<b>{esc(paper.title_zh)}</b>\n<i>{esc(paper.title)}</i>"
        if zh
        else (f"<b>{esc(paper.title)}</b>")
    )
    meta = t(
        lang,
        "card_meta",
        authors=esc(authors_text(paper, lang)),
        year=paper.year,
        kind=esc(kind_text(paper, lang)),
    )
    lines = [
        head,
        meta,
        memberships_text(catalogue, paper, lang),
        "",
        esc(paper.summary.get(base_lang(lang))),
        "",
        t(lang, "card_why", why=esc(paper.why.get(base_lang(lang)))),
        t(lang, "card_link", url=esc(paper.url)),
    ]
    return "\n".join(lines)


def card_buttons(
    paper: Paper, lang: str, *, progress: bool = True
) -> tuple[tuple[Button, ...], ...]:
    """Buttons under a card: read/skip, open the link, and switch the card's language."""
    other = "en" if base_lang(lang) == "zh" else "zh"
    rows: list[tuple[Button, ...]] = []
    if progress:
        rows.append(
            (
                Button(t(lang, "btn_read"), data=f"r:{paper.id}"),
                Button(t(lang, "btn_skip"), data=f"s:{paper.id}"),
            )
        )
    rows.append(
        (
            Button(t(lang, "btn_open"), url=paper.url),
            Button(t(lang, "btn_lang_switch"), data=f"c:{paper.id}:{other}"),
        )
    )
    return tuple(rows)


def _title(paper: Paper, lang: str) -> str:
    return paper.display_title(base_lang(lang))


def answer_reply(catalogue: Catalogue, answer: Answer, lang: str) -> Reply:
    """Render an :class:`Answer` (any status) as a reply in ``lang``."""
    if answer.status == "answer" and answer.paper is not None:
        paper = answer.paper.paper
        if answer.facet == "what":
            text = card(catalogue, paper, lang)
            if answer.position is not None:
                list_id, n = answer.position
                name = catalogue.lists[list_id].name.get(base_lang(lang))
                text = t(lang, "position_prefix", position=n, list=esc(name)) + "\n" + text
            return Reply(text, lang, card_buttons(paper, lang))
        return Reply(
            facet_text(paper, answer.facet, lang),
            lang,
            (
                (
                    Button(t(lang, "btn_card"), data=f"c:{paper.id}:{base_lang(lang)}"),
                    Button(t(lang, "btn_open"), url=paper.url),
                ),
            ),
        )
    if answer.status == "choices":
        rows = tuple(
            (Button(_title(s.paper, lang)[:60], data=f"c:{s.paper.id}:{base_lang(lang)}"),)
            for s in answer.choices
        )
        return Reply(t(lang, "did_you_mean"), lang, rows)
    if answer.status == "papers" and answer.listing is not None:
        return listing_reply(catalogue, answer, lang)
    return none_reply(catalogue, answer, lang)


def facet_text(paper: Paper, facet: str, lang: str) -> str:
    """Answer one facet (authors, year, link, why) of a paper in one or two lines."""
    title = esc(_title(paper, lang))
    if facet == "authors":
        sep = "、" if base_lang(lang) == "zh" else ", "
        return t(
            lang,
            "facet_authors",
            title=title,
            year=paper.year,
            authors=esc(sep.join(paper.authors)),
        )
    if facet == "year":
        venue = t(lang, "facet_venue", venue=esc(paper.venue)) if paper.venue else ""
        return t(lang, "facet_year", title=title, year=paper.year, venue=venue)
    if facet == "link":
        return t(lang, "facet_link", title=title, url=esc(paper.url))
    return t(lang, "facet_why", title=title, why=esc(paper.why.get(base_lang(lang))))


def listing_reply(catalogue: Catalogue, answer: Answer, lang: str) -> Reply:
    """Render a list answer: a heading and numbered titles, with a button per paper (<= 10)."""
    assert answer.listing is not None
    listing = answer.listing
    lst = catalogue.lists[listing.list_id]
    list_name = esc(lst.name.get(base_lang(lang)))
    if listing.kind == "count":
        return Reply(
            t(lang, "listing_count", list=list_name, total=len(lst)),
            lang,
            ((Button(t(lang, "btn_list"), data=f"p:{lst.id}:0"),),),
        )
    subject = listing.subject
    if listing.kind == "topic":
        subject = catalogue.topics[subject].name.get(base_lang(lang))
    elif listing.kind == "category":
        cat = next(c for c in lst.categories if c.id == subject)
        subject = cat.name.get(base_lang(lang))
    heading = t(
        lang,
        f"listing_{listing.kind}",
        subject=esc(subject),
        list=list_name,
        count=len(answer.papers),
    )
    lines = [heading]
    for p in answer.papers:
        pos = lst.position(p.id) or "·"
        lines.append(
            t(lang, "listing_item", position=pos, title=esc(_title(p, lang)), year=p.year)
        )
    rows = tuple(
        (
            Button(
                f"{lst.position(p.id) or ''}. {_title(p, lang)}"[:60],
                data=f"c:{p.id}:{base_lang(lang)}",
            ),
        )
        for p in answer.papers[:PAGE_SIZE]
    )
    return Reply("\n".join(lines), lang, rows)


def none_reply(catalogue: Catalogue, answer: Answer, lang: str) -> Reply:
    """Say plainly that nothing matched; offer /list and, if any came close, up to 3 papers."""
    if answer.reason == "empty":
        return Reply(t(lang, "empty_query"), lang)
    if answer.reason == "out_of_range" and answer.position is not None:
        list_id, n = answer.position
        lst = catalogue.lists[list_id]
        return Reply(
            t(
                lang,
                "out_of_range",
                list=esc(lst.name.get(base_lang(lang))),
                total=len(lst),
                position=n,
            ),
            lang,
        )
    if answer.reason == "no_papers" and answer.listing is not None:
        lst = catalogue.lists[answer.listing.list_id]
        return Reply(t(lang, "no_papers", list=esc(lst.name.get(base_lang(lang)))), lang)
    query = answer.query.strip()
    if len(query) > 80:
        query = query[:80] + "…"
    lines = [t(lang, "no_match", query=esc(query))]
    rows: list[tuple[Button, ...]] = []
    if answer.suggestions:
        lines.append(t(lang, "no_match_suggest"))
        rows = [
            (Button(_title(s.paper, lang)[:60], data=f"c:{s.paper.id}:{base_lang(lang)}"),)
            for s in answer.suggestions
        ]
    lines.append(t(lang, "no_match_hint"))
    rows.append((Button(t(lang, "btn_list"), data="p::0"),))
    return Reply("\n".join(lines), lang, tuple(rows))
