"""The :class:`Answerer`: reads which list a question is about, then routes it by kind."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from bot.core.answers.authors import AuthorIndex
from bot.core.answers.intents import read_cues, read_info_cues, read_intents
from bot.core.answers.kinds import conversation_answer, paper_intent_answer
from bot.core.answers.lists import (
    across_lists,
    author_answer,
    count_answer,
    position_answer,
    topic_answer,
    video_list_answer,
    year_answer,
)
from bot.core.answers.model import Answer, Kind, ParsedQuestion
from bot.core.answers.paper import paper_answer
from bot.core.answers.patterns import (
    AUTHOR_AND_WORDS,
    END_PUNCT,
    LEAD_ON,
    LIST_MENTIONS,
    list_question,
)
from bot.core.answers.topics import TopicIndex
from bot.core.catalogue import Catalogue, ReadingList
from bot.core.matching import Matcher, Scored
from bot.core.matching.index import is_decoy
from bot.core.search import Searcher
from bot.core.search_text import looks_like_description, tokens
from bot.core.text import fold, has_cjk

#: Words that name a kind of work: a question with one about a paper of another kind names a
#: work we do not have ("Goodfellow 的深度学习花书" is a book, not the GAN paper).
KIND_WORDS = (
    ("book", re.compile(r"\b(?:text)?books?\b|花书|教材|书籍|(?<![论文])书(?![单])")),
    ("thesis", re.compile(r"\bthesis\b|\bdissertation\b|博士论文|学位论文")),
    ("course", re.compile(r"\bcourse\b|\blectures? notes\b|课程")),
)
#: A paper asked for by its number ("which paper is #12", "第 8 篇"): never a description.
NUMBERED = re.compile(
    r"#\s*\d|\b(?:paper|item|number|no\.?)\s*\d|第\s*[0-9零一二两三四五六七八九十百]+\s*(?:篇|个|项)"
)
#: A version asked for ("pointclip v2", "yolo 4"): a name, not a description.
VERSION_WORD = re.compile(r"\bv\s?\d+\b|第[二三四五]版|[二三四五]代")

#: A describe search's choices are offered only from this BM25 score up (below it, the words
#: shared with our content are incidental: "中国的首都是哪里").
MIN_CHOICE_SCORE = 2.5
#: From a question not phrased as a description, search results are offered only from this
#: score up (junk like "what time is it" scores 2-5; described papers 5-40).
MIN_SUGGEST_SCORE = 5.0
#: The kind of a list answer, by what it lists.
LISTING_KINDS: dict[str, Kind] = {
    "count": "list_info",
    "author": "author",
    "topic": "topic",
    "category": "topic",
    "year": "year",
}


def question_lang(text: str) -> str:
    """Return ``"zh"`` if ``text`` contains Chinese characters, else ``"en"``."""
    return "zh" if has_cjk(text) else "en"


def named_list(text: str, lists: Mapping[str, ReadingList]) -> tuple[str | None, str]:
    """Find a list named in a folded question ("on Li Mu's list", "李沐的清单").

    Returns:
        ``(list id, the question without the mention)``, or ``(None, text)``.
    """
    for pattern, lid in LIST_MENTIONS:
        if lid in lists:
            new, n = pattern.subn(" ", text)
            if n:
                return lid, " ".join(new.split())
    return None, text


class Answerer:
    """Answers questions about a catalogue.

    Args:
        catalogue: the loaded catalogue.
        matcher: a :class:`Matcher` over the same catalogue (built if omitted).

    Attributes:
        catalogue: the catalogue.
        matcher: the matcher that finds the paper a question names.
        authors: author names and their papers.
        topics: topic and category names.
    """

    def __init__(self, catalogue: Catalogue, matcher: Matcher | None = None) -> None:
        self.catalogue = catalogue
        self.matcher = matcher or Matcher(catalogue)
        self.authors = AuthorIndex(catalogue)
        self.topics = TopicIndex(catalogue)
        self.searcher = Searcher(catalogue)
        names = sorted(
            {fold(n) for names in catalogue.decoys for n in names if len(n) >= 4}, key=len
        )
        self._decoy_names = (
            re.compile(
                r"(?<![\w])(?:" + "|".join(re.escape(n) for n in reversed(names)) + r")(?![\w])"
            )
            if names
            else None
        )

    def answer(
        self, query: str, current_list: str | None = None, last_paper: str | None = None
    ) -> Answer:
        """Answer ``query`` (English or Chinese, any script).

        Args:
            query: the user's text.
            current_list: the asker's current list id; list-level questions use it unless
                the question names a list. Defaults to the catalogue's first list.
            last_paper: the id of the last paper shown in this chat, for follow-ups ("and
                who wrote it?"), or None.

        Returns:
            An :class:`Answer`; its ``kind`` says what kind of question it was. Never raises
            for any text input.
        """
        lang = question_lang(query)
        text = END_PUNCT.sub("", fold(query).strip())
        text = LEAD_ON.sub("", text) or text
        if not text:
            return Answer(query, lang, "none", reason="empty")
        cat = self.catalogue
        list_id = current_list if current_list in cat.lists else None
        list_id = list_id or cat.default_list.id
        whole = text
        named, text = named_list(text, cat.lists)
        q = ParsedQuestion(query, lang, text, list_question(text), named or list_id)
        # The kinds, in the order they are tried; each builder returns None when the question
        # is not of its kind, and what is left is a question about one paper.
        # Patterns read the text as said and without the list's mention ("李沐的论文精读是什么"
        # is a question about the list; "li mu's reading of vit" about a video).
        found = self.intent_answer(q, whole, last_paper)
        if found is not None:
            return found
        listed = (
            count_answer(q, cat)
            or position_answer(q, cat)
            or year_answer(q, cat)
            or author_answer(q, cat, self.authors)
            or topic_answer(q, cat, self.topics, self.matcher)
        )
        if listed is not None:
            kind = LISTING_KINDS.get(listed.listing.kind if listed.listing else "", "paper")
            return replace(listed, kind=kind)
        if self.authors.is_name(q.text) and not self.is_a_name(q.text):
            return self.bare_author(q)  # "karpathy": their papers, not a guess among them
        answer = paper_answer(q, self.matcher)
        if answer.status == "answer":
            return replace(answer, kind="field") if answer.facet != "what" else answer
        return self.fallback(q, answer, whole, last_paper)

    def intent_answer(
        self, q: ParsedQuestion, whole: str, last_paper: str | None
    ) -> Answer | None:
        """The papers with videos ("李沐的视频", before it reads as one paper's video), then
        each intent read from the question, with and without the list's mention."""
        videos = video_list_answer(q, self.catalogue, whole)
        if videos is not None:
            return replace(videos, kind="video")
        intents = read_intents(whole)
        intents += [i for i in read_intents(q.text) if i not in intents]
        for intent in intents:
            found = conversation_answer(q, intent) or paper_intent_answer(
                q,
                self.catalogue,
                self.matcher,
                intent,
                last_paper,
                lambda s: self.topics.find(s, q.list_id) is not None,
            )
            if found is not None:
                return found
        return None

    def fallback(
        self, q: ParsedQuestion, answer: Answer, whole: str, last_paper: str | None
    ) -> Answer:
        """When no name was matched with confidence, in this order: a description phrased as
        one, an author and a few words, a bare author, cue words ("ZeRO 那集影片多長"), a reply
        with no paper (the lists, a greeting, a command), and last a search of our content
        for a description said plainly."""
        cat = self.catalogue
        described = looks_like_description(q.query) and not NUMBERED.search(q.text)
        if described and (found := self.describe(q)) is not None:
            return found
        names_off_list = self.names_off_list(q.query)
        if not names_off_list and (by := self.by_author(q)) is not None:
            return by
        if self.authors.is_name(q.text):  # a bare author ("karpathy"): their papers
            return self.bare_author(q)
        if answer.status == "none" and not names_off_list:
            for intent in read_cues(whole):
                found = paper_intent_answer(q, cat, self.matcher, intent, last_paper)
                if found is not None:
                    return found
        if answer.status == "none" and not answer.suggestions:
            cue = read_info_cues(whole)
            if cue is not None and (found := conversation_answer(q, cue)) is not None:
                return found
        searchable = not (described or answer.suggestions or NUMBERED.search(q.text))
        # Only numbers and words that say nothing ("-1", "2 more"): nothing to search for.
        searchable = searchable and any(not t.isdigit() for t in tokens(q.text, query=True))
        found = self.describe(q) if searchable else None
        if found is not None and found.status == "answer" and self.plain_words(q, found):
            return found
        if found is not None:
            # Plain words that may describe one of these, or may name a work we do not have:
            # not sure enough to answer; offered as "did you mean".
            near = found.choices or ((found.paper,) if found.paper else ())
            if near and (near[0].score >= MIN_SUGGEST_SCORE or found.status == "answer"):
                return replace(answer, suggestions=near, kind="describe")
        return replace(answer, kind="field") if answer.facet != "what" else answer

    def names_off_list(self, query: str) -> bool:
        """Whether the question names an off-list work outright ("Video Swin Transformer")."""
        return self._decoy_names is not None and bool(self._decoy_names.search(fold(query)))

    def is_a_name(self, text: str) -> bool:
        """Whether ``text`` is exactly the name of a paper or of an off-list work (score 100)."""
        top = self.matcher.score_entities(text)[:1]
        return bool(top) and top[0][1] >= 100

    def bare_author(self, q: ParsedQuestion) -> Answer:
        """An author's papers on the asker's list, the other list's as a button."""
        author = self.authors.find(q.text)
        assert author is not None
        mine = {p.id for p in self.authors.papers_by(author, self.catalogue.listed)}
        found = across_lists(q, self.catalogue, "author", author, lambda p: p.id in mine)
        return replace(found, kind="author")

    def describe(self, q: ParsedQuestion) -> Answer | None:
        """Search our own content for a described idea ("which paper introduced residual
        connections"): one clear winner is an answer, close ones are choices, else None."""
        result = self.searcher.search(q.query)
        papers = self.catalogue.papers
        hits = tuple(Scored(papers[pid], round(score, 2)) for pid, score in result.hits)
        if result.status == "answer" and hits:
            return Answer(q.query, q.lang, "answer", paper=hits[0], kind="describe")
        if result.status == "choices" and hits and hits[0].score >= MIN_CHOICE_SCORE:
            return Answer(q.query, q.lang, "choices", choices=hits, kind="describe")
        return None

    def plain_words(self, q: ParsedQuestion, found: Answer) -> bool:
        """Whether a question reads as plain words about the idea ``found`` answers, and not
        as the name of a work we do not have: no off-list work's name comes close, it asks
        for no version number, names no kind of work the paper is not (a book, a thesis), and
        is long enough to describe something (3+ words, or 6+ characters of Chinese)."""
        text = q.text
        if self.names_off_list(q.query):
            return False  # names an off-list work outright ("PaLM: ...")
        entities = self.matcher.score_entities(text)[:5]
        if any(is_decoy(e) and s >= self.matcher.suggest_cutoff for e, s in entities):
            return False
        if VERSION_WORD.search(text):
            return False
        best = found.paper or (found.choices[0] if found.choices else None)
        kind = best.paper.kind if best else ""
        if any(k != kind and pattern.search(text) for k, pattern in KIND_WORDS):
            return False
        cjk = sum(has_cjk(c) for c in text)
        return len(text.split()) >= 3 or cjk >= 6

    def by_author(self, q: ParsedQuestion) -> Answer | None:
        """ "Krizhevsky 的 ImageNet 分类论文", "Kingma's lossy VAE paper": an author and a few
        words, answered when one of the author's papers fits the words well (a suggestion's
        score, and a margin over their other papers)."""
        m = AUTHOR_AND_WORDS.match(q.text)
        author = self.authors.find(m.group(1)) if m else None
        if m is None or author is None:
            return None
        theirs = {p.id for p in self.authors.papers_by(author, self.catalogue.listed)}
        scored = [s for s in self.matcher.score(m.group(2)) if s.paper.id in theirs]
        if (
            scored
            and scored[0].score >= self.matcher.suggest_cutoff
            and (len(scored) == 1 or scored[0].score - scored[1].score >= self.matcher.margin)
        ):
            return Answer(q.query, q.lang, "answer", paper=scored[0])
        return None

    def find_author(self, name: str) -> str | None:
        """Return the canonical author name for ``name`` (full name, surname or alias)."""
        return self.authors.find(name)
