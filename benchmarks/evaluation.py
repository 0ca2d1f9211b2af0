"""Evaluate the answerer on a labelled question set (``tests/data/questions/*.yaml``, and the
held-out ``benchmarks/heldout/questions.yaml``).

Used by the accuracy tests (``tests/test_matching.py``) and by ``benchmarks/matching.py``; it
is not part of the bot. An item is correct when:

* intent ``paper`` with ``expect: <id>``: status ``answer`` with that paper (top-1), and the
  facet asked (``ask``, default ``what``) was recognised;
* intent ``paper`` with ``expect: none``: status ``none`` (abstention);
* list intents (count/position/author/topic/year/category): the answer lists exactly the
  papers the label implies, computed from the catalogue.

A ``choices`` reply to an on-list question counts as a miss for top-1, but is reported apart:
it is the safe failure (the user picks), unlike a wrong answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core.answers import Answer, Answerer


@dataclass(frozen=True)
class Question:
    """One labelled question."""

    q: str
    intent: str = "paper"
    expect: str | None = None
    ask: str = "what"
    list: str | None = None
    n: int | None = None
    author: str | None = None
    topic: str | None = None
    year: int | None = None
    category: str | None = None
    source: str = ""


@dataclass
class Report:
    """Counts and misses for one evaluation run."""

    on_list: int = 0
    on_list_correct: int = 0
    on_list_choices: int = 0
    on_list_wrong: int = 0
    off_list: int = 0
    off_list_correct: int = 0
    list_level: int = 0
    list_level_correct: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def top1(self) -> float:
        """Top-1 accuracy over on-list paper questions (0-1)."""
        return self.on_list_correct / self.on_list if self.on_list else 0.0

    @property
    def abstention(self) -> float:
        """Share of off-list questions answered with none (0-1)."""
        return self.off_list_correct / self.off_list if self.off_list else 0.0

    @property
    def list_accuracy(self) -> float:
        """Share of list-level questions answered with exactly the right papers (0-1)."""
        return self.list_level_correct / self.list_level if self.list_level else 0.0

    @property
    def choices_rate(self) -> float:
        """Share of on-list questions that got choices instead of one answer (0-1)."""
        return self.on_list_choices / self.on_list if self.on_list else 0.0


#: Sets of other kinds of question (describe-the-idea, relations, smalltalk, ...), with their
#: own format and harness (``benchmarks/describe.py``, ``benchmarks/kinds.py``).
OTHER_SETS = frozenset({"describe", "kinds"})


def name_sets(folder: Path) -> list[Path]:
    """The name-question sets in ``folder``: every YAML file but the :data:`OTHER_SETS`
    (``kinds.yaml``, ``kinds-2.yaml``, ``describe.yaml``...)."""
    return sorted(p for p in folder.glob("*.yaml") if p.stem.partition("-")[0] not in OTHER_SETS)


def load_questions(paths: Iterable[Path]) -> list[Question]:
    """Read labelled questions from YAML files (lists of mappings)."""
    out = []
    for path in paths:
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            fields = {k: v for k, v in raw.items() if k in Question.__dataclass_fields__}
            expect = fields.get("expect")
            if expect is not None:
                fields["expect"] = None if str(expect) == "none" else str(expect)
            fields["q"] = str(fields["q"])
            out.append(Question(**fields, source=path.name))
    return out


def expected_papers(answerer: Answerer, item: Question) -> list[str]:
    """Return the paper ids a list-level question should list, in list order."""
    cat = answerer.catalogue
    list_id = item.list or cat.default_list.id
    papers = cat.papers_of(list_id)
    if item.intent == "count":
        return [p.id for p in papers]
    if item.intent == "author":
        name = answerer.find_author(item.author or "")
        return [p.id for p in answerer.authors.papers_by(name, papers)] if name else []
    if item.intent == "topic":
        return [p.id for p in papers if item.topic in p.topics]
    if item.intent == "year":
        return [p.id for p in papers if p.year == item.year]
    if item.intent == "category":
        for lst in cat.lists.values():
            for c in lst.categories:
                if c.id == item.category:
                    return list(c.paper_ids)
    return []


def _describe(a: Answer) -> str:
    if a.status == "answer" and a.paper:
        return f"answer {a.paper.paper.id} ({a.paper.score}) facet={a.facet}"
    if a.status == "choices":
        return "choices " + ", ".join(f"{s.paper.id} ({s.score})" for s in a.choices)
    if a.status == "papers":
        kind = a.listing.kind if a.listing else "?"
        return f"papers[{kind}] " + ",".join(p.id for p in a.papers[:6])
    near = ", ".join(f"{s.paper.id} ({s.score})" for s in a.suggestions)
    return f"none ({a.reason}) {near}"


def check(answerer: Answerer, item: Question) -> tuple[bool, Answer]:
    """Answer one labelled question and say whether the answer is right."""
    a = answerer.answer(item.q, current_list=item.list)
    if item.intent == "paper":
        if item.expect is None:
            # No paper, said plainly: a "none", or a reply that is not about papers at all
            # (a greeting answered as a greeting, a command in words).
            return a.status in {"none", "info"}, a
        ok = (
            a.status == "answer"
            and a.paper is not None
            and a.paper.paper.id == item.expect
            and a.facet == item.ask
        )
        return ok, a
    if item.intent == "position":
        list_id = item.list or answerer.catalogue.default_list.id
        want = answerer.catalogue.lists[list_id].order[(item.n or 1) - 1]
        return a.status == "answer" and a.paper is not None and a.paper.paper.id == want, a
    want_ids = expected_papers(answerer, item)
    got = [p.id for p in a.papers] if a.status == "papers" else []
    return got == want_ids and bool(want_ids), a


def evaluate(answerer: Answerer, questions: Iterable[Question]) -> Report:
    """Run every question and collect a :class:`Report` with one line per miss."""
    r = Report()
    for item in questions:
        ok, a = check(answerer, item)
        if item.intent == "paper" and item.expect is not None:
            r.on_list += 1
            r.on_list_correct += ok
            if not ok:
                if a.status == "choices":
                    r.on_list_choices += 1
                elif a.status == "answer":
                    r.on_list_wrong += 1
        elif item.intent == "paper":
            r.off_list += 1
            r.off_list_correct += ok
        else:
            r.list_level += 1
            r.list_level_correct += ok
        if not ok:
            label: Any = item.expect or "none"
            if item.intent != "paper":
                subject = item.n or item.author or item.topic or item.year or item.category
                label = f"{item.intent}:{subject or ''}"
            r.misses.append(
                f"[{item.source}] {item.q!r} want {label} ({item.ask}) got {_describe(a)}"
            )
    return r
