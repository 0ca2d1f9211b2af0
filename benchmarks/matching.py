"""Benchmark the matcher: accuracy and latency on the labelled question set, beside a naive
baseline, and how both change as the catalogue grows to 1,000 and 10,000 papers.

Method. Accuracy counts as in :mod:`benchmarks.evaluation` (the evaluation pass over every
labelled question, tests/data/questions/*.yaml, also serves as the warm-up). Latency: each run
times every labelled question once, one by one, with ``time.perf_counter_ns`` around
``Answerer.answer``; p50 and p99 (nearest rank) are taken per run, and the table shows the
median over ``--runs`` runs. The baseline is ``rapidfuzz.process.extractOne(query, titles,
scorer=WRatio, processor=default_process)`` over the canonical titles, with the cutoff (0, 5,
..., 100) that maximises its top-1 + abstention on the same set; it only sees paper questions
(list-level questions are ours alone), and the latency ratio compares paperbot and the
baseline on those same questions, timed in the same run.

Growth: for each size in ``--sizes``, the catalogue is the real one plus synthetic distractor
papers (:func:`benchmarks.synthetic.synthetic_catalogue`, seed ``--seed``; not on any list, so
every labelled question keeps its answer). Index build = the time to construct
``Answerer(catalogue)`` (median of ``--runs`` builds; generating the catalogue is not
included); then accuracy and latency as above. ``--memory`` adds the memory the index holds
and the peak during its build, traced (tracemalloc) in one more build; that build is about
four times slower than a plain one (a minute at 10,000 papers), so it is not in the default.

Run: .venv/bin/python -m benchmarks.matching [--runs 3] [--sizes 113,1000,10000] [--misses]
     (or .venv/bin/python benchmarks/matching.py ...)
The 10,000 row alone, quickly: .venv/bin/python -m benchmarks.matching --sizes 10000 --runs 1
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``bot`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks._bots import log, percentile  # noqa: E402
from benchmarks.evaluation import (  # noqa: E402
    Question,
    Report,
    evaluate,
    load_questions,
    name_sets,
)
from benchmarks.synthetic import synthetic_catalogue  # noqa: E402
from bot.core.answers import Answerer  # noqa: E402
from bot.core.catalogue import Catalogue, load_catalogue  # noqa: E402

DEFAULT_SIZES = (113, 1000, 10000)
TARGET_SIZE, TARGET_P99_MS = 10000, 20.0  # issue 7: p99 under 20 ms at 10,000 papers


def median_of_runs(runs: Sequence[Sequence[float]], q: float) -> float:
    """The ``q`` percentile of each run, then the median over runs."""
    return statistics.median(percentile(r, q) for r in runs)


def time_answers(
    answerer: Answerer, questions: Sequence[Question], runs: int
) -> list[list[float]]:
    """Time every question once per run (ms); ``result[run][i]`` is question ``i``."""
    out = []
    for _ in range(runs):
        gc.collect()
        timings = []
        for q in questions:
            start = time.perf_counter_ns()
            answerer.answer(q.q, current_list=q.list)
            timings.append((time.perf_counter_ns() - start) / 1e6)
        out.append(timings)
    return out


def miss_key(miss: str) -> str:
    """A miss line without what the bot replied: "[file] 'question' want X (facet)"."""
    return miss.rsplit(" got ", 1)[0]


@dataclass
class SizeResult:
    """What was measured at one catalogue size."""

    size: int
    answerer: Answerer | None  # dropped after measuring, except for the real catalogue
    build_ms: list[float]
    report: Report
    timings: list[list[float]]  # per run, per question (ms)
    memory_mb: tuple[float, float] | None = None  # (held by the index, peak during the build)
    missed: set[str] = field(default_factory=set)  # the missed questions (without the reply)

    def p(self, q: float, idx: Sequence[int] | None = None) -> float:
        runs = self.timings if idx is None else [[r[i] for i in idx] for r in self.timings]
        return median_of_runs(runs, q)


def measure_size(
    catalogue: Catalogue, questions: Sequence[Question], runs: int, memory: bool
) -> SizeResult:
    """Build the answerer ``runs`` times, evaluate (also the warm-up), then time."""
    size = len(catalogue.papers)
    build_ms: list[float] = []
    answerer: Answerer | None = None
    for _ in range(runs):
        answerer = None  # let the previous index go before building the next
        gc.collect()
        start = time.perf_counter()
        answerer = Answerer(catalogue)
        build_ms.append((time.perf_counter() - start) * 1000)
    assert answerer is not None
    log(f"  {size}: index build {statistics.median(build_ms):.0f} ms (median of {runs})")
    memory_mb = None
    if memory:
        gc.collect()
        tracemalloc.start()
        index = Answerer(catalogue)
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del index
        memory_mb = (held / 2**20, peak / 2**20)
        log(
            f"  {size}: traced memory of the index {memory_mb[0]:.1f} MiB, peak {memory_mb[1]:.1f}"
        )
    start = time.perf_counter()
    report = evaluate(answerer, questions)
    log(f"  {size}: evaluation (and warm-up) pass {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    timings = time_answers(answerer, questions, runs)
    log(f"  {size}: {runs} timed pass(es) {time.perf_counter() - start:.1f} s")
    missed = {miss_key(m) for m in report.misses}
    return SizeResult(size, answerer, build_ms, report, timings, memory_mb, missed)


@dataclass
class Baseline:
    """The naive baseline's accuracy (at its best cutoff) and latency."""

    cutoff: int
    top1: float
    abstention: float
    timings: list[list[float]]


