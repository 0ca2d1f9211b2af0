"""Answers to the kinds of question that are not a paper's name: conversation, commands in
words, the lists themselves, actions, comparisons, relations, videos and follow-ups.

Every builder matches the spans an intent pattern captured with the
:class:`~bot.core.matching.Matcher` and acts only on a confident match. A builder returns None
when its kind does not apply after all, so the question goes on to the other builders.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.answers.intents import Intent
from bot.core.answers.model import Answer, Facet, ParsedQuestion
from bot.core.catalogue import Catalogue, Paper
from bot.core.matching import Matcher, Scored

#: A span that points back at the last paper shown ("what builds on it", "它之后读什么").
_PRONOUN = re.compile(
    r"|it|this|that|this one|that one|(?:this|that|the) paper|它|这篇|那篇|这篇论文"
)
_BARE_VERSION = re.compile(r"^v?\s*(\d+)$")
_FILLER = re.compile(
    r"^(?:the|a|an)\s+|\s+(?:paper|one|post|article|那篇|这篇|论文)$|^(?:那篇|这篇)\s*"
)
_FACETS: dict[str, Facet] = {
    "authors": "authors",
    "year": "year",
    "link": "link",
    "why": "why",
    "video": "video",
    "what": "what",
}


def confident(matcher: Matcher, span: str) -> Scored | None:
    """The paper ``span`` names, when the matcher is confident; else None."""
    span = _FILLER.sub("", span.strip(" ,，。?？")).strip()
    if not span:
        return None
    match = matcher.match(span)
    return match.best if match.status == "answer" else None


def info(q: ParsedQuestion, kind: str, **fields: object) -> Answer:
    """An answer that is not about papers (status ``info``)."""
    return Answer(q.query, q.lang, "info", kind=kind, **fields)  # type: ignore[arg-type]


def by_year(papers: list[Paper]) -> tuple[Paper, ...]:
    """Papers in reading order: oldest first."""
    return tuple(sorted(papers, key=lambda p: (p.year, p.id)))


def related_answer(
    q: ParsedQuestion, catalogue: Catalogue, subject: Scored, direction: str
) -> Answer:
    """What to read before / after a paper: ``builds_on`` and its reverse."""
    paper = subject.paper
    before = by_year([catalogue.papers[i] for i in paper.builds_on])
    after = by_year([catalogue.papers[i] for i in paper.followed_by])
    if direction == "before":
        shown = before
    elif direction == "after":
        shown = after
    else:
        shown = before + after
    return Answer(
        q.query,
        q.lang,
        "papers",
        paper=subject,
        papers=shown,
        kind="related",
        direction=direction,
        before=before,
        after=after,
    )


def compare_answer(q: ParsedQuestion, matcher: Matcher, spans: tuple[str, ...]) -> Answer | None:
    """Two papers side by side; when only one side names a paper, a plain "none" that says
    which one is known (never a card of the wrong one)."""
    a_span, b_span = spans
    if m := _BARE_VERSION.match(b_span.strip()):  # "alphafold 1 vs 2"
        b_span = re.sub(r"\s*v?\s*\d+$", "", a_span).strip() + " " + m.group(1)
    a, b = confident(matcher, a_span), confident(matcher, b_span)
    if a is not None and b is not None and a.paper.id != b.paper.id:
        return Answer(q.query, q.lang, "papers", papers=(a.paper, b.paper), kind="compare")
    if a is None and b is None:
        return None
    known = a or b
    return Answer(q.query, q.lang, "none", paper=known, kind="compare", reason="compare_unknown")


def action_answer(q: ParsedQuestion, matcher: Matcher, intent: Intent) -> Answer | None:
    """ "mark X as read", "我读完了 X", "skip X", "share X": the paper, for a confirmation."""
    span = intent.spans[0]
    best = confident(matcher, span)
    if best is not None:
        return Answer(q.query, q.lang, "answer", paper=best, kind="action", action=intent.detail)
    match = matcher.match(span)
    if match.status == "choices":
        return Answer(
            q.query, q.lang, "choices", choices=match.choices, kind="action", action=intent.detail
        )
    if intent.detail == "skip" and q.lang == "en":
        return None  # "skip connections" is a description, not an action
    return Answer(
        q.query, q.lang, "none", suggestions=match.suggestions, kind="action", reason="no_match"
    )


def paper_intent_answer(
    q: ParsedQuestion,
    catalogue: Catalogue,
    matcher: Matcher,
    intent: Intent,
    last_paper: str | None,
    is_topic: Callable[[str], bool] = lambda _: False,
) -> Answer | None:
    """Answers to intents about papers: action, compare, related, video, follow-up.

    ``is_topic`` tells whether a span names a topic: "GAN 相关的论文" lists the GAN topic, not
    what relates to the GAN paper."""
    if intent.kind == "action":
        return action_answer(q, matcher, intent)
    if intent.kind == "compare":
        return compare_answer(q, matcher, intent.spans)
    if intent.kind == "field":  # from a cue: "tl;dr of detr"
        best = confident(matcher, intent.spans[0])
        facet = _FACETS[intent.detail or "what"]
        return None if best is None else Answer(q.query, q.lang, "answer", facet, paper=best)
    if intent.kind == "follow_up":
        if last_paper is None or last_paper not in catalogue.papers:
            return None
        scored = Scored(catalogue.papers[last_paper], 100)
        facet = _FACETS[intent.detail or "what"]
        if facet == "video":
            return Answer(q.query, q.lang, "answer", facet, paper=scored, kind="video")
        return Answer(q.query, q.lang, "answer", facet, paper=scored, kind="field")
    if intent.kind == "related" and intent.detail == "both" and is_topic(intent.spans[0]):
        return None
    best = confident(matcher, intent.spans[0])
    if best is None and _PRONOUN.fullmatch(intent.spans[0].strip()):
        if last_paper is None or last_paper not in catalogue.papers:  # nothing shown yet
            return Answer(q.query, q.lang, "none", reason="no_last_paper")
        best = Scored(catalogue.papers[last_paper], 100)  # the last paper shown
    if best is None:
        return None
    if intent.kind == "related":
        return related_answer(q, catalogue, best, intent.detail or "both")
    return Answer(q.query, q.lang, "answer", "video", paper=best, kind="video")


def conversation_answer(q: ParsedQuestion, intent: Intent) -> Answer | None:
    """Smalltalk, commands in words, "where should I start" and questions about the lists."""
    if intent.kind == "smalltalk":
        return info(q, "smalltalk", command=intent.detail)
    if intent.kind == "command":
        return info(q, "command", command=intent.detail)
    if intent.kind == "start":
        return info(q, "start", list_id=q.list_id)
    if intent.kind == "list_info":
        return info(q, "list_info", list_id=q.list_id)
    return None
