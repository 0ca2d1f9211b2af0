"""Match a query to papers: answer with one, offer choices, or abstain.

Every paper contributes *candidate strings* (its title, Chinese title and aliases in both
languages). A query is normalised (:mod:`bot.core.text`), stripped of filler words, and scored
against every candidate string with three scorers; a paper's score is its best string's score:

* **exact**: the compact forms (no spaces) are equal -> 100. ``R-CNN`` = ``rcnn``.
* **edit**: ``rapidfuzz.fuzz.ratio`` on the compact forms. Normalised Indel similarity, so it
  forgives typos but punishes length differences: a short query never scores high against a
  long title (unlike ``WRatio``/``partial_ratio``).
* **tokens**: an IDF-weighted F-score of token overlap. Recall is the share of the candidate's
  words that the query mentions; precision is the share of the query's words that the candidate
  explains. Latin words match fuzzily (``rapidfuzz`` ratio >= ``TOKEN_CUTOFF`` for words of 4+
  letters, exact below); Chinese is split into character bigrams, since word-based scorers need
  spaces. IDF is computed over papers, so "network" counts little and "pointer" a lot.

Version numbers decide between twins: when the query names a version and the candidate has
another (or none), the candidate loses ``VERSION_MISMATCH`` / ``VERSION_MISSING`` points; a
versioned candidate loses ``VERSION_UNASKED`` when the query names no version.

The decision (cutoffs chosen on the labelled set in ``tests/data/questions``, see
``docs/matching.md`` and ``benchmarks/matching.py``):

* best score < ``ANSWER_CUTOFF`` -> **none** (with up to 3 suggestions >= ``SUGGEST_CUTOFF``);
* best leads the runner-up by >= ``MARGIN`` -> **answer**;
* otherwise -> **choices**: the papers within ``MARGIN`` of the best, at most 3.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from bot.core.catalogue import Catalogue, Paper
from bot.core.text import CJK_RUN, normalise, versions

ANSWER_CUTOFF = 72.0
SUGGEST_CUTOFF = 55.0
MARGIN = 6.0
TOKEN_CUTOFF = 75.0
VERSION_MISMATCH = 40.0
VERSION_MISSING = 25.0
VERSION_UNASKED = 12.0
AUTHOR_BONUS = 6.0
MAX_CHOICES = 3

# Words that carry no identity, removed from candidates and queries alike.
STOPWORDS = frozenset(
    "a an the of for to in on and with by is are via using from at as its it into be "
    "的 之 和 与 及".split()
)
# Words people add around a paper's name; removed from queries only.
FILLER_EN = frozenset(
    """paper papers article blog post the this that what whats what's which is are was tell me
    about explain explained summary summarize summarise please pls plz show give find read
    reading called named known as do you know anything can could i want to learn more on
    describe introduce introduction overview idea ideas key main original famous classic one
    thing stuff item entry list again info information details detail good is it""".split()
)
FILLER_ZH = (
    "请问", "请", "告诉我", "我想了解", "想了解", "了解一下", "了解", "介绍一下", "介绍下", "介绍",
    "讲讲", "讲一下", "讲了什么", "讲的是什么", "讲的什么", "讲什么", "说说", "说一下", "是什么",
    "是啥", "什么是", "啥是", "这篇", "那篇", "一篇", "论文", "文章", "博客", "一下", "有关",
    "关于", "吗", "呢", "啊", "呀", "吧", "么", "篇", "内容", "主要", "的", "这个", "那个",
)
_FILLER_ZH_RE = re.compile("|".join(sorted(map(re.escape, FILLER_ZH), key=len, reverse=True)))
_AUTHOR_HINT = re.compile(r"\b(?:by|from)\s+([a-z][a-z .'\-]{1,40})$")


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


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(normal: str, *, query: bool = False) -> list[str]:
    """Split a normalised string into match tokens.

    Latin words are lightly stemmed (plural ``s``) and stop words dropped; Chinese runs become
    character bigrams (a single character stays a unigram). With ``query=True`` the filler
    words people add around a name ("paper", "是什么", ...) are dropped too.
    """
    out: list[str] = []
    for word in normal.split():
        if CJK_RUN.fullmatch(word):
            run = _FILLER_ZH_RE.sub(" ", word) if query else word
            for part in run.replace("的", " ").split():
                if len(part) == 1:
                    out.append(part)
                else:
                    out.extend(part[i : i + 2] for i in range(len(part) - 1))
            continue
        if word in STOPWORDS or (query and word in FILLER_EN):
            continue
        out.append(_stem(word))
    return out


@dataclass
class _Candidate:
    paper: Paper
    text: str
    compact: str
    tokens: tuple[str, ...]
    versions: frozenset[int]


class Matcher:
    """Scores queries against a catalogue. Build once; ``match`` is pure and thread-safe.

    Args:
        catalogue: the loaded catalogue.
        answer_cutoff, margin, suggest_cutoff: decision thresholds (0-100); the defaults are
            the module constants chosen on the labelled set.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        answer_cutoff: float = ANSWER_CUTOFF,
        margin: float = MARGIN,
        suggest_cutoff: float = SUGGEST_CUTOFF,
    ) -> None:
        self.catalogue = catalogue
        self.answer_cutoff, self.margin, self.suggest_cutoff = answer_cutoff, margin, suggest_cutoff
        self._candidates: list[_Candidate] = []
        for paper in catalogue:
            for text in self._strings(paper):
                normal = normalise(text)
                toks = tuple(dict.fromkeys(tokens(normal)))
                compact = "".join(toks) or normal.replace(" ", "")
                if compact:
                    self._candidates.append(
                        _Candidate(paper, text, compact, toks, versions(normal))
                    )
        self._compacts = [c.compact for c in self._candidates]
        papers_with: dict[str, set[str]] = defaultdict(set)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for i, cand in enumerate(self._candidates):
            for tok in cand.tokens:
                papers_with[tok].add(cand.paper.id)
                self._postings[tok].append(i)
        n = len(catalogue.papers)
        self._idf = {t: math.log(1 + n / len(ps)) for t, ps in papers_with.items()}
        self._max_idf = math.log(1 + n)
        self._vocab = list(self._idf)
        self._cand_weight = [sum(self._idf[t] for t in c.tokens) for c in self._candidates]

    @staticmethod
    def _strings(paper: Paper) -> Iterable[str]:
        seen: set[str] = set()
        for text in (paper.title, paper.title_zh, *paper.aliases_en, *paper.aliases_zh):
            if text not in seen:
                seen.add(text)
                yield text
            # "Order Matters: Sequence to sequence for sets" is also known by its head.
            head = re.split(r"[:：]", text, maxsplit=1)[0]
            if head != text and len(head) >= 4 and head not in seen:
                seen.add(head)
                yield head

    def _token_matches(self, qtok: str) -> list[tuple[str, float]]:
        if CJK_RUN.fullmatch(qtok) or len(qtok) < 4:
            return [(qtok, 1.0)] if qtok in self._idf else []
        found = process.extract(
            qtok, self._vocab, scorer=fuzz.ratio, score_cutoff=TOKEN_CUTOFF, limit=8
        )
        return [(tok, (score / 100.0) ** 2) for tok, score, _ in found if len(tok) >= 3]

    def score(self, query: str) -> list[Scored]:
        """Score every paper against ``query``.

        Returns:
            Papers with a score > 0 (0-100, float), best first; ties keep catalogue order.
        """
        normal = normalise(query)
        author_hint: str | None = None
        m = _AUTHOR_HINT.search(normal)
        if m:
            author_hint = m.group(1).strip()
            normal = normal[: m.start()].strip()
        qtoks = list(dict.fromkeys(tokens(normal, query=True)))
        if not qtoks:
            return []
        qcompact = "".join(qtoks)
        qversions = versions(" ".join(qtoks))
        best: dict[int, float] = {}

        # Edit scorer over all compact strings, in one C call.
        for _, s, idx in process.extract(
            qcompact, self._compacts, scorer=fuzz.ratio, score_cutoff=40, limit=None
        ):
            best[idx] = 100.0 if s >= 100 else s

        # Token F-score through the inverted index.
        recall_num: dict[int, float] = defaultdict(float)
        prec_num: dict[int, float] = defaultdict(float)
        q_weight = 0.0
        for qt in qtoks:
            w_q = self._idf.get(qt, self._max_idf)
            q_weight += w_q
            per_cand: dict[int, tuple[float, float]] = {}
            for tok, sim in self._token_matches(qt):
                for idx in self._postings[tok]:
                    gain = self._idf[tok] * sim
                    if gain > per_cand.get(idx, (0.0, 0.0))[0]:
                        per_cand[idx] = (gain, sim)
            for idx, (gain, sim) in per_cand.items():
                recall_num[idx] += gain
                prec_num[idx] += w_q * sim
        for idx, r_num in recall_num.items():
            recall = min(1.0, r_num / self._cand_weight[idx])
            precision = min(1.0, prec_num[idx] / q_weight)
            f = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
            best[idx] = max(best.get(idx, 0.0), 100.0 * f)

        per_paper: dict[str, float] = {}
        for idx, s in best.items():
            cand = self._candidates[idx]
            s -= self._version_penalty(qversions, cand.versions)
            if s > per_paper.get(cand.paper.id, 0.0):
                per_paper[cand.paper.id] = s
        if author_hint:
            for pid in per_paper:
                if self._author_matches(author_hint, self.catalogue.papers[pid]):
                    per_paper[pid] = min(100.0, per_paper[pid] + AUTHOR_BONUS)
        order = {pid: i for i, pid in enumerate(self.catalogue.papers)}
        ranked = sorted(per_paper.items(), key=lambda kv: (-kv[1], order[kv[0]]))
        return [Scored(self.catalogue.papers[pid], round(s, 1)) for pid, s in ranked if s > 0]

    @staticmethod
    def _version_penalty(q: frozenset[int], c: frozenset[int]) -> float:
        if q and c:
            return 0.0 if q & c else VERSION_MISMATCH
        if q and not c:
            return 0.0 if q == {1} else VERSION_MISSING
        if c and not q:
            return 0.0 if c == {1} else VERSION_UNASKED
        return 0.0

    @staticmethod
    def _author_matches(hint: str, paper: Paper) -> bool:
        for author in paper.authors:
            for part in normalise(author).split():
                if len(part) > 2 and fuzz.ratio(part, hint.split()[-1]) >= 85:
                    return True
        return False

    def match(self, query: str) -> Match:
        """Match a query (any language, any script) to an answer, choices or none."""
        ranked = self.score(query)
        if not ranked or ranked[0].score < self.answer_cutoff:
            suggestions = tuple(s for s in ranked[:MAX_CHOICES] if s.score >= self.suggest_cutoff)
            return Match("none", suggestions=suggestions, ranked=tuple(ranked))
        top = ranked[0]
        close = [s for s in ranked[1:] if top.score - s.score < self.margin]
        if not close:
            return Match("answer", best=top, ranked=tuple(ranked))
        choices = (top, *close[: MAX_CHOICES - 1])
        return Match("choices", choices=choices, ranked=tuple(ranked))