def run_baseline(catalogue: Catalogue, paper_qs: Sequence[Question], runs: int) -> Baseline:
    """extractOne(WRatio) over the titles: best cutoff, then a warm-up and ``runs`` timed
    passes over the paper questions."""
    titles = {p.id: p.title for p in catalogue}
    ids, names = list(titles), list(titles.values())

    def best_match(q: Question) -> tuple[str, float] | None:
        hit = process.extractOne(
            q.q, names, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=0
        )
        return (ids[hit[2]], hit[1]) if hit else None

    # The best title does not depend on the cutoff; a cutoff only decides whether it counts.
    hits = [(q, best_match(q)) for q in paper_qs]
    best: tuple[float, int, float, float] | None = None
    for cutoff in range(0, 101, 5):
        on = off = on_ok = off_ok = 0
        for q, hit in hits:
            got = hit[0] if hit is not None and hit[1] >= cutoff else None
            if q.expect is None:
                off += 1
                off_ok += got is None
            else:
                on += 1
                on_ok += got == q.expect
        score = (on_ok + off_ok) / (on + off)
        if best is None or score > best[0]:
            best = (score, cutoff, on_ok / on, off_ok / off)
    assert best is not None
    timings = []
    for run in range(runs + 1):  # the first pass is the warm-up
        gc.collect()
        times = []
        for q in paper_qs:
            start = time.perf_counter_ns()
            process.extractOne(q.q, names, scorer=fuzz.WRatio, processor=utils.default_process)
            times.append((time.perf_counter_ns() - start) / 1e6)
        if run:
            timings.append(times)
    return Baseline(best[1], best[2], best[3], timings)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.matching", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument(
        "--runs", type=int, default=3, help="timed runs (and index builds) per size; default 3"
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="catalogue sizes for the growth table, comma-separated (default 113,1000,10000);"
        " the real catalogue is always measured too",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic catalogues")
    parser.add_argument(
        "--memory",
        action="store_true",
        help="also trace the memory of one more build per size (slow: ~1 min at 10,000)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes comma-separated integers, e.g. 1000,10000")
    return args


