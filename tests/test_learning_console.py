"""``paperbot chat``: ✅ Read → 🧠 Check yourself in the terminal, where a quiz poll's options
are numbered choices and typing a number answers, in English and Chinese."""

from __future__ import annotations

import asyncio
import io
import os
import re
from collections.abc import AsyncIterator

import pytest

from bot import console
from bot.core.catalogue import Catalogue
from bot.features.common import Services
from bot.features.quiz import questions
from bot.storage import Store
from tests.conftest import FakeClock

LABELS = {
    "en": {
        "hello": "Hi there",
        "read": "✅ Mark read",
        "check": "🧠 Check yourself (2 questions)",
        "intro": "🧠 Check yourself on Deep Residual Learning for Image Recognition: 2 questions.",
        "right": "✅ Right!",
        "wrong": "❌ Not quite: the answer is",
        "done": "That's the round.",
        "quiz": "🧠 Quiz: 1 of 2 right on the first try (50%)",
    },
    "zh": {
        "hello": "你好",
        "read": "✅ 标为已读",
        "check": "🧠 自测一下（2 题）",
        "intro": "🧠 自测：用于图像识别的深度残差学习，共 2 题。",
        "right": "✅ 答对了！",
        "wrong": "❌ 不太对：正确答案是",
        "done": "这一轮结束了。",
        "quiz": "🧠 自测：2 题中首次答对 1 题（50%）",
    },
}


class Screen(io.StringIO):
    """The terminal's output; ``changed`` is set on every write."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = asyncio.Event()

    def write(self, text: str) -> int:
        written = super().write(text)
        self.changed.set()
        return written


class Terminal:
    """``bot.console.chat`` reading a pipe (the keyboard) and writing to a string; each
    :meth:`type` returns the reply printed after the line."""

    def __init__(self, services: Services, clock: FakeClock, lang: str) -> None:
        read, write = os.pipe()
        self.stdin = os.fdopen(read, "r", encoding="utf-8")
        self.keyboard = os.fdopen(write, "w", encoding="utf-8")
        self.screen = Screen()
        self.task = asyncio.create_task(
            console.chat(
                services, self.stdin, self.screen, clock=clock, reminder_interval=3600, lang=lang
            )
        )

    async def printed(self, start: int) -> str:
        """What was printed after ``start``, once a whole reply (ending in a blank line) is."""
        async with asyncio.timeout(10):
            while not self.screen.getvalue()[start:].endswith("\n\n"):
                self.screen.changed.clear()
                await self.screen.changed.wait()
        return self.screen.getvalue()[start:]

    async def type(self, line: str) -> str:
        start = len(self.screen.getvalue())
        self.keyboard.write(line + "\n")
        self.keyboard.flush()
        return await self.printed(start)

    async def close(self) -> int:
        self.keyboard.close()
        code = await asyncio.wait_for(self.task, 10)
        self.stdin.close()
        return code


def number_of(label: str, screen: str) -> str:
    """The number printed before ``label`` (``[3] label``)."""
    match = re.search(r"\[(\d+)\] " + re.escape(label), screen)
    assert match, f"no [n] {label!r} in:\n{screen}"
    return match.group(1)


def options_of(screen: str) -> list[tuple[str, str]]:
    """The numbered quiz options printed under the 🧠 question: ``(number, text)``."""
    lines = screen.splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("🧠 ") and "[" not in x) + 1
    found = (re.fullmatch(r"  \[(\d+)\] (.+)", x) for x in lines[start:])
    return [(m.group(1), m.group(2)) for m in found if m]


@pytest.fixture(params=["en", "zh"])
async def terminal(
    request: pytest.FixtureRequest, catalogue: Catalogue, store: Store, clock: FakeClock
) -> AsyncIterator[tuple[Terminal, str]]:
    lang = str(request.param)
    term = Terminal(Services(catalogue, store), clock, lang)
    await term.printed(0)
    assert LABELS[lang]["hello"] in term.screen.getvalue()
    yield term, lang
    assert await term.close() == 0


async def test_read_then_check_yourself_numbers_the_options_and_a_number_answers(
    terminal: tuple[Terminal, str], catalogue: Catalogue
) -> None:
    term, lang = terminal
    say = LABELS[lang]
    q1, q2 = questions(catalogue)["resnet"][:2]
    card = await term.type("resnet")
    marked = await term.type(number_of(say["read"], card))
    first = await term.type(number_of(say["check"], marked))
    assert first.startswith(say["intro"])
    text, options, _ = q1.side(lang)
    assert f"🧠 {text}" in first.splitlines()
    numbered = options_of(first)
    assert [o for _, o in numbered] == list(options)
    assert [n for n, _ in numbered] == [str(i + 1) for i in range(len(options))]

    # The right option: a verdict and the second question, numbered afresh.
    second = await term.type(numbered[q1.correct][0])
    assert second.startswith(say["right"])
    assert f"🧠 {q2.side(lang)[0]}" in second.splitlines()
    numbered = options_of(second)
    assert [o for _, o in numbered] == list(q2.side(lang)[1])

    # A wrong one: the verdict names the right answer and closes the round.
    wrong = numbered[(q2.correct + 1) % len(numbered)][0]
    verdict = await term.type(wrong)
    assert verdict.startswith(say["wrong"]) and say["done"] in verdict
    assert q2.side(lang)[1][q2.correct] in verdict
    assert "🧠" not in verdict

    assert say["quiz"] in await term.type("/progress")
