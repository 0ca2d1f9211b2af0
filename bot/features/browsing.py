"""Browsing: ``/list`` (pages of 10, categories) and ``/lists`` (switch the current list)."""

from __future__ import annotations

from bot.core.answers import Answer, Listing
from bot.core.answers.model import ListingKind
from bot.core.catalogue import Category, ReadingList
from bot.core.reading import progress
from bot.features import callbacks as cb
from bot.features.common import Request, Services, current_list, list_name
from bot.features.render import PAGE_SIZE, card, card_buttons, listing_reply, paper_button
from bot.features.reply import Button, Reply, echo, esc
from bot.i18n import base_lang, t

LIST_ALIASES = {
    "ilya": "sutskever-30",
    "sutskever": "sutskever-30",
    "30": "sutskever-30",
    "limu": "paper-reading",
    "li mu": "paper-reading",
    "mu li": "paper-reading",
    "李沐": "paper-reading",
    "精读": "paper-reading",
    "论文精读": "paper-reading",
}


def find_list(services: Services, arg: str) -> ReadingList | None:
    """The list named by ``arg`` (id, name in either language, or a short alias), or None."""
    key = arg.strip().lower()
    for lst in services.catalogue.lists.values():
        if key in {lst.id, lst.name.en.lower(), lst.name.zh.lower()}:
            return lst
    lid = LIST_ALIASES.get(key)
    return services.catalogue.lists.get(lid) if lid else None


async def lists_reply(services: Services, chat_id: int, lang: str, *, edit: bool = False) -> Reply:
    """Both lists with the chat's progress in each, and a button to switch."""
    current = await current_list(services, chat_id)
    states = await services.store.progress.states(chat_id)
    lines = [t(lang, "lists_header")]
    rows = []
    for lst in services.catalogue.lists.values():
        prog = progress(lst, states)
        mark = "✓" if lst.id == current.id else "·"
        name = list_name(lst, lang)
        lines.append(t(lang, "lists_item", mark=mark, name=name, read=prog.read, total=prog.total))
        label = f"{mark} {lst.name.get(base_lang(lang))}"
        rows.append((Button.action(label, cb.SwitchList(lst.id)),))
    return Reply("\n".join(lines), lang, tuple(rows), edit=edit)


async def show_lists(services: Services, request: Request) -> Reply:
    """Show both lists with progress; a button makes one current."""
    return await lists_reply(services, request.chat_id, request.lang)


async def browse(services: Services, request: Request) -> Reply:
    """Browse the current list, or switch to the list named in the arguments."""
    lang = request.lang
    if not request.args:
        return page_reply(services, await current_list(services, request.chat_id), 0, lang)
    if request.args.strip().isdigit():  # "/list 2": page 2 of the current list
        current = await current_list(services, request.chat_id)
        return page_reply(services, current, int(request.args.strip()[:4]) - 1, lang)
    lst = find_list(services, request.args)
    if lst is None:
        names = ", ".join(list_name(x, lang) for x in services.catalogue.lists.values())
        buttons = tuple(
            (Button.action(x.name.get(base_lang(lang)), cb.SwitchList(x.id)),)
            for x in services.catalogue.lists.values()
        )
        return Reply(t(lang, "list_unknown", arg=echo(request.args), names=names), lang, buttons)
    await services.store.users.set_current_list(request.chat_id, lst.id, request.now)
    switched = t(lang, "list_switched", name=list_name(lst, lang), total=len(lst))
    page = page_reply(services, lst, 0, lang)
    return Reply(switched + "\n\n" + page.text, lang, page.buttons)


def _page_bounds(count: int, page: int) -> tuple[int, int, int]:
    """(page clamped to the pages that exist, number of pages, index of its first item)."""
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(0, page), pages - 1)
    return page, pages, page * PAGE_SIZE


def _nav(lang: str, page: int, pages: int, prev: cb.Action, nxt: cb.Action) -> list[Button]:
    nav = []
    if page > 0:
        nav.append(Button.action(t(lang, "btn_prev_page"), prev))
    if page < pages - 1:
        nav.append(Button.action(t(lang, "btn_next_page"), nxt))
    return nav


def page_reply(
    services: Services, lst: ReadingList, page: int, lang: str, *, edit: bool = False
) -> Reply:
    """One page (10 papers) of a list, with prev/next and a button per paper."""
    page, pages, first = _page_bounds(len(lst), page)
    ids = lst.order[first : first + PAGE_SIZE]
    text = t(
        lang,
        "list_page",
        name=list_name(lst, lang),
        first=first + 1,
        last=first + len(ids),
        total=len(lst),
    )
    papers = services.catalogue.papers
    rows: list[tuple[Button, ...]] = [
        (
            paper_button(
                papers[pid],
                lang,
                first + i + 1,
                cb.OpenFromList(pid, lst.id, page),
                mark="🎬 " if papers[pid].videos else "",
            ),
        )
        for i, pid in enumerate(ids)
    ]
    nav = _nav(lang, page, pages, cb.ListPage(lst.id, page - 1), cb.ListPage(lst.id, page + 1))
    if nav:
        rows.append(tuple(nav))
    if lst.categories:
        rows.append((Button.action(t(lang, "btn_categories"), cb.Categories(lst.id)),))
    return Reply(text, lang, tuple(rows), edit=edit)


