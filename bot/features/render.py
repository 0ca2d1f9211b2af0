"""Render core results as Telegram-HTML text and abstract buttons (no Telegram import).

The Telegram adapter turns :class:`Button` rows into ``InlineKeyboardMarkup``; the terminal
adapter prints them as numbered choices and strips the HTML. Every value that comes from a
user or from the knowledge files is escaped with :func:`html.escape`.
"""

from __future__ import annotations

from bot.core.answers import Answer
from bot.core.catalogue import Catalogue, Paper
from bot.core.text import has_cjk
from bot.features import callbacks as cb
from bot.features.reply import Button, Reply, esc, label
from bot.features.videos import video_block
from bot.i18n import base_lang, t

MAX_AUTHORS = 5
MAX_RELATED = 3
MAX_IDEAS = 4
PAGE_SIZE = 10


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
    ]
    ideas = paper.contributions.get(base_lang(lang))[:MAX_IDEAS]
    if ideas:
        sep = "、" if base_lang(lang) == "zh" else " · "
        lines.append(t(lang, "card_ideas", ideas=esc(sep.join(ideas))))
    lines.append(t(lang, "card_why", why=esc(paper.why.get(base_lang(lang)))))
    lines.extend(relation_lines(catalogue, paper, lang))
    lines.extend(video_block(paper, lang))
    lines.append(t(lang, "card_link", url=esc(paper.url)))
    return "\n".join(lines)


def card_reply(
    catalogue: Catalogue, paper: Paper, lang: str, *, head: str = "", edit: bool = False
) -> Reply:
    """A paper's card with its buttons, under an optional heading line."""
    text = card(catalogue, paper, lang)
    return Reply(
        f"{head}\n\n{text}" if head else text,
        lang,
        card_buttons(catalogue, paper, lang),
        paper_id=paper.id,
        edit=edit,
    )


def related(catalogue: Catalogue, paper: Paper) -> tuple[list[Paper], list[Paper]]:
    """(the papers ``paper`` builds on, the papers that follow it), at most
    :data:`MAX_RELATED` each, oldest first."""
    papers = catalogue.papers
    before = sorted((papers[i] for i in paper.builds_on), key=lambda p: (p.year, p.id))
    after = sorted((papers[i] for i in paper.followed_by), key=lambda p: (p.year, p.id))
    return before[:MAX_RELATED], after[:MAX_RELATED]


def short_title(paper: Paper, lang: str) -> str:
    """A short name for a button: the paper's first English alias (its usual short name, such
    as "ResNet", the same in both languages) when it is short, else the title."""
    short = [a for a in paper.aliases_en if len(a) <= 24 and "paper" not in a.lower()]
    return short[0] if short else paper.display_title(base_lang(lang))


def answer_title(paper: Paper, lang: str) -> str:
    """The paper's name in a short answer: in Chinese its usual short name ("ResNet", as
    Chinese readers say it) when it has one, else the Chinese title; in English the title."""
    return short_title(paper, lang) if base_lang(lang) == "zh" else _title(paper, lang)


def relation_lines(catalogue: Catalogue, paper: Paper, lang: str) -> list[str]:
    """ "Builds on" / "Followed by" lines (at most three papers each)."""
    before, after = related(catalogue, paper)
    lines = []
    for key, group in (("card_builds_on", before), ("card_followed_by", after)):
        if group:
            names = "、" if base_lang(lang) == "zh" else " · "
            titles = names.join(f"{esc(short_title(p, lang))} ({p.year})" for p in group)
            lines.append(t(lang, key, papers=titles))
    return lines


def card_buttons(
    catalogue: Catalogue, paper: Paper, lang: str, *, progress: bool = True
) -> tuple[tuple[Button, ...], ...]:
    """Buttons under a card: read/skip, open the link, switch the card's language, and the
    papers it builds on (⬅) and that follow it (➡)."""
    other = "en" if base_lang(lang) == "zh" else "zh"
    rows: list[tuple[Button, ...]] = []
    if progress:
        rows.append(
            (
                Button.action(t(lang, "btn_read"), cb.MarkRead(paper.id)),
                Button.action(t(lang, "btn_skip"), cb.MarkSkipped(paper.id)),
            )
        )
    rows.append(
        (
            Button(t(lang, "btn_open"), url=paper.url),
            Button.action(t(lang, "btn_lang_switch"), cb.ShowCard(paper.id, other)),
        )
    )
    if progress:
        rows.append(
            (
                Button.action(t(lang, "btn_note"), cb.NoteStart(paper.id)),
                Button.action(t(lang, "btn_reading_now"), cb.ReadingNow(paper.id)),
            )
        )
    for arrow, group in zip(("⬅ ", "➡ "), related(catalogue, paper), strict=True):
        if group:
            rows.append(
                tuple(
                    Button.action(
                        label(arrow + short_title(p, lang), 30), cb.ShowCard(p.id, base_lang(lang))
                    )
                    for p in group
                )
            )
    return tuple(rows)


