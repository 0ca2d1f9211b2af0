"""Turn a question into a structured :class:`Answer` (pure: no Telegram, no I/O).

Question kinds, tried in this order (patterns in both languages, on the folded text):

* list-level: how many papers (``count``), the N-th paper (``position``), papers by an author
  (``author``), papers in a category of Li Mu's list (``category``), papers about a topic
  (``topic``), papers from a year (``year``);
* about one paper, with a *facet*: ``authors``, ``year``, ``link``, ``why``, or ``what`` (the
  card). The paper itself is found by :class:`bot.core.matching.Matcher`. When the words
  of a ``why`` question belong to the title itself ("Why Momentum Really Works",
  "为什么超大的模型泛化性不错") and the whole question names the paper at least as well, the
  facet is ``what``.

Topic and category names are matched plural-insensitively, as said and without section words
("领域", "category"); "A 和 B" counts when both name the same topic; a topic name inside a
longer subject counts only when almost nothing else is left, so a description of one paper
("谷歌用流水线并行训练...的论文") goes to the matcher rather than to a topic list. A question that
is only a topic or category name ("对比学习", "self-supervised") lists that topic, unless it is
exactly a paper's (or decoy's) name too ("Transformer").

List-level questions use the asker's current list unless the question names one ("on Li Mu's
list", "李沐的清单", "paper-reading"). Rendering to text is the adapters' job (``bot.render``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from bot.core.catalogue import Catalogue, Category, Paper, Topic
from bot.core.matching import Matcher, Scored
from bot.core.text import fold, has_cjk, normalise

Facet = Literal["what", "authors", "year", "link", "why"]
Status = Literal["answer", "choices", "none", "papers"]
ListingKind = Literal["count", "author", "topic", "year", "category"]


@dataclass(frozen=True)
class Listing:
    """What a list answer lists: its kind, the list it is drawn from and the subject.

    ``subject`` is the author's name, the topic or category id, or the year as text;
    empty for ``count``.
    """

    kind: ListingKind
    list_id: str
    subject: str = ""


@dataclass(frozen=True)
class Answer:
    """The answer to one question.

    Attributes:
        query: the question as asked.
        lang: the question's language, ``"zh"`` if it contains Chinese, else ``"en"``.
        status: ``answer`` (one paper), ``choices``, ``none`` or ``papers`` (a list answer).
        facet: for ``answer``/``choices``: which part of the paper was asked for.
        paper: the paper (status ``answer``), with its 0-100 score.
        choices: close candidates (status ``choices``), best first.
        suggestions: near misses shown with a ``none`` (maybe empty).
        papers: the papers of a list answer, in list order.
        listing: what a list answer lists.
        position: ``(list_id, n)`` when the question asked for the n-th paper.
        reason: for ``none``: ``"empty"``, ``"no_match"``, ``"out_of_range"``,
            ``"no_papers"`` (a list question with an empty result).
    """

    query: str
    lang: str
    status: Status
    facet: Facet = "what"
    paper: Scored | None = None
    choices: tuple[Scored, ...] = ()
    suggestions: tuple[Scored, ...] = ()
    papers: tuple[Paper, ...] = ()
    listing: Listing | None = None
    position: tuple[str, int] | None = None
    reason: str | None = None


_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_ZH_NUM = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

_END_PUNCT = re.compile(r"[\s?？!！.。~～,，]+$")
_LIST_MENTIONS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\s*\b(?:on|in|from|of)\s+(?:the\s+)?(?:li\s*mu'?s?|mu\s*li'?s?)\s*"
            r"(?:paper[\s-]?reading\s*)?(?:list|reading list)?\b"
        ),
        "paper-reading",
    ),
    (
        re.compile(r"\s*\b(?:on|in|from|of)\s+(?:the\s+)?paper[\s-]reading(?:\s+list)?\b"),
        "paper-reading",
    ),
    (
        re.compile(
            r"\s*(?:在|于)?(?:李沐|沐神|mu li|li mu)(?:老师)?的?(?:论文精读|精读|列表|清单|书单)?"
            r"(?:列表|清单|书单)?(?:里|中|上)?的?"
        ),
        "paper-reading",
    ),
    (re.compile(r"\s*(?:深度学习)?(?:论文)?精读(?:列表|清单)?(?:里|中|上)?的?"), "paper-reading"),
    (
        re.compile(
            r"\s*\b(?:on|in|from|of)\s+(?:the\s+)?(?:ilya(?:\s+sutskever)?'?s?|sutskever'?s?)"
            r"\s*(?:30\s*)?(?:list|reading list|papers)\b"
        ),
        "sutskever-30",
    ),
    (
        re.compile(r"\s*\b(?:on|in|from|of)\s+(?:the\s+)?sutskever[\s-]30(?:\s+list)?\b"),
        "sutskever-30",
    ),
    (
        re.compile(
            r"\s*(?:在|于)?(?:ilya|伊利亚|sutskever)\s*(?:sutskever)?的?\s*(?:30\s*篇?)?"
            r"(?:列表|清单|书单)(?:里|中|上)?的?"
        ),
        "sutskever-30",
    ),
]


_LIST_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\s+(?:on here|here|on (?:the|this|my|your) list|in (?:the|this|my|your) list)$"
        ),
        "",
    ),
    (
        re.compile(r"^(?:which|what) (?:papers?|ones?|works?|items?) (?:are|were|is|was) "),
        "papers ",
    ),
    (re.compile(r"^what'?s (?:from|in) ((?:19|20)\d\d)$"), r"papers from \1"),
    (re.compile(r"^(?:what'?s|what is|what are) in (?:the )?(.+)$"), r"papers in \1"),
]


def _list_question(text: str) -> str:
    """Rewrite common phrasings of list questions into the forms the patterns read:
    "which papers are by X" -> "papers by X", "what's in the systems category" ->
    "papers in the systems category", "anything from karpathy on here" -> "anything from
    karpathy"."""
    for pattern, repl in _LIST_REWRITES:
        text = pattern.sub(repl, text).strip()
    return text


