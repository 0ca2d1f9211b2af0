"""The service layer without Telegram: lists, progress across lists, reminders follow the list."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.console import plain
from bot.core.catalogue import Catalogue
from bot.service import PaperBot
from bot.storage import Storage

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
LATER = datetime(2026, 3, 2, 8, 5, tzinfo=UTC)


async def test_reminders_and_progress_follow_the_current_list(
    catalogue: Catalogue, storage: Storage
) -> None:
    bot = PaperBot(catalogue, storage)
    chat = 31
    await bot.command(chat, "subscribe", "08:00 UTC", now=NOW)
    await storage.mark(chat, "resnet", "read", NOW)  # on both lists

    first = plain((await bot.reminder_reply(chat, LATER)).text)
    assert "Ilya Sutskever" in first and "The Annotated Transformer" in first

    switched = plain((await bot.command(chat, "list", "paper-reading", now=NOW)).text)
    assert "Li Mu's paper-reading list" in switched
    progress = plain((await bot.command(chat, "progress", now=NOW)).text)
    assert "1/90 read" in progress  # ResNet counts on the second list too
    lists = plain((await bot.command(chat, "lists", now=NOW)).text)
    assert "1/27 read" in lists and "1/90 read" in lists

    (due,) = await bot.due(LATER)
    assert await bot.claim(due, LATER)
    reminder = plain((await bot.reminder_reply(chat, LATER)).text)
    assert "Li Mu's paper-reading list" in reminder
    assert "ImageNet Classification with Deep Convolutional Neural Networks" in reminder
    await storage.mark(chat, "alexnet", "read", LATER)
    nxt = plain((await bot.command(chat, "next", now=LATER)).text)
    assert "Very Deep Convolutional Networks" in nxt and "2/90 done" in nxt


async def test_list_questions_use_the_current_list_unless_one_is_named(
    catalogue: Catalogue, storage: Storage
) -> None:
    bot = PaperBot(catalogue, storage)
    chat = 32
    assert "Pointer Networks" in plain((await bot.text(chat, "paper 7", now=NOW)).text)
    await bot.command(chat, "list", "paper-reading", now=NOW)
    assert "Non-deep Networks" in plain((await bot.text(chat, "paper 7", now=NOW)).text)
    named = plain((await bot.text(chat, "how many papers on ilya's list", now=NOW)).text)
    assert "27 papers" in named