def _title(paper: Paper, lang: str) -> str:
    return paper.display_title(base_lang(lang))


def paper_button(
    paper: Paper,
    lang: str,
    position: int | None = None,
    action: cb.Action | None = None,
    *,
    mark: str = "",
) -> Button:
    """A button that opens ``paper``'s card (``position``: shown as "7. Title"; ``mark``: a
    symbol before the title, e.g. 🎬 for a paper with a video)."""
    text = mark + _title(paper, lang)
    text = f"{position}. {text}" if position else text
    return Button.action(label(text), action or cb.ShowCard(paper.id, base_lang(lang)))


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
            return Reply(text, lang, card_buttons(catalogue, paper, lang), paper_id=paper.id)
        return Reply(
            facet_text(paper, answer.facet, lang),
            lang,
            (
                (
                    Button.action(t(lang, "btn_card"), cb.ShowCard(paper.id, base_lang(lang))),
                    Button(t(lang, "btn_open"), url=paper.url),
                ),
            ),
        )
    if answer.status == "choices":
        rows = tuple((paper_button(s.paper, lang),) for s in answer.choices)
        return Reply(t(lang, "did_you_mean"), lang, rows)
    if answer.status == "papers" and answer.listing is not None:
        return listing_reply(catalogue, answer, lang)
    return none_reply(catalogue, answer, lang)


def facet_text(paper: Paper, facet: str, lang: str) -> str:
    """Answer one facet (authors, year, link, why) of a paper in one or two lines."""
    title = esc(answer_title(paper, lang))
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
            ((Button.action(t(lang, "btn_list"), cb.ListPage(lst.id, 0)),),),
        )
    subject = listing.subject
    if listing.kind == "author" and base_lang(lang) == "zh":
        subject = chinese_name(catalogue, subject)
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
    rows = tuple((paper_button(p, lang, lst.position(p.id)),) for p in answer.papers[:PAGE_SIZE])
    more = elsewhere_buttons(catalogue, answer, lang)
    return Reply("\n".join(lines), lang, rows + ((more,) if more else ()))


def elsewhere_buttons(catalogue: Catalogue, answer: Answer, lang: str) -> tuple[Button, ...]:
    """ "3 more on Li Mu's list" buttons under a topic, author or year answer."""
    if answer.listing is None:
        return ()
    listing = answer.listing
    return tuple(
        Button.action(
            t(lang, "btn_more_on", count=n, name=catalogue.lists[lid].name.get(base_lang(lang))),
            cb.ListingOn(lid, listing.kind, listing.subject),
        )
        for lid, n in answer.elsewhere
    )


def chinese_name(catalogue: Catalogue, author: str) -> str:
    """The author's usual Chinese name with the original after it ("何恺明 (Kaiming He)"), or
    the name as it is when ``knowledge/authors.yaml`` has no Chinese form."""
    cjk = [a for a in catalogue.author_aliases.get(author, ()) if has_cjk(a)]
    return f"{cjk[0]} ({author})" if cjk else author


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
        # Every list was searched (see across_lists): say so, and what was asked for.
        listing = answer.listing
        key = "no_papers_year" if listing.kind == "year" else "no_papers"
        browse = ((Button.action(t(lang, "btn_list"), cb.ListPage(listing.list_id, 0)),),)
        return Reply(t(lang, key, year=esc(listing.subject)), lang, browse)
    query = answer.query.strip()
    if len(query) > 80:
        query = query[:80] + "…"
    lines = [t(lang, "no_match", query=esc(query))]
    rows: list[tuple[Button, ...]] = []
    if answer.suggestions:
        lines.append(t(lang, "no_match_suggest"))
        rows = [(paper_button(s.paper, lang),) for s in answer.suggestions]
    lines.append(t(lang, "no_match_hint"))
    rows.append((Button.action(t(lang, "btn_list"), cb.ListPage("", 0)),))
    return Reply("\n".join(lines), lang, tuple(rows))
