"""Benchmark the matcher on the labelled question set, beside a naive baseline.

Method: every labelled question (tests/data/questions/*.yaml) is answered once to warm up,
then timed one by one with time.perf_counter_ns over REPEATS passes; p50/p99 are taken over
all timings. Accuracy counts as in bot.core.evaluation. The baseline is
rapidfuzz.process.extractOne(query, titles, scorer=WRatio) over the canonical titles, with its
cutoff chosen as the best of 0, 5, ..., 100 (by top-1 + abstention) on the same set; it only
sees paper questions (list-level questions are ours alone).

Run: .venv/bin/python benchmarks/matching.py [--misses]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.answers import Answerer  # noqa: E402
from bot.core.catalogue import load_catalogue  # noqa: E402
from bot.core.evaluation import evaluate, load_questions  # noqa: E402

REPEATS = 5


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="print every miss")
    args = parser.parse_args()
    catalogue = load_catalogue()
    t0 = time.perf_counter()
    answerer = Answerer(catalogue)
    build_ms = (time.perf_counter() - t0) * 1000
    questions = load_questions(sorted((ROOT / "tests/data/questions").glob("*.yaml")))
    report = evaluate(answerer, questions)
    heldout_files = sorted((ROOT / "benchmarks/heldout").glob("*.yaml"))
    heldout = evaluate(answerer, load_questions(heldout_files)) if heldout_files else None

    timings: list[float] = []
    for q in questions:
        answerer.answer(q.q, current_list=q.list)
    for _ in range(REPEATS):
        for q in questions:
            start = time.perf_counter_ns()
            answerer.answer(q.q, current_list=q.list)
            timings.append((time.perf_counter_ns() - start) / 1e6)

    paper_qs = [q for q in questions if q.intent == "paper"]
    titles = {p.id: p.title for p in catalogue}
    ids, names = list(titles), list(titles.values())
    best = None
    for cutoff in range(0, 101, 5):
        on = off = on_ok = off_ok = 0
        for q in paper_qs:
            hit = process.extractOne(
                q.q,
                names,
                scorer=fuzz.WRatio,
                processor=utils.default_process,
                score_cutoff=cutoff,
            )
            got = ids[hit[2]] if hit else None
            if q.expect is None:
                off += 1
                off_ok += got is None
            else:
                on += 1
                on_ok += got == q.expect
        score = (on_ok + off_ok) / (on + off)
        if best is None or score > best[0]:
            best = (score, cutoff, on_ok / on, off_ok / off)
    base_times = []
    for q in paper_qs:
        start = time.perf_counter_ns()
        process.extractOne(q.q, names, scorer=fuzz.WRatio, processor=utils.default_process)
        base_times.append((time.perf_counter_ns() - start) / 1e6)
    assert best is not None

    langs = {"en": 0, "zh": 0}
    for q in questions:
        langs["zh" if any("\u4e00" <= c <= "\u9fff" for c in q.q) else "en"] += 1
    print(
        f"questions: {len(questions)} ({langs['en']} English, {langs['zh']} Chinese); "
        f"on-list paper questions {report.on_list}, off-list {report.off_list}, "
        f"list-level {report.list_level}; index build {build_ms:.0f} ms"
    )
    print()
    print(
        "| matcher | top-1 | abstention | choices rate | wrong answers | list questions "
        "| p50 ms | p99 ms |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| paperbot | {report.top1:.1%} | {report.abstention:.1%} | {report.choices_rate:.1%} "
        f"| {report.on_list_wrong} | {report.list_accuracy:.1%} | "
        f"{statistics.median(timings):.2f} | {percentile(timings, 0.99):.2f} |"
    )
    print(
        f"| baseline: extractOne(WRatio), cutoff {best[1]} | {best[2]:.1%} | {best[3]:.1%} | - | "
        f"- | - | {statistics.median(base_times):.2f} | {percentile(base_times, 0.99):.2f} |"
    )
    if heldout is not None:
        print(
            f"| paperbot, held-out set ({heldout.on_list} on-list, {heldout.off_list} off-list,"
            f" {heldout.list_level} list-level; never used for tuning) | {heldout.top1:.1%} | "
            f"{heldout.abstention:.1%} | {heldout.choices_rate:.1%} | {heldout.on_list_wrong} |"
            f" {heldout.list_accuracy:.1%} | - | - |"
        )
    print()
    print(f"misses (labelled set): {len(report.misses)}")
    for miss in report.misses if args.misses or len(report.misses) <= 60 else []:
        print("  " + miss)
    if heldout is not None:
        print(f"misses (held-out set): {len(heldout.misses)}")
        for miss in heldout.misses if args.misses or len(heldout.misses) <= 80 else []:
            print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
