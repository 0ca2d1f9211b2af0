"""Match a query to papers: answer with one, offer choices, or abstain.

A query is scored against every *candidate string* (each paper's titles and aliases in both
languages, and the names of decoys: famous works on neither list); a paper's score is its best
string's score. Then the scores are turned into one answer, 2-3 choices or none.

The package, in the order a query goes through it:

* :mod:`~bot.core.matching.params`: the tuned numbers (scores, cutoffs, weights);
* :mod:`~bot.core.matching.analysis`: units, tokens and compact forms of a string;
* :mod:`~bot.core.matching.index`: what is built once from the catalogue (candidate strings,
  exact and length-sorted edit forms, postings and IDF, context, the deletion index for typos);
* :mod:`~bot.core.matching.scorers`: the exact, edit, token and citation scorers, the version
  penalty and the author bonus;
* :mod:`~bot.core.matching.decision`: answer / choices / none, with cutoffs and decoys;
* :mod:`~bot.core.matching.matcher`: :class:`Matcher`, the facade the answerer uses.

The method and its numbers: ``docs/matching.md`` and ``benchmarks/matching.py``.
"""

from bot.core.matching.analysis import STOPWORDS, tokens, units, weighted_tokens
from bot.core.matching.decision import Match, Scored
from bot.core.matching.index import DECOY_PREFIX, is_decoy
from bot.core.matching.matcher import Matcher
from bot.core.matching.params import ANSWER_CUTOFF, MARGIN, SUGGEST_CUTOFF, Params

__all__ = [
    "ANSWER_CUTOFF",
    "DECOY_PREFIX",
    "MARGIN",
    "STOPWORDS",
    "SUGGEST_CUTOFF",
    "Match",
    "Matcher",
    "Params",
    "Scored",
    "is_decoy",
    "tokens",
    "units",
    "weighted_tokens",
]
