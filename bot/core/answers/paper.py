"""Answers about one paper: which paper the question names, and which *facet* it asks for.

Facets: ``authors``, ``year``, ``link``, ``why`` or ``what`` (the card, the default). The facet
words are cut out (:data:`~bot.core.answers.patterns.FACETS`) and the rest, the subject, goes to
the :class:`~bot.core.matching.Matcher`. When the words of a ``why`` question belong to the
title itself ("Why Momentum Really Works", "为什么超大的模型泛化性不错") and the whole question
names the paper at least as well, the facet is ``what``.
"""

from __future__ import annotations

import re

from bot.core.answers.model import Answer, Facet, ParsedQuestion
from bot.core.answers.patterns import FACETS, WHY_TAIL
from bot.core.matching import Matcher

_NOT_LETTERS = re.compile(r"[\W\d_]+")


def facet_of(text: str) -> tuple[Facet, str]:
    """Split a question into its facet and its subject (``"what"`` and all of ``text`` when
    no facet pattern leaves a subject)."""
    for facet, pattern in FACETS:
        stripped, n = pattern.subn(" ", text)
        if n and stripped.strip():
            subject = stripped.strip()
            if facet == "why":
                subject = WHY_TAIL.sub("", subject)
            return facet, subject
    return "what", text


def paper_answer(q: ParsedQuestion, matcher: Matcher) -> Answer:
    """Answer a question about one paper: ``answer``, ``choices`` or ``none`` (with
    suggestions, reason ``no_match``)."""
    facet, subject = facet_of(q.text)
    match = matcher.match(subject)
    if facet == "why" and match.status == "answer":
        # "Why Momentum Really Works" / "为什么超大的模型泛化性不错": the why-words may be
        # the title's own; if the whole question names the paper at least as well, it is
        # a question about the paper, not about why to read it.
        whole = matcher.match(q.text)
        if (
            whole.status == "answer"
            and whole.best is not None
            and match.best is not None
            and whole.best.paper.id == match.best.paper.id
            and whole.best.score >= match.best.score
        ):
            facet, match = "what", whole
    if match.status == "answer":
        return Answer(q.query, q.lang, "answer", facet, paper=match.best)
    if match.status == "choices":
        return Answer(q.query, q.lang, "choices", facet, choices=match.choices)
    # "-1", "7?": fewer than two letters, nothing a suggestion could be near to.
    near = match.suggestions if len(_NOT_LETTERS.sub("", q.text)) >= 2 else ()
    return Answer(q.query, q.lang, "none", facet, suggestions=near, reason="no_match")
