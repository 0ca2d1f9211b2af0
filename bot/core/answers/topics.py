"""Topic and category names as people type them ("对比学习", "self-supervised", "生成模型").

Names are matched plural-insensitively, as said and without section words ("领域",
"category"); "A 和 B" counts when each part names a topic (the first is listed); a topic name
inside a longer subject counts only when almost nothing else is left, so a description of one
paper ("谷歌用流水线并行训练...的论文") goes to the matcher rather than to a topic list.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from rapidfuzz import fuzz, process

from bot.core.answers.patterns import CONJUNCTION, SECTION_WORDS, SUBJECT_LEAD
from bot.core.catalogue import Catalogue, Category, Topic
from bot.core.text import has_cjk, normalise


class Subject(NamedTuple):
    """What a list question is about: a topic, or a category of one list."""

    kind: Literal["topic", "category"]
    id: str
    list_id: str | None  # the category's list; None for a topic


def name_key(name: str) -> str:
    """Compact, plural-insensitive key for topic and category names."""
    return "".join(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in normalise(name).split()
    )


class TopicIndex:
    """Finds the topic or category a subject names.

    Args:
        catalogue: the loaded catalogue (topics, and the categories of each list).
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self._topics: dict[str, Topic] = {}
        for topic in catalogue.topics.values():
            for name in (topic.id, topic.name.en, topic.name.zh, *topic.aliases):
                self._topics.setdefault(name_key(name), topic)
        self._categories: dict[str, tuple[str, Category]] = {}
        for lst in catalogue.lists.values():
            for cat in lst.categories:
                for name in (cat.id, cat.name.en, cat.name.zh, *cat.aliases):
                    self._categories.setdefault(name_key(name), (lst.id, cat))

    def is_name(self, text: str) -> bool:
        """True if ``text`` is exactly a topic's or category's name (plural-insensitive)."""
        key = name_key(text)
        return bool(key) and (key in self._topics or key in self._categories)

    def find(self, subject: str, list_id: str) -> Subject | None:
        """Return the category or topic ``subject`` names, or None.

        A name that is both (``生成模型``) is the category when the asker's list
        (``list_id``) has it, or when the question says "section"/"category"/"类"; else the
        topic. The subject is tried as said, then without section words; failing that, loosely
        (:meth:`_loose_topic`).
        """
        sectioned = bool(SECTION_WORDS.search(subject))
        subject = SUBJECT_LEAD.sub("", normalise(subject)).strip()
        stripped = SUBJECT_LEAD.sub("", normalise(SECTION_WORDS.sub(" ", subject)))
        keys = [k for k in dict.fromkeys((name_key(subject), name_key(stripped))) if k]
        if not keys:
            return None
        topic: Topic | None = None
        category: tuple[str, Category] | None = None
        for key in keys:
            topic, category = self._topics.get(key), self._categories.get(key)
            if topic or category:
                break
        if topic is None and category is None:
            topic = self._loose_topic(keys[-1], stripped)
        if category is not None and (topic is None or sectioned or category[0] == list_id):
            return Subject("category", category[1].id, category[0])
        if topic is not None:
            return Subject("topic", topic.id, None)
        return None

    def _loose_topic(self, key: str, stripped: str) -> Topic | None:
        """A topic named loosely: "A 和 B" where each part names a topic (the first); a typo
        (``fuzz.ratio`` >= 88, keys of 5+ characters); or its name inside ``key`` with at
        most 2 characters left ("蛋白质结构预测"), so that a description of one paper
        ("用流水线并行训练...的论文") is not taken for its topic."""
        parts = [name_key(p) for p in CONJUNCTION.split(stripped) if p.strip()]
        if len(parts) > 1:
            named = [self._topics.get(p) for p in parts]
            if None not in named:  # "complexity and information theory": the first one
                return named[0]
        if len(key) >= 5:
            near = process.extractOne(key, list(self._topics), scorer=fuzz.ratio, score_cutoff=88)
            if near is not None:
                return self._topics[near[0]]
        inside = [
            k
            for k in self._topics
            if len(k) >= (3 if has_cjk(k) else 5) and k in key and len(key) - len(k) <= 2
        ]
        if inside:
            return self._topics[max(inside, key=len)]
        return None
