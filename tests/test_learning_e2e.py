"""The learning loop, end to end, in English and Chinese: ✅ Read → 🧠 Check yourself as
Telegram quiz polls and their answers (``poll_answer`` updates), spaced review inside the daily
reminder, the review and recap toggles, the weekly recap, streaks across a DST change with a
freeze, notes, 📌 Reading now, and the terminal's numbered quiz options.

Users play against the real Application, in-process, on a fake Telegram that checks
``sendPoll`` as Telegram does (``tests/botrules.py``); the clock is virtual and reminders run
when a test runs the reminder job. Groups are in ``tests/test_learning_group.py``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.catalogue import Catalogue
from bot.core.quiz import Question
from bot.features import callbacks as cb
from bot.features.quiz import questions
from tests.botmethods import FakeTelegram
from tests.botmodel import Request
from tests.conftest import FakeClock
from tests.harness import OfflineBot
from tests.ux import EN, ZH, User, of_kind, text_of

CJK = re.compile(r"[\u4e00-\u9fff]")
#: Monday 2 March 2026, 07:00 UTC: an hour before the 08:00 UTC reminders of these tests.
D = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
LANG = {EN: "en", ZH: "zh"}
LANGS = pytest.mark.parametrize("chat", [EN, ZH], ids=["en", "zh-hans"])

TEXT: dict[int, dict[str, str]] = {
    EN: {
        "intro": "Check yourself on Deep Residual Learning for Image Recognition: 2 questions.",
        "right": "✅ Right!",
        "wrong": "❌ Not quite: the answer is",
        "done": "That's the round.",
        "quiz": "🧠 Quiz: 1 of 2 right on the first try (50%)",
        "review": "🔁 A question to review, from a paper you read:",
        "recap": "📰 Your week:",
        "review_off": "🧠 Review questions: off",
        "streak": "🔥 Streak: {current} (best {best})",
    },
    ZH: {
        "intro": "自测：用于图像识别的深度残差学习，共 2 题。",
        "right": "✅ 答对了！",
        "wrong": "❌ 不太对：正确答案是",
        "done": "这一轮结束了。",
        "quiz": "🧠 自测：2 题中首次答对 1 题（50%）",
        "review": "🔁 复习一道你读过的论文的题：",
        "recap": "📰 本周回顾：",
        "review_off": "🧠 复习题：关",
        "streak": "🔥 连续阅读：{current}（最长 {best}）",
    },
}
DAYS = {EN: {0: "0 days", 1: "1 day", 5: "5 days"}, ZH: {0: "0天", 1: "1天", 5: "5天"}}


def at(day: int, hour: int = 8, minute: int = 0, second: int = 30) -> datetime:
    """``day`` days after D, at the given UTC time (by default just after 08:00 reminders)."""
    return D.replace(hour=hour, minute=minute, second=second) + timedelta(days=day)


def polls(sent: list[Request]) -> list[Request]:
    """The quiz polls among ``sent``."""
    return [r for r in sent if r.method == "sendPoll"]


def check_quiz_poll(poll: Request, q: Question, lang: str) -> None:
    """``poll`` is question ``q`` as a non-anonymous Telegram quiz in ``lang``."""
    text, options, explain = q.side(lang)
    assert poll.ok and poll.poll is not None, poll
    assert poll.params["type"] == "quiz" and poll.params["is_anonymous"] is False
    assert poll.poll["question"] == text
    assert [o["text"] for o in poll.poll["options"]] == list(options)
    assert poll.poll["correct_option_ids"] == [q.correct]
    assert poll.poll["explanation"] == explain
    assert bool(CJK.search(text)) == (lang == "zh")


async def read_and_open_quiz(user: User, telegram: FakeTelegram, paper: str) -> Request:
    """Ask for ``paper``, press ✅ Read, then 🧠 Check yourself; return the intro message (its
    first poll is the chat's next reply)."""
    card = await user.say(paper)
    await user.tap(card, cb.MarkRead(paper))
    marked = telegram.take_reply(user.chat)
    assert of_kind(marked, cb.QuizStart) == [cb.QuizStart(paper)]
    return await user.press(marked, cb.QuizStart(paper))


async def remind_all(
    bot: OfflineBot, clock: FakeClock, chats: tuple[int, ...], day: int
) -> dict[int, list[Request]]:
    """Run the reminder job just after 08:00 UTC on day ``day``; return what each chat got
    (exactly one reminder message first, then any poll)."""
    for chat in chats:
        bot.telegram.check_no_reply(chat)
    clock.set(at(day))
    await bot.run_reminder_job()
    out = {}
    for chat in chats:
        sent = out[chat] = bot.telegram.unread(chat)
        assert [r.method for r in sent if r.method != "sendPoll"] == ["sendMessage"], sent
        assert sent[0].method == "sendMessage"
    return out


async def remind(bot: OfflineBot, clock: FakeClock, chat: int, day: int) -> list[Request]:
    """:func:`remind_all` for one chat."""
    return (await remind_all(bot, clock, (chat,), day))[chat]


# -- check yourself ---------------------------------------------------------------------------


@LANGS
async def test_read_then_check_yourself_asks_two_quiz_polls_and_gives_a_verdict(
    bot: OfflineBot, telegram: FakeTelegram, catalogue: Catalogue, clock: FakeClock, chat: int
) -> None:
    clock.set(D)
    user, lang, say = User(bot, chat), LANG[chat], TEXT[chat]
    q1, q2 = questions(catalogue)["resnet"][:2]
    await user.say("/start")
    intro = await read_and_open_quiz(user, telegram, "resnet")
    assert intro.method == "sendMessage" and say["intro"] in text_of(intro)

    first = telegram.take_reply(chat)
    check_quiz_poll(first, q1, lang)
    remembered = await bot.store.learning.poll(first.poll["id"])  # type: ignore[index]
    assert remembered is not None
    assert (remembered.chat_id, remembered.question_id, remembered.review) == (chat, q1.id, False)
    telegram.check_no_reply(chat)

    # A wrong answer: the verdict names the right option, then the second question.
    wrong = (q1.correct + 1) % len(q1.options["en"])
    await bot.answer_poll(chat, first, wrong, language_code=user.code)
    verdict = telegram.take_reply(chat)
    assert verdict.method == "sendMessage"
    assert text_of(verdict).startswith(say["wrong"])
    assert q1.side(lang)[1][q1.correct] in text_of(verdict)
    second = telegram.take_reply(chat)
    check_quiz_poll(second, q2, lang)
    telegram.check_no_reply(chat)

    # A right answer: the verdict closes the round, and nothing more is asked.
    await bot.answer_poll(chat, second, q2.correct, language_code=user.code)
    verdict = telegram.take_reply(chat)
    assert text_of(verdict).startswith(say["right"]) and say["done"] in text_of(verdict)
    telegram.check_no_reply(chat)

    progress = text_of(await user.say("/progress"))
    assert say["quiz"] in progress
    one = DAYS[chat][1]
    assert say["streak"].format(current=one, best=one) in progress
    assert await bot.store.learning.answered(chat) == {q1.id: False, q2.id: True}


async def test_a_poll_that_is_not_ours_or_an_unknown_answer_sends_nothing(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    telegram.inject(
        {
            "poll_answer": {
                "poll_id": "424242",
                "user": {"id": EN, "is_bot": False, "first_name": "Ada"},
                "option_ids": [0],
                "option_persistent_ids": ["0"],
            }
        }
    )
    await bot.idle()
    telegram.check_no_reply(EN)
    assert not [r for r in telegram.requests if r.method.lower() == "sendmessage"]


# -- spaced review in the daily reminder ------------------------------------------------------


@LANGS
async def test_a_missed_question_comes_back_in_the_reminder_two_days_later_then_28(
    bot: OfflineBot, telegram: FakeTelegram, catalogue: Catalogue, clock: FakeClock, chat: int
) -> None:
    clock.set(D)
    user, lang, say = User(bot, chat), LANG[chat], TEXT[chat]
    q1 = questions(catalogue)["resnet"][0]
    await user.say("/subscribe 08:00 UTC")
    await read_and_open_quiz(user, telegram, "resnet")
    first = telegram.take_reply(chat)
    await bot.answer_poll(chat, first, (q1.correct + 1) % 3, language_code=user.code)
    telegram.unread(chat)  # the verdict and the second question, left unanswered

    # Day D and D+1: reminders, no review. D+2: the reminder, then the question as a poll.
    for day in (0, 1):
        sent = await remind(bot, clock, chat, day)
        assert polls(sent) == [] and say["review"] not in text_of(sent[0])
    sent = await remind(bot, clock, chat, 2)
    assert say["review"] in text_of(sent[0])
    assert [r.method for r in sent] == ["sendMessage", "sendPoll"]
    review = sent[1]
    check_quiz_poll(review, q1, lang)
    remembered = await bot.store.learning.poll(review.poll["id"])  # type: ignore[index]
    assert remembered is not None and (remembered.question_id, remembered.review) == (q1.id, True)

    # Answered right: a verdict alone (no next question), and it counts for the streak.
    clock.set(at(2, hour=12))
    await bot.answer_poll(chat, review, q1.correct, language_code=user.code)
    (verdict,) = telegram.unread(chat)
    assert text_of(verdict) == say["right"]
    assert at(2).date() in await bot.store.learning.active_days(chat)
    state = await bot.store.learning.review_of(chat, q1.id)
    assert state is not None and state.due == at(30).date()

    # It comes back 28 days later, not before.
    for day in range(3, 30):
        sent = await remind(bot, clock, chat, day)
        assert polls(sent) == [], f"day {day}"
    sent = await remind(bot, clock, chat, 30)
    assert len(polls(sent)) == 1
    check_quiz_poll(polls(sent)[0], q1, lang)


@LANGS
async def test_review_turned_off_in_settings_sends_no_review_poll_until_turned_on(
    bot: OfflineBot, telegram: FakeTelegram, catalogue: Catalogue, clock: FakeClock, chat: int
) -> None:
    clock.set(D)
    user, say = User(bot, chat), TEXT[chat]
    q1 = questions(catalogue)["resnet"][0]
    await user.say("/subscribe 08:00 UTC")
    await read_and_open_quiz(user, telegram, "resnet")
    first = telegram.take_reply(chat)
    await bot.answer_poll(chat, first, (q1.correct + 1) % 3, language_code=user.code)
    telegram.unread(chat)

    settings = await user.say("/settings")
    off = await user.press(settings, cb.Toggle("review"))
    assert off.method == "editMessageText" and off.message_id == settings.message_id
    assert say["review_off"] in text_of(off)
    for day in (2, 3):
        sent = await remind(bot, clock, chat, day)
        assert polls(sent) == [] and say["review"] not in text_of(sent[0])

    on = await user.press(off, cb.Toggle("review"))
    assert say["review_off"] not in text_of(on)
    sent = await remind(bot, clock, chat, 4)  # still due: it comes once turned back on
    assert say["review"] in text_of(sent[0]) and len(polls(sent)) == 1


# -- weekly recap -----------------------------------------------------------------------------


async def test_the_weekly_recap_comes_once_a_week_and_not_when_turned_off(
    bot: OfflineBot, telegram: FakeTelegram, clock: FakeClock
) -> None:
    clock.set(D)
    users = {chat: User(bot, chat) for chat in (EN, ZH)}
    for user in users.values():
        await user.say("/subscribe 08:00 UTC")
    # The Chinese reader keeps the recap; the English one turns it off after a first week.
    recaps: dict[int, list[int]] = {EN: [], ZH: []}
    for day in range(22):
        if day == 8:
            settings = await users[EN].say("/settings")
            await users[EN].press(settings, cb.Toggle("recap"))
        for chat, sent in (await remind_all(bot, clock, (EN, ZH), day)).items():
            if TEXT[chat]["recap"] in text_of(sent[0]):
                recaps[chat].append(day)
    assert recaps == {EN: [7], ZH: [7, 14, 21]}


async def test_the_recap_counts_the_weeks_reading_and_names_the_next_paper(
    bot: OfflineBot, telegram: FakeTelegram, clock: FakeClock
) -> None:
    clock.set(D)
    user = User(bot, ZH)
    await user.say("/subscribe 08:00 UTC")
    await remind(bot, clock, ZH, 0)
    clock.set(at(3, hour=12))
    card = await user.say("/next")
    await user.tap(card, cb.MarkRead("annotated-transformer"))
    telegram.unread(ZH)
    for day in range(1, 7):
        await remind(bot, clock, ZH, day)
    recap = text_of((await remind(bot, clock, ZH, 7))[0])
    line = next(x for x in recap.splitlines() if x.startswith("📰"))
    assert line == (
        "📰 本周回顾：读了 1 篇，连续阅读 0天，自测 还没有答题。下一篇：复杂动力学第一定律。"
    )


# -- streaks ----------------------------------------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")


def local(day: int, hour: int, minute: int = 30) -> datetime:
    """March ``day`` 2026 at ``hour:minute`` in New York, as UTC (DST starts on 8 March)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


@LANGS
async def test_a_streak_runs_across_the_dst_change_forgives_one_day_a_week_then_breaks(
    bot: OfflineBot, telegram: FakeTelegram, clock: FakeClock, chat: int
) -> None:
    user, say = User(bot, chat), TEXT[chat]
    days = DAYS[chat]

    def streak(current: int, best: int) -> str:
        return say["streak"].format(current=days[current], best=days[best])

    async def read_next(when: datetime) -> None:
        clock.set(when)
        card = await user.say("/next")
        (read,) = of_kind(card, cb.MarkRead)
        await user.tap(card, read)
        telegram.unread(chat)

    clock.set(local(5, 12))
    await user.say("/timezone America/New_York")
    # Evenings are the next day in UTC; on the 9th both readings share one UTC date.
    for when in (local(6, 20), local(7, 20), local(8, 20), local(9, 0), local(11, 20)):
        await read_next(when)
    assert await bot.store.learning.active_days(chat) == [
        date(2026, 3, d) for d in (6, 7, 8, 9, 11)
    ]
    clock.set(local(12, 12))  # Tuesday the 10th was missed: the week's one forgiven day
    assert streak(5, 5) in text_of(await user.say("/progress"))
    clock.set(local(13, 12))  # Thursday the 12th missed as well, in the same week: broken
    assert streak(0, 5) in text_of(await user.say("/progress"))
    await read_next(local(13, 12, 5))
    assert streak(1, 5) in text_of(await user.say("/progress"))


# -- notes ------------------------------------------------------------------------------------

NOTES = {
    EN: {
        "paper": "resnet: ",
        "note": "read section 3 again",
        "saved": "📝 Note kept on Deep Residual Learning for Image Recognition.",
        "label": "📝 Your note: ",
        "typed": "compare with RNN encoders",
        "head": "📝 Your notes (2):",
        "none": "You have no notes yet.",
    },
    ZH: {
        "paper": "残差网络：",
        "note": "再读一遍第 3 节",
        "saved": "📝 已保存 用于图像识别的深度残差学习 的笔记",
        "label": "📝 你的笔记：",
        "typed": "和 RNN 编码器比较",
        "head": "📝 你的笔记（2 条）：",
        "none": "你还没有笔记。",
    },
}


def note_line(text: str) -> str | None:
    """The card's "📝 Your note" line, or None."""
    return next((x for x in text.splitlines() if x.startswith("📝")), None)


@LANGS
async def test_notes_by_command_and_by_button_show_on_the_owners_cards_only(
    bot: OfflineBot, telegram: FakeTelegram, clock: FakeClock, chat: int
) -> None:
    clock.set(D)
    user, say = User(bot, chat), NOTES[chat]
    other = User(bot, ZH if chat == EN else EN)
    saved = await user.say("/note " + say["paper"] + say["note"])
    assert text_of(saved).startswith(say["saved"])
    assert of_kind(saved, cb.ShowCard)[0].paper_id == "resnet"
    assert note_line(text_of(await user.say("resnet"))) == say["label"] + say["note"]

    # 📝 Note on a card: the next message is the note (not a question), once.
    clock.set(D + timedelta(minutes=1))
    pid = "attention-is-all-you-need"
    card = await user.say("attention is all you need")
    assert note_line(text_of(card)) is None
    prompt = await user.press(card, cb.NoteStart(pid))
    assert prompt.method == "sendMessage" and "📝" in text_of(prompt)
    kept = await user.say(say["typed"])
    assert of_kind(kept, cb.ShowCard)[0].paper_id == pid
    again = await user.say(say["typed"])
    assert not text_of(again).startswith("📝")
    assert await bot.store.learning.notes(chat) == {pid: say["typed"], "resnet": say["note"]}

    listed = text_of(await user.say("/notes")).splitlines()
    assert listed[0] == say["head"]
    assert [say["typed"] in listed[1], say["note"] in listed[2]] == [True, True]  # newest first
    # The card's other-language button: the note is there too, under the other label.
    other_lang = "zh" if chat == EN else "en"
    shown = await user.press(card, cb.ShowCard(pid, other_lang))
    assert shown.method == "editMessageText" and shown.message_id == card.message_id
    assert note_line(text_of(shown)) == NOTES[other.chat]["label"] + say["typed"]

    # Another chat's card of the same paper shows no note; its /notes is empty.
    assert note_line(text_of(await other.say("resnet"))) is None
    assert NOTES[other.chat]["none"] in text_of(await other.say("/notes"))


# -- 📌 reading now ---------------------------------------------------------------------------

READING_NOW = {
    EN: "📌 You are reading Deep Residual Learning for Image Recognition.",
    ZH: "📌 你正在读 用于图像识别的深度残差学习。",
}


@LANGS
async def test_next_offers_to_continue_the_paper_being_read_until_it_is_read(
    bot: OfflineBot, telegram: FakeTelegram, chat: int
) -> None:
    user = User(bot, chat)
    card = await user.say("resnet")
    answer = await user.tap(card, cb.ReadingNow("resnet"))
    assert "📌" in str(answer.params.get("text"))
    telegram.unread(chat)

    offer = await user.say("/next")
    assert text_of(offer).startswith(READING_NOW[chat])
    assert of_kind(offer, cb.ShowCard) == [cb.ShowCard("resnet", LANG[chat])]
    assert of_kind(offer, cb.Menu) == [cb.Menu("unread")]
    resumed = await user.press(offer, cb.ShowCard("resnet", LANG[chat]))
    assert of_kind(resumed, cb.MarkRead) == [cb.MarkRead("resnet")]
    await user.tap(resumed, cb.MarkRead("resnet"))
    telegram.unread(chat)

    nxt = await user.say("/next")
    assert not text_of(nxt).startswith("📌")
    assert of_kind(nxt, cb.MarkRead) == [cb.MarkRead("annotated-transformer")]


# -- /export ----------------------------------------------------------------------------------


async def test_export_carries_quiz_answers_reading_days_and_notes(
    bot: OfflineBot, telegram: FakeTelegram, catalogue: Catalogue, clock: FakeClock
) -> None:
    clock.set(D)
    user = User(bot, EN)
    q1 = questions(catalogue)["resnet"][0]
    await read_and_open_quiz(user, telegram, "resnet")
    await bot.answer_poll(EN, telegram.take_reply(EN), (q1.correct + 1) % 3)
    await user.say("/note resnet: read section 3 again")
    telegram.unread(EN)
    telegram.send_text(EN, "/export")
    await bot.idle()
    exported = json.loads(telegram.unread(EN)[0].params["document"].content)
    assert exported["quiz_answers"] == [
        {
            "question": q1.id,
            "first_answer_right": False,
            "wrong_since_last_right": 1,
            "review_due": "2026-03-04",
            "answered_at": "2026-03-02T07:00:00+00:00",
        }
    ]
    assert exported["reading_days"] == [{"date": "2026-03-02"}]
    assert [(n["paper_id"], n["text"]) for n in exported["notes"]] == [
        ("resnet", "read section 3 again")
    ]
    assert exported["group_member_marks"] == []
    assert [p["question"] for p in exported["quiz_polls"]] == ["resnet#1", "resnet#2"]


async def test_reading_now_answers_with_a_toast_and_posts_nothing(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    user = User(bot, EN)
    card = await user.say("resnet")
    assert "📌" in str((await user.tap(card, cb.ReadingNow("resnet"))).params.get("text"))
    telegram.check_no_reply(EN)


async def test_the_verdict_is_in_the_voters_language_without_a_command_first(
    bot: OfflineBot, telegram: FakeTelegram, catalogue: Catalogue
) -> None:
    user = User(bot, ZH)
    q1 = questions(catalogue)["resnet"][0]
    await read_and_open_quiz(user, telegram, "resnet")
    first = telegram.take_reply(ZH)
    check_quiz_poll(first, q1, "zh")
    await bot.answer_poll(ZH, first, q1.correct, language_code=user.code)
    assert text_of(telegram.take_reply(ZH)) == TEXT[ZH]["right"]
