"""Describe-the-idea search: find the paper a reader describes instead of naming it.

"which paper introduced residual connections", "the one where attention points at input
positions", "用推土机距离训练 GAN": the words are the reader's, so the search ranks our own
bilingual content with BM25 (:mod:`bm25s`), one index per field, and adds the fields up with
weights: what each paper introduced (``contributions``) counts most, then the summary, the
names, the authors and year, the topics and why the paper matters.

Text (:mod:`bot.core.search_text`). NFKC, Traditional Chinese to Simplified (OpenCC ``t2s``
and ``tw2sp`` both, plus a few Taiwan terms), case folding, versions as ``v<N>``. English words
lose stopwords and describe-phrasing filler ("which paper introduced ...") and are stemmed
(Snowball, PyStemmer); an unknown word of 9 letters or more is read as the closest word of
our text, two edits at most ("bidirectinal"). Chinese runs lose the same filler ("哪篇论文",
"那篇", "提出") and become overlapping character bigrams: no segmenter dictionary to load
(jieba takes 0.6 s and 75 MB to start), and bigrams measured better than bigrams plus single
characters.

Decision (never a confident wrong answer). The best paper is the ``"answer"`` only when all of:
its score per square root of the query's token count reaches ``answer_min``; the runner-up
(paper or decoy) scores at most ``answer_ratio`` of it; it holds at least ``min_coverage`` of
the query's informative words (IDF-weighted, unknown English words counted as rare ones) and
``min_terms`` distinct ones; no year in the query differs from its year; the query does not
ask for a "follow-up". Famous works that are on neither list (``catalogue.decoys``) are
indexed beside the papers by their names and by what they are known for
(``catalogue.decoy_about``, weighted ``about_weight``; years left out), so that "the program
that learned chess, shogi and Go from self-play alone" is not answered with AlphaGo. When a
decoy is named outright in the query (and the best paper is not), or scores ``decoy_ratio`` of
the best paper, there is no answer; the result is ``"none"`` when the decoy scores
``decoy_share`` of the best paper (the decoy is what the reader means), else choices (the decoy
is one ingredient of the description: "an LSTM with dropout between layers"). Otherwise the
close papers (up to three, each ``choice_ratio`` of the best) are ``"choices"``, or ``"none"``
when the best is weak (``choice_min``, ``choice_coverage``). The cutoffs were tuned on the dev
questions (``tests/data/questions/describe.yaml``) with ``benchmarks/describe.py --tune``;
``about_weight`` and ``decoy_share`` later, with the decoys' descriptions, on the same
questions (on dev, a named decoy scored at most 0.26 of the best paper when it was one
ingredient, at least 0.48 when it was the work meant).

The index is built on the first search (numpy and bm25s imported then, about 0.2 s in all),
so that ``paperbot ask`` starts as fast as before for questions that never reach the search.
"""

from __future__ import annotations

import logging
import math
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.core.catalogue import Catalogue, Paper
from bot.core.search_text import (
    DECOY_PREFIX,
    FOLLOW_UP,
    YEAR,
    Names,
    looks_like_description,
    simplified_forms,
    tokens,
)
from bot.core.text import has_cjk

__all__ = [
    "DECOY_PREFIX",
    "MAX_CHOICES",
    "Evidence",
    "Params",
    "SearchResult",
    "Searcher",
    "decide",
    "looks_like_description",
    "tokens",
]

Status = Literal["answer", "choices", "none"]
MAX_CHOICES = 3
_KEEP = 4  # papers kept in the evidence (three choices and one more)
_TYPO_MIN = 9  # shorter unknown words are left alone: "forger", "replay" are no typos
MAX_QUERY = 600  # characters read from a query (a description is a sentence or two)