def main(argv: list[str] | None = None) -> int:
    """Measure, then print one markdown section on stdout (progress on stderr)."""
    args = parse_args(argv)
    wall = time.perf_counter()
    real = load_catalogue()
    n_real = len(real.papers)
    if any(s < n_real for s in args.sizes):
        log(f"sizes below the real catalogue ({n_real} papers) are not possible")
        return 2
    sizes = sorted({n_real, *args.sizes})
    questions = load_questions(name_sets(ROOT / "tests/data/questions"))
    paper_idx = [i for i, q in enumerate(questions) if q.intent == "paper"]
    paper_qs = [questions[i] for i in paper_idx]

    results = measure_sizes(real, sizes, questions, args)
    base_res = results[n_real]
    heldout_files = name_sets(ROOT / "benchmarks/heldout")
    assert base_res.answerer is not None
    heldout = evaluate(base_res.answerer, load_questions(heldout_files)) if heldout_files else None
    log("baseline: cutoff search and timing")
    baseline = run_baseline(real, paper_qs, args.runs)

    print_accuracy(questions, paper_idx, base_res, baseline, heldout, args)
    print_growth(results, n_real, args)
    print_misses(results, n_real, heldout, args)
    log(f"done in {time.perf_counter() - wall:.0f} s")
    return 0


def measure_sizes(
    real: Catalogue, sizes: Sequence[int], questions: Sequence[Question], args: argparse.Namespace
) -> dict[int, SizeResult]:
    """Measure each size in turn (the real catalogue, then real + synthetic distractors)."""
    n_real = len(real.papers)
    results: dict[int, SizeResult] = {}
    for size in sizes:
        if size == n_real:
            catalogue = real
        else:
            start = time.perf_counter()
            catalogue = synthetic_catalogue(size, args.seed, base=real)
            log(f"  {size}: synthetic catalogue generated in {time.perf_counter() - start:.1f} s")
        log(f"size {size}: measuring ({args.runs} run(s))")
        results[size] = measure_size(catalogue, questions, args.runs, args.memory)
        if size != n_real:
            results[size].answerer = None  # free the big index
        del catalogue
        gc.collect()
    return results


def print_accuracy(
    questions: Sequence[Question],
    paper_idx: Sequence[int],
    base_res: SizeResult,
    baseline: Baseline,
    heldout: Report | None,
    args: argparse.Namespace,
) -> None:
    """The method, the accuracy table (paperbot, baseline, held-out set) and the latencies."""
    report = base_res.report
    langs = {"en": 0, "zh": 0}
    for q in questions:
        langs["zh" if any("\u4e00" <= c <= "\u9fff" for c in q.q) else "en"] += 1
    pb_p50, pb_p99 = base_res.p(0.5), base_res.p(0.99)
    pbp_p50, pbp_p99 = base_res.p(0.5, paper_idx), base_res.p(0.99, paper_idx)
    bl_p50, bl_p99 = median_of_runs(baseline.timings, 0.5), median_of_runs(baseline.timings, 0.99)

    print("### Matching")
    print()
    print(
        f"Every labelled question in `tests/data/questions/` ({len(questions):,}: "
        f"{langs['en']} English, {langs['zh']} Chinese; {report.on_list} about a paper on a "
        f"list, {report.off_list} off-list, {report.list_level} list-level) is answered by the "
        "full `Answerer`; accuracy is counted by `benchmarks/evaluation.py`. After a warm-up "
        f"pass, each of {args.runs} run(s) times every question once (`time.perf_counter_ns`); "
        "p50 and p99 are taken per run and every latency shown is the median over runs. The "
        "baseline is `rapidfuzz.process.extractOne(query, titles, scorer=WRatio)` over the "
        "canonical titles at its best cutoff on the same paper questions, timed in the same "
        "run. Growth adds synthetic distractor papers (`benchmarks/synthetic.py`, seed "
        f"{args.seed}; on no list) to the real catalogue; index build is the time to construct "
        "`Answerer(catalogue)`."
    )
    print()
    print(
        "| matcher | top-1 | abstention | choices rate | wrong answers | list questions "
        "| p50 ms | p99 ms |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| paperbot | {report.top1:.1%} | {report.abstention:.1%} | {report.choices_rate:.1%} "
        f"| {report.on_list_wrong} | {report.list_accuracy:.1%} | {pb_p50:.2f} | {pb_p99:.2f} |"
    )
    print(
        f"| baseline: extractOne(WRatio), cutoff {baseline.cutoff} | {baseline.top1:.1%} | "
        f"{baseline.abstention:.1%} | - | - | - | {bl_p50:.2f} | {bl_p99:.2f} |"
    )
    if heldout is not None:
        print(
            f"| paperbot, held-out set ({heldout.on_list} on-list, {heldout.off_list} off-list,"
            f" {heldout.list_level} list-level; never used for tuning) | {heldout.top1:.1%} | "
            f"{heldout.abstention:.1%} | {heldout.choices_rate:.1%} | {heldout.on_list_wrong} |"
            f" {heldout.list_accuracy:.1%} | - | - |"
        )
    print()
    print(
        f"Latency on the same {len(paper_idx):,} paper questions: paperbot p50 {pbp_p50:.2f} ms, "
        f"p99 {pbp_p99:.2f} ms; baseline p50 {bl_p50:.2f} ms, p99 {bl_p99:.2f} ms; "
        f"ratio paperbot / baseline **{pbp_p50 / bl_p50:.2f}×** at p50, "
        f"**{pbp_p99 / bl_p99:.2f}×** at p99."
    )
    print()


