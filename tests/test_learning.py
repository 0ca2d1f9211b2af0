"""The learning loop's pure parts: quiz questions (all 113 papers, within Telegram's limits),
their spaced review, and streaks (a freeze a week, paused days excused)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.core.catalogue import Catalogue, CatalogueError
from bot.core.knowledge import default_knowledge_dir
from bot.core.knowledge.quiz import load_quiz
from bot.core.quiz import (
    MAX_EXPLANATION,
    MAX_OPTION,
    MAX_QUESTION,
    Review,
    after_answer,
)
from bot.core.streaks import streak

D = date(2026, 3, 2)  # a Monday


def test_every_paper_has_three_questions_in_both_languages(catalogue: Catalogue) -> None:
    quiz = load_quiz(default_knowledge_dir(), frozenset(catalogue.papers))
    assert set(quiz) == set(catalogue.papers)
    for pid, questions in quiz.items():
        assert len(questions) >= 3, pid
        for q in questions:
            for lang in ("en", "zh"):
                text, options, explain = q.side(lang)
                assert len(text) <= MAX_QUESTION and len(explain) <= MAX_EXPLANATION, q.id
                assert 3 <= len(options) <= 4 and all(len(o) <= MAX_OPTION for o in options)
                assert 0 <= q.correct < len(options)


def test_a_bad_quiz_file_names_the_file_the_entry_and_the_field(tmp_path: Path) -> None:
    (tmp_path / "quiz").mkdir()
    side = {"q": "Q?", "options": ["a", "b", "c"], "answer": 3, "explain": "because"}
    (tmp_path / "quiz" / "x.yaml").write_text(
        f"quiz:\n  resnet:\n  - {{en: {side}, zh: {side}}}\n", encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as err:
        load_quiz(tmp_path, frozenset({"resnet"}))
    assert (err.value.file, err.value.entry) == ("quiz/x.yaml", "resnet#1")
    assert "answer 3" in err.value.problem


def test_a_wrong_answer_comes_back_after_2_7_and_21_days_until_right() -> None:
    r = after_answer(None, False, D)
    assert r.due == D + timedelta(days=2) and not r.first_right
    r = after_answer(r, False, r.due)
    assert r.due == D + timedelta(days=9)
    r = after_answer(r, False, r.due)
    assert r.due == D + timedelta(days=30)
    r = after_answer(r, False, r.due)
    assert r.due == D + timedelta(days=51)  # every 21 days from then on
    r = after_answer(r, True, r.due)
    assert r.due == D + timedelta(days=79) and r.misses == 0  # once more, 28 days on
    assert r.due is not None
    assert after_answer(r, True, r.due) == Review(None, 0, False)  # then done


def test_a_right_answer_comes_back_once_after_28_days() -> None:
    r = after_answer(None, True, D)
    assert r == Review(D + timedelta(days=28), 0, True)
    assert r.due is not None and after_answer(r, True, r.due).due is None


def days(*offsets: int) -> set[date]:
    return {D + timedelta(days=o) for o in offsets}


def test_streak_counts_consecutive_days_and_today_does_not_break_it() -> None:
    assert streak(days(0, 1, 2), set(), D + timedelta(days=2)).current == 3
    assert streak(days(0, 1, 2), set(), D + timedelta(days=3)).current == 3  # today not over
    assert streak([], [], D).current == 0


def test_one_missed_day_a_week_is_forgiven() -> None:
    s = streak(days(0, 1, 3, 4), set(), D + timedelta(days=4))  # missed Wednesday
    assert s.current == 4
    s = streak(days(0, 2, 4), set(), D + timedelta(days=4))  # two misses in one week
    assert s.current == 1 and s.best == 2
    s = streak(days(5, 7, 8), set(), D + timedelta(days=8))  # Sat, (Sun missed), Mon, Tue
    assert s.current == 3


def test_paused_days_never_break_a_streak() -> None:
    s = streak(days(0, 1, 9, 10), days(*range(2, 9)), D + timedelta(days=10))
    assert s == streak(days(0, 1, 9, 10), days(*range(2, 9)), D + timedelta(days=10))
    assert s.current == 4 and s.best == 4