@dataclass(frozen=True)
class SearchResult:
    """What the search found.

    Attributes:
        status: ``"answer"`` (one clear winner, ``hits[0]``), ``"choices"`` (1-3 close
            candidates, best first) or ``"none"`` (nothing relevant, or an off-list work).
        hits: ``(paper_id, score)`` best first; one hit for ``"answer"``, up to three for
            ``"choices"``, empty for ``"none"``. Scores are weighted BM25 sums (unitless,
            comparable only within one catalogue).
    """

    status: Status
    hits: tuple[tuple[str, float], ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        """The paper ids of ``hits``, best first."""
        return tuple(pid for pid, _ in self.hits)


@dataclass(frozen=True)
class Params:
    """The tunable parts of the search (defaults tuned on the dev set; see module docstring).

    ``weights`` maps each field to the weight of its BM25 score; ``k1`` and ``b`` are the
    BM25 parameters; both were chosen by 5-fold cross-validation of the whole decision on
    dev (weights that rank best, with heavier summaries and authors, answered less often).
    Scores compared with ``*_min`` are divided by the square root of the query's token
    count; ``*_ratio`` compare raw scores with the best paper's. ``about_weight`` is the weight
    of a decoy's description, a field the papers do not have (theirs are in ``weights``).
    """

    weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "contributions": 1.0,
            "names": 0.5,
            "summary": 0.6,
            "why": 0.15,
            "topics": 0.2,
            "people": 0.5,
        }
    )
    k1: float = 0.8
    b: float = 0.75
    answer_min: float = 1.5
    answer_ratio: float = 0.75
    min_coverage: float = 0.5
    min_terms: int = 2
    choice_coverage: float = 0.3
    choice_min: float = 0.4
    choice_ratio: float = 0.3
    decoy_ratio: float = 0.7
    decoy_share: float = 0.35
    about_weight: float = 0.6  # the weight of a decoy's ``about`` (what it is known for)


# ---------------------------------------------------------------------------------------------
# The index


def _paper_fields(paper: Paper, catalogue: Catalogue) -> dict[str, str]:
    topics = [catalogue.topics[t] for t in paper.topics if t in catalogue.topics]
    people: list[str] = [str(paper.year)]
    for author in paper.authors:
        people.append(author)
        people.extend(catalogue.author_aliases.get(author, ()))
    return {
        "contributions": " ; ".join((*paper.contributions.en, *paper.contributions.zh)),
        "names": " ; ".join((paper.title, paper.title_zh, *paper.aliases_en, *paper.aliases_zh)),
        "summary": f"{paper.summary.en} {paper.summary.zh}",
        "why": f"{paper.why.en} {paper.why.zh}",
        "topics": " ; ".join(s for t in topics for s in (t.name.en, t.name.zh, *t.aliases)),
        "people": " ; ".join(people),
    }


def _decoy_about(catalogue: Catalogue) -> dict[int, list[str]]:
    """The tokens of each decoy's ``about`` (English and Chinese), by decoy index; decoys
    without one are left out. Years are left out too: a paper's year counts only in its
    ``people`` field, at a low weight, and a decoy's year would outweigh it."""
    out: dict[int, list[str]] = {}
    for i, about in enumerate(catalogue.decoy_about[: len(catalogue.decoys)]):
        if about is not None and (doc := tokens(YEAR.sub(" ", f"{about.en} {about.zh}"))):
            out[i] = doc
    return out


class _FieldIndex:
    """One BM25 index (bm25s) over one field of the documents.

    By default the documents are the first ``len(docs)`` of the ranking (papers, then
    decoys). Otherwise the first ``context`` documents only shape the statistics (IDF and
    average length) and are never scored, and ``rows`` are the positions in the ranking of
    the others.
    """

    def __init__(
        self,
        docs: Sequence[list[str]],
        params: Params,
        rows: Sequence[int] | None = None,
        context: int = 0,
    ) -> None:
        import bm25s
        import numpy as np

        # bm25s sets its own logger to DEBUG when imported; its progress lines are noise.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self._bm25 = bm25s.BM25(k1=params.k1, b=params.b)
        self._bm25.index(list(docs), show_progress=False)
        self._vocab: dict[str, int] = self._bm25.vocab_dict
        self._context = context
        scored = len(docs) - context
        self.rows: Any = np.arange(scored) if rows is None else np.asarray(rows, dtype=int)
        if len(self.rows) != scored:
            raise ValueError(f"{len(self.rows)} rows for {scored} scored documents")

    def scores(self, query: Sequence[str]) -> Any:
        """BM25 of ``query`` against each scored document, in ``rows`` order (``None`` when
        no token is known)."""
        ids = [self._vocab[t] for t in query if t in self._vocab]
        return self._bm25.get_scores_from_ids(ids)[self._context :] if ids else None