# Question patterns for papers from a year: "papers from 2015", "2017年的论文"; the first that matches wins.
_YEAR_QUESTIONS = tuple(
    re.compile(p, re.S)
    for p in (
        "(?:(?:what|which|any|all|the)\\s+)?(?:papers?|works?|articles?|items?)\\s+(?:are |were |was )?(?:from|in|published in|of|written in|released in)\\s+((?:19|20)\\d\\d)",
        "((?:19|20)\\d\\d)(?:'s)?\\s+(?:papers?|articles?|works?)",
        "(?:what|which)(?: papers?)? (?:was|were|came out|got) (?:published |released )?in ((?:19|20)\\d\\d)",
        ".*?((?:19|20)\\d\\d)\\s*年(?:发表|出版|发布|写)?的?(?:论文|文章|工作).*",
        ".*?((?:19|20)\\d\\d)\\s*年(?:有|的)?(?:哪些|什么)(?:论文|文章).*",
        "((?:19|20)\\d\\d)\\s*年(?:发表)?的?(?:有哪些|都有什么|有什么|有哪几篇)",
        "(?:anything|something|stuff) (?:from|in) ((?:19|20)\\d\\d)",
        ".*?(?:哪些|什么)(?:论文|文章)是\\s*((?:19|20)\\d\\d)\\s*年.*",
    )
)

