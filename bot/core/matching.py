"""Match a query to papers: answer with one, offer choices, or abstain.

Every paper contributes *candidate strings* (its title, Chinese title and aliases in both
languages); decoys (famous works on neither list) contribute their names the same way. A query
is normalised (:mod:`bot.core.text`), stripped of filler words (English words and Chinese
phrases people wrap around a name: "paper", "what is", "讲了什么", "提出", "那本书"), and
scored against every candidate string; a paper's score is its best string's score:

* **exact**: the compact forms (no spaces) are equal -> 100. ``R-CNN`` = ``rcnn``. Candidates
  also have a compact form without query filler words ("Attention Is All You Need" ->
  ``attentionallneed``) and one with bare version digits (``clip 4 clip`` = ``CLIP4Clip``),
  so a query and a name lose the same words.
* **edit**: ``rapidfuzz.fuzz.ratio`` on the compact forms. Normalised Indel similarity, so it
  forgives typos but punishes length differences; only strings of the same script, both of
  ``MIN_EDIT_LENGTH``+ characters and within ``LENGTH_RATIO`` in length are compared (a
  length-sorted index keeps this cheap).
* **tokens**: an IDF-weighted F-beta score (``BETA`` < 1 leans on precision) of token overlap.
  Recall is the share of the candidate string's words that the query mentions; precision is
  the share of the query's words that the *entity* explains: by the candidate string itself,
  or as *context* (its year and author surnames and topic names at ``CONTEXT_WEIGHT``, words
  of its other names at ``NAME_CONTEXT_WEIGHT``). Latin words match fuzzily (``rapidfuzz``
  ratio >= ``TOKEN_CUTOFF`` for words of 4+ letters that are not known words themselves;
  exact for shorter words and numbers); Chinese is split into character bigrams, since
  word-based scorers need spaces. IDF is computed over papers and decoys, so "network" counts
  little and "pointer" a lot. A query word that matches nothing known weighs less in
  precision (``UNKNOWN_ZH`` / ``UNKNOWN_EN`` of its weight; a fuzzy match counts in
  proportion): it cannot point to another paper. English filler words still count for recall
  when a name contains them ("Kolmogorov complexity book") but never against precision.
  A decoy has no year, so a year in the query is half explained for it (``DECOY_YEAR_WEIGHT``).
  A string matched with less than ``MIN_EVIDENCE`` IDF mass is scaled down in proportion: one
  generic word ("模型", "network") is too little evidence for any paper.
* **citation**: an author surname plus the paper's year, with every other query word
  explained by the paper ("Grünwald 2004"), scores ``CITATION_SCORE``.

A query ending in "by <name>" gets ``AUTHOR_BONUS`` for papers by that author, but only if
<name> is some author's name ("... by jointly learning to align" stays part of a title).

Version numbers decide between twins: when the query names a version and the candidate has
another (or none), the candidate loses ``VERSION_MISMATCH`` / ``VERSION_MISSING`` points; a
versioned candidate loses ``VERSION_UNASKED`` when the query names no version.

Scale. Scores under ``KEEP_FLOOR`` (54) cannot change a decision and are dropped early. In a
large catalogue, common query words (thousands of strings) only add to candidates that rarer
words found, when a bound shows that strings matched by them alone stay under ``KEEP_FLOOR``
(:meth:`Matcher._lookup_only`); typos are found through a deletion index instead of a scan of
the vocabulary (:meth:`Matcher._fuzzy`). With the 113 real papers nothing changes; with 10,000
papers p99 falls from about 70 ms to about 15 ms (``benchmarks/matching.py``).

The decision (``ANSWER_CUTOFF``, ``MARGIN``, ``BETA`` and the weights above were chosen by a
grid search on the labelled set in ``tests/data/questions``: maximise top-1 subject to
abstention >= 0.95 and few wrong answers):

* a decoy scoring >= ``ANSWER_CUTOFF`` and within ``MARGIN`` of the best paper -> **none**;
* best score < ``ANSWER_CUTOFF`` -> **none** (with up to 3 suggestions >= ``SUGGEST_CUTOFF``);
* best leads the runner-up by >= ``MARGIN`` -> **answer**;
* otherwise -> **choices**: the papers within ``MARGIN`` of the best, at most 3.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from bot.core.catalogue import Catalogue, Paper
from bot.core.text import CJK_RUN, has_cjk, normalise, versions

ANSWER_CUTOFF = 68.0
SUGGEST_CUTOFF = 60.0
MARGIN = 4.0
TOKEN_CUTOFF = 75.0
VERSION_MISMATCH = 40.0
VERSION_MISSING = 30.0
VERSION_UNASKED = 12.0
AUTHOR_BONUS = 6.0
FUZZY_CAP = 94.0
LENGTH_RATIO = 1.34
CONTEXT_WEIGHT = 0.9
NAME_CONTEXT_WEIGHT = 0.8
UNKNOWN_ZH = 0.3
UNKNOWN_EN = 0.5
DECOY_YEAR_WEIGHT = 0.5
CITATION_SCORE = 80.0
MIN_EVIDENCE = 5.0
CJK_RUN_WORDS = 2.0
BETA = 0.6
MIN_EDIT_LENGTH = 5
MAX_CHOICES = 3
# No score below this can change a decision (suggestions need SUGGEST_CUTOFF, and the author
# bonus is the only addition), so lower scores are not kept.
KEEP_FLOOR = SUGGEST_CUTOFF - AUTHOR_BONUS
# A query word whose candidates (postings and context) number more than this may be made
# "lookup-only" in a large catalogue (see Matcher._lookup_only).
LOOKUP_ONLY_MIN = 256

# Words that carry no identity, removed from candidates and queries alike.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "and",
        "with",
        "by",
        "is",
        "are",
        "via",
        "using",
        "from",
        "at",
        "as",
        "its",
        "it",
        "into",
        "be",
        "的",
        "之",
        "和",
        "与",
        "及",
    ]
)
# Words people add around a paper's name; removed from queries only.
FILLER_EN = frozenset(
    [
        "paper",
        "papers",
        "article",
        "blog",
        "post",
        "the",
        "this",
        "that",
        "what",
        "whats",
        "what's",
        "which",
        "is",
        "are",
        "was",
        "tell",
        "me",
        "about",
        "explain",
        "explained",
        "summary",
        "summarize",
        "summarise",
        "please",
        "pls",
        "plz",
        "show",
        "give",
        "find",
        "read",
        "reading",
        "called",
        "named",
        "known",
        "as",
        "do",
        "you",
        "know",
        "anything",
        "can",
        "could",
        "i",
        "want",
        "to",
        "learn",
        "more",
        "on",
        "describe",
        "introduce",
        "introduction",
        "overview",
        "idea",
        "ideas",
        "key",
        "main",
        "original",
        "famous",
        "classic",
        "one",
        "thing",
        "stuff",
        "item",
        "entry",
        "list",
        "again",
        "info",
        "information",
        "details",
        "detail",
        "good",
        "is",
        "it",
        "book",
        "proposed",
        "proposes",
        "propose",
        "introduced",
        "introduces",
        "itself",
        "actual",
    ]
)
FILLER_ZH = (
    "请问",
    "请",
    "告诉我",
    "我想了解",
    "想了解",
    "了解一下",
    "了解",
    "介绍一下",
    "介绍下",
    "介绍",
    "讲讲",
    "讲一下",
    "讲了什么",
    "讲的是什么",
    "讲的什么",
    "讲什么",
    "说说",
    "说一下",
    "是什么",
    "是啥",
    "什么是",
    "啥是",
    "这篇",
    "那篇",
    "一篇",
    "论文",
    "文章",
    "博客",
    "一下",
    "有关",
    "关于",
    "吗",
    "呢",
    "啊",
    "呀",
    "吧",
    "么",
    "篇",
    "内容",
    "主要",
    "的",
    "这个",
    "那个",
    "讲了啥",
    "讲啥",
    "说了什么",
    "说的是什么",
    "是哪篇",
    "哪一篇",
    "哪篇",
    "提出的",
    "提出",
    "最早",
    "最初",
    "原始",
    "原版",
    "原论文",
    "那本书",
    "这本书",
    "本书",
    "那本",
    "这本",
    "书",
)
_CJK_LONE = frozenset(["之", "和", "与", "及", "或", "年", "用"])
_FILLER_ZH_RE = re.compile("|".join(sorted(map(re.escape, FILLER_ZH), key=len, reverse=True)))
_NEGATION = re.compile(
    r"(?:^|\s)(?:not|rather than|instead of|而不是|不是|并非|不要)\s?[^,，;；]*"
)
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


def units(normal: str, *, query: bool = False) -> list[str]:
    """Split a normalised string into content units, in order.

    Latin words are lightly stemmed (plural ``s``) and stop words dropped; a Chinese run stays
    whole (minus the words people wrap around a name, when ``query`` is set). With
    ``query=True`` English filler words ("paper", "what", ...) are dropped too.
    """
    out: list[str] = []
    for word in normal.split():
        if CJK_RUN.fullmatch(word):
            run = _FILLER_ZH_RE.sub(" ", word) if query else word
            # A lone connective or the "年" of "2017 年" is no content of its own.
            out.extend(p for p in run.replace("的", " ").split() if p not in _CJK_LONE)
        elif word not in STOPWORDS and not (query and word in FILLER_EN):
            out.append(_stem(word))
    return out


def tokens(unit_list: Iterable[str]) -> list[str]:
    """Return match tokens for units: Latin words as they are, Chinese runs as character
    bigrams (a one-character run stays a unigram). Order kept, duplicates dropped."""
    return list(weighted_tokens(unit_list))


_VERSION_UNIT = re.compile(r"v\d{1,2}")
_YEAR = re.compile(r"(?:19|20)\d\d")


def weighted_tokens(unit_list: Iterable[str]) -> dict[str, float]:
    """Return ``{token: share}``: how much of a word each token is.

    A Latin word is one token (share 1). A Chinese run of k bigrams spreads
    ``CJK_RUN_WORDS`` words over its bigrams, so a long Chinese phrase weighs like a couple of
    words rather than like k of them. Version units (``v2``) are left to the version rule.
    """
    out: dict[str, float] = {}
    for unit in unit_list:
        if _VERSION_UNIT.fullmatch(unit):
            continue
        if CJK_RUN.fullmatch(unit) and len(unit) > 1:
            grams = [unit[i : i + 2] for i in range(len(unit) - 1)]
            share = min(1.0, CJK_RUN_WORDS / len(grams))
            for g in grams:
                out[g] = max(out.get(g, 0.0), share)
        else:
            out[unit] = 1.0
    return out


def _deletions(word: str, depth: int) -> set[str]:
    """``word`` and every string made by deleting up to ``depth`` of its letters."""
    out = {word}
    layer = {word}
    for _ in range(depth):
        layer = {w[:i] + w[i + 1 :] for w in layer for i in range(len(w))}
        out |= layer
    return out


def _compact(unit_list: Iterable[str], *, bare: bool = False) -> str:
    """The units run together; with ``bare`` versions lose their ``v``, so that
    ``clip 4 clip`` (normalised ``clip v4 clip``) can equal ``CLIP4Clip``."""
    return "".join(u[1:] if bare and _VERSION_UNIT.fullmatch(u) else u for u in unit_list)


@dataclass
class _Candidate:
    entity: str
    text: str
    compact: str
    tokens: tuple[str, ...]
    versions: frozenset[int]
    tokset: frozenset[str]


DECOY_PREFIX = "decoy:"


class Matcher:
    """Scores queries against a catalogue. Build once; ``match`` is pure and thread-safe.

    Args:
        catalogue: the loaded catalogue (papers, plus decoys: famous works not on any list).
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
        beta: float = BETA,
        name_context: float = NAME_CONTEXT_WEIGHT,
        unknown_zh: float = UNKNOWN_ZH,
        unknown_en: float = UNKNOWN_EN,
        citation: float = CITATION_SCORE,
        min_evidence: float = MIN_EVIDENCE,
    ) -> None:
        self.min_evidence = min_evidence
        self.citation = citation
        self.unknown_zh, self.unknown_en = unknown_zh, unknown_en
        self.catalogue = catalogue
        self.name_context = name_context
        self.beta = beta
        self.answer_cutoff, self.margin, self.suggest_cutoff = (
            answer_cutoff,
            margin,
            suggest_cutoff,
        )
        self._candidates: list[_Candidate] = []
        # Edit-scorer strings: each candidate's compact form, plus the form with query filler
        # removed too ("Attention Is All You Need" -> "attentionallneed"), so that a query and
        # a title lose the same words.
        self._compacts: list[str] = []
        self._compact_owner: list[int] = []
        entities: list[tuple[str, Iterable[str]]] = [(p.id, self._strings(p)) for p in catalogue]
        entities += [(f"{DECOY_PREFIX}{names[0]}", names) for names in catalogue.decoys]
        for entity, strings in entities:
            for text in strings:
                normal = normalise(text)
                u = units(normal)
                compact = _compact(u) or normal.replace(" ", "")
                if not compact:
                    continue
                toks = tuple(tokens(u))
                owner = len(self._candidates)
                self._candidates.append(
                    _Candidate(entity, text, compact, toks, versions(normal), frozenset(toks))
                )
                u_q = units(normal, query=True)
                forms = {compact, _compact(u_q), _compact(u, bare=True), _compact(u_q, bare=True)}
                for form in sorted(forms):
                    if form:
                        self._compacts.append(form)
                        self._compact_owner.append(owner)
        self._exact: dict[str, list[int]] = defaultdict(list)
        for form, owner in zip(self._compacts, self._compact_owner, strict=True):
            self._exact[form].append(owner)
        self._by_length: dict[bool, tuple[list[int], list[str], list[int]]] = {}
        for cjk in (False, True):
            rows = sorted(
                (len(form), form, owner)
                for form, owner in zip(self._compacts, self._compact_owner, strict=True)
                if has_cjk(form) == cjk
            )
            self._by_length[cjk] = (
                [r[0] for r in rows],
                [r[1] for r in rows],
                [r[2] for r in rows],
            )
        entities_with: dict[str, set[str]] = defaultdict(set)
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._of_entity: dict[str, list[int]] = defaultdict(list)
        entity_tokens: dict[str, set[str]] = defaultdict(set)
        for i, cand in enumerate(self._candidates):
            self._of_entity[cand.entity].append(i)
            entity_tokens[cand.entity].update(cand.tokens)
            for tok in cand.tokens:
                entities_with[tok].add(cand.entity)
                self._postings[tok].append(i)
        # Every token of an entity's names; context-only entities have none (empty set).
        self._entity_tokens: defaultdict[str, frozenset[str]] = defaultdict(frozenset)
        self._entity_tokens.update((e, frozenset(t)) for e, t in entity_tokens.items())
        n = len(entities)
        self._idf = {t: math.log(1 + n / len(es)) for t, es in entities_with.items()}
        self._max_idf = math.log(1 + n)
        self._cand_weight = [sum(self._idf[t] for t in c.tokens) for c in self._candidates]
        # Context: words that explain a query without naming the paper (author surnames,
        # the year, topic names) and the words of the entity's *other* names ("孪生网络
        # SimSiam" mixes two names of one paper). They raise precision only, never recall.
        self._context: dict[str, dict[str, float]] = defaultdict(dict)
        for cand in self._candidates:
            for tok in cand.tokens:
                self._context[tok][cand.entity] = self.name_context
        for p in catalogue:
            words = [str(p.year)]
            for author in p.authors:
                parts = normalise(author).split()
                if parts and "et" not in parts:
                    words.append(parts[-1])
                    words.append("".join(parts))
            for author, aliases in catalogue.author_aliases.items():
                if author in p.authors:
                    words.extend(aliases)
            for t in p.topics:
                topic = catalogue.topics[t]
                words.extend((topic.name.en, topic.name.zh, *topic.aliases))
            for w in words:
                for tok in tokens(units(normalise(w))):
                    self._context[tok][p.id] = max(
                        CONTEXT_WEIGHT, self._context[tok].get(p.id, 0.0)
                    )
        self._context_vocab = list(self._context)
        self._vocab_rank = {w: i for i, w in enumerate(self._context_vocab)}
        # Typo look-up (see _fuzzy): Latin words of 3+ letters under their 1-deletions.
        self._typo_index: dict[str, list[str]] = defaultdict(list)
        longest = 0
        for word in self._context_vocab:
            if len(word) >= 3 and not word.isdigit() and not has_cjk(word):
                longest = max(longest, len(word))
                for key in _deletions(word, 1):
                    self._typo_index[key].append(word)
        # fuzz.ratio of a word of length a against one of length b is at most 200 b / (a + b),
        # so a query word longer than this cannot reach TOKEN_CUTOFF against any known word
        # (and its two-letter deletions, quadratic in its length, are never built).
        self._typo_max_length = math.floor(longest * (200 - TOKEN_CUTOFF) / TOKEN_CUTOFF)
        self._order = {pid: i for i, pid in enumerate(catalogue.papers)}
        self._cite: dict[str, tuple[frozenset[str], str]] = {}
        for p in catalogue:
            names = {
                tok
                for author in p.authors
                for part in normalise(author).split()[-1:]
                for tok in tokens(units(part))
                if len(part) > 2
            }
            for author, aliases in catalogue.author_aliases.items():
                if author in p.authors:
                    names.update(tok for a in aliases for tok in tokens(units(normalise(a))))
            self._cite[p.id] = (frozenset(names), str(p.year))
        self._surnames = sorted(
            {
                part
                for p in catalogue
                for author in p.authors
                for part in normalise(author).split()
                if len(part) > 2
            }
        )

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

    def _fuzzy(self, qtok: str) -> list[tuple[str, float]]:
        """Known words close to a query word: ``[(word, similarity 0-1)]``, at most 8.

        A Latin word of 4+ letters that is not known itself is looked up as a typo. Its
        candidates come from a deletion index (SymSpell, Wolf Garbe 2012): every known word
        is filed under itself and its one-letter deletions, and the query word is looked up
        under itself and its one- and two-letter deletions. That finds every known word
        within one deletion of a common subsequence of the query (typed letters swapped,
        dropped, doubled or replaced), then ``fuzz.ratio`` >= ``TOKEN_CUTOFF`` decides. A
        scan of the whole vocabulary would also find a word two typos away from a short known
        word; with the real catalogue, the answers to both question sets are the same either
        way. It costs a few dictionary look-ups instead of a scan of 30,000 words in a
        10,000-paper catalogue (``benchmarks/matching.py``).
        """
        known = self._context
        if CJK_RUN.fullmatch(qtok) or len(qtok) < 4 or qtok.isdigit():
            return [(qtok, 1.0)] if qtok in known else []
        if qtok in known:
            # A word we know is that word, not a typo of its neighbour ("relation" is not
            # "relational"); this also spares the fuzzy search.
            return [(qtok, 1.0)]
        if len(qtok) > self._typo_max_length:
            return []  # no known word is close enough in length to reach TOKEN_CUTOFF
        pool = sorted(
            {w for key in _deletions(qtok, 2) for w in self._typo_index.get(key, ())},
            key=self._vocab_rank.__getitem__,
        )
        found = process.extract(qtok, pool, scorer=fuzz.ratio, score_cutoff=TOKEN_CUTOFF, limit=8)
        return [(tok, (score / 100.0) ** 2) for tok, score, _ in found]

    def score_entities(self, query: str) -> list[tuple[str, float]]:
        """Score every paper and decoy against ``query``; ``(entity id, score)`` best first.

        Decoy ids start with :data:`DECOY_PREFIX`. Scores are 0-100; only an exact match of
        the compact forms reaches 100, every other score is capped at ``FUZZY_CAP``.
        """
        normal = normalise(query)
        normal = _NEGATION.sub("", normal).strip() or normal
        author_hint: str | None = None
        m = _AUTHOR_HINT.search(normal)
        if m and self._is_author(m.group(1)):
            author_hint = m.group(1).strip()
            normal = normal[: m.start()].strip()
        qunits = units(normal, query=True)
        qshares = weighted_tokens(qunits)
        qtoks = list(qshares)
        if not qunits:
            return []
        qcompact = _compact(qunits)
        qversions = versions(" ".join(qunits))
        best: dict[int, float] = {}

        # Edit scorer over all compact strings, in one C call; only for similar lengths.
        q_cjk = has_cjk(qcompact)
        qforms = [qcompact]
        if qversions:
            qforms.append(_compact(qunits, bare=True))
        for qform in qforms:
            for idx in self._exact.get(qform, ()):
                best[idx] = 100.0
            # Only strings of a similar length and the same script can score (see above).
            a = len(qform)
            if a < MIN_EDIT_LENGTH:
                continue
            lens, strs, owners = self._by_length[q_cjk]
            lo = bisect.bisect_left(lens, max(MIN_EDIT_LENGTH, math.ceil(a / LENGTH_RATIO)))
            hi = bisect.bisect_right(lens, math.floor(a * LENGTH_RATIO))
            for _, s, j in process.extract(
                qform, strs[lo:hi], scorer=fuzz.ratio, score_cutoff=KEEP_FLOOR, limit=None
            ):
                if s < 100:
                    idx = owners[lo + j]
                    best[idx] = max(best.get(idx, 0.0), min(s, FUZZY_CAP))

        # Token F-score through the inverted index.
        # One fuzzy look-up per query token, over every known word (names and context).
        # Filler words the query dropped still match a name that contains them ("Transformer
        # paper", "Kolmogorov complexity book"): they add recall but weigh nothing in precision.
        soft = [w for w in dict.fromkeys(units(normal)) if w in FILLER_EN and w not in qshares]
        near = {qt: self._fuzzy(qt) for qt in qtoks + soft}
        # A word known to no paper or decoy cannot tell papers apart; it still counts
        # against precision, but less (Chinese bigrams of a description, typos of filler).
        # A word only fuzzily known is that much unknown.
        q_weights = {}
        for qt in qtoks:
            known = max((sim for _, sim in near[qt]), default=0.0)
            unknown = self.unknown_zh if has_cjk(qt) else self.unknown_en
            q_weights[qt] = (
                self._idf.get(qt, self._max_idf) * qshares[qt] * (known + (1 - known) * unknown)
            )
        q_weight = sum(q_weights.values())
        b2 = self.beta * self.beta
        # A decoy has no known year: a year in the query neither fits nor contradicts it.
        years = {qt: DECOY_YEAR_WEIGHT for qt in qtoks if _YEAR.fullmatch(qt)}
        free = sum(q_weights[qt] * w for qt, w in years.items())
        lookup, share = self._lookup_only(qtoks + soft, near, q_weights, q_weight, b2, free)
        # Candidates: every string that holds a generating word, and every string of an
        # entity whose context explains one. Lookup-only words add to these, never more.
        found: set[int] = set()
        context: dict[str, dict[str, float]] = {}
        for qt in qtoks + soft:
            if qt in lookup:
                continue
            for tok, sim in near[qt]:
                found.update(self._postings.get(tok, ()))
                if qt in q_weights:
                    for pid, weight in self._context[tok].items():
                        if sim * weight > context.setdefault(pid, {}).get(qt, 0.0):
                            context[pid][qt] = sim * weight
        if lookup:
            # An entity's other names, matched by lookup-only words alone, can still score if
            # its context explains the rest of the query: bound it as in _lookup_only.
            weak = {tok for qt in lookup for tok, _ in near[qt]}
            for pid, ctx in context.items():
                if self._entity_tokens[pid].isdisjoint(weak):
                    continue
                p = (share + sum(q_weights[qt] * v for qt, v in ctx.items())) / q_weight
                if (1 + b2) * p / (b2 * p + 1) >= KEEP_FLOOR / 100.0:
                    found.update(self._of_entity[pid])
        if lookup:
            found_entities = {self._candidates[idx].entity for idx in found}
            for qt in lookup & q_weights.keys():
                for pid in found_entities:
                    for tok, sim in near[qt]:
                        weight = self._context[tok].get(pid, 0.0)
                        if sim * weight > context.setdefault(pid, {}).get(qt, 0.0):
                            context[pid][qt] = sim * weight
        floor = KEEP_FLOOR / 100.0
        nearby = {tok for qt in qtoks + soft for tok, _ in near[qt]}
        for idx in found:
            cand = self._candidates[idx]
            if cand.tokset.isdisjoint(nearby):
                continue  # an entity's other name, found through its context only
            matched: dict[str, float] = {}
            r_num = 0.0
            for qt in qtoks + soft:
                gain = 0.0
                for tok, sim in near[qt]:
                    if tok in cand.tokset and self._idf[tok] * sim > gain:
                        gain, matched[qt] = self._idf[tok] * sim, sim
                r_num += gain
            if not r_num:
                continue
            recall = min(1.0, r_num / self._cand_weight[idx])
            # Even a perfect precision could not lift this string to a useful score.
            evidence = min(1.0, r_num / self.min_evidence) if self.min_evidence else 1.0
            if (1 + b2) * recall / (b2 + recall) * evidence < floor:
                continue
            ctx = context.get(cand.entity, {})
            if years and cand.entity.startswith(DECOY_PREFIX):
                ctx = {**years, **ctx}
            explained = sum(
                w * max(matched.get(qt, 0.0), ctx.get(qt, 0.0)) for qt, w in q_weights.items()
            )
            precision = min(1.0, explained / q_weight) if q_weight else 0.0
            denom = b2 * precision + recall
            f = (1 + b2) * precision * recall / denom if denom else 0.0
            # One generic word ("模型", "network") is too little evidence for any paper.
            f *= evidence
            if f >= floor:
                best[idx] = max(best.get(idx, 0.0), min(100.0 * f, FUZZY_CAP))

        per_entity: dict[str, float] = {}
        for idx, s in best.items():
            cand = self._candidates[idx]
            s -= self._version_penalty(qversions, cand.versions)
            if s > per_entity.get(cand.entity, 0.0):
                per_entity[cand.entity] = s
        # Citation: an author's surname and the year ("Grünwald 2004", "the 1993 Hinton MDL
        # paper"), every other word explained by the paper, identify it.
        if years:
            for pid, ctx in context.items():
                cite = self._cite.get(pid)
                if (
                    cite is not None
                    and cite[1] in years
                    and any(
                        ctx.get(qt, 0.0) >= CONTEXT_WEIGHT * 0.8 and qt in cite[0] for qt in qtoks
                    )
                    and all(ctx.get(qt, 0.0) > 0 for qt, w in q_weights.items() if w > 0)
                ):
                    per_entity[pid] = max(per_entity.get(pid, 0.0), self.citation)
        if author_hint:
            for pid in per_entity:
                paper = self.catalogue.papers.get(pid)
                if paper is not None and self._author_matches(author_hint, paper):
                    per_entity[pid] = min(FUZZY_CAP, per_entity[pid] + AUTHOR_BONUS)
        order = self._order
        ranked = sorted(
            per_entity.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0])
        )
        return [(e, round(s, 1)) for e, s in ranked if s > 0]

    def score(self, query: str) -> list[Scored]:
        """Score every paper against ``query``.

        Returns:
            Papers with a score > 0 (0-100, float), best first; ties keep catalogue order.
        """
        return [
            Scored(self.catalogue.papers[e], s)
            for e, s in self.score_entities(query)
            if not e.startswith(DECOY_PREFIX)
        ]

    def _lookup_only(
        self,
        qtoks: list[str],
        near: Mapping[str, list[tuple[str, float]]],
        q_weights: Mapping[str, float],
        q_weight: float,
        b2: float,
        free: float = 0.0,
    ) -> tuple[set[str], float]:
        """Choose the query words that only add to candidates other words found.

        In a large catalogue a common word ("learning", "网络") sits in thousands of strings.
        A string matched by such words alone explains at most their share ``p`` of the query's
        weight (each word's weight times its best fuzzy similarity, plus ``free``: the year
        credit every decoy gets), so its F-score is at most ``(1 + b2) p / (b2 p + 1)``
        (recall 1). Words are made lookup-only, the costliest first, while that bound stays
        under :data:`KEEP_FLOOR`. So no string that could score :data:`KEEP_FLOOR` or more is
        lost, and no word is lookup-only unless it touches more than :data:`LOOKUP_ONLY_MIN`
        strings (never in the real catalogue). Words without precision weight (filler kept
        for recall) cost nothing to the bound. This is max-score pruning (Turtle and Flood,
        1995) applied to the F-score.

        Returns:
            The lookup-only words, and the share of the query weight they can explain.
        """
        cost = {
            qt: sum(
                len(self._postings.get(t, ())) + len(self._context.get(t, ())) for t, _ in near[qt]
            )
            for qt in qtoks
        }
        out: set[str] = set()
        share = free
        for qt in sorted(qtoks, key=lambda q: -cost[q]):
            if cost[qt] <= LOOKUP_ONLY_MIN:
                break
            # A word explains at most its weight times its best similarity (a typo of a
            # common word explains little).
            most = q_weights.get(qt, 0.0) * max((sim for _, sim in near[qt]), default=0.0)
            p = (share + most) / q_weight if q_weight else 1.0
            if (1 + b2) * p / (b2 * p + 1) < KEEP_FLOOR / 100.0:
                out.add(qt)
                share += most
        return out, share

    @staticmethod
    def _version_penalty(q: frozenset[int], c: frozenset[int]) -> float:
        if q and c:
            return 0.0 if q & c else VERSION_MISMATCH
        if q and not c:
            return 0.0 if q == {1} else VERSION_MISSING
        if c and not q:
            return 0.0 if c == {1} else VERSION_UNASKED
        return 0.0

    def _is_author(self, hint: str) -> bool:
        """True if the last word of a "by ..." phrase is some author's name (so that
        "... by jointly learning to align" stays part of the title)."""
        words = hint.split()
        return (
            bool(words)
            and process.extractOne(words[-1], self._surnames, scorer=fuzz.ratio, score_cutoff=85)
            is not None
        )

    @staticmethod
    def _author_matches(hint: str, paper: Paper) -> bool:
        for author in paper.authors:
            for part in normalise(author).split():
                if len(part) > 2 and fuzz.ratio(part, hint.split()[-1]) >= 85:
                    return True
        return False

    def match(self, query: str) -> Match:
        """Match a query (any language, any script) to an answer, choices or none.

        A decoy (a famous work that is on no list) as good as the best paper means none.
        """
        entities = self.score_entities(query)
        ranked = [
            Scored(self.catalogue.papers[e], s)
            for e, s in entities
            if not e.startswith(DECOY_PREFIX)
        ]
        decoy = next((s for e, s in entities if e.startswith(DECOY_PREFIX)), 0.0)
        top_score = ranked[0].score if ranked else 0.0
        if decoy >= self.answer_cutoff and decoy > top_score - self.margin:
            return Match("none", ranked=tuple(ranked))
        if not ranked or top_score < self.answer_cutoff:
            # A near miss is only worth suggesting if no off-list work is as close.
            floor = max(self.suggest_cutoff, decoy + 0.1)
            suggestions = tuple(s for s in ranked[:MAX_CHOICES] if s.score >= floor)
            return Match("none", suggestions=suggestions, ranked=tuple(ranked))
        top = ranked[0]
        close = [s for s in ranked[1:] if top.score - s.score < self.margin]
        if not close:
            return Match("answer", best=top, ranked=tuple(ranked))
        choices = (top, *close[: MAX_CHOICES - 1])
        return Match("choices", choices=choices, ranked=tuple(ranked))