def print_growth(results: dict[int, SizeResult], n_real: int, args: argparse.Namespace) -> None:
    """The growth table, one row per catalogue size, and the verdict on the target."""
    sizes = sorted(results)
    print(f"Growth (real catalogue + synthetic distractors, {args.runs} run(s) per size):")
    print()
    memory = args.memory
    head = "| papers | index build ms | p50 ms | p99 ms | top-1 | abstention | choices rate "
    head += "| wrong answers | list questions |"
    print(head + (" index memory (build peak) |" if memory else ""))
    print("|---|---|---|---|---|---|---|---|---|" + ("---|" if memory else ""))
    for size in sizes:
        res = results[size]
        r = res.report
        label = f"{size:,}" + (" (real)" if size == n_real else "")
        row = (
            f"| {label} | {statistics.median(res.build_ms):,.0f} | {res.p(0.5):.2f} | "
            f"{res.p(0.99):.2f} | {r.top1:.1%} | {r.abstention:.1%} | {r.choices_rate:.1%} | "
            f"{r.on_list_wrong} | {r.list_accuracy:.1%} |"
        )
        if res.memory_mb is not None:
            row += f" {res.memory_mb[0]:.0f} MiB ({res.memory_mb[1]:.0f} MiB) |"
        print(row)
    print()
    if TARGET_SIZE in results:
        p99 = results[TARGET_SIZE].p(0.99)
        verdict = "met" if p99 < TARGET_P99_MS else "**not met**"
        print(
            f"Target (issue 7): p99 under {TARGET_P99_MS:.0f} ms at {TARGET_SIZE:,} papers: "
            f"{verdict} ({p99:.2f} ms)."
        )
        print()


def print_misses(
    results: dict[int, SizeResult], n_real: int, heldout: Report | None, args: argparse.Namespace
) -> None:
    """The misses on the real catalogue (all with --misses), and the new misses per size."""
    base_res = results[n_real]
    report = base_res.report
    sizes = sorted(results)
    print(f"misses (labelled set): {len(report.misses)}")
    for miss in report.misses if args.misses or len(report.misses) <= 60 else []:
        print("  " + miss)
    if heldout is not None:
        print(f"misses (held-out set): {len(heldout.misses)}")
        for miss in heldout.misses if args.misses or len(heldout.misses) <= 80 else []:
            print("  " + miss)
    for size in sizes:
        if size == n_real:
            continue
        new = [m for m in results[size].report.misses if miss_key(m) not in base_res.missed]
        print(f"new misses at {size:,} papers (not missed on the real catalogue): {len(new)}")
        for miss in new if args.misses else []:
            print("  " + miss)


if __name__ == "__main__":
    sys.exit(main())
