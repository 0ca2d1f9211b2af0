"""Decide from the scores: answer with one paper, offer choices, or abstain.

* a decoy (a famous work on no list) scoring >= ``answer_cutoff`` and within ``margin`` of the
  best paper -> **none**;
* best score < ``answer_cutoff`` -> **none**, with up to ``MAX_CHOICES`` suggestions scoring
  >= ``suggest_cutoff`` (and more than any decoy);
* best leads the runner-up by >= ``margin`` -> **answer**;
* otherwise -> **choices**: the papers within ``margin`` of the best, at most ``MAX_CHOICES``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.core.catalogue import Paper
from bot.core.matching.index import is_decoy
from bot.core.matching.params import MAX_CHOICES, Params


@dataclass(frozen=True)
class Scored:
    """A paper with its match score (0-100)."""

    paper: Paper
    score: float


@dataclass(frozen=True)
class Match:
    """The outcome of matching one query.

    Attributes:
        status: ``"answer"`` (one paper), ``"choices"`` (2-3 close papers) or ``"none"``.
        best: the answer (status answer), else ``None``.
        choices: the close papers, best first (status choices), else empty.
        suggestions: for status none, up to 3 papers that came genuinely close (may be empty).
        ranked: every paper that scored above zero, best first (for diagnostics/benchmarks).
    """

    status: Literal["answer", "choices", "none"]
    best: Scored | None = None
    choices: tuple[Scored, ...] = ()
    suggestions: tuple[Scored, ...] = ()
    ranked: tuple[Scored, ...] = field(default=(), repr=False)


def scored_papers(
    entities: Sequence[tuple[str, float]], papers: Mapping[str, Paper]
) -> list[Scored]:
    """The papers among scored entities (decoys left out), in the same order."""
    return [Scored(papers[e], s) for e, s in entities if not is_decoy(e)]


def decide(
    entities: Sequence[tuple[str, float]], papers: Mapping[str, Paper], params: Params
) -> Match:
    """Turn ranked entity scores into an answer, choices or none.

    Args:
        entities: ``(entity, score 0-100)`` best first, papers and decoys
            (:func:`bot.core.matching.scorers.score_entities`).
        papers: the catalogue's papers by id.
        params: the cutoffs (``answer_cutoff``, ``margin``, ``suggest_cutoff``).

    Returns:
        The :class:`Match`; ``ranked`` holds every scored paper.
    """
    ranked = scored_papers(entities, papers)
    decoy = next((s for e, s in entities if is_decoy(e)), 0.0)
    top_score = ranked[0].score if ranked else 0.0
    if decoy >= params.answer_cutoff and decoy > top_score - params.margin:
        return Match("none", ranked=tuple(ranked))
    if not ranked or top_score < params.answer_cutoff:
        # A near miss is only worth suggesting if no off-list work is as close.
        floor = max(params.suggest_cutoff, decoy + 0.1)
        suggestions = tuple(s for s in ranked[:MAX_CHOICES] if s.score >= floor)
        return Match("none", suggestions=suggestions, ranked=tuple(ranked))
    top = ranked[0]
    close = [s for s in ranked[1:] if top.score - s.score < params.margin]
    if not close:
        return Match("answer", best=top, ranked=tuple(ranked))
    choices = (top, *close[: MAX_CHOICES - 1])
    return Match("choices", choices=choices, ranked=tuple(ranked))
