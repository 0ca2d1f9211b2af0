"""The fake Telegram's quiz polls: ``sendPoll`` refuses what Telegram refuses, in Telegram's
words, and answers with a ``Message`` whose ``poll`` has an id; ``poll_answer`` updates reach
the bot as python-telegram-bot's ``PollAnswer``. The same over the in-process transport and over
HTTP. Every check-yourself question, as the bot sends it (HTML parse modes, in English, Chinese
and Traditional Chinese), passes those checks; and one quiz round runs over the wire.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot, InputPollOption, Update
from telegram.error import BadRequest

from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from bot.features.common import in_script
from bot.features.quiz import poll_of, questions
from bot.features.reply import Reply
from tests.botapi import FakeBotAPI
from tests.botmethods import FakeTelegram
from tests.botrules import ApiError, check_poll
from tests.conftest import FakeClock
from tests.harness import RunningBot

CHAT = 4343
OPTIONS = ["Residual", "Recurrent", "Random"]


async def quiz(bot: Bot, **kwargs: Any) -> Any:
    """A valid quiz poll, with ``kwargs`` changed."""
    fields: dict[str, Any] = {
        "chat_id": CHAT,
        "question": "What do the stacked layers of a residual block learn?",
        "options": OPTIONS,
        "type": "quiz",
        "correct_option_ids": [0],
        "explanation": "They learn F(x), added to x.",
        "is_anonymous": False,
    }
    fields.update(kwargs)
    return await bot.send_poll(**fields)


async def updates(bot: Bot, telegram: FakeTelegram) -> list[Update]:
    """The pending updates, fetched as the transport delivers them."""
    if isinstance(telegram, FakeBotAPI):
        return list(await bot.get_updates(timeout=0))
    found = [Update.de_json(u, bot) for u in telegram.take_updates()]
    return [u for u in found if u is not None]


async def test_a_quiz_poll_round_trips_and_its_answer_comes_back(
    fake: tuple[Bot, FakeTelegram],
) -> None:
    bot, telegram = fake
    sent = await quiz(bot)
    poll = sent.poll
    assert poll is not None and poll.id and sent.chat.id == CHAT
    assert [o.text for o in poll.options] == OPTIONS and poll.type == "quiz"
    assert poll.correct_option_ids == (0,) and not poll.is_anonymous
    assert poll.explanation == "They learn F(x), added to x."
    (call,) = telegram.calls("sendPoll")
    assert call.poll is not None and call.poll["id"] == poll.id
    assert telegram.polls[poll.id].message_id == sent.message_id

    telegram.answer_poll(CHAT, sent.message_id, 2, language_code="zh-hans")
    answer, counts = await updates(bot, telegram)
    assert answer.poll_answer is not None
    assert answer.poll_answer.poll_id == poll.id and answer.poll_answer.option_ids == (2,)
    assert answer.poll_answer.user is not None and answer.poll_answer.user.id == CHAT
    assert answer.poll_answer.user.language_code == "zh-hans"
    assert counts.poll is not None and counts.poll.total_voter_count == 1
    assert [o.voter_count for o in counts.poll.options] == [0, 0, 1]
    # A quiz takes one answer; Telegram tells the bot nothing about anonymous polls.
    with pytest.raises(AssertionError, match="one answer"):
        telegram.answer_poll(CHAT, sent.message_id, 0)
    anonymous = await quiz(bot, is_anonymous=True)
    with pytest.raises(AssertionError, match="anonymous"):
        telegram.answer_poll(CHAT, anonymous.message_id, 0)
    with pytest.raises(AssertionError, match="options are 0-2"):
        telegram.poll_answer(poll.id, 7, [3])


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"question": " "}, "poll question must be non-empty"),
        ({"question": "q" * 301}, "poll question length must not exceed 300"),
        ({"options": ["only one"]}, "poll must have at least 2 option"),
        ({"options": [str(i) for i in range(11)]}, "poll can't have more than 10 options"),
        ({"options": ["a", " "]}, "poll options must be non-empty"),
        ({"options": ["a", "b" * 101]}, "poll options length must not exceed 100"),
        ({"correct_option_ids": None}, "correct quiz option list must be non-empty"),
        ({"correct_option_ids": [3]}, "wrong quiz correct_option_id"),
        ({"correct_option_ids": [1, 0]}, "correct quiz option list must be increasing"),
        ({"explanation": "e" * 201}, "quiz explanation must have at most 200 characters"),
        ({"explanation": "a\nb\nc\nd"}, "quiz explanation must have at most 2 line feeds"),
        (
            {"explanation": "F(x) <b>plus x", "explanation_parse_mode": "HTML"},
            "can't parse entities",
        ),
        ({"question": "What is <x>?", "question_parse_mode": "HTML"}, "can't parse entities"),
        (
            {"options": ["a", InputPollOption("<i>b", text_parse_mode="HTML")]},
            "can't parse entities",
        ),
    ],
)
async def test_polls_that_telegram_refuses_are_refused(
    fake: tuple[Bot, FakeTelegram], change: dict[str, Any], error: str
) -> None:
    bot, telegram = fake
    with pytest.raises(BadRequest, match="(?i)" + re.escape(error)):
        await quiz(bot, **change)
    assert telegram.polls == {} and not telegram.sent(CHAT)


async def test_limits_count_what_telegram_shows_after_parsing(
    fake: tuple[Bot, FakeTelegram],
) -> None:
    bot, _ = fake
    sent = await quiz(
        bot,
        explanation="<b>" + "e" * 200 + "</b>",
        explanation_parse_mode="HTML",
        options=["a &amp; b", InputPollOption("<i>" + "o" * 100 + "</i>", text_parse_mode="HTML")],
        correct_option_id=None,
        correct_option_ids=[1],
    )
    assert sent.poll is not None and sent.poll.explanation == "e" * 200
    assert [o.text for o in sent.poll.options] == ["a &amp; b", "o" * 100]  # no parse mode


def test_every_question_as_the_bot_sends_it_passes_telegrams_checks(
    catalogue: Catalogue,
) -> None:
    """The bot sends polls with its default parse mode (HTML) for the question, each option
    and the explanation: every question must parse and fit, in every script."""
    checked = 0
    for qs in questions(catalogue).values():
        for q in qs:
            for lang in ("en", "zh", "zh-hant"):
                poll = in_script(Reply("", lang, poll=poll_of(q, lang))).poll
                assert poll is not None
                params = {
                    "question": poll.question,
                    "question_parse_mode": "HTML",
                    "options": [{"text": o, "text_parse_mode": "HTML"} for o in poll.options],
                    "type": "quiz",
                    "correct_option_ids": [poll.correct],
                    "explanation": poll.explanation,
                    "explanation_parse_mode": "HTML",
                    "is_anonymous": False,
                }
                try:
                    shown = check_poll(params)
                except ApiError as err:
                    raise AssertionError(f"{q.id} ({lang}): {err.description}") from None
                assert shown["question"] == poll.question.strip(), (q.id, lang)
                checked += 1
    assert checked == 3 * sum(map(len, questions(catalogue).values())) >= 3 * 3 * 113


async def test_over_http_read_check_yourself_and_answer(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> None:
    """The quiz round through python-telegram-bot's HTTP layer: ``sendPoll`` out,
    ``poll_answer`` in through ``getUpdates``."""
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    q1, q2 = questions(catalogue)["resnet"][:2]
    async with RunningBot(api, db_path, catalogue, clock) as bot:
        api.send_text(CHAT, "resnet")
        card = await api.next_reply(CHAT)
        assert card.message_id is not None
        await api.answered(api.press(CHAT, card.message_id, cb.MarkRead("resnet").encode()))
        marked = await api.next_reply(CHAT)
        await api.answered(api.press(CHAT, card.message_id, cb.QuizStart("resnet").encode()))
        assert marked.method == "editMessageReplyMarkup"
        assert "Check yourself" in ((await api.next_reply(CHAT)).text or "")
        first = await api.next_reply(CHAT)
        assert first.poll is not None and first.poll["question"] == q1.side("en")[0]
        await bot.answer_poll(CHAT, first, q1.correct)
        assert (await api.next_reply(CHAT)).text == "✅ Right!"
        second = await api.next_reply(CHAT)
        assert second.poll is not None and second.poll["question"] == q2.side("en")[0]
        await api.assert_no_reply(CHAT)
        assert await bot.store.learning.answered(CHAT) == {q1.id: True}
