"""The :class:`Matcher` facade: build the index once, then score and decide per query."""

from __future__ import annotations

from bot.core.catalogue import Catalogue
from bot.core.matching.decision import Match, Scored, decide, scored_papers
from bot.core.matching.index import Index
from bot.core.matching.params import (
    ANSWER_CUTOFF,
    BETA,
    CITATION_SCORE,
    MARGIN,
    MIN_EVIDENCE,
    NAME_CONTEXT_WEIGHT,
    SUGGEST_CUTOFF,
    UNKNOWN_EN,
    UNKNOWN_ZH,
    Params,
)
from bot.core.matching.scorers import score_entities


class Matcher:
    """Scores queries against a catalogue. Build once; ``match`` is pure and thread-safe.

    Args:
        catalogue: the loaded catalogue (papers, plus decoys: famous works not on any list).
        answer_cutoff, margin, suggest_cutoff: decision thresholds (0-100).
        beta, name_context, unknown_zh, unknown_en, citation, min_evidence: scorer weights.
        The defaults are the constants of :mod:`bot.core.matching.params`, chosen on the
        labelled set.

    Attributes:
        catalogue: the catalogue it was built from.
        params: the numbers it was built with.
        index: the index the scorers read.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        answer_cutoff: float = ANSWER_CUTOFF,
        margin: float = MARGIN,
        suggest_cutoff: float = SUGGEST_CUTOFF,
        beta: float = BETA,
        name_context: float = NAME_CONTEXT_WEIGHT,
        unknown_zh: float = UNKNOWN_ZH,
        unknown_en: float = UNKNOWN_EN,
        citation: float = CITATION_SCORE,
        min_evidence: float = MIN_EVIDENCE,
    ) -> None:
        self.catalogue = catalogue
        self.params = Params(
            answer_cutoff=answer_cutoff,
            margin=margin,
            suggest_cutoff=suggest_cutoff,
            beta=beta,
            name_context=name_context,
            unknown_zh=unknown_zh,
            unknown_en=unknown_en,
            citation=citation,
            min_evidence=min_evidence,
        )
        self.index = Index(catalogue, name_context=name_context)

    @property
    def answer_cutoff(self) -> float:
        """The score (0-100) the best paper needs to be answered."""
        return self.params.answer_cutoff

    @property
    def margin(self) -> float:
        """The lead (0-100 points) the best paper needs over the runner-up."""
        return self.params.margin

    @property
    def suggest_cutoff(self) -> float:
        """The score (0-100) a near miss needs to be suggested."""
        return self.params.suggest_cutoff

    def score_entities(self, query: str) -> list[tuple[str, float]]:
        """Score every paper and decoy against ``query``; ``(entity id, score)`` best first.

        Decoy ids start with ``decoy:``. Scores are 0-100; only an exact match of the compact
        forms reaches 100, every other score is capped at ``FUZZY_CAP``.
        """
        return score_entities(self.index, self.params, query)

    def score(self, query: str) -> list[Scored]:
        """Score every paper against ``query``.

        Returns:
            Papers with a score > 0 (0-100, float), best first; ties keep catalogue order.
        """
        return scored_papers(self.score_entities(query), self.catalogue.papers)

    def match(self, query: str) -> Match:
        """Match a query (any language, any script) to an answer, choices or none.

        A decoy (a famous work that is on no list) as good as the best paper means none.
        """
        return decide(self.score_entities(query), self.catalogue.papers, self.params)
