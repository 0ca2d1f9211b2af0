"""Answers to list-level questions: how many papers, the N-th paper, papers from a year, papers
by an author, papers about a topic or in a category.

Each builder returns None when the question is not of its kind, so that the next one can try
(:meth:`bot.core.answers.Answerer.answer` tries them in this module's order). They read
``list_text`` and answer from the asker's list (``list_id``), except that a category answer
lists the category's own list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.core.answers.authors import AuthorIndex
from bot.core.answers.model import Answer, Listing, ListingKind, ParsedQuestion
from bot.core.answers.patterns import (
    AUTHOR_QUESTIONS,
    COUNT_QUESTION,
    LAST_ZH,
    ORDINALS,
    POSITION_LEAD,
    POSITION_LIST_TAIL,
    POSITION_NUMBERED,
    POSITION_WORD,
    POSITION_ZH,
    TOPIC_QUESTIONS,
    VIDEO_LIST_QUESTION,
    YEAR_QUESTIONS,
    first_match,
    zh_number,
)
from bot.core.answers.topics import TopicIndex
from bot.core.catalogue import Catalogue, Paper
from bot.core.matching import Matcher, Scored
from bot.core.text import normalise


def _papers(q: ParsedQuestion, listing: Listing, papers: list[Paper]) -> Answer:
    """A list answer: ``papers`` (status ``papers``), or none when there are none."""
    if not papers:
        return Answer(q.query, q.lang, "none", listing=listing, reason="no_papers")
    return Answer(q.query, q.lang, "papers", papers=tuple(papers), listing=listing)


def count_answer(q: ParsedQuestion, catalogue: Catalogue) -> Answer | None:
    """ "How many papers are on the list": every paper of the list."""
    if not COUNT_QUESTION.search(q.list_text):
        return None
    return Answer(
        q.query,
        q.lang,
        "papers",
        papers=tuple(catalogue.papers_of(q.list_id)),
        listing=Listing("count", q.list_id),
    )


def video_list_answer(q: ParsedQuestion, catalogue: Catalogue, whole: str) -> Answer | None:
    """ "Which papers have videos", "李沐讲过哪些论文": the list's papers with at least one
    of Li Mu's recorded readings (``knowledge/videos.yaml``). ``whole`` is the folded
    question with the list's mention kept ("李沐" names the list and the reader)."""
    if not VIDEO_LIST_QUESTION.search(whole):
        return None
    return across_lists(q, catalogue, "video", "all", lambda p: bool(p.videos))


def asked_position(text: str, length: int) -> int | None:
    """The 1-based position a question asks for ("paper 7", "the third one", "第7篇",
    "the last paper" = ``length``), or None if it asks for none. Not checked against
    ``length``."""
    t = POSITION_LEAD.sub("", text).strip()
    t = POSITION_LIST_TAIL.sub("", t)
    m = first_match(POSITION_NUMBERED, t)
    if m:
        return int(m.group(1))
    n: int | None = None
    last = False
    m = POSITION_WORD.fullmatch(t)
    if m and m.group(1) in ORDINALS:
        n = ORDINALS[m.group(1)]
    elif m and m.group(1) == "last":
        last = True
    # "第7篇" counts when little else is said ("第7篇是什么", not a title that holds it).
    zh = POSITION_ZH.search(t)
    if (
        n is None
        and not last
        and zh
        and len(normalise(t.replace(zh.group(0), "")).replace(" ", "")) <= 8
    ):
        n = zh_number(zh.group(1))
    if LAST_ZH.fullmatch(t):
        last = True
    return length if last else n


def position_answer(q: ParsedQuestion, catalogue: Catalogue) -> Answer | None:
    """ "Paper 7", "第7篇": the paper at that position (score 100), or none if out of range."""
    lst = catalogue.lists[q.list_id]
    n = asked_position(q.list_text, len(lst))
    if n is None:
        return None
    if not 1 <= n <= len(lst):
        return Answer(q.query, q.lang, "none", position=(q.list_id, n), reason="out_of_range")
    paper = catalogue.papers[lst.order[n - 1]]
    return Answer(q.query, q.lang, "answer", paper=Scored(paper, 100.0), position=(q.list_id, n))


def year_answer(q: ParsedQuestion, catalogue: Catalogue) -> Answer | None:
    """ "Papers from 2015": the list's papers of that year."""
    m = first_match(YEAR_QUESTIONS, q.list_text)
    if not m:
        return None
    year = int(m.group(1))
    return across_lists(q, catalogue, "year", str(year), lambda p: p.year == year)


def author_answer(q: ParsedQuestion, catalogue: Catalogue, authors: AuthorIndex) -> Answer | None:
    """ "Papers by Oriol Vinyals": the list's papers by that author (None if no author has
    that name)."""
    m = first_match(AUTHOR_QUESTIONS, q.list_text)
    if not m:
        return None
    author = authors.find(m.group(1))
    if author is None:
        return None
    mine = {p.id for p in authors.papers_by(author, catalogue.listed)}
    return across_lists(q, catalogue, "author", author, lambda p: p.id in mine)


def topic_answer(
    q: ParsedQuestion, catalogue: Catalogue, topics: TopicIndex, matcher: Matcher
) -> Answer | None:
    """ "Papers about attention", "生成模型有哪些论文", or just a topic's name ("对比学习"):
    the list's papers on that topic, or the category's papers.

    A question that is only a topic or category name lists it, unless it is also exactly the
    name of a paper or decoy ("Transformer": the matcher scores it 100).
    """
    text = q.list_text
    m = first_match(TOPIC_QUESTIONS, text)
    if m:
        found = topics.find(m.group(1), q.list_id)
    elif not topics.is_name(text):
        return None
    else:
        top = matcher.score_entities(text)[:1]
        found = None if top and top[0][1] >= 100 else topics.find(text, q.list_id)
    if found is None:
        return None
    if found.kind == "category" and found.list_id is not None:
        lst = catalogue.lists[found.list_id]
        cat = next(c for c in lst.categories if c.id == found.id)
        papers = [catalogue.papers[pid] for pid in cat.paper_ids]
        return _papers(q, Listing("category", found.list_id, found.id), papers)
    return across_lists(q, catalogue, "topic", found.id, lambda p: found.id in p.topics)


def across_lists(
    q: ParsedQuestion,
    catalogue: Catalogue,
    kind: ListingKind,
    subject: str,
    wanted: Callable[[Paper], bool],
) -> Answer:
    """The papers of the asker's list that ``wanted`` keeps, with how many more each other
    list has (``Answer.elsewhere``); when the asker's list has none, the first other list
    that has some."""
    found = {lid: [p for p in catalogue.papers_of(lid) if wanted(p)] for lid in catalogue.lists}
    list_id = q.list_id
    if not found[list_id]:
        list_id = next((lid for lid, papers in found.items() if papers), list_id)
    here = {p.id for p in found[list_id]}
    elsewhere = tuple(
        (lid, more)
        for lid, papers in found.items()
        if lid != list_id and (more := sum(p.id not in here for p in papers))
    )
    answer = _papers(q, Listing(kind, list_id, subject), found[list_id])
    return replace(answer, elsewhere=elsewhere)
