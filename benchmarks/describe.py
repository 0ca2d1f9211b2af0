"""Benchmark the describe-the-idea search (:mod:`bot.core.search`) on the labelled sets.

Sets. ``tests/data/questions/describe.yaml`` (DEV, the cutoffs were tuned on it) and
``benchmarks/heldout/describe.yaml`` (HELD-OUT, never tuned on: run only to report). Each entry
is ``{q, expect: id | [ids] | none, lang: en | zh-hans | zh-hant, paraphrase: true?}``.

Scoring. A question is *correct* when the search answers the expected paper (any of them for a
list), or offers it among its (at most three) choices; for an off-list question (``expect:
none``) only ``"none"`` is correct. A *confident wrong* is an ``"answer"`` that is not an
expected paper, off-list questions included; *confident off-list* counts those on off-list
questions alone. *Choices* is the share of questions answered with choices. Rows: overall, per
language, paraphrases, on-list and off-list questions.

Baseline ("plain"). The same library's BM25 (bm25s, same k1/b, same tokens) over each paper's
titles and summaries (English and Chinese) only: no contributions, no decoys, no margin. It
answers its top paper when the score reaches a single cutoff, else "none"; the cutoff is the
one (0.5 steps) that maximises correct answers on DEV.

Latency. Every question of both sets through ``Searcher.search`` once per run after a warm-up
pass (which also builds the index), timed with ``time.perf_counter_ns``; p50 and p99 (nearest
rank) per run, median over ``--runs`` runs. Start-up: the import of numpy and bm25s and the
index build, in a fresh process; memory: RSS of that process before and after.

Tuning (``--tune``, DEV only). The evidence of every dev question is gathered once and the
decision cutoffs of :class:`bot.core.search.Params` are grid-searched (:data:`GRID`) with a
vectorised copy of :func:`bot.core.search.decide` (checked against the real one at the end).
Objective: no confident wrong answer at the setting nor at a looser neighbour (a margin), then
the most correct, then the most answers, ties to the stricter setting. The report then uses
the tuned cutoffs; the defaults in ``Params`` are what it found.

Run: .venv/bin/python -m benchmarks.describe [--runs 5] [--misses] [--tune]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``bot`` importable
    sys.path.insert(0, str(ROOT))

from bot.core.answers import Answerer  # noqa: E402
from bot.core.catalogue import Catalogue, load_catalogue  # noqa: E402
from bot.core.search import (  # noqa: E402
    MAX_CHOICES,
    Evidence,
    Params,
    Searcher,
    SearchResult,
    decide,
    tokens,
)

DEV = ROOT / "tests" / "data" / "questions" / "describe.yaml"
HELDOUT = ROOT / "benchmarks" / "heldout" / "describe.yaml"
LANGS = ("en", "zh-hans", "zh-hant")


def log(message: str) -> None:
    """Progress on stderr (stdout is for the markdown section)."""
    print(message, file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0-1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass(frozen=True)
class Entry:
    """One labelled question; ``expect`` is empty for an off-list work."""

    q: str
    expect: frozenset[str]
    lang: str
    paraphrase: bool


def load_set(path: Path) -> list[Entry]:
    """Read a describe set (see the module docstring for the format)."""
    out = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
        exp = raw["expect"]
        ids = (
            frozenset()
            if exp in (None, "none")
            else frozenset([exp] if isinstance(exp, str) else exp)
        )
        out.append(Entry(str(raw["q"]), ids, str(raw["lang"]), bool(raw.get("paraphrase"))))
    return out


@dataclass
class Count:
    """Counters for one row of the table."""

    n: int = 0
    correct: int = 0
    wrong: int = 0  # confident wrong (any answer that is not expected)
    offlist: int = 0  # confident answers to off-list questions
    choices: int = 0

    def pct(self, k: int) -> str:
        return f"{100 * k / self.n:.1f}%" if self.n else "-"


@dataclass
class Tally:
    """Every row of the table, plus the missed questions."""

    rows: dict[str, Count] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, entry: Entry, result: SearchResult) -> None:
        ids = result.ids[:MAX_CHOICES]
        if entry.expect:
            ok = bool(set(ids) & entry.expect) and result.status != "none"
            if result.status == "answer":
                ok = ids[0] in entry.expect
        else:
            ok = result.status == "none"
        wrong = result.status == "answer" and ids[0] not in entry.expect
        groups = ["overall", entry.lang, "off-list" if not entry.expect else "on-list"]
        if entry.paraphrase:
            groups.append("paraphrase")
        for g in groups:
            c = self.rows.setdefault(g, Count())
            c.n += 1
            c.correct += ok
            c.wrong += wrong
            c.offlist += wrong and not entry.expect
            c.choices += result.status == "choices"
        if not ok:
            want = ",".join(sorted(entry.expect)) or "none"
            self.misses.append(f"{entry.q!r} want {want} got {result.status} {list(ids)}")

    def __getitem__(self, group: str) -> Count:
        return self.rows.get(group, Count())


def evaluate(search: Callable[[str], SearchResult], entries: Iterable[Entry]) -> Tally:
    """Run every entry through ``search`` and count."""
    tally = Tally()
    for e in entries:
        tally.add(e, search(e.q))
    return tally


def answered_by(answerer: Answerer) -> Callable[[str], SearchResult]:
    """The whole bot's answer to a question, read as a search result: one paper answered,
    choices (or "did you mean" suggestions: the same buttons), or none. This is what a reader
    gets; the search alone is one step of it (docs/matching.md)."""

    def ask(query: str) -> SearchResult:
        a = answerer.answer(query)
        if a.status == "answer" and a.paper is not None:
            return SearchResult("answer", ((a.paper.paper.id, a.paper.score),))
        near = a.choices if a.status == "choices" else a.suggestions
        if near:
            return SearchResult("choices", tuple((s.paper.id, s.score) for s in near[:3]))
        return SearchResult("none", ())

    return ask


# ---------------------------------------------------------------------------------------------
# The plain baseline


class Plain:
    """bm25s over titles and summaries only; answers the top paper at or above ``cutoff``."""

    def __init__(self, catalogue: Catalogue, params: Params) -> None:
        import bm25s

        self.ids = list(catalogue.papers)
        docs = [
            tokens(f"{p.title} {p.title_zh} {p.summary.en} {p.summary.zh}")
            for p in catalogue.papers.values()
        ]
        self.bm25 = bm25s.BM25(k1=params.k1, b=params.b)
        self.bm25.index(docs, show_progress=False)
        self.cutoff = 0.0

    def top(self, query: str) -> tuple[str, float]:
        vocab = self.bm25.vocab_dict
        ids = [vocab[t] for t in tokens(query, query=True) if t in vocab]
        if not ids:
            return self.ids[0], 0.0
        scores = self.bm25.get_scores_from_ids(ids)
        best = int(scores.argmax())
        return self.ids[best], float(scores[best])

    def search(self, query: str) -> SearchResult:
        pid, score = self.top(query)
        if score > 0 and score >= self.cutoff:
            return SearchResult("answer", ((pid, score),))
        return SearchResult("none")

    def tune(self, entries: Sequence[Entry]) -> float:
        """Set ``cutoff`` to the value (0.5 steps) with the most correct on ``entries``."""
        tops = [self.top(e.q) for e in entries]
        best_cut, best_ok = 0.0, -1
        for step in range(0, 121):
            cut = step / 2
            ok = sum(
                (s >= cut and s > 0 and pid in e.expect) or (s < cut and not e.expect)
                for e, (pid, s) in zip(entries, tops, strict=True)
            )
            if ok > best_ok:
                best_cut, best_ok = cut, ok
        self.cutoff = best_cut
        return best_cut


# ---------------------------------------------------------------------------------------------
# Tuning (dev only)

GRID = {
    "answer_min": [0.0, 1.0, 1.5, 2.0],
    "answer_ratio": [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9],
    "min_coverage": [0.0, 0.2, 0.3, 0.4, 0.5],
    "min_terms": [1, 2, 3],
    "choice_min": [0.0, 0.4, 0.8],
    "choice_coverage": [0.0, 0.1, 0.2, 0.3],
    "choice_ratio": [0.3, 0.5],
    "decoy_ratio": [0.7, 1e9],
    "decoy_share": [0.0, 0.1, 0.15, 0.2, 0.3, 0.5, 1e9],
}


@dataclass
class Arrays:
    """The evidence of every entry as numpy arrays, for a vectorised :func:`decide`."""

    scores: Any  # (n, 3): the three best papers' scores (0 where fewer)
    hit: Any  # (n, 3): that paper is an expected one
    decoy: Any
    named: Any
    coverage: Any
    terms: Any
    blocked_answer: Any  # year mismatch or follow-up
    norm: Any
    off: Any  # off-list question

    @classmethod
    def of(cls, entries: Sequence[Entry], evidence: Sequence[Evidence]) -> Arrays:
        import numpy as np

        scores = np.zeros((len(entries), 3))
        hit = np.zeros((len(entries), 3), dtype=bool)
        for i, (e, ev) in enumerate(zip(entries, evidence, strict=True)):
            for j, (pid, score) in enumerate(ev.papers[:3]):
                scores[i, j], hit[i, j] = score, pid in e.expect
        return cls(
            scores,
            hit,
            np.array([ev.decoy for ev in evidence]),
            np.array([ev.decoy_named for ev in evidence]),
            np.array([ev.coverage for ev in evidence]),
            np.array([ev.terms for ev in evidence]),
            np.array([ev.year_mismatch or ev.follow_up for ev in evidence]),
            np.array([ev.norm for ev in evidence]),
            np.array([not e.expect for e in entries]),
        )

    def count(self, p: Params) -> tuple[int, int, int]:
        """``(confident wrong, correct, answers)`` under ``p``; mirrors :func:`decide`."""
        import numpy as np

        best = self.scores[:, 0]
        strength = best / self.norm
        some = (best > 0) & (strength >= p.choice_min) & (self.coverage >= p.choice_coverage)
        blocked = self.named | (self.decoy >= p.decoy_ratio * best)
        runner_up = np.maximum(self.scores[:, 1], self.decoy)
        answer = (
            some
            & ~blocked
            & (strength >= p.answer_min)
            & (runner_up <= p.answer_ratio * best)
            & (self.coverage >= p.min_coverage)
            & (self.terms >= p.min_terms)
            & ~self.blocked_answer
        )
        choices = some & ~answer & (~blocked | (self.decoy < p.decoy_share * best))
        close = (self.scores >= p.choice_ratio * best[:, None]) & (
            self.scores / self.norm[:, None] >= p.choice_min
        )
        in_choices = (self.hit & close & (self.scores > 0)).any(axis=1)
        correct = np.where(
            self.off, ~answer & ~choices, (answer & self.hit[:, 0]) | (choices & in_choices)
        )
        wrong = answer & ~self.hit[:, 0]
        return int(wrong.sum()), int(correct.sum()), int(answer.sum())


def tune(searcher: Searcher, entries: Sequence[Entry]) -> Params:
    """Grid-search the decision cutoffs (:data:`GRID`) on ``entries``.

    The objective, in order: no confident wrong answer, neither at the setting nor at a more
    permissive neighbour (``answer_ratio`` + 0.1, ``answer_min`` x 0.7, ``min_coverage`` -
    0.1), a margin so that new questions are not one near miss away from a wrong answer (in
    5-fold cross-validation on dev it kept every held-back fold at 0 wrong, where the plain
    objective let 2 through); then the most correct; then the most answers.
    """
    arrays = Arrays.of(entries, [searcher.evidence(e.q) for e in entries])
    best: tuple[tuple[float, ...], Params] | None = None
    keys = list(GRID)
    for values in itertools.product(*(list(GRID[k]) for k in keys)):  # type: ignore[call-overload]
        params = replace(searcher.params, **dict(zip(keys, values, strict=True)))
        wrong, correct, answers = arrays.count(params)
        if best is not None and (-wrong, correct) < best[0][:2]:
            continue
        looser = replace(
            params,
            answer_ratio=params.answer_ratio + 0.1,
            answer_min=params.answer_min * 0.7,
            min_coverage=params.min_coverage - 0.1,
        )
        # Ties go to the stricter setting.
        key = (
            -wrong - arrays.count(looser)[0],
            correct,
            answers,
            params.answer_min,
            params.min_coverage,
            params.min_terms,
            -params.answer_ratio,
            params.choice_coverage,
            params.choice_min,
        )
        if best is None or key > best[0]:
            best = (key, params)
    assert best is not None
    # The vectorised count must agree with the real decision.
    tally = Tally()
    for e in entries:
        tally.add(e, decide(searcher.evidence(e.q), best[1]))
    c = tally["overall"]
    if arrays.count(best[1])[:2] != (c.wrong, c.correct):
        raise AssertionError("Arrays.count disagrees with bot.core.search.decide")
    return best[1]


# ---------------------------------------------------------------------------------------------
# Measuring


def time_searches(searcher: Searcher, queries: Sequence[str], runs: int) -> tuple[float, float]:
    """Median over runs of (p50, p99) in ms, one ``search`` per query per run."""
    p50, p99 = [], []
    for _ in range(runs):
        gc.collect()
        timings = []
        for q in queries:
            start = time.perf_counter_ns()
            searcher.search(q)
            timings.append((time.perf_counter_ns() - start) / 1e6)
        p50.append(percentile(timings, 0.5))
        p99.append(percentile(timings, 0.99))
    return statistics.median(p50), statistics.median(p99)


_STARTUP = """
import json, resource, time
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() / 2**20
from bot.core.catalogue import load_catalogue
from bot.core.search import Searcher
cat = load_catalogue(); s = Searcher(cat); before = rss()
t0 = time.perf_counter(); import numpy, bm25s, Stemmer; t1 = time.perf_counter()
s.rank('residual connections'); t2 = time.perf_counter()
print(json.dumps({'import_ms': (t1 - t0) * 1e3, 'build_ms': (t2 - t1) * 1e3,
                  'rss_before': before, 'rss_after': rss()}))
