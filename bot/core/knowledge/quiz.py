"""Read ``knowledge/quiz/*.yaml``: every paper's check-yourself questions (validated by
:mod:`bot.core.quiz`), apart from the catalogue so that ``paperbot ask`` does not pay for them."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from bot.core.catalogue import CatalogueError
from bot.core.quiz import MIN_PER_PAPER, Question, question_from

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_quiz(directory: Path, paper_ids: frozenset[str]) -> dict[str, tuple[Question, ...]]:
    """Load and validate every ``quiz/*.yaml`` under ``directory``.

    Returns:
        paper id -> its questions, in file order.

    Raises:
        CatalogueError: a file, entry or field is invalid, names an unknown paper, or a paper
            of ``paper_ids`` has fewer than :data:`MIN_PER_PAPER` questions.
    """
    out: dict[str, tuple[Question, ...]] = {}
    for path in sorted((directory / "quiz").glob("*.yaml")):
        rel = f"quiz/{path.name}"
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        if not isinstance(data, dict) or not isinstance(data.get("quiz"), dict):
            raise CatalogueError(rel, "expected a mapping 'quiz: {paper id: [...]}'", field="quiz")
        for pid, items in data["quiz"].items():
            if pid not in paper_ids:
                raise CatalogueError(rel, "no paper with this id", entry=str(pid))
            if pid in out:
                raise CatalogueError(rel, "questions for this paper twice", entry=str(pid))
            out[pid] = tuple(
                question_from(rel, pid, n, raw) for n, raw in enumerate(items or (), 1)
            )
    for pid in sorted(paper_ids):
        if len(out.get(pid, ())) < MIN_PER_PAPER:
            raise CatalogueError("quiz/", f"needs at least {MIN_PER_PAPER} questions", entry=pid)
    return out


@lru_cache(maxsize=2)
def quiz_for(directory: Path, paper_ids: frozenset[str]) -> Mapping[str, tuple[Question, ...]]:
    """:func:`load_quiz`, loaded once per directory."""
    return load_quiz(directory, paper_ids)
