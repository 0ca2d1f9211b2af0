"""Load and validate the knowledge base (``knowledge/*.yaml``) into frozen objects.

The catalogue is read once at start-up. Every entry is validated; the first problem stops the
load with a :class:`CatalogueError` that names the file, the entry and the field, so an operator
can fix the YAML without reading a stack trace.

Facts (ids, titles, authors, years, links, list membership and order) come from
``shared/reference/catalogue-facts.yaml``; a test keeps the two in step. Everything else
(Chinese titles, aliases, topics, summaries) is our own writing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# libyaml's loader when PyYAML was built with it: the same documents, about 7x faster than the
# pure-Python SafeLoader, which took half of `paperbot ask`'s start-up (benchmarks/footprint.py).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KINDS = ("paper", "blog post", "book", "course", "thesis", "tutorial")
LANGS = ("en", "zh")


class CatalogueError(Exception):
    """A knowledge file is missing, unreadable or has an invalid entry.

    Attributes:
        file: the path of the offending file (relative to the knowledge directory).
        entry: the id (or index) of the offending entry, or ``None`` for file-level problems.
        field: the dotted field name, or ``None``.
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
        """Return the text for ``lang`` (``"en"`` or ``"zh"``; anything else gives English)."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Paper:
    """One item of a reading list (a paper, blog post, book, course, thesis or tutorial)."""

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

    def display_title(self, lang: str) -> str:
        """Return the title to show first: the canonical title, or the Chinese one for zh."""
        return self.title_zh if lang == "zh" else self.title


@dataclass(frozen=True)
class Category:
    """A named group of papers inside a list (Li Mu's list keeps its own categories)."""

    id: str
    name: Bilingual
    paper_ids: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadingList:
    """A reading list: an ordered sequence of paper ids."""

    id: str
    name: Bilingual
    title: str
    order: tuple[str, ...]
    categories: tuple[Category, ...] = ()

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
    """Everything the bot knows: papers (in file order), lists, topics and author aliases."""

    papers: Mapping[str, Paper]
    lists: Mapping[str, ReadingList]
    topics: Mapping[str, Topic]
    author_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    decoys: tuple[tuple[str, ...], ...] = ()

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

    def __iter__(self) -> Iterator[Paper]:
        return iter(self.papers.values())


def default_knowledge_dir() -> Path:
    """Return the ``knowledge/`` directory that sits beside the ``bot`` package."""
    return Path(__file__).resolve().parents[2] / "knowledge"


class _Reader:
    """Field access with errors that name the file, entry and field."""

    def __init__(self, file: str, entry: str | None, data: Any) -> None:
        self.file, self.entry = file, entry
        if not isinstance(data, dict):
            raise CatalogueError(file, "expected a mapping", entry)
        self.data = data

    def _fail(self, name: str, problem: str) -> CatalogueError:
        return CatalogueError(self.file, problem, self.entry, name)

    def text(self, name: str, optional: bool = False) -> str | None:
        value = self._get(name, optional)
        if value is None and optional:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self._fail(name, "must be a non-empty string")
        return value.strip()

    def req_text(self, name: str) -> str:
        value = self.text(name)
        assert value is not None
        return value

    def integer(self, name: str) -> int:
        value = self._get(name, False)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._fail(name, "must be an integer")
        return value

    def strings(self, name: str, allow_empty: bool = False) -> tuple[str, ...]:
        value = self._get(name, False)
        if not isinstance(value, list) or (not value and not allow_empty):
            raise self._fail(name, "must be a non-empty list of strings")
        for item in value:
            if not isinstance(item, str | int) or not str(item).strip():
                raise self._fail(name, f"has an empty or non-string item: {item!r}")
        return tuple(str(v).strip() for v in value)

    def bilingual(self, name: str) -> Bilingual:
        inner = _Reader(self.file, self.entry, self._get(name, False))
        try:
            return Bilingual(en=inner.req_text("en"), zh=inner.req_text("zh"))
        except CatalogueError as err:
            raise self._fail(f"{name}.{err.field}", err.problem) from None

    def _get(self, name: str, optional: bool) -> Any:
        if name not in self.data or self.data[name] is None:
            if optional:
                return None
            raise self._fail(name, "is missing")
        return self.data[name]


def _read_yaml(directory: Path, rel: str) -> Any:
    path = directory / rel
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except FileNotFoundError:
        raise CatalogueError(rel, "file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CatalogueError(rel, f"cannot be read ({err})") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise CatalogueError(rel, f"is not valid YAML{at}") from None


def _entries(directory: Path, rel: str, key: str) -> list[Any]:
    doc = _read_yaml(directory, rel)
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise CatalogueError(rel, f"must be a mapping with a '{key}' list")
    return list(doc[key])


def _entry_id(rel: str, index: int, raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip():
        return raw["id"].strip()
    raise CatalogueError(rel, "is missing", f"#{index + 1}", "id")


def _load_topics(directory: Path) -> dict[str, Topic]:
    rel = "topics.yaml"
    topics: dict[str, Topic] = {}
    for i, raw in enumerate(_entries(directory, rel, "topics")):
        tid = _entry_id(rel, i, raw)
        r = _Reader(rel, tid, raw)
        if tid in topics:
            raise CatalogueError(rel, "duplicate id", tid, "id")
        topics[tid] = Topic(tid, r.bilingual("name"), r.strings("aliases", allow_empty=True))
    return topics


def _load_authors(directory: Path) -> dict[str, tuple[str, ...]]:
    rel = "authors.yaml"
    if not (directory / rel).exists():
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for i, raw in enumerate(_entries(directory, rel, "authors")):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise CatalogueError(rel, "is missing", f"#{i + 1}", "name")
        r = _Reader(rel, raw["name"], raw)
        out[r.req_text("name")] = r.strings("aliases")
    return out


def _load_decoys(directory: Path) -> tuple[tuple[str, ...], ...]:
    rel = "decoys.yaml"
    if not (directory / rel).exists():
        return ()
    out = []
    for i, raw in enumerate(_entries(directory, rel, "decoys")):
        if (
            not isinstance(raw, list)
            or not raw
            or not all(isinstance(x, str | int) and str(x).strip() for x in raw)
        ):
            raise CatalogueError(rel, "must be a non-empty list of names", f"#{i + 1}")
        out.append(tuple(str(x).strip() for x in raw))
    return tuple(out)


def _load_paper(rel: str, pid: str, raw: Any, topics: Mapping[str, Topic]) -> Paper:
    r = _Reader(rel, pid, raw)
    kind = r.req_text("kind")
    if kind not in KINDS:
        raise CatalogueError(rel, f"must be one of {', '.join(KINDS)} (got {kind!r})", pid, "kind")
    year = r.integer("year")
    if not 1900 <= year <= 2100:
        raise CatalogueError(rel, f"year {year} is out of range", pid, "year")
    url = r.req_text("url")
    if not url.startswith(("https://", "http://")):
        raise CatalogueError(rel, "must be an http(s) URL", pid, "url")
    aliases = _Reader(rel, pid, r._get("aliases", False))
    try:
        aliases_en = aliases.strings("en", allow_empty=True)
        aliases_zh = aliases.strings("zh", allow_empty=True)
    except CatalogueError as err:
        raise CatalogueError(rel, err.problem, pid, f"aliases.{err.field}") from None
    paper_topics = r.strings("topics")
    for t in paper_topics:
        if t not in topics:
            raise CatalogueError(rel, f"unknown topic {t!r} (see topics.yaml)", pid, "topics")
    return Paper(
        id=pid,
        title=r.req_text("title"),
        title_zh=r.req_text("title_zh"),
        authors=r.strings("authors"),
        year=year,
        url=url,
        arxiv=r.text("arxiv", optional=True),
        kind=kind,
        venue=r.text("venue", optional=True),
        aliases_en=aliases_en,
        aliases_zh=aliases_zh,
        topics=paper_topics,
        summary=r.bilingual("summary"),
        why=r.bilingual("why"),
    )


def _load_lists(directory: Path, papers: Mapping[str, Paper]) -> dict[str, ReadingList]:
    rel = "lists.yaml"
    lists: dict[str, ReadingList] = {}
    for i, raw in enumerate(_entries(directory, rel, "lists")):
        lid = _entry_id(rel, i, raw)
        r = _Reader(rel, lid, raw)
        order = r.strings("order")
        for pid in order:
            if pid not in papers:
                raise CatalogueError(rel, f"unknown paper id {pid!r}", lid, "order")
        if len(set(order)) != len(order):
            raise CatalogueError(rel, "lists a paper twice", lid, "order")
        categories = []
        for j, craw in enumerate(raw.get("categories") or []):
            cid = _entry_id(rel, j, craw)
            cr = _Reader(rel, f"{lid}/{cid}", craw)
            ids = cr.strings("papers")
            for pid in ids:
                if pid not in order:
                    raise CatalogueError(rel, f"{pid!r} is not on this list", cr.entry, "papers")
            aliases = cr.strings("aliases", allow_empty=True) if "aliases" in craw else ()
            categories.append(Category(cid, cr.bilingual("name"), ids, aliases))
        if categories:
            covered = [pid for c in categories for pid in c.paper_ids]
            if sorted(covered) != sorted(order):
                raise CatalogueError(
                    rel,
                    "categories must hold every paper of the list exactly once",
                    lid,
                    "categories",
                )
        lists[lid] = ReadingList(
            lid, r.bilingual("name"), r.req_text("title"), order, tuple(categories)
        )
    if not lists:
        raise CatalogueError(rel, "defines no list")
    return lists


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and validate the whole knowledge base.

    Args:
        directory: the knowledge directory; defaults to :func:`default_knowledge_dir`.
            It holds ``lists.yaml``, ``topics.yaml``, optional ``authors.yaml`` and
            ``papers/*.yaml`` (read in name order).

    Returns:
        A frozen :class:`Catalogue`.

    Raises:
        CatalogueError: on the first missing file, invalid YAML, or invalid entry, naming
            the file, the entry id and the field.
    """
    directory = directory or default_knowledge_dir()
    if not directory.is_dir():
        raise CatalogueError(str(directory), "knowledge directory not found")
    topics = _load_topics(directory)
    papers: dict[str, Paper] = {}
    files = sorted((directory / "papers").glob("*.yaml"))
    if not files:
        raise CatalogueError("papers/", "holds no *.yaml file")
    for path in files:
        rel = f"papers/{path.name}"
        for i, raw in enumerate(_entries(directory, rel, "papers")):
            pid = _entry_id(rel, i, raw)
            if pid in papers:
                raise CatalogueError(rel, "duplicate paper id", pid, "id")
            papers[pid] = _load_paper(rel, pid, raw, topics)
    lists = _load_lists(directory, papers)
    listed = {pid for lst in lists.values() for pid in lst.order}
    for pid in papers:
        if pid not in listed:
            raise CatalogueError("lists.yaml", f"paper {pid!r} is on no list")
    return Catalogue(papers, lists, topics, _load_authors(directory), _load_decoys(directory))
