"""The matcher's numbers: scores, cutoffs and weights.

``ANSWER_CUTOFF``, ``MARGIN``, ``BETA`` and the weights were chosen by a grid search on the
labelled set in ``tests/data/questions`` (maximise top-1 subject to abstention >= 0.95 and few
wrong answers); :class:`Params` holds the ones a :class:`~bot.core.matching.Matcher` can be
built with, so that the search can try other values. Every score is on a 0-100 scale.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- decision (bot.core.matching.decision) ----------------------------------------------------
ANSWER_CUTOFF = 68.0  # the best paper needs this score to be answered (or offered as a choice)
SUGGEST_CUTOFF = 60.0  # a near miss needs this score to be suggested with a "none"
MARGIN = 4.0  # the best paper must lead the runner-up by this much to be the answer
MAX_CHOICES = 3  # at most this many choices (and suggestions)

# -- scorers (bot.core.matching.scorers) ------------------------------------------------------
FUZZY_CAP = 94.0  # every score but an exact match of the compact forms stays at or under this
MIN_EDIT_LENGTH = 5  # the edit scorer only compares strings of this many characters or more
LENGTH_RATIO = 1.34  # ... whose lengths differ by at most this factor
BETA = 0.6  # the token scorer's F-beta: < 1 leans on precision
UNKNOWN_ZH = 0.3  # share of its weight an unknown Chinese query token keeps in precision
UNKNOWN_EN = 0.5  # share of its weight an unknown Latin query word keeps in precision
DECOY_YEAR_WEIGHT = 0.5  # how much of a query year a decoy (which has no year) explains
MIN_EVIDENCE = 5.0  # IDF mass a string needs to be matched at full score
CITATION_SCORE = 80.0  # an author surname and the paper's year, nothing else unexplained
AUTHOR_BONUS = 6.0  # added for papers by the author of a final "by <name>"
VERSION_MISMATCH = 40.0  # the query names a version, the candidate another one
VERSION_MISSING = 30.0  # the query names a version, the candidate none
VERSION_UNASKED = 12.0  # the candidate has a version, the query names none
# No score below this can change a decision (suggestions need SUGGEST_CUTOFF, and the author
# bonus is the only addition), so lower scores are not kept.
KEEP_FLOOR = SUGGEST_CUTOFF - AUTHOR_BONUS
# A query word whose candidates (postings and context) number more than this may be made
# "lookup-only" in a large catalogue (see bot.core.matching.scorers).
LOOKUP_ONLY_MIN = 256

# -- index (bot.core.matching.index) ----------------------------------------------------------
TOKEN_CUTOFF = 75.0  # fuzz.ratio a query word needs to match a known word as a typo
CONTEXT_WEIGHT = 0.9  # how much a paper's year, author surnames and topics explain a query word
NAME_CONTEXT_WEIGHT = 0.8  # how much the words of an entity's other names explain one
CJK_RUN_WORDS = 2.0  # a Chinese run, however long, weighs like this many words


@dataclass(frozen=True)
class Params:
    """The tunable numbers of one matcher; the defaults are the module constants.

    Attributes:
        answer_cutoff: score (0-100) the best paper needs to be answered.
        margin: points the best paper must lead the runner-up by to be the only answer.
        suggest_cutoff: score (0-100) a near miss needs to be suggested.
        beta: the token scorer's F-beta (< 1 favours precision).
        name_context: weight of an entity's other names as context (0-1).
        unknown_zh: share of weight an unknown Chinese token keeps in precision (0-1).
        unknown_en: share of weight an unknown Latin word keeps in precision (0-1).
        citation: score (0-100) of an author-and-year citation.
        min_evidence: IDF mass a candidate string needs to score in full (0 turns it off).
    """

    answer_cutoff: float = ANSWER_CUTOFF
    margin: float = MARGIN
    suggest_cutoff: float = SUGGEST_CUTOFF
    beta: float = BETA
    name_context: float = NAME_CONTEXT_WEIGHT
    unknown_zh: float = UNKNOWN_ZH
    unknown_en: float = UNKNOWN_EN
    citation: float = CITATION_SCORE
    min_evidence: float = MIN_EVIDENCE
