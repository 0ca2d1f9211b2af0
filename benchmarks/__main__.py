"""Run every benchmark and write the results into benchmarks/README.md.

Usage (from the repository root):

    .venv/bin/python -m benchmarks                 # all, about 8-10 minutes on 2 cores
    .venv/bin/python -m benchmarks storage footprint   # some of them
    .venv/bin/python -m benchmarks --no-write      # print only
    .venv/bin/python -m benchmarks --check         # import every module and exit (CI)

Each benchmark runs as its own process (``python -m benchmarks.<name>`` with its default
arguments), one after the other, so none shares a CPU or an event loop with another. Their
markdown sections, the machine they ran on, and how long each took replace the part of
``benchmarks/README.md`` between the ``results`` markers.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
#: name -> what it measures; run in this order.
BENCHMARKS = {
    "matching": "accuracy and latency on the labelled set, the baseline, growth to 10,000 papers",
    "describe": "described ideas: the search alone and beside plain BM25, dev and held-out",
    "kinds": "the other kinds of question, per kind, dev and held-out",
    "endtoend": "updates per second through the HTTP layer, against an echo bot",
    "storage": "/next, Read/Skip and the reminder check with 100,000 users",
    "reminders": "10,000 reminders with the rate limiter off, and paced at 30/s",
    "footprint": "start-up time and peak memory",
}


def machine() -> list[str]:
    """Lines describing this machine and the versions that matter."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        memory = "unknown RAM"
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("python-telegram-bot", "httpx", "rapidfuzz", "aiosqlite", "opencc")
        if _installed(name)
    )
    return [
        f"- {os.cpu_count()} CPUs ({cpu}), {memory}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {versions}",
        f"- load average before the run: {_load()}",
    ]


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def check() -> int:
    """Import every benchmark module and check it has ``main``; 0 if all do."""
    bad = []
    for name in BENCHMARKS:
        module = importlib.import_module(f"benchmarks.{name}")
        if not callable(getattr(module, "main", None)):
            bad.append(name)
    for name in bad:
        print(f"benchmarks.{name} has no main()", file=sys.stderr)
    return 1 if bad else 0


def run(names: list[str]) -> tuple[list[str], int]:
    """Run the named benchmarks; returns their markdown and the number that failed."""
    sections, failed = [], 0
    for name in names:
        print(f"== {name}: {BENCHMARKS[name]}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", f"benchmarks.{name}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        took = time.perf_counter() - started
        print(f"== {name}: {took:.0f} s, exit {proc.returncode}", file=sys.stderr, flush=True)
        out = proc.stdout.strip()
        if proc.returncode != 0:
            failed += 1
            out += f"\n\n**`benchmarks.{name}` failed (exit {proc.returncode}).**"
        sections.append(f"{out}\n\n_`python -m benchmarks.{name}` took {took:.0f} s._")
    return sections, failed


def write(block: str) -> None:
    """Replace the results block of benchmarks/README.md with ``block``."""
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{README} has no {BEGIN} ... {END} markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{block}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="name", help=", ".join(BENCHMARKS))
    parser.add_argument("--no-write", action="store_true", help="print, do not edit README")
    parser.add_argument("--check", action="store_true", help="only import every module")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(
            f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )
    names = args.names or list(BENCHMARKS)
    header = [
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python -m benchmarks"
        f"{' ' + ' '.join(args.names) if args.names else ''}`:",
        "",
        *machine(),
    ]
    started = time.perf_counter()
    sections, failed = run(names)
    header.append(f"- whole run: {time.perf_counter() - started:.0f} s")
    block = "\n".join(header) + "\n\n" + "\n\n".join(sections) + "\n"
    print(block)
    if not args.no_write:
        if args.names and set(names) != set(BENCHMARKS):
            print("(a partial run: README.md left as it is)", file=sys.stderr)
        else:
            write(block)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
