"""Check-yourself questions (``knowledge/quiz/*.yaml``) and their spaced review.

Questions are read by :mod:`bot.core.knowledge.quiz` apart from the catalogue, when the quiz
is first used (and by ``paperbot check``), so ``paperbot ask`` does not pay for them. Each is
validated against Telegram's quiz-poll limits (:data:`MAX_QUESTION`, :data:`MAX_OPTION`,
:data:`MAX_EXPLANATION` characters, 2-10 options) and our own rules (3-4 options, the same
correct option in English and Chinese, at least :data:`MIN_PER_PAPER` per paper).

Spaced review (pure, dates in the user's zone): a question answered wrongly comes back after
:data:`WRONG_STEPS` days (2, then 7, then 21, and every 21 days after that) until it is answered
right; answered right, it comes back once more after :data:`RIGHT_AFTER` days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.core.catalogue import CatalogueError

MAX_QUESTION = 300  # Telegram sendPoll: question 1-300 characters
MAX_OPTION = 100  # each option 1-100 characters
MAX_EXPLANATION = 200  # quiz explanation 0-200 characters
MIN_PER_PAPER = 3
WRONG_STEPS = (2, 7, 21)
RIGHT_AFTER = 28


class _Side(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    q: str = Field(min_length=1, max_length=MAX_QUESTION)
    options: tuple[str, ...] = Field(min_length=3, max_length=4)
    answer: int = Field(ge=0, le=3)
    explain: str = Field(min_length=1, max_length=MAX_EXPLANATION)

    @model_validator(mode="after")
    def _check(self) -> _Side:
        if self.answer >= len(self.options):
            raise ValueError(f"answer {self.answer} is not one of the {len(self.options)} options")
        if any(not 1 <= len(o) <= MAX_OPTION for o in self.options):
            raise ValueError(f"every option must have 1-{MAX_OPTION} characters")
        if len(set(self.options)) != len(self.options):
            raise ValueError("two options are the same")
        return self


class _QuestionIn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    en: _Side
    zh: _Side

    @model_validator(mode="after")
    def _same(self) -> _QuestionIn:
        if len(self.en.options) != len(self.zh.options) or self.en.answer != self.zh.answer:
            raise ValueError("English and Chinese must have the same options and answer")
        return self


@dataclass(frozen=True)
class Question:
    """One quiz question about a paper, in both languages.

    Attributes:
        id: ``<paper id>#<n>`` (1-based, in file order): stable while the file keeps its order.
        paper_id: the paper it is about.
        text, options, explanation: per language (``en``/``zh``) mappings.
        correct: the index of the correct option (the same in both languages).
    """

    id: str
    paper_id: str
    text: Mapping[str, str]
    options: Mapping[str, tuple[str, ...]]
    explanation: Mapping[str, str]
    correct: int

    def side(self, lang: str) -> tuple[str, tuple[str, ...], str]:
        """``(question, options, explanation)`` in ``en`` or ``zh`` (any Chinese: ``zh``)."""
        key = "zh" if lang.startswith("zh") else "en"
        return self.text[key], self.options[key], self.explanation[key]


def question_from(rel: str, pid: str, n: int, raw: object) -> Question:
    """A validated :class:`Question` from one YAML entry.

    Raises:
        CatalogueError: the entry is invalid (file ``rel``, entry ``<paper>#<n>``, field).
    """
    try:
        q = _QuestionIn.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CatalogueError(rel, first["msg"], entry=f"{pid}#{n}", field=where or None) from None
    return Question(
        id=f"{pid}#{n}",
        paper_id=pid,
        text={"en": q.en.q, "zh": q.zh.q},
        options={"en": q.en.options, "zh": q.zh.options},
        explanation={"en": q.en.explain, "zh": q.zh.explain},
        correct=q.en.answer,
    )


# -- spaced review ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """Where one question stands for one reader.

    Attributes:
        due: the local date it comes back in a reminder, or None (done).
        misses: wrong answers since the last right one (0 after a right answer).
        first_right: whether the first answer ever was right (for /progress).
    """

    due: date | None
    misses: int
    first_right: bool


def after_answer(before: Review | None, correct: bool, today: date) -> Review:
    """The review state after answering a question on ``today``.

    A wrong answer comes back after 2, 7, then every 21 days until answered right; a right
    answer after a wrong one, or a first right answer, comes back once after 28 days; a right
    answer at that last review ends the reviews.
    """
    first_right = correct if before is None else before.first_right
    if not correct:
        misses = 1 if before is None else before.misses + 1
        step = WRONG_STEPS[min(misses, len(WRONG_STEPS)) - 1]
        return Review(today + timedelta(days=step), misses, first_right)
    if before is not None and before.misses == 0:
        return Review(None, 0, first_right)  # right at its last review: done
    return Review(today + timedelta(days=RIGHT_AFTER), 0, first_right)