"""


def startup() -> dict[str, float]:
    """Import and first-search cost in a fresh process (ms, MiB)."""
    out = subprocess.run(
        [sys.executable, "-c", _STARTUP], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def table(results: dict[str, Tally]) -> list[str]:
    """The markdown table: one column per (set, system), one row per group."""
    lines = ["| | " + " | ".join(results) + " |", "|---" * (len(results) + 1) + "|"]
    groups = ["overall", *LANGS, "paraphrase", "on-list", "off-list"]
    for g in groups:
        cells = [f"{t[g].pct(t[g].correct)} of {t[g].n}" for t in results.values()]
        lines.append(f"| correct, {g} | " + " | ".join(cells) + " |")
    for label, attr in (
        ("confident wrong", "wrong"),
        ("confident off-list", "offlist"),
        ("choices", "choices"),
    ):
        cells = [
            str(getattr(t["overall"], attr))
            if attr != "choices"
            else t["overall"].pct(t["overall"].choices)
            for t in results.values()
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the markdown section (progress on stderr)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--misses", action="store_true", help="list the missed questions")
    ap.add_argument("--tune", action="store_true", help="grid-search the cutoffs on DEV")
    args = ap.parse_args(argv)

    catalogue = load_catalogue()
    dev, held = load_set(DEV), load_set(HELDOUT)
    searcher = Searcher(catalogue)
    if args.tune:
        params = tune(searcher, dev)
        log(f"best on dev: {params}")
        searcher = Searcher(catalogue, params)
    plain = Plain(catalogue, searcher.params)
    cut = plain.tune(dev)
    bot = answered_by(Answerer(catalogue))
    results = {
        "bot, dev": evaluate(bot, dev),
        "bot, held-out": evaluate(bot, held),
        "dev": evaluate(searcher.search, dev),
        "held-out": evaluate(searcher.search, held),
        "plain, dev": evaluate(plain.search, dev),
        "plain, held-out": evaluate(plain.search, held),
    }
    p50, p99 = time_searches(searcher, [e.q for e in (*dev, *held)], args.runs)
    cost = startup()

    print("### Describe-the-idea search (`bot/core/search.py`)\n")
    print("\n".join(table(results)))
    print(
        f"\nPlain BM25 cutoff (best on dev): {cut:.1f}. Latency per question "
        f"({len(dev) + len(held)} questions, median of {args.runs} runs): "
        f"p50 {p50:.3f} ms, p99 {p99:.3f} ms. First search in a fresh process: importing "
        f"numpy, bm25s and PyStemmer {cost['import_ms']:.0f} ms, building the index "
        f"{cost['build_ms']:.0f} ms; RSS {cost['rss_before']:.0f} -> {cost['rss_after']:.0f} MiB."
    )
    if args.misses:
        for name in ("dev", "held-out"):
            log(f"\n{name} misses:")
            for m in results[name].misses:
                log(f"  {m}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