# Question patterns for papers by an author: "papers by Oriol Vinyals", "Hinton 的论文"; the first that matches wins.
_AUTHOR_QUESTIONS = tuple(
    re.compile(p, re.S)
    for p in (
        "(?:(?:what|which|any|all|the|list)\\s+)?(?:papers?|works?|articles?|stuff|everything|things)\\s+(?:written |authored |co-?authored )?(?:by|from|of)\\s+(.+)",
        "(?:what|which)(?: papers?)? (?:did|has|have) (.+?) (?:write|written|author|authored|co-?author|publish|published)(?: on the list)?",
        "(?:anything|something|stuff|papers?) (?:by|from|with|of)\\s+(.+)",
        "(?:show me |list )?(.+?)(?:'s|s'|')?\\s+(?:papers?|works?)",
        "(.+?)\\s*(?:自己)?(?:写|发表|参与|合写)(?:了|过)?(?:哪些|什么|的)\\s*(?:论文|文章|工作|作品)?(?:有哪些)?",
        "(.+?)\\s*的\\s*(?:论文|文章|工作|作品)(?:有哪些|都有什么|有什么|有几篇)?",
        "(.+?)\\s*有(?:哪些|什么)(?:论文|文章|工作|作品)",
        "(?:有哪些|哪些)(?:论文|文章)是\\s*(.+?)\\s*写的",
    )
)

# Question patterns for papers about a topic or in a category: "papers about attention", "关于 RNN 的论文"; the first that matches wins.
_TOPIC_QUESTIONS = tuple(
    re.compile(p, re.S)
    for p in (
        "(?:(?:what|which|any|all|the|list|show me|show)\\s+)*(?:papers?|works?|articles?|readings?|items?)\\s+(?:are |is )?(?:about|on|regarding|related to|covering|cover|in|for|in the field of|dealing with)\\s+(.+)",
        "(?:anything|something|stuff) (?:about|on|regarding)\\s+(.+)",
        "(?:(?:what|which|any|all|the|list|show me|show|papers? in)\\s+)*(.+?\\s+(?:category|section|group))(?:\\s+papers)?(?: on the list)?",
        "(?:(?:what|which|any|all|the|list|show me|show)\\s+)*(.+?)\\s+(?:papers|articles|readings)(?: on the list)?",
        "(?:有没有|有无)?(.+?)\\s*的\\s*(?:论文|文章)",
        "(?:有哪些|有什么|有没有)(.+?)(?:的)?(?:论文|文章)?",
        "(?:有哪些|哪些)?(?:关于|有关)\\s*(.+?)\\s*(?:方面|相关|领域)?的?(?:论文|文章)(?:有哪些)?",
        "(.+?)\\s*(?:方面|相关|领域|类|类别|分类)?的?(?:论文|文章)(?:有哪些|都有什么|有什么)",
        "(.+?)\\s*(?:方面|相关|领域|类别?|分类)的?(?:论文|文章)",
        "(.+?)\\s*有(?:哪些|什么)(?:论文|文章)?",
    )
)


