"""Score a query against every candidate string; an entity's score is its best string's.

The query is normalised (:mod:`bot.core.text`), loses a negated clause ("ResNet, not v2") and
its filler words (:mod:`bot.core.matching.analysis`), and is scored by:

* **exact**: the compact forms (no spaces) are equal -> 100. ``R-CNN`` = ``rcnn``.
* **edit**: ``rapidfuzz.fuzz.ratio`` on the compact forms. Normalised Indel similarity, so it
  forgives typos but punishes length differences; only strings of the same script, both of
  ``MIN_EDIT_LENGTH``+ characters and within ``LENGTH_RATIO`` in length are compared (a
  length-sorted index keeps this cheap).
* **tokens**: an IDF-weighted F-beta score (``BETA`` < 1 leans on precision) of token overlap.
  Recall is the share of the candidate string's words that the query mentions; precision is
  the share of the query's words that the *entity* explains: by the candidate string itself,
  or as *context* (its year and author surnames and topic names at ``CONTEXT_WEIGHT``, words
  of its other names at ``NAME_CONTEXT_WEIGHT``). Latin words match fuzzily
  (:meth:`Index.fuzzy <bot.core.matching.index.Index.fuzzy>`: ``rapidfuzz`` ratio >=
  ``TOKEN_CUTOFF`` for words of 4+ letters that are not known words themselves; exact for
  shorter words and numbers); Chinese is split into character bigrams. A query word that
  matches nothing known weighs less in precision (``UNKNOWN_ZH`` / ``UNKNOWN_EN`` of its
  weight; a fuzzy match counts in proportion): it cannot point to another paper. English
  filler words still count for recall when a name contains them ("Kolmogorov complexity
  book") but never against precision. A decoy has no year, so a year in the query is half
  explained for it (``DECOY_YEAR_WEIGHT``). A string matched with less than ``MIN_EVIDENCE``
  IDF mass is scaled down in proportion: one generic word ("模型", "network") is too little
  evidence for any paper.
* **citation**: an author surname plus the paper's year, with every other query word
  explained by the paper ("Grünwald 2004"), scores ``CITATION_SCORE``.

Only an exact match reaches 100; every other score is capped at ``FUZZY_CAP``. A query ending
in "by <name>" gets ``AUTHOR_BONUS`` for papers by that author, but only if <name> is some
author's name ("... by jointly learning to align" stays part of a title).

Version numbers decide between twins: when the query names a version and the candidate has
another (or none), the candidate loses ``VERSION_MISMATCH`` / ``VERSION_MISSING`` points; a
versioned candidate loses ``VERSION_UNASKED`` when the query names no version.

Scale. Scores under ``KEEP_FLOOR`` (54) cannot change a decision and are dropped early. In a
large catalogue, common query words (thousands of strings) only add to candidates that rarer
words found, when a bound shows that strings matched by them alone stay under ``KEEP_FLOOR``
(:meth:`TokenScorer.lookup_only`); typos are found through a deletion index instead of a scan
of the vocabulary. With the 113 real papers nothing changes; with 10,000 papers p99 falls from
about 70 ms to about 15 ms (``benchmarks/matching.py``).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.catalogue import Paper
from bot.core.matching.analysis import FILLER_EN, YEAR, compact, units, weighted_tokens
from bot.core.matching.index import Index, is_decoy
from bot.core.matching.params import (
    AUTHOR_BONUS,
    CONTEXT_WEIGHT,
    DECOY_YEAR_WEIGHT,
    FUZZY_CAP,
    KEEP_FLOOR,
    LENGTH_RATIO,
    LOOKUP_ONLY_MIN,
    MIN_EDIT_LENGTH,
    VERSION_MISMATCH,
    VERSION_MISSING,
    VERSION_UNASKED,
    Params,
)
from bot.core.text import has_cjk, normalise, versions

_NEGATION = re.compile(
    r"(?:^|\s)(?:not|rather than|instead of|而不是|不是|并非|不要)\s?[^,，;；]*"
)
_AUTHOR_HINT = re.compile(r"\b(?:by|from)\s+([a-z][a-z .'\-]{1,40})$")


@dataclass(frozen=True)
class Query:
    """A query prepared for scoring.

    Attributes:
        normal: the normalised query, without a negated clause or a final "by <author>".
        author: the <author> of a final "by <author>" when it is an author's name, else None.
        units: its content units, filler removed (:func:`~bot.core.matching.analysis.units`).
        shares: token -> how much of a word it is (tokens that count for precision).
        soft: filler words it dropped, which still count for recall (not in ``shares``).
        compact: its units run together.
        versions: the version numbers it names.
    """

    normal: str
    author: str | None
    units: tuple[str, ...]
    shares: dict[str, float]
    soft: tuple[str, ...]
    compact: str
    versions: frozenset[int]


def prepare(text: str, index: Index) -> Query | None:
    """Normalise and analyse a raw query; ``None`` if nothing is left to match."""
    normal = normalise(text)
    normal = _NEGATION.sub("", normal).strip() or normal
    author: str | None = None
    m = _AUTHOR_HINT.search(normal)
    if m and index.is_author(m.group(1)):
        author = m.group(1).strip()
        normal = normal[: m.start()].strip()
    qunits = units(normal, query=True)
    if not qunits:
        return None
    shares = weighted_tokens(qunits)
    # Filler words the query dropped still match a name that contains them ("Transformer
    # paper", "Kolmogorov complexity book"): they add recall but weigh nothing in precision.
    soft = [w for w in dict.fromkeys(units(normal)) if w in FILLER_EN and w not in shares]
    return Query(
        normal,
        author,
        tuple(qunits),
        shares,
        tuple(soft),
        compact(qunits),
        versions(" ".join(qunits)),
    )


def score_entities(index: Index, params: Params, text: str) -> list[tuple[str, float]]:
    """Score every paper and decoy against a raw query.

    Returns:
        ``(entity, score)`` pairs with a score > 0 (0-100, one decimal), best first; ties keep
        catalogue order. Decoy entities start with ``decoy:``.
    """
    query = prepare(text, index)
    if query is None:
        return []
    best = edit_scores(index, query)
    token_scorer = TokenScorer(index, params, query)
    token_scorer.score(best)
    per_entity = entity_scores(index, best, query.versions)
    token_scorer.add_citations(per_entity)
    if query.author:
        add_author_bonus(index, per_entity, query.author)
    order = index.order
    ranked = sorted(
        per_entity.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0])
    )
    return [(e, round(s, 1)) for e, s in ranked if s > 0]


def edit_scores(index: Index, query: Query) -> dict[int, float]:
    """The exact and edit scorers: ``{candidate position: score}`` for scores >= KEEP_FLOOR.

    The query's compact form (and, when it names a version, the form with bare version digits)
    is compared, in one C call, with the compact forms of the same script and similar length.
    """
    best: dict[int, float] = {}
    q_cjk = has_cjk(query.compact)
    qforms = [query.compact]
    if query.versions:
        qforms.append(compact(query.units, bare=True))
    for qform in qforms:
        for idx in index.exact.get(qform, ()):
            best[idx] = 100.0
        a = len(qform)
        if a < MIN_EDIT_LENGTH:
            continue
        lens, strs, owners = index.by_length[q_cjk]
        lo = bisect.bisect_left(lens, max(MIN_EDIT_LENGTH, math.ceil(a / LENGTH_RATIO)))
        hi = bisect.bisect_right(lens, math.floor(a * LENGTH_RATIO))
        for _, s, j in process.extract(
            qform, strs[lo:hi], scorer=fuzz.ratio, score_cutoff=KEEP_FLOOR, limit=None
        ):
            if s < 100:
                idx = owners[lo + j]
                best[idx] = max(best.get(idx, 0.0), min(s, FUZZY_CAP))
    return best


def _f_bound(p: float, b2: float) -> float:
    """The F-score of a string that explains share ``p`` of the query, at recall 1."""
    return (1 + b2) * p / (b2 * p + 1)


class TokenScorer:
    """The token scorer for one query: IDF-weighted F-beta of token overlap.

    Args:
        index: the catalogue's index.
        params: the matcher's numbers (``beta``, ``unknown_*``, ``min_evidence``, ...).
        query: the prepared query.

    Attributes:
        words: the query's tokens, then its soft filler words.
        near: word -> the known words it matches, with their similarity (0-1).
        weights: token -> its weight in precision (IDF x share x how known it is).
        total: the sum of ``weights``.
        years: year token -> how much of it a decoy explains.
        context: entity -> {query token: how much the entity's context explains it (0-1)},
            filled by :meth:`score`.
    """

    def __init__(self, index: Index, params: Params, query: Query) -> None:
        self.index, self.params, self.query = index, params, query
        self.words = [*query.shares, *query.soft]
        self.near = {qt: index.fuzzy(qt) for qt in self.words}
        # A word known to no paper or decoy cannot tell papers apart; it still counts against
        # precision, but less (Chinese bigrams of a description, typos of filler). A word only
        # fuzzily known is that much unknown.
        self.weights: dict[str, float] = {}
        for qt, share in query.shares.items():
            known = max((sim for _, sim in self.near[qt]), default=0.0)
            unknown = params.unknown_zh if has_cjk(qt) else params.unknown_en
            self.weights[qt] = (
                index.idf.get(qt, index.max_idf) * share * (known + (1 - known) * unknown)
            )
        self.total = sum(self.weights.values())
        self.b2 = params.beta * params.beta
        # A decoy has no known year: a year in the query neither fits nor contradicts it.
        self.years = {qt: DECOY_YEAR_WEIGHT for qt in query.shares if YEAR.fullmatch(qt)}
        self.context: dict[str, dict[str, float]] = {}

    def lookup_only(self) -> tuple[set[str], float]:
        """Choose the query words that only add to candidates other words found.

        In a large catalogue a common word ("learning", "网络") sits in thousands of strings.
        A string matched by such words alone explains at most their share ``p`` of the query's
        weight (each word's weight times its best fuzzy similarity, plus the year credit every
        decoy gets), so its F-score is at most ``(1 + b2) p / (b2 p + 1)`` (recall 1). Words
        are made lookup-only, the costliest first, while that bound stays under
        ``KEEP_FLOOR``. So no string that could score ``KEEP_FLOOR`` or more is lost, and no
        word is lookup-only unless it touches more than ``LOOKUP_ONLY_MIN`` strings (never in
        the real catalogue). Words without precision weight (filler kept for recall) cost
        nothing to the bound. This is max-score pruning (Turtle and Flood, 1995) applied to
        the F-score.

        Returns:
            The lookup-only words, and the share of the query weight they can explain.
        """
        postings, context = self.index.postings, self.index.context
        cost = {
            qt: sum(len(postings.get(t, ())) + len(context.get(t, ())) for t, _ in self.near[qt])
            for qt in self.words
        }
        out: set[str] = set()
        share = sum(self.weights[qt] * w for qt, w in self.years.items())
        for qt in sorted(self.words, key=lambda q: -cost[q]):
            if cost[qt] <= LOOKUP_ONLY_MIN:
                break
            # A word explains at most its weight times its best similarity (a typo of a
            # common word explains little).
            most = self.weights.get(qt, 0.0) * max((sim for _, sim in self.near[qt]), default=0.0)
            p = (share + most) / self.total if self.total else 1.0
            if _f_bound(p, self.b2) < KEEP_FLOOR / 100.0:
                out.add(qt)
                share += most
        return out, share

    def candidates(self) -> set[int]:
        """Find the candidate strings worth scoring, and fill :attr:`context`.

        Candidates: every string that holds a generating word, and every string of an entity
        whose context explains one. Lookup-only words add to these, never more.
        """
        index, context = self.index, self.context
        lookup, share = self.lookup_only()
        found: set[int] = set()
        for qt in self.words:
            if qt in lookup:
                continue
            for tok, sim in self.near[qt]:
                found.update(index.postings.get(tok, ()))
                if qt in self.weights:
                    for pid, weight in index.context[tok].items():
                        if sim * weight > context.setdefault(pid, {}).get(qt, 0.0):
                            context[pid][qt] = sim * weight
        if not lookup:
            return found
        # An entity's other names, matched by lookup-only words alone, can still score if its
        # context explains the rest of the query: bound it as in lookup_only.
        weak = {tok for qt in lookup for tok, _ in self.near[qt]}
        for pid, ctx in context.items():
            if index.entity_tokens[pid].isdisjoint(weak):
                continue
            p = (share + sum(self.weights[qt] * v for qt, v in ctx.items())) / self.total
            if _f_bound(p, self.b2) >= KEEP_FLOOR / 100.0:
                found.update(index.of_entity[pid])
        found_entities = {index.candidates[idx].entity for idx in found}
        for qt in lookup & self.weights.keys():
            for pid in found_entities:
                for tok, sim in self.near[qt]:
                    weight = index.context[tok].get(pid, 0.0)
                    if sim * weight > context.setdefault(pid, {}).get(qt, 0.0):
                        context[pid][qt] = sim * weight
        return found

    def score(self, best: dict[int, float]) -> None:
        """Add the token F-scores >= KEEP_FLOOR to ``best`` ({candidate position: score})."""
        index, words, near, weights = self.index, self.words, self.near, self.weights
        idf, b2, total, years = index.idf, self.b2, self.total, self.years
        min_evidence = self.params.min_evidence
        floor = KEEP_FLOOR / 100.0
        found = self.candidates()
        nearby = {tok for qt in words for tok, _ in near[qt]}
        for idx in found:
            cand = index.candidates[idx]
            if cand.tokset.isdisjoint(nearby):
                continue  # an entity's other name, found through its context only
            matched: dict[str, float] = {}
            r_num = 0.0
            for qt in words:
                gain = 0.0
                for tok, sim in near[qt]:
                    if tok in cand.tokset and idf[tok] * sim > gain:
                        gain, matched[qt] = idf[tok] * sim, sim
                r_num += gain
            if not r_num:
                continue
            recall = min(1.0, r_num / index.weights[idx])
            # Even a perfect precision could not lift this string to a useful score.
            evidence = min(1.0, r_num / min_evidence) if min_evidence else 1.0
            if (1 + b2) * recall / (b2 + recall) * evidence < floor:
                continue
            ctx = self.context.get(cand.entity, {})
            if years and is_decoy(cand.entity):
                ctx = {**years, **ctx}
            explained = sum(
                w * max(matched.get(qt, 0.0), ctx.get(qt, 0.0)) for qt, w in weights.items()
            )
            precision = min(1.0, explained / total) if total else 0.0
            denom = b2 * precision + recall
            f = (1 + b2) * precision * recall / denom if denom else 0.0
            # One generic word ("模型", "network") is too little evidence for any paper.
            f *= evidence
            if f >= floor:
                best[idx] = max(best.get(idx, 0.0), min(100.0 * f, FUZZY_CAP))

    def add_citations(self, per_entity: dict[str, float]) -> None:
        """Citation scorer: an author's surname and the year ("Grünwald 2004", "the 1993
        Hinton MDL paper"), every other word explained by the paper, identify it. Raises
        the paper's entry in ``per_entity`` to the citation score. Call after :meth:`score`."""
        if not self.years:
            return
        for pid, ctx in self.context.items():
            cite = self.index.citations.get(pid)
            if (
                cite is not None
                and cite[1] in self.years
                and any(
                    ctx.get(qt, 0.0) >= CONTEXT_WEIGHT * 0.8 and qt in cite[0]
                    for qt in self.query.shares
                )
                and all(ctx.get(qt, 0.0) > 0 for qt, w in self.weights.items() if w > 0)
            ):
                per_entity[pid] = max(per_entity.get(pid, 0.0), self.params.citation)


def version_penalty(q: frozenset[int], c: frozenset[int]) -> float:
    """Points a candidate with versions ``c`` loses against a query naming versions ``q``."""
    if q and c:
        return 0.0 if q & c else VERSION_MISMATCH
    if q and not c:
        return 0.0 if q == {1} else VERSION_MISSING
    if c and not q:
        return 0.0 if c == {1} else VERSION_UNASKED
    return 0.0


def entity_scores(
    index: Index, best: dict[int, float], qversions: frozenset[int]
) -> dict[str, float]:
    """Each entity's best candidate score, after the version penalty: ``{entity: score}``."""
    per_entity: dict[str, float] = {}
    for idx, s in best.items():
        cand = index.candidates[idx]
        s -= version_penalty(qversions, cand.versions)
        if s > per_entity.get(cand.entity, 0.0):
            per_entity[cand.entity] = s
    return per_entity


def add_author_bonus(index: Index, per_entity: dict[str, float], author: str) -> None:
    """Add ``AUTHOR_BONUS`` (capped at ``FUZZY_CAP``) to the papers by ``author``."""
    for pid in per_entity:
        paper = index.papers.get(pid)
        if paper is not None and _author_matches(author, paper):
            per_entity[pid] = min(FUZZY_CAP, per_entity[pid] + AUTHOR_BONUS)


def _author_matches(hint: str, paper: Paper) -> bool:
    for author in paper.authors:
        for part in normalise(author).split():
            if len(part) > 2 and fuzz.ratio(part, hint.split()[-1]) >= 85:
                return True
    return False
