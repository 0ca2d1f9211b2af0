"""Check yourself: two quiz questions after ✅ Read, and spaced review of the ones missed.

A question goes out as a Telegram quiz poll (:class:`~bot.features.reply.Poll`); in the
terminal its options are numbered buttons (:class:`~bot.features.callbacks.QuizAnswer`). Either
way the answer comes back to :func:`answer`, which schedules the review
(:func:`bot.core.quiz.after_answer`) and sends the round's next question. A review answer
counts for the streak.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from bot.core.catalogue import Catalogue
from bot.core.knowledge import default_knowledge_dir
from bot.core.knowledge.quiz import quiz_for
from bot.core.quiz import Question, after_answer
from bot.core.schedule import local_date
from bot.features import callbacks as cb
from bot.features.common import Request, Services
from bot.features.reply import Button, Poll, Reply, esc
from bot.i18n import base_lang, t

ROUND = 2  # questions offered after ✅ Read


def questions(catalogue: Catalogue) -> Mapping[str, tuple[Question, ...]]:
    """Every paper's quiz questions (loaded once, on first use)."""
    directory = catalogue.directory or default_knowledge_dir()
    return quiz_for(directory, frozenset(catalogue.papers))


def question(catalogue: Catalogue, question_id: str) -> Question | None:
    """The question with this id (``<paper id>#<n>``), or None."""
    pid, _, _ = question_id.partition("#")
    return next((q for q in questions(catalogue).get(pid, ()) if q.id == question_id), None)


def poll_of(q: Question, lang: str, *, review: bool = False) -> Poll:
    """The quiz poll of a question in ``lang``."""
    text, options, explain = q.side(base_lang(lang))
    return Poll(text, options, q.correct, explain, q.id, review)


def offer_button(paper_id: str, lang: str) -> Button:
    """The "🧠 Check yourself (2 questions)" button under a card marked read."""
    return Button.action(t(lang, "btn_quiz", count=ROUND), cb.QuizStart(paper_id))


async def unanswered(services: Services, chat_id: int, paper_id: str) -> list[Question]:
    """The paper's questions the chat has not answered yet, in order."""
    done = await services.store.learning.answered(chat_id)
    return [q for q in questions(services.catalogue).get(paper_id, ()) if q.id not in done]


async def start(services: Services, request: Request, action: cb.QuizStart) -> Reply | None:
    """Send the first question of a paper's round (or say they were all answered)."""
    paper = services.catalogue.papers.get(action.paper_id)
    if paper is None:
        return None
    lang = request.lang
    title = esc(paper.display_title(base_lang(lang)))
    left = await unanswered(services, request.chat_id, paper.id)
    if not left:
        return Reply(t(lang, "quiz_all_done", title=title), lang)
    intro = t(lang, "quiz_intro", title=title, count=min(ROUND, len(left)))
    return Reply(intro, lang, poll=poll_of(left[0], lang))


async def answer(
    services: Services, request: Request, question_id: str, option: int, review: bool
) -> Reply | None:
    """Record an answer and reply with the round's next question (or a short verdict).

    Args:
        question_id: ``<paper id>#<n>``.
        option: the index of the chosen option.
        review: it was a review question (counts for the streak).

    Returns:
        The reply, or None for an unknown question.
    """
    q = question(services.catalogue, question_id)
    if q is None:
        return None
    chat_id, lang, now = request.chat_id, request.lang, request.now
    today = await _today(services, chat_id, now)
    learning = services.store.learning
    before = await learning.review_of(chat_id, q.id)
    right = option == q.correct
    await learning.record_answer(chat_id, q.id, after_answer(before, right, today), now)
    if review:
        await learning.active_on(chat_id, today)
    _, options, explain = q.side(base_lang(lang))
    if right:
        verdict = t(lang, "quiz_right")
    else:
        verdict = t(lang, "quiz_wrong", answer=esc(options[q.correct]), why=esc(explain))
    if review or before is not None:
        return Reply(verdict, lang)
    answered_now = [x for x in questions(services.catalogue)[q.paper_id] if x.id != q.id]
    done = await learning.answered(chat_id)
    asked = sum(x.id in done for x in answered_now) + 1
    left = [x for x in answered_now if x.id not in done]
    if asked < ROUND and left:
        return Reply(verdict, lang, poll=poll_of(left[0], lang))
    return Reply(verdict + "\n" + t(lang, "quiz_round_done"), lang)


async def on_answer_button(
    services: Services, request: Request, action: cb.QuizAnswer
) -> Reply | None:
    """A numbered option pressed in the terminal (Telegram answers through the poll)."""
    return await answer(services, request, action.question_id, action.option, action.review == 1)


async def review_due(services: Services, chat_id: int, now: datetime, lang: str) -> Poll | None:
    """The question due for review today, as a poll, when the chat wants reviews."""
    fields = await services.store.learning.user_fields(chat_id)
    if not fields.get("review", 1):
        return None
    today = await _today(services, chat_id, now)
    question_id = await services.store.learning.due_review(chat_id, today)
    q = question(services.catalogue, question_id) if question_id else None
    return poll_of(q, lang, review=True) if q else None


async def first_try_share(services: Services, chat_id: int) -> tuple[int, int]:
    """(questions right on the first try, questions answered)."""
    answered = await services.store.learning.answered(chat_id)
    return sum(answered.values()), len(answered)


async def _today(services: Services, chat_id: int, now: datetime) -> date:
    user = await services.store.users.get(chat_id)
    return local_date(now, user.timezone if user else "UTC")
