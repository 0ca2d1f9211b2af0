"""The benchmarks are not run here (``python -m benchmarks`` does that, in about ten minutes),
but every one of them must still import and expose ``main``, so that a change to the bot
cannot silently break them."""

from __future__ import annotations

import importlib

from benchmarks.__main__ import BENCHMARKS, check


def test_every_benchmark_imports_and_has_main() -> None:
    assert check() == 0
    for name in BENCHMARKS:
        module = importlib.import_module(f"benchmarks.{name}")
        assert module.__doc__, f"benchmarks.{name} documents its method"