def categories_reply(lst: ReadingList, lang: str, *, edit: bool = False) -> Reply:
    """The categories of a list, one button each."""
    rows = (
        *(
            (
                Button.action(
                    f"{c.name.get(base_lang(lang))} ({len(c.paper_ids)})",
                    cb.CategoryPage(lst.id, c.id, 0),
                ),
            )
            for c in lst.categories
        ),
        (Button.action(t(lang, "btn_all_papers"), cb.ListPage(lst.id, 0)),),
    )
    return Reply(t(lang, "list_categories", name=list_name(lst, lang)), lang, rows, edit=edit)


def category_page(
    services: Services, lst: ReadingList, cat: Category, page: int, lang: str
) -> Reply:
    """One page of one category's papers."""
    page, pages, first = _page_bounds(len(cat.paper_ids), page)
    ids = cat.paper_ids[first : first + PAGE_SIZE]
    text = t(
        lang,
        "list_category_page",
        category=esc(cat.name.get(base_lang(lang))),
        total=len(cat.paper_ids),
        first=first + 1,
        last=first + len(ids),
    )
    papers = services.catalogue.papers
    rows: list[tuple[Button, ...]] = [
        (paper_button(papers[pid], lang, lst.position(pid)),) for pid in ids
    ]
    prev = cb.CategoryPage(lst.id, cat.id, page - 1)
    nav = _nav(lang, page, pages, prev, cb.CategoryPage(lst.id, cat.id, page + 1))
    nav.append(Button.action(t(lang, "btn_categories"), cb.Categories(lst.id)))
    rows.append(tuple(nav))
    return Reply(text, lang, tuple(rows), edit=True)


async def on_list_page(services: Services, request: Request, action: cb.ListPage) -> Reply | None:
    """Show a page of a list (an empty list id: the chat's current list)."""
    if action.list_id:
        lst = services.catalogue.lists.get(action.list_id)
    else:
        lst = await current_list(services, request.chat_id)
    return None if lst is None else page_reply(services, lst, action.page, request.lang, edit=True)


async def on_categories(
    services: Services, request: Request, action: cb.Categories
) -> Reply | None:
    """Show a list's categories."""
    lst = services.catalogue.lists.get(action.list_id)
    if lst is None or not lst.categories:
        return None
    return categories_reply(lst, request.lang, edit=True)


async def on_category_page(
    services: Services, request: Request, action: cb.CategoryPage
) -> Reply | None:
    """Show a page of one category."""
    lst = services.catalogue.lists.get(action.list_id)
    cat = next((c for c in lst.categories if c.id == action.category_id), None) if lst else None
    if lst is None or cat is None:
        return None
    return category_page(services, lst, cat, action.page, request.lang)


async def on_open_from_list(
    services: Services, request: Request, action: cb.OpenFromList
) -> Reply | None:
    """Open a card from a list page, with a Back button to that page."""
    paper = services.catalogue.papers.get(action.paper_id)
    if paper is None or action.list_id not in services.catalogue.lists:
        return None
    lang = request.lang
    back = Button.action(t(lang, "btn_back"), cb.ListPage(action.list_id, action.page))
    rows = (*card_buttons(services.catalogue, paper, lang), (back,))
    return Reply(card(services.catalogue, paper, lang), lang, rows, edit=True, paper_id=paper.id)


async def on_switch_list(
    services: Services, request: Request, action: cb.SwitchList
) -> Reply | None:
    """Make a list current and show both lists again."""
    lst = services.catalogue.lists.get(action.list_id)
    if lst is None:
        return None
    await services.store.users.set_current_list(request.chat_id, lst.id, request.now)
    reply = await lists_reply(services, request.chat_id, request.lang, edit=True)
    head = t(request.lang, "list_switched", name=list_name(lst, request.lang), total=len(lst))
    return Reply(head + "\n\n" + reply.text, request.lang, reply.buttons, edit=True)


async def on_listing_on(
    services: Services, request: Request, action: cb.ListingOn
) -> Reply | None:
    """ "➕ 9 more on Li Mu's list": an author's, topic's, year's or category's papers on that
    list."""
    catalogue = services.catalogue
    lst = catalogue.lists.get(action.list_id)
    if lst is None:
        return None
    papers = catalogue.papers_of(lst.id)
    subject = action.subject
    if action.kind == "author":
        chosen = services.answerer.authors.papers_by(subject, papers)
    elif action.kind == "topic":
        chosen = [p for p in papers if subject in p.topics]
    elif action.kind == "video":
        chosen = [p for p in papers if p.videos]
    elif action.kind == "year" and subject.isdigit():
        chosen = [p for p in papers if p.year == int(subject)]
    else:
        cat = next((c for c in lst.categories if c.id == subject), None)
        chosen = [catalogue.papers[pid] for pid in cat.paper_ids] if cat else []
    here = await current_list(services, request.chat_id)
    if here.id != lst.id:  # "9 more": the ones the asker's own list did not show
        chosen = [p for p in chosen if p.id not in here.order]
    if not chosen:
        return None
    kind: ListingKind = action.kind  # type: ignore[assignment]  # checked by the codec
    answer = Answer(
        "", request.base, "papers", papers=tuple(chosen), listing=Listing(kind, lst.id, subject)
    )
    return listing_reply(catalogue, answer, request.lang)
