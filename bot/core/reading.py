"""Reading progress over a list: next unread paper, counts and a text progress bar (pure).

Progress is kept per paper, not per list, so reading a paper that is on both lists counts for
both. A paper is *done* when it is read or skipped; ``/next`` offers the first paper in list
order that is not done.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.catalogue import ReadingList


@dataclass(frozen=True)
class Progress:
    """Counts for one list. ``done = read + skipped``; ``fraction`` is read / total."""

    read: int
    skipped: int
    total: int

    @property
    def done(self) -> int:
        """Read or skipped."""
        return self.read + self.skipped

    @property
    def finished(self) -> bool:
        """True when every paper of the list is read or skipped."""
        return self.done >= self.total

    @property
    def fraction(self) -> float:
        """Share of the list that is read, 0.0-1.0."""
        return self.read / self.total if self.total else 0.0


def next_unread(lst: ReadingList, states: Mapping[str, str]) -> str | None:
    """Return the id of the first paper in ``lst`` that is neither read nor skipped, or None."""
    return next((pid for pid in lst.order if pid not in states), None)


def random_unread(lst: ReadingList, states: Mapping[str, str], rng: random.Random) -> str | None:
    """Return a random paper of ``lst`` that is not done, or None; ``rng`` makes it testable."""
    pending = [pid for pid in lst.order if pid not in states]
    return rng.choice(pending) if pending else None


def progress(lst: ReadingList, states: Mapping[str, str]) -> Progress:
    """Count read and skipped papers of ``lst`` in ``states`` ({paper_id: read|skipped})."""
    read = sum(1 for pid in lst.order if states.get(pid) == "read")
    skipped = sum(1 for pid in lst.order if states.get(pid) == "skipped")
    return Progress(read, skipped, len(lst.order))


def progress_bar(fraction: float, width: int = 10) -> str:
    """Return a text bar such as ``▓▓▓░░░░░░░`` for ``fraction`` (clamped to 0-1)."""
    fraction = min(1.0, max(0.0, fraction))
    filled = round(fraction * width)
    if fraction > 0 and filled == 0:
        filled = 1
    return "▓" * filled + "░" * (width - filled)