@dataclass(frozen=True)
class Evidence:
    """What the ranking found for one query, before the decision (see :func:`decide`).

    Attributes:
        papers: the best papers ``(id, score)``, best first (at most four, scores > 0).
        decoy: the best decoy's score (0.0 when none matched).
        decoy_named: a decoy is named outright in the query and the best paper is not.
        coverage: the IDF-weighted share of the query's tokens that the best paper holds.
        terms: how many distinct query tokens the best paper holds.
        year_mismatch: the query gives years and none is the best paper's year.
        follow_up: the query asks for a follow-up ("the follow-up that ...").
        norm: the square root of the query's token count (at least 1).
    """

    papers: tuple[tuple[str, float], ...]
    decoy: float = 0.0
    decoy_named: bool = False
    coverage: float = 0.0
    terms: int = 0
    year_mismatch: bool = False
    follow_up: bool = False
    norm: float = 1.0


class Searcher:
    """Describe-the-idea search over one catalogue (papers and decoys).

    Build once per catalogue; the index itself is built on the first search (about 0.1 s
    plus 0.1 s of imports), under a lock, and is read-only after that: one searcher can
    serve every coroutine and thread. Only the first ``MAX_QUERY`` characters of a query are
    read.
    """

    def __init__(self, catalogue: Catalogue, params: Params | None = None) -> None:
        self.catalogue = catalogue
        self.params = params or Params()
        self._ids: list[str] = []
        self._fields: dict[str, tuple[_FieldIndex, float]] = {}  # name -> (index, weight)
        self._names: Names | None = None
        self._vocab: dict[str, frozenset[str]] = {}  # paper id -> every token of its fields
        self._idf: dict[str, float] = {}
        self._words: list[str] = []  # English words (stems) of the papers, for typos
        self._decoy_words: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def _ensure_built(self) -> None:
        with self._lock:
            if self._names is None:
                self._build()

    def _build(self) -> None:
        papers = list(self.catalogue.papers.values())
        ids = [p.id for p in papers]
        texts = [_paper_fields(p, self.catalogue) for p in papers]
        decoys = [tokens(" ; ".join(names)) for names in self.catalogue.decoys]
        per_paper: list[set[str]] = [set() for _ in papers]
        for name, weight in self.params.weights.items():
            docs = [tokens(t[name]) for t in texts]
            for seen, doc in zip(per_paper, docs, strict=True):
                seen.update(doc)
            if name == "names":  # decoys compete on their names
                docs += decoys
            self._fields[name] = (_FieldIndex(docs, self.params), weight)
        # ... and on what they are known for, in an index of their own, so that the papers'
        # scores stay as they were. The papers' contributions and summaries are in it for the
        # statistics only: a word is as rare there as it is in all our text, and a word that
        # most papers use ("neural", "image") weighs little in a decoy.
        about = _decoy_about(self.catalogue)
        if about:
            context = [tokens(f"{t['contributions']} {t['summary']}") for t in texts]
            rows = [len(papers) + i for i in about]
            index = _FieldIndex([*context, *about.values()], self.params, rows, len(context))
            self._fields["about"] = (index, self.params.about_weight)
        df: dict[str, int] = {}
        for seen in per_paper:
            for t in seen:
                df[t] = df.get(t, 0) + 1
        self._idf = {t: math.log((len(papers) + 1) / (n + 0.5)) for t, n in df.items()}
        self._words = sorted(t for t in df if t.isascii() and t.isalpha() and len(t) >= 7)
        self._decoy_words = frozenset(t for doc in (*decoys, *about.values()) for t in doc)
        self._vocab = {pid: frozenset(s) for pid, s in zip(ids, per_paper, strict=True)}
        self._names = Names(self.catalogue)
        self._ids = ids + [f"{DECOY_PREFIX}{i}" for i in range(len(decoys))]

    def rank(self, query: str) -> list[tuple[str, float]]:
        """Score every paper and decoy for ``query``.

        Returns:
            ``(id, score)`` for every document with a positive score, best first; decoys
            have ids ``"decoy:<n>"`` (``n`` = index in ``catalogue.decoys``).
        """
        return self._rank(self._query_tokens(query))

    def _rank(self, query_tokens: Sequence[str]) -> list[tuple[str, float]]:
        import numpy as np

        total = np.zeros(len(self._ids), dtype=np.float32)
        for index, weight in self._fields.values():
            s = index.scores(query_tokens)
            if s is not None:
                total[index.rows] += weight * s
        top = np.flatnonzero(total > 0)
        top = top[np.argsort(-total[top], kind="stable")]
        return [(self._ids[i], float(total[i])) for i in top]

    def evidence(self, query: str) -> Evidence:
        """Rank ``query`` and gather what :func:`decide` needs."""
        query = query[:MAX_QUERY]
        query_tokens = self._query_tokens(query)
        ranked = self._rank(query_tokens)
        papers = [(pid, s) for pid, s in ranked if not pid.startswith(DECOY_PREFIX)][:_KEEP]
        decoy = next((s for pid, s in ranked if pid.startswith(DECOY_PREFIX)), 0.0)
        assert self._names is not None
        named = self._names.find(query)
        coverage, terms, mismatch = 0.0, 0, False
        if papers:
            best = self.catalogue.papers[papers[0][0]]
            held = [t for t in query_tokens if t in self._vocab[best.id]]
            total = self._query_mass(query_tokens)
            coverage = sum(self._idf[t] for t in held) / total if total else 0.0
            terms = len(held)
            years = {int(y) for y in YEAR.findall(unicodedata.normalize("NFKC", query))}
            mismatch = bool(years) and best.year not in years
        return Evidence(
            papers=tuple(papers),
            decoy=decoy,
            decoy_named=any(n.startswith(DECOY_PREFIX) for n in named)
            and not any(pid in named for pid, _ in papers[:1]),
            coverage=coverage,
            terms=terms,
            year_mismatch=mismatch,
            follow_up=any(FOLLOW_UP.search(f.casefold()) for f in simplified_forms(query)),
            norm=max(1.0, math.sqrt(len(query_tokens))),
        )

    def _query_tokens(self, query: str) -> list[str]:
        """The query's tokens, unique, in order; a long English word (9 letters or more) that
        neither a paper nor a decoy uses becomes the closest word a paper uses, up to two
        edits away ("bidirectinal", "pretrainng")."""
        self._ensure_built()
        out = []
        for t in tokens(query[:MAX_QUERY], query=True):
            if len(t) >= _TYPO_MIN and t not in self._idf and t not in self._decoy_words:
                near = process.extractOne(
                    t, self._words, scorer=Levenshtein.distance, score_cutoff=2
                )
                t = near[0] if near else t
            out.append(t)
        return list(dict.fromkeys(out))

    def _query_mass(self, query_tokens: Sequence[str]) -> float:
        """The IDF mass of a query: known tokens at their IDF, unknown English words (often
        the name of an off-list work: "mamba", "rope") at the highest IDF; unknown Chinese
        bigrams, mostly across word boundaries, are left out."""
        unknown = math.log((len(self._vocab) + 1) / 0.5)
        return sum(self._idf.get(t, 0.0 if has_cjk(t) else unknown) for t in query_tokens)

    def search(self, query: str) -> SearchResult:
        """Find the paper ``query`` describes.

        Safe on any text (empty, a name, off-topic chat): the worst outcome is ``"none"``.

        Returns:
            A :class:`SearchResult`; see the module docstring for the decision.
        """
        return decide(self.evidence(query), self.params)


