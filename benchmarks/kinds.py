"""Accuracy on the questions that are not a paper's name, per kind (python -m benchmarks.kinds).

Sets: ``tests/data/questions/kinds.yaml`` (dev, used for tuning) and
``benchmarks/heldout/kinds.yaml`` (held out, never used for tuning), written blind from the
papers (see their headers); ``benchmarks/heldout/kinds-2.yaml``, a second held-out set written
blind after the first had been seen once. Each item has a ``kind`` and what a right answer holds:

* ``related``: the answer is a relations answer about ``expect``;
* ``compare``: a comparison of exactly the ``expect`` pair;
* ``video``: a video answer about ``expect``;
* ``list_info`` / ``start`` / ``smalltalk``: an answer of that kind;
* ``command``: the command ``expect``; ``action``: ``action`` on ``expect``;
* ``field``: ``expect``'s ``field`` (``summary`` is the card);
* ``topic`` / ``author``: a list answer whose subject covers every ``expect_any`` paper, with at
  least one of them shown or the rest one button away (papers on the other list);
* ``year``: the papers of ``year``; ``paper``: the card of ``expect``.

The current list is the item's ``list`` or Ilya Sutskever's.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core.answers import Answer, Answerer
from bot.core.catalogue import Catalogue, load_catalogue

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "questions" / "kinds.yaml"
HELDOUT = ROOT / "benchmarks" / "heldout" / "kinds.yaml"
#: A second held-out set, written blind after the first had been seen once (its header).
HELDOUT_2 = ROOT / "benchmarks" / "heldout" / "kinds-2.yaml"
DEFAULT_LIST = "sutskever-30"
FIELDS = {"authors": "authors", "year": "year", "link": "link", "why": "why", "summary": "what"}


@dataclass
class KindReport:
    """Per-kind counts and the missed questions."""

    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)

    def share(self, kind: str) -> float:
        """Share answered right (0-1) for ``kind``."""
        return self.right[kind] / self.total[kind] if self.total[kind] else 0.0

    @property
    def overall(self) -> float:
        """Share answered right over all kinds (0-1)."""
        total = sum(self.total.values())
        return sum(self.right.values()) / total if total else 0.0


def load(path: Path) -> list[dict[str, Any]]:
    """The labelled items of one set."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def covered(catalogue: Catalogue, answerer: Answerer, a: Answer) -> set[str]:
    """Every paper, on any list, that the list answer's subject covers."""
    if a.listing is None:
        return set()
    subject = a.listing.subject
    if a.listing.kind == "topic":
        return {p.id for p in catalogue if subject in p.topics}
    if a.listing.kind == "author":
        return {p.id for p in answerer.authors.papers_by(subject, catalogue.papers.values())}
    if a.listing.kind == "category":
        lst = catalogue.lists[a.listing.list_id]
        return {pid for c in lst.categories if c.id == subject for pid in c.paper_ids}
    return {p.id for p in a.papers}


def is_right(catalogue: Catalogue, answerer: Answerer, item: dict[str, Any], a: Answer) -> bool:
    """Whether ``a`` is a right answer to the labelled ``item``."""
    kind, expect = item["kind"], item.get("expect")
    paper = a.paper.paper.id if a.paper is not None else None
    if kind in {"related", "video"}:
        return a.kind == kind and paper == expect
    if kind == "compare":
        return a.kind == "compare" and {p.id for p in a.papers} == set(expect or ())
    if kind in {"list_info", "start", "smalltalk"}:
        return a.kind == kind
    if kind == "command":
        return a.kind == "command" and a.command == expect
    if kind == "action":
        return a.kind == "action" and a.action == item["action"] and paper == expect
    if kind == "field":
        return a.status == "answer" and paper == expect and a.facet == FIELDS[item["field"]]
    if kind in {"topic", "author"}:
        shown = {p.id for p in a.papers}
        want = set(item["expect_any"])
        # Shown, or one button away ("5 more on Li Mu's list").
        reachable = bool(want & shown) or bool(a.elsewhere)
        return a.status == "papers" and want <= covered(catalogue, answerer, a) and reachable
    if kind == "year":
        return a.listing is not None and a.listing.subject == str(item["year"])
    return a.status == "answer" and paper == expect


def evaluate_kinds(answerer: Answerer, items: list[dict[str, Any]]) -> KindReport:
    """Answer every item and count the right ones per kind."""
    report = KindReport()
    catalogue = answerer.catalogue
    for item in items:
        a = answerer.answer(item["q"], current_list=item.get("list") or DEFAULT_LIST)
        kind = item["kind"]
        report.total[kind] += 1
        if is_right(catalogue, answerer, item, a):
            report.right[kind] += 1
        else:
            got = a.paper.paper.id if a.paper else [p.id for p in a.papers][:3]
            report.misses.append(f"[{kind}] {item['q']!r}: got {a.kind}/{a.status} {got}")
    return report


def table(reports: dict[str, KindReport]) -> str:
    """A Markdown table: one row per kind, one column per set."""
    names = list(reports)
    kinds = sorted({k for r in reports.values() for k in r.total})
    lines = ["| kind | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for kind in kinds:
        cells = [
            f"{r.share(kind):.0%} ({r.right[kind]}/{r.total[kind]})" for r in reports.values()
        ]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines.append("| **all** | " + " | ".join(f"{r.overall:.1%}" for r in reports.values()) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print per-kind accuracy on the dev and held-out sets (and the misses with --misses)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the missed questions")
    args = parser.parse_args(argv)
    answerer = Answerer(load_catalogue())
    reports = {"dev": evaluate_kinds(answerer, load(DEV))}
    if HELDOUT.exists():
        reports["held-out"] = evaluate_kinds(answerer, load(HELDOUT))
    if HELDOUT_2.exists():
        reports["held-out 2"] = evaluate_kinds(answerer, load(HELDOUT_2))
    print(table(reports))
    if args.misses:
        for name, report in reports.items():
            print(f"\n{name} misses:")
            print("\n".join(f"  {m}" for m in report.misses) or "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
