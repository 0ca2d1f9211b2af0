"""The matcher's index, built once from a catalogue.

Every paper contributes *candidate strings*: its title, Chinese title and aliases in both
languages, and the head of a title before a colon ("Order Matters"). Decoys (famous works on
neither list) contribute their names the same way, as entities named ``decoy:<name>``. For each
candidate string the index keeps:

* its compact forms, for the exact scorer (a dictionary) and the edit scorer (sorted by length,
  per script): the plain one, one without query filler words ("Attention Is All You Need" ->
  ``attentionallneed``) and one with bare version digits (``clip 4 clip`` = ``CLIP4Clip``), so
  that a query and a name lose the same words;
* its tokens, in an inverted index (*postings*), with IDF computed over papers and decoys, so
  "network" counts little and "pointer" a lot.

Per entity it keeps the *context*: words that explain a query without naming the paper (its
year, author surnames and topic names at ``CONTEXT_WEIGHT``, the words of its other names at
``name_context``), and the surnames and year of its citation ("Grünwald 2004").

Typos are found through a deletion index (:meth:`Index.fuzzy`) instead of a scan of the
vocabulary.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.catalogue import Catalogue, Paper
from bot.core.matching.analysis import compact, deletions, tokens, units
from bot.core.matching.params import CONTEXT_WEIGHT, TOKEN_CUTOFF
from bot.core.text import CJK_RUN, has_cjk, normalise, versions

DECOY_PREFIX = "decoy:"


def is_decoy(entity: str) -> bool:
    """True if ``entity`` (an id from :attr:`Candidate.entity`) names a decoy, not a paper."""
    return entity.startswith(DECOY_PREFIX)


@dataclass
class Candidate:
    """One candidate string: a name of one entity (a paper id, or ``decoy:<name>``).

    Attributes:
        entity: the paper id, or :data:`DECOY_PREFIX` + the decoy's first name.
        text: the string as written in the catalogue.
        compact: its units run together (the exact scorer's form).
        tokens: its match tokens, in order.
        versions: the version numbers it names (``{2}`` for "YOLOv2").
        tokset: ``tokens`` as a set.
    """

    entity: str
    text: str
    compact: str
    tokens: tuple[str, ...]
    versions: frozenset[int]
    tokset: frozenset[str]


# A length-sorted table of compact forms: (lengths, forms, candidate index of each form).
ByLength = tuple[list[int], list[str], list[int]]


class Index:
    """Everything the scorers look up. Built once; read-only afterwards.

    Args:
        catalogue: the loaded catalogue (papers and decoys).
        name_context: the weight of an entity's other names as context (0-1).

    Attributes:
        papers: the catalogue's papers by id.
        candidates: every candidate string; the scorers refer to them by position.
        exact: compact form -> candidates that have it.
        by_length: per script (``True`` = Chinese), the compact forms sorted by length.
        postings: token -> candidates whose tokens hold it.
        of_entity: entity -> its candidates.
        entity_tokens: entity -> every token of its names (empty for an unknown entity).
        idf: token -> ``log(1 + entities / entities with the token)``.
        max_idf: the IDF of a token no entity has.
        weights: per candidate, the IDF mass of its tokens (recall's denominator).
        context: token -> {entity: how much the token explains a query about it (0-1)}.
        order: paper id -> its position in the catalogue (ranking ties keep this order).
        citations: paper id -> (author surname tokens, year as text).
        surnames: sorted author name parts of 3+ letters (to recognise "by <name>").
    """

    def __init__(self, catalogue: Catalogue, *, name_context: float) -> None:
        self.papers: Mapping[str, Paper] = catalogue.papers
        entities: list[tuple[str, Iterable[str]]] = [(p.id, _strings(p)) for p in catalogue]
        entities += [(f"{DECOY_PREFIX}{names[0]}", names) for names in catalogue.decoys]
        self.candidates: list[Candidate] = []
        forms: list[tuple[str, int]] = []
        for entity, strings in entities:
            for text in strings:
                forms += self._add_candidate(entity, text)
        self.exact: dict[str, list[int]] = defaultdict(list)
        for form, owner in forms:
            self.exact[form].append(owner)
        self.by_length: dict[bool, ByLength] = {
            cjk: _by_length(f for f in forms if has_cjk(f[0]) == cjk) for cjk in (False, True)
        }
        self._index_tokens(len(entities))
        self.context = self._build_context(catalogue, name_context)
        self._build_typo_index()
        self.order = {pid: i for i, pid in enumerate(catalogue.papers)}
        self.citations = _citations(catalogue)
        self.surnames = sorted(
            {
                part
                for p in catalogue
                for author in p.authors
                for part in normalise(author).split()
                if len(part) > 2
            }
        )

    def _add_candidate(self, entity: str, text: str) -> list[tuple[str, int]]:
        """Add one candidate string; return its edit-scorer forms with its position."""
        normal = normalise(text)
        u = units(normal)
        form = compact(u) or normal.replace(" ", "")
        if not form:
            return []
        toks = tuple(tokens(u))
        owner = len(self.candidates)
        self.candidates.append(
            Candidate(entity, text, form, toks, versions(normal), frozenset(toks))
        )
        # Also the form with query filler removed ("Attention Is All You Need" ->
        # "attentionallneed"), so that a query and a title lose the same words.
        u_q = units(normal, query=True)
        forms = {form, compact(u_q), compact(u, bare=True), compact(u_q, bare=True)}
        return [(f, owner) for f in sorted(forms) if f]

    def _index_tokens(self, n_entities: int) -> None:
        """Build the postings, each entity's candidates and tokens, and the IDF."""
        entities_with: dict[str, set[str]] = defaultdict(set)
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.of_entity: dict[str, list[int]] = defaultdict(list)
        entity_tokens: dict[str, set[str]] = defaultdict(set)
        for i, cand in enumerate(self.candidates):
            self.of_entity[cand.entity].append(i)
            entity_tokens[cand.entity].update(cand.tokens)
            for tok in cand.tokens:
                entities_with[tok].add(cand.entity)
                self.postings[tok].append(i)
        # Every token of an entity's names; context-only entities have none (empty set).
        self.entity_tokens: defaultdict[str, frozenset[str]] = defaultdict(frozenset)
        self.entity_tokens.update((e, frozenset(t)) for e, t in entity_tokens.items())
        self.idf = {t: math.log(1 + n_entities / len(es)) for t, es in entities_with.items()}
        self.max_idf = math.log(1 + n_entities)
        self.weights = [sum(self.idf[t] for t in c.tokens) for c in self.candidates]

    def _build_context(
        self, catalogue: Catalogue, name_context: float
    ) -> dict[str, dict[str, float]]:
        """Words that explain a query without naming the paper (author surnames, the year,
        topic names) and the words of the entity's *other* names ("孪生网络 SimSiam" mixes two
        names of one paper). They raise precision only, never recall."""
        context: dict[str, dict[str, float]] = defaultdict(dict)
        for cand in self.candidates:
            for tok in cand.tokens:
                context[tok][cand.entity] = name_context
        for p in catalogue:
            for w in _context_words(p, catalogue):
                for tok in tokens(units(normalise(w))):
                    context[tok][p.id] = max(CONTEXT_WEIGHT, context[tok].get(p.id, 0.0))
        return context

    def _build_typo_index(self) -> None:
        """File every known Latin word of 3+ letters under its one-letter deletions."""
        self._vocab_rank = {w: i for i, w in enumerate(self.context)}
        self._typo_index: dict[str, list[str]] = defaultdict(list)
        longest = 0
        for word in self.context:
            if len(word) >= 3 and not word.isdigit() and not has_cjk(word):
                longest = max(longest, len(word))
                for key in deletions(word, 1):
                    self._typo_index[key].append(word)
        # fuzz.ratio of a word of length a against one of length b is at most 200 b / (a + b),
        # so a query word longer than this cannot reach TOKEN_CUTOFF against any known word
        # (and its two-letter deletions, quadratic in its length, are never built).
        self._typo_max_length = math.floor(longest * (200 - TOKEN_CUTOFF) / TOKEN_CUTOFF)

    def fuzzy(self, word: str) -> list[tuple[str, float]]:
        """Known words close to a query word: ``[(known word, similarity 0-1)]``, at most 8.

        A known word is itself only (similarity 1). A Latin word of 4+ letters that is not
        known is looked up as a typo. Its candidates come from a deletion index (SymSpell,
        Wolf Garbe 2012): every known word is filed under itself and its one-letter deletions,
        and the query word is looked up under itself and its one- and two-letter deletions.
        That finds every known word within one deletion of a common subsequence of the query
        (typed letters swapped, dropped, doubled or replaced), then ``fuzz.ratio`` >=
        ``TOKEN_CUTOFF`` decides; the similarity is the squared ratio. A scan of the whole
        vocabulary would also find a word two typos away from a short known word; with the
        real catalogue, the answers to both question sets are the same either way. It costs a
        few dictionary look-ups instead of a scan of 30,000 words in a 10,000-paper catalogue
        (``benchmarks/matching.py``).
        """
        known = self.context
        if CJK_RUN.fullmatch(word) or len(word) < 4 or word.isdigit():
            return [(word, 1.0)] if word in known else []
        if word in known:
            # A word we know is that word, not a typo of its neighbour ("relation" is not
            # "relational"); this also spares the fuzzy search.
            return [(word, 1.0)]
        if len(word) > self._typo_max_length:
            return []  # no known word is close enough in length to reach TOKEN_CUTOFF
        pool = sorted(
            {w for key in deletions(word, 2) for w in self._typo_index.get(key, ())},
            key=self._vocab_rank.__getitem__,
        )
        found = process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=TOKEN_CUTOFF, limit=8)
        return [(tok, (score / 100.0) ** 2) for tok, score, _ in found]

    def is_author(self, hint: str) -> bool:
        """True if the last word of a "by ..." phrase is some author's name (so that
        "... by jointly learning to align" stays part of the title)."""
        words = hint.split()
        return (
            bool(words)
            and process.extractOne(words[-1], self.surnames, scorer=fuzz.ratio, score_cutoff=85)
            is not None
        )


def _strings(paper: Paper) -> Iterator[str]:
    """A paper's candidate strings: titles and aliases, and their heads before a colon."""
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


def _by_length(forms: Iterable[tuple[str, int]]) -> ByLength:
    rows = sorted((len(form), form, owner) for form, owner in forms)
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def _context_words(paper: Paper, catalogue: Catalogue) -> list[str]:
    """The year, author surnames, full names and aliases, and topic names of a paper."""
    words = [str(paper.year)]
    for author in paper.authors:
        parts = normalise(author).split()
        if parts and "et" not in parts:
            words.append(parts[-1])
            words.append("".join(parts))
    for author, aliases in catalogue.author_aliases.items():
        if author in paper.authors:
            words.extend(aliases)
    for t in paper.topics:
        topic = catalogue.topics[t]
        words.extend((topic.name.en, topic.name.zh, *topic.aliases))
    return words


def _citations(catalogue: Catalogue) -> dict[str, tuple[frozenset[str], str]]:
    """Per paper: the tokens of its authors' surnames (and aliases) and its year as text."""
    out: dict[str, tuple[frozenset[str], str]] = {}
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
        out[p.id] = (frozenset(names), str(p.year))
    return out