def decide(ev: Evidence, params: Params) -> SearchResult:
    """Turn the :class:`Evidence` for one query into a :class:`SearchResult` (the product
    rule: an answer only when it is clear; see the module docstring)."""
    if not ev.papers:
        return SearchResult("none")
    best = ev.papers[0][1]
    strength = best / ev.norm
    if strength < params.choice_min or ev.coverage < params.choice_coverage:
        return SearchResult("none")
    if ev.decoy_named or ev.decoy >= params.decoy_ratio * best:
        if ev.decoy >= params.decoy_share * best:
            return SearchResult("none")
        return SearchResult("choices", _close(ev, params))
    runner_up = max(ev.papers[1][1] if len(ev.papers) > 1 else 0.0, ev.decoy)
    if (
        strength >= params.answer_min
        and runner_up <= params.answer_ratio * best
        and ev.coverage >= params.min_coverage
        and ev.terms >= params.min_terms
        and not ev.year_mismatch
        and not ev.follow_up
    ):
        return SearchResult("answer", ev.papers[:1])
    return SearchResult("choices", _close(ev, params))


def _close(ev: Evidence, params: Params) -> tuple[tuple[str, float], ...]:
    best = ev.papers[0][1]
    keep: Iterable[tuple[str, float]] = (
        (pid, s)
        for pid, s in ev.papers[:MAX_CHOICES]
        if s >= params.choice_ratio * best and s / ev.norm >= params.choice_min
    )
    return tuple(keep)
