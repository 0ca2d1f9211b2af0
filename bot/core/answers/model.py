"""What the answerer returns (:class:`Answer`, :class:`Listing`) and what its builders read
(:class:`ParsedQuestion`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.catalogue import Paper
from bot.core.matching import Scored

Facet = Literal["what", "authors", "year", "link", "why", "video"]
Status = Literal["answer", "choices", "none", "papers", "info"]
#: What kind of question it was (``paperbot ask --json`` reports it as ``kind``).
Kind = Literal[
    "paper",
    "field",
    "describe",
    "related",
    "compare",
    "video",
    "list_info",
    "list",
    "topic",
    "author",
    "year",
    "start",
    "smalltalk",
    "command",
    "action",
    "none",
]
ListingKind = Literal["count", "author", "topic", "year", "category", "video"]


@dataclass(frozen=True)
class Listing:
    """What a list answer lists: its kind, the list it is drawn from and the subject.

    ``subject`` is the author's name, the topic or category id, or the year as text;
    empty for ``count``.
    """

    kind: ListingKind
    list_id: str
    subject: str = ""


@dataclass(frozen=True)
class Answer:
    """The answer to one question.

    Attributes:
        query: the question as asked.
        lang: the question's language, ``"zh"`` if it contains Chinese, else ``"en"``.
        status: ``answer`` (one paper), ``choices``, ``none``, ``papers`` (a list answer, a
            search, relations or a comparison, in rank order) or ``info`` (a reply that is
            not about papers: smalltalk, a command in words, the lists themselves).
        facet: for ``answer``/``choices``: which part of the paper was asked for.
        paper: the paper (status ``answer``), with its 0-100 score.
        choices: close candidates (status ``choices``), best first.
        suggestions: near misses shown with a ``none`` (maybe empty).
        papers: the papers of a list answer, in list order.
        listing: what a list answer lists.
        position: ``(list_id, n)`` when the question asked for the n-th paper.
        reason: for ``none``: ``"empty"``, ``"no_match"``, ``"out_of_range"``,
            ``"no_papers"`` (a list question with an empty result).
        kind: what kind of question it was (:data:`Kind`).
        command: for ``command``: the command the words ask for (``next``, ``progress``...);
            for ``smalltalk``: ``hello``, ``thanks``, ``bye`` or ``ok``.
        action: for ``action``: ``read``, ``skip`` or ``share`` (``paper`` is its paper).
        direction: for ``related``: ``before``, ``after`` or ``both``.
        before: for ``related``: the papers ``paper`` builds on, oldest first.
        after: for ``related``: the papers that build on ``paper``, oldest first.
        elsewhere: for a topic answer: ``(list_id, count)`` of the same topic on other lists.
        list_id: for ``list_info`` and ``start``: the list the question is about.
    """

    query: str
    lang: str
    status: Status
    facet: Facet = "what"
    paper: Scored | None = None
    choices: tuple[Scored, ...] = ()
    suggestions: tuple[Scored, ...] = ()
    papers: tuple[Paper, ...] = ()
    listing: Listing | None = None
    position: tuple[str, int] | None = None
    reason: str | None = None
    kind: Kind = "paper"
    command: str | None = None
    action: str | None = None
    direction: str | None = None
    before: tuple[Paper, ...] = ()
    after: tuple[Paper, ...] = ()
    elsewhere: tuple[tuple[str, int], ...] = ()
    list_id: str | None = None


@dataclass(frozen=True)
class ParsedQuestion:
    """A question on its way through the answerer.

    Attributes:
        query: the question as asked.
        lang: ``"zh"`` or ``"en"``.
        text: folded, without end punctuation or a mention of a list (for paper questions).
        list_text: ``text`` with list phrasings rewritten (for list-level questions).
        list_id: the list that list-level questions are about.
    """

    query: str
    lang: str
    text: str
    list_text: str
    list_id: str
