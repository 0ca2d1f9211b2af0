"""The frozen objects of the knowledge base: papers, reading lists, topics and videos.

Nothing here reads a file: :mod:`bot.core.knowledge` reads ``knowledge/*.yaml``, validates
it with pydantic and builds a :class:`Catalogue` out of these objects. They are plain frozen
dataclasses, so building 10,000 of them for the matching benchmarks stays cheap, and they can
be built by hand in tests (every field added after the first version has a default).

Facts (ids, titles, authors, years, links, list membership and order, video data) come from
``shared/reference/``; tests keep the two in step. Everything else (Chinese titles, aliases,
topics, summaries, contributions, relations) is our own writing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal, get_args

Kind = Literal["paper", "blog post", "book", "course", "thesis", "tutorial"]
KINDS: tuple[str, ...] = get_args(Kind)
LANGS = ("en", "zh")


class CatalogueError(Exception):
    """A knowledge file is missing, unreadable or has an invalid entry.

    Attributes:
        file: the path of the offending file (relative to the knowledge directory).
        entry: the id (or ``#index``) of the offending entry, or ``None`` for file-level
            problems.
        field: the dotted field name (list items as ``#n``, 1-based), or ``None``.
        problem: what is wrong, in one sentence.
    """

    def __init__(
        self, file: str, problem: str, entry: str | None = None, field: str | None = None
    ) -> None:
        self.file, self.entry, self.field, self.problem = file, entry, field, problem
        where = file
        if entry is not None:
            where += f", entry '{entry}'"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Bilingual:
    """A text in English (``en``) and Simplified Chinese (``zh``)."""

    en: str
    zh: str

    def get(self, lang: str) -> str:
        """Return the text for ``lang`` (any ``zh*`` gives Chinese, anything else English)."""
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True)
class BilingualList:
    """Short phrases in English and Simplified Chinese (empty tuples when not written yet)."""

    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()

    def get(self, lang: str) -> tuple[str, ...]:
        """Return the phrases for ``lang`` (any ``zh*`` gives Chinese, anything else English)."""
        return self.zh if lang.startswith("zh") else self.en


VIDEO_SITES = ("bilibili", "youtube", "zhihu")


@dataclass(frozen=True)
class Video:
    """One of Li Mu's recorded paper-reading videos.

    A video that covers several papers (a survey, a two-part overview) is one object shared
    by every paper it covers; ``covers`` lists them all.

    Attributes:
        title: the title as published (Chinese).
        date: the publication date.
        duration_seconds: the length in seconds.
        bilibili, youtube, zhihu: the links, ``None`` where the video is not on that site.
        title_en: our English rendering of the title, or ``None``.
        series: a short name shared by the parts of one series (e.g. Llama 3.1), or ``None``.
        covers: the ids of every paper this video is listed under (paper-reading order).
    """

    title: str
    date: datetime.date
    duration_seconds: int
    bilibili: str | None = None
    youtube: str | None = None
    zhihu: str | None = None
    title_en: str | None = None
    series: str | None = None
    covers: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Identity of the video: its Bilibili URL (or title and date when it has none)."""
        return self.bilibili or f"{self.title}@{self.date.isoformat()}"

    @property
    def duration(self) -> str:
        """The length as ``H:MM:SS`` (one hour or more) or ``MM:SS``."""
        hours, rest = divmod(self.duration_seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        """``(site, url)`` for each site that has the video, Bilibili first."""
        return tuple((s, u) for s in VIDEO_SITES if (u := getattr(self, s)) is not None)

    def display_title(self, lang: str) -> str:
        """Return our English title for ``en`` when there is one, else the published title."""
        return self.title_en if lang == "en" and self.title_en else self.title


@dataclass(frozen=True)
class Paper:
    """One item of a reading list (a paper, blog post, book, course, thesis or tutorial).

    ``builds_on`` holds the ids of earlier papers of the catalogue this one builds on;
    ``followed_by`` is the reverse (derived at load, by year). ``contributions`` holds 2-6
    short phrases per language once written; ``videos`` Li Mu's videos about this paper.
    """

    id: str
    title: str
    title_zh: str
    authors: tuple[str, ...]
    year: int
    url: str
    arxiv: str | None
    kind: str
    venue: str | None
    aliases_en: tuple[str, ...]
    aliases_zh: tuple[str, ...]
    topics: tuple[str, ...]
    summary: Bilingual
    why: Bilingual
    contributions: BilingualList = field(default_factory=BilingualList)
    builds_on: tuple[str, ...] = ()
    followed_by: tuple[str, ...] = ()
    videos: tuple[Video, ...] = ()

    def display_title(self, lang: str) -> str:
        """Return the title to show first: the canonical title, or the Chinese one for zh."""
        return self.title_zh if lang.startswith("zh") else self.title


@dataclass(frozen=True)
class Category:
    """A named group of papers inside a list (Li Mu's list keeps its own categories)."""

    id: str
    name: Bilingual
    paper_ids: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadingList:
    """A reading list: an ordered sequence of paper ids, with what it is ``about``."""

    id: str
    name: Bilingual
    title: str
    order: tuple[str, ...]
    categories: tuple[Category, ...] = ()
    about: Bilingual | None = None

    def position(self, paper_id: str) -> int | None:
        """Return the 1-based position of ``paper_id`` in this list, or ``None``."""
        try:
            return self.order.index(paper_id) + 1
        except ValueError:
            return None

    def category_of(self, paper_id: str) -> Category | None:
        """Return the category that holds ``paper_id``, or ``None`` (lists without categories)."""
        return next((c for c in self.categories if paper_id in c.paper_ids), None)

    def __len__(self) -> int:
        return len(self.order)


@dataclass(frozen=True)
class Topic:
    """A topic tag with its names in both languages and the aliases people type."""

    id: str
    name: Bilingual
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """Everything the bot knows: papers (in file order), lists, topics and author aliases.

    ``decoys`` are famous works on neither list (each a tuple of names), and ``decoy_about``
    what each of them is known for, in the same order.
    """

    papers: Mapping[str, Paper]
    lists: Mapping[str, ReadingList]
    topics: Mapping[str, Topic]
    author_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    decoys: tuple[tuple[str, ...], ...] = ()
    directory: Path | None = None  # the knowledge directory it was read from
    # What each decoy is known for, parallel to ``decoys`` (``None`` where not written); may be
    # shorter than ``decoys`` (a catalogue built by hand): missing entries count as ``None``.
    decoy_about: tuple[Bilingual | None, ...] = ()

    @property
    def default_list(self) -> ReadingList:
        """Return the first list in ``lists.yaml`` (the default for new users)."""
        return next(iter(self.lists.values()))

    def memberships(self, paper_id: str) -> list[tuple[ReadingList, int]]:
        """Return ``(list, 1-based position)`` for every list that holds ``paper_id``."""
        out = []
        for lst in self.lists.values():
            pos = lst.position(paper_id)
            if pos is not None:
                out.append((lst, pos))
        return out

    def papers_of(self, list_id: str) -> list[Paper]:
        """Return the papers of a list in reading order. Raises ``KeyError`` for unknown ids."""
        return [self.papers[pid] for pid in self.lists[list_id].order]

    @cached_property
    def listed(self) -> tuple[Paper, ...]:
        """Every paper that is on a list, once, in list order (first list first)."""
        seen = dict.fromkeys(pid for lst in self.lists.values() for pid in lst.order)
        return tuple(self.papers[pid] for pid in seen)

    def builds_on(self, paper_id: str) -> list[Paper]:
        """Return the earlier papers ``paper_id`` builds on. Raises ``KeyError`` if unknown."""
        return [self.papers[pid] for pid in self.papers[paper_id].builds_on]

    def followers(self, paper_id: str) -> list[Paper]:
        """Return the later papers that build on ``paper_id``, oldest first.

        Raises:
            KeyError: for an unknown id.
        """
        return [self.papers[pid] for pid in self.papers[paper_id].followed_by]

    @cached_property
    def videos(self) -> tuple[Video, ...]:
        """Every distinct video (one per ``key``), oldest first."""
        seen: dict[str, Video] = {}
        for paper in self.papers.values():
            for video in paper.videos:
                seen.setdefault(video.key, video)
        return tuple(sorted(seen.values(), key=lambda v: (v.date, v.title)))

    def series(self, name: str) -> list[Video]:
        """Return the videos of series ``name`` in date order (empty for an unknown name)."""
        return [v for v in self.videos if v.series == name]

    def __iter__(self) -> Iterator[Paper]:
        return iter(self.papers.values())


def default_knowledge_dir() -> Path:
    """Return the knowledge directory shipped with paperbot (see :mod:`bot.core.knowledge`)."""
    from bot.core.knowledge import default_knowledge_dir as find

    return find()


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and validate the knowledge base; see :func:`bot.core.knowledge.load_catalogue`.

    Kept here so that ``from bot.core.catalogue import load_catalogue`` keeps working.

    Raises:
        CatalogueError: naming the file, entry and field of the first problem.
    """
    from bot.core.knowledge import load_catalogue as load

    return load(directory)
