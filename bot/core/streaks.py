"""Reading streaks (pure): consecutive local days on which the reader did something.

A day counts when the reader marked a paper read or answered a review question (``active``).
Days on which reminders were paused never break a streak (``excused``: they neither count nor
break). One missed day a week (Monday to Sunday) is forgiven: a "freeze". Today does not break
a streak before it is over. Dates are local dates in the reader's zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Streak:
    """Current and best streak, in days that counted (frozen and excused days excluded)."""

    current: int
    best: int


def _runs(active: set[date], excused: set[date], start: date, end: date) -> list[int]:
    """The lengths of every run from ``start`` to ``end`` (inclusive), oldest first."""
    runs: list[int] = []
    run = 0
    frozen_weeks: set[tuple[int, int]] = set()
    day = start
    while day <= end:
        week = day.isocalendar()[:2]
        if day in active:
            run += 1
        elif day in excused:
            pass
        elif day == end:
            pass  # today is not over yet
        elif run and week not in frozen_weeks:
            frozen_weeks.add(week)  # the week's one forgiven day
        else:
            if run:
                runs.append(run)
            run = 0
        day += ONE_DAY
    runs.append(run)
    return runs


def streak(active: Iterable[date], excused: Iterable[date], today: date) -> Streak:
    """The reader's current and best streak on ``today``.

    Args:
        active: local dates with a paper marked read or a review question answered.
        excused: local dates on which reminders were paused.
        today: the reader's local date now.
    """
    days = set(active)
    if not days:
        return Streak(0, 0)
    runs = _runs(days, set(excused), min(days), today)
    return Streak(current=runs[-1], best=max(runs))