def _first_match(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    """Return the full match of the first pattern that matches all of ``text``."""
    for pattern in patterns:
        m = pattern.fullmatch(text)
        if m:
            return m
    return None


def question_lang(text: str) -> str:
    """Return ``"zh"`` if ``text`` contains Chinese characters, else ``"en"``."""
    return "zh" if has_cjk(text) else "en"


def _zh_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _ZH_NUM and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            current = _ZH_NUM[ch]
    return total + current


class Answerer:
    """Answers questions about a catalogue.

    Args:
        catalogue: the loaded catalogue.
        matcher: a :class:`Matcher` over the same catalogue (built if omitted).
    """

    def __init__(self, catalogue: Catalogue, matcher: Matcher | None = None) -> None:
        self.catalogue = catalogue
        self.matcher = matcher or Matcher(catalogue)
        self._authors: dict[str, str] = {}
        for paper in catalogue:
            for author in paper.authors:
                if "et al" in author:
                    continue
                for key in self._author_keys(author):
                    self._authors.setdefault(key, author)
        for author, aliases in catalogue.author_aliases.items():
            for alias in aliases:
                self._authors[normalise(alias).replace(" ", "")] = author
        self._author_list_keys = list(self._authors)
        self._topic_names: dict[str, Topic] = {}
        for topic in catalogue.topics.values():
            for name in (topic.id, topic.name.en, topic.name.zh, *topic.aliases):
                self._topic_names.setdefault(self._name_key(name), topic)
        self._category_names: dict[str, tuple[str, Category]] = {}
        for lst in catalogue.lists.values():
            for cat in lst.categories:
                names = [cat.id, cat.name.en, cat.name.zh, *cat.aliases]
                for name in names:
                    self._category_names.setdefault(self._name_key(name), (lst.id, cat))

    @staticmethod
    def _author_keys(author: str) -> list[str]:
        parts = normalise(author).split()
        keys = ["".join(parts)]
        if len(parts) >= 2:
            keys.append(parts[0] + parts[-1])  # without middle initials
            keys.append(parts[-1])  # surname alone
        return keys

    # -- public ---------------------------------------------------------------------------

    def answer(self, query: str, current_list: str | None = None) -> Answer:
        """Answer ``query`` (English or Chinese, any script).

        Args:
            query: the user's text.
            current_list: the asker's current list id; list-level questions use it unless
                the question names a list. Defaults to the catalogue's first list.

        Returns:
            An :class:`Answer`. Never raises for any text input.
        """
        lang = question_lang(query)
        text = _END_PUNCT.sub("", fold(query).strip())
        if not text:
            return Answer(query, lang, "none", reason="empty")
        list_id = current_list if current_list in self.catalogue.lists else None
        list_id = list_id or self.catalogue.default_list.id
        named_list, text = self._named_list(text)
        if named_list:
            list_id = named_list
        list_text = _list_question(text)
        for handler in (
            self._count,
            self._position,
            self._year_list,
            self._author_list,
            self._topic_list,
        ):
            result = handler(query, lang, list_text, list_id, named_list is not None)
            if result is not None:
                return result
        return self._about_paper(query, lang, text)

    # -- list-level -----------------------------------------------------------------------

    def _named_list(self, text: str) -> tuple[str | None, str]:
        for pattern, lid in _LIST_MENTIONS:
            if lid in self.catalogue.lists:
                new, n = pattern.subn(" ", text)
                if n:
                    return lid, " ".join(new.split())
        return None, text

    def _papers_answer(
        self, query: str, lang: str, listing: Listing, papers: list[Paper]
    ) -> Answer:
        if not papers:
            return Answer(query, lang, "none", listing=listing, reason="no_papers")
        return Answer(query, lang, "papers", papers=tuple(papers), listing=listing)

    def _count(self, query: str, lang: str, text: str, list_id: str, named: bool) -> Answer | None:
        if re.search(
            r"\bhow many\b.*\b(?:papers?|items?|entries|articles?|readings?|things?)\b"
            r"|\bhow (?:long|big) is (?:the|this|your) list\b|\bnumber of (?:papers|items)\b"
            r"|^how many(?: are there)?$"
            r"|(?<!哪)(?:多少|几)\s*(?:篇|个|项|本)|有多少(?:论文|文章)|一共.*(?:篇|论文)|总共.*(?:篇|论文)"
            r"|论文(?:数量|总数)",
            text,
        ):
            return Answer(
                query,
                lang,
                "papers",
                papers=tuple(self.catalogue.papers_of(list_id)),
                listing=Listing("count", list_id),
            )
        return None

    def _position(
        self, query: str, lang: str, text: str, list_id: str, named: bool
    ) -> Answer | None:
        t = re.sub(
            r"^(?:what(?:'s| is)|which is|which paper is|what paper is|show(?: me)?|give me|"
            r"tell me about|open|read)\s+",
            "",
            text,
        ).strip()
        t = re.sub(r"\s+(?:on|in) (?:the|my|this) list$", "", t)
        n: int | None = None
        last = False
        m = (
            re.fullmatch(
                r"(?:paper|item|entry|number|no\.?|#|list item|article|reading)\s*"
                r"(?:no\.?|number|#)?\s*(\d{1,3})",
                t,
            )
            or re.fullmatch(r"#\s*(\d{1,3})", t)
            or re.fullmatch(
                r"(?:the\s+)?(\d{1,3})(?:st|nd|rd|th)(?:\s+(?:paper|item|entry|one))?", t
            )
        )
        if m:
            n = int(m.group(1))
        else:
            m = re.fullmatch(r"(?:the\s+)?(\w+)\s+(?:paper|item|entry|one)", t)
            if m and m.group(1) in _ORDINALS:
                n = _ORDINALS[m.group(1)]
            elif m and m.group(1) == "last":
                last = True
            m2 = re.search(r"第\s*([0-9零一二两三四五六七八九十百]+)\s*(?:篇|个|项|号|本)", t)
            if (
                n is None
                and not last
                and m2
                and len(normalise(t.replace(m2.group(0), "")).replace(" ", "")) <= 8
            ):
                n = _zh_number(m2.group(1))
            if re.fullmatch(r"最后一(?:篇|个)(?:论文|是什么|是哪篇)*", t):
                last = True
        lst = self.catalogue.lists[list_id]
        if last:
            n = len(lst)
        if n is None:
            return None
        if not 1 <= n <= len(lst):
            return Answer(query, lang, "none", position=(list_id, n), reason="out_of_range")
        paper = self.catalogue.papers[lst.order[n - 1]]
        return Answer(query, lang, "answer", paper=Scored(paper, 100.0), position=(list_id, n))

    def _year_list(
        self, query: str, lang: str, text: str, list_id: str, named: bool
    ) -> Answer | None:
        m = _first_match(_YEAR_QUESTIONS, text)
        if not m:
            return None
        year = int(m.group(1))
        papers = [p for p in self.catalogue.papers_of(list_id) if p.year == year]
        return self._papers_answer(query, lang, Listing("year", list_id, str(year)), papers)

    def find_author(self, name: str) -> str | None:
        """Return the canonical author name for ``name`` (full name, surname or alias)."""
        key = normalise(name).replace(" ", "")
        if not key:
            return None
        if key in self._authors:
            return self._authors[key]
        if len(key) >= 5:
            found = process.extractOne(
                key, self._author_list_keys, scorer=fuzz.ratio, score_cutoff=88
            )
            if found is not None:
                return self._authors[found[0]]
        return None

    def _author_list(
        self, query: str, lang: str, text: str, list_id: str, named: bool
    ) -> Answer | None:
        m = _first_match(_AUTHOR_QUESTIONS, text)
        if not m:
            return None
        author = self.find_author(m.group(1))
        if author is None:
            return None
        same = {a for a, c in self._authors.items() if c == author}
        papers = [
            p
            for p in self.catalogue.papers_of(list_id)
            if any(
                self._authors.get(k) == author or k in same
                for a in p.authors
                for k in self._author_keys(a)[:2]
            )
        ]
        return self._papers_answer(query, lang, Listing("author", list_id, author), papers)

    _SECTION_WORDS = re.compile(
        r"\b(?:section|category|categories|group|part|related|field)\b|这一类|这类|分类下?|类别|"
        r"一类|类下|板块|部分|领域|方面|相关|有没有|有哪些|关于|有关|这个|这一个|那个|下$|类$"
    )

    _SUBJECT_LEAD = re.compile(r"^(?:(?:the|a|an|in|about|on|regarding)\s+)+|^(?:关于|有关)\s*")
    _CONJUNCTION = re.compile(r"\s*(?:\band\b|\bor\b|&|以及|和|与|及|或|、)\s*")

    @staticmethod
    def _name_key(name: str) -> str:
        """Compact, plural-insensitive key for topic and category names."""
        return "".join(
            w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in normalise(name).split()
        )

    def _lookup_name(self, key: str) -> tuple[Topic | None, tuple[str, Category] | None]:
        return self._topic_names.get(key), self._category_names.get(key)

    def _find_topic_or_category(
        self, subject: str, list_id: str
    ) -> tuple[str, str, str | None] | None:
        """Return ``("category", cat_id, list_id)`` or ``("topic", topic_id, None)``.

        A name that is both (``生成模型``) is the category when the asker's list has it, or
        when the question says "section"/"category"/"类"; else the topic. The subject is
        tried as said, then without section words ("领域", "category"); "A 和 B" is accepted
        when both parts name the same topic. A name found inside a longer subject counts
        only when little else is left ("蛋白质结构预测"), so a description of one paper
        ("用流水线并行训练...的论文") is not taken for its topic.
        """
        sectioned = bool(self._SECTION_WORDS.search(subject))
        subject = self._SUBJECT_LEAD.sub("", normalise(subject)).strip()
        stripped = self._SUBJECT_LEAD.sub("", normalise(self._SECTION_WORDS.sub(" ", subject)))
        keys = [k for k in dict.fromkeys((self._name_key(subject), self._name_key(stripped))) if k]
        if not keys:
            return None
        topic: Topic | None = None
        category: tuple[str, Category] | None = None
        for key in keys:
            topic, category = self._lookup_name(key)
            if topic or category:
                break
        key = keys[-1]
        if topic is None and category is None:
            parts = [self._name_key(p) for p in self._CONJUNCTION.split(stripped) if p.strip()]
            if len(parts) > 1:
                named = {self._topic_names.get(p) for p in parts}
                if len(named) == 1 and None not in named:
                    topic = named.pop()
        if topic is None and category is None:
            near = (
                process.extractOne(
                    key, list(self._topic_names), scorer=fuzz.ratio, score_cutoff=88
                )
                if len(key) >= 5
                else None
            )
            if near is not None:
                topic = self._topic_names[near[0]]
        if topic is None and category is None:
            inside = [
                k
                for k in self._topic_names
                if len(k) >= (3 if has_cjk(k) else 5) and k in key and len(key) - len(k) <= 2
            ]
            if inside:
                topic = self._topic_names[max(inside, key=len)]
        if category is not None and (topic is None or sectioned or category[0] == list_id):
            return ("category", category[1].id, category[0])
        if topic is not None:
            return ("topic", topic.id, None)
        return None

    def _bare_topic(self, text: str, list_id: str) -> tuple[str, str, str | None] | None:
        """A question that is just a topic or category name ("对比学习", "self-supervised")
        asks for that topic, unless it is also exactly the name of a paper or decoy
        ("Transformer")."""
        key = self._name_key(text)
        if not key or (key not in self._topic_names and key not in self._category_names):
            return None
        top = self.matcher.score_entities(text)[:1]
        if top and top[0][1] >= 100:
            return None
        return self._find_topic_or_category(text, list_id)

    def _topic_list(
        self, query: str, lang: str, text: str, list_id: str, named: bool
    ) -> Answer | None:
        m = _first_match(_TOPIC_QUESTIONS, text)
        if m:
            found = self._find_topic_or_category(m.group(1), list_id)
        else:
            found = self._bare_topic(text, list_id)
        if found is None:
            return None
        kind, ident, cat_list = found
        if kind == "category" and cat_list is not None:
            lst = self.catalogue.lists[cat_list]
            cat = next(c for c in lst.categories if c.id == ident)
            papers = [self.catalogue.papers[pid] for pid in cat.paper_ids]
            return self._papers_answer(query, lang, Listing("category", cat_list, ident), papers)
        papers = [p for p in self.catalogue.papers_of(list_id) if ident in p.topics]
        return self._papers_answer(query, lang, Listing("topic", list_id, ident), papers)

    # -- one paper ------------------------------------------------------------------------

    _FACETS: list[tuple[Facet, re.Pattern[str]]] = [
        (
            "authors",
            re.compile(
                r"^(?:who'?s behind|who is behind|"
                r"who (?:wrote|writes|authored|created|made|published|invented|proposed|"
                r"came up with|is behind|are behind|did|teaches|taught|teach)|who are the authors? of|who is the author of|"
                r"who's the author of|(?:the )?authors? of|(?:the )?writers? of)\s+"
                r"|\s+(?:authors?|author list|written by whom|by whom)$"
                r"|\s*的?(?:作者|作者们)(?:是谁|有谁|有哪些|是哪些人|都有谁|是)?$|^谁写(?:了|的)\s*"
                r"|\s*是谁写的$|\s*(?:由谁|是谁)(?:写|提出|发表)的?$|^(?:作者)\s*"
            ),
        ),
        (
            "year",
            re.compile(
                r"^(?:when (?:was|were|is|did)|what year (?:was|is|did)|which year (?:was|is|did)|"
                r"in (?:what|which) year (?:was|is|did)|(?:the )?year of|(?:the )?publication year of|"
                r"(?:the )?release year of|how old is)\s+|\s+(?:published|released|written|"
                r"come out|came out|appear|appeared|publish|release|publication year|year)$"
                r"|\s*(?:是|在|于)?(?:哪一年|哪年|什么时候|何时|几几年|哪一年份)(?:发表|出版|发布|提出|写|出来|发|出)?"
                r"(?:的)?(?:论文|文章)?$|\s*的?(?:发表|出版|发布)?(?:年份|时间|年代)(?:是)?$"
            ),
        ),
        (
            "link",
            re.compile(
                r"^(?:(?:a |the )?(?:link|links|url|pdf|download link)s? (?:to|for|of)|"
                r"where (?:can|do|could|should) i (?:find|read|get|download)|where is|"
                r"give me (?:the |a )?(?:link|url|pdf) (?:to|for|of)|download)\s+"
                r"|^arxiv (?:link |url |page )?(?:to|for|of)\s+"
                r"|\s+(?:arxiv )?(?:link|url|pdf|download|arxiv)$"
                r"|\s*的?\s*(?:arxiv)?\s*(?:链接|连结|地址|网址|下载地址|下载|pdf|原文|arxiv)(?:是|在哪|在哪里|是什么)?$"
                r"|^(?:在哪(?:里)?(?:看|读|找|下载)(?:到)?)\s*|\s*(?:在哪(?:里)?(?:看|读|找|下载)(?:到)?)$"
            ),
        ),
        (
            "why",
            re.compile(
                r"^(?:why (?:should|would|do|must|need) (?:i|we|you|one) (?:read|study|care about)|"
                r"why (?:read|study)|why is|why was|what makes|reasons? to read|is it worth reading|"
                r"why does|what'?s so (?:important|special|great|good) about)\s+"
                r"|\s+(?:on (?:the|this) list|in (?:the|this) list)$"
                r"|^(?:为什么|为何|为啥)\s*(?:ilya|伊利亚|李沐)?\s*(?:要|应该|值得|需要|会)?(?:读|看|学|推荐)?\s*"
                r"|\s*(?:为什么|为何|为啥)(?:值得读|值得一读|重要|在(?:列表|清单)里|入选|被推荐).*$"
                r"|\s*(?:的)?(?:推荐理由|阅读理由|意义|价值)(?:是什么)?$|\s*值得(?:一)?读吗?$"
            ),
        ),
    ]

    def _about_paper(self, query: str, lang: str, text: str) -> Answer:
        facet: Facet = "what"
        subject = text
        for name, pattern in self._FACETS:
            stripped, n = pattern.subn(" ", subject)
            if n and stripped.strip():
                facet, subject = name, stripped.strip()
                break
        if facet == "why":
            subject = re.sub(
                r"\s+(?:matters?|(?:so )?important|worth (?:it|reading))$", "", subject
            )
        match = self.matcher.match(subject)
        if facet == "why" and match.status == "answer":
            # "Why Momentum Really Works" / "为什么超大的模型泛化性不错": the why-words may be
            # the title's own; if the whole question names the paper at least as well, it is
            # a question about the paper, not about why to read it.
            whole = self.matcher.match(text)
            if (
                whole.status == "answer"
                and whole.best is not None
                and match.best is not None
                and whole.best.paper.id == match.best.paper.id
                and whole.best.score >= match.best.score
            ):
                facet, match = "what", whole
        if match.status == "answer":
            return Answer(query, lang, "answer", facet, paper=match.best)
        if match.status == "choices":
            return Answer(query, lang, "choices", facet, choices=match.choices)
        return Answer(query, lang, "none", facet, suggestions=match.suggestions, reason="no_match")
