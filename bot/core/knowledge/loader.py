"""Read every file of the knowledge directory, check them against each other, build the objects.

Each entry is validated by its model in :mod:`bot.core.knowledge.schema`; then ids are
checked across files (topics of papers, papers of lists, videos, relations, contributions).
The first problem stops the load with a :class:`CatalogueError` naming file, entry, field.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel

from bot.core.catalogue import (
    Bilingual,
    BilingualList,
    Catalogue,
    CatalogueError,
    Category,
    Paper,
    ReadingList,
    Topic,
    Video,
)
from bot.core.knowledge.schema import (
    DECOY,
    IDS,
    VIDEOS,
    AuthorIn,
    ContributionsIn,
    ListIn,
    PaperIn,
    TopicIn,
    VideoIn,
    validate,
)

# libyaml's loader when PyYAML was built with it: the same documents, about 7x faster than the
# pure-Python SafeLoader, which took half of `paperbot ask`'s start-up (benchmarks/footprint.py).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The list whose papers Li Mu's videos are about.
VIDEO_LIST = "paper-reading"
# What the entries of one video (same key) must agree on.
VIDEO_FACTS = ("title", "date", "duration", "bilibili", "youtube", "zhihu")

M = TypeVar("M", bound=BaseModel)


def default_knowledge_dir() -> Path:
    """Return the knowledge directory that ships with paperbot.

    An installed wheel (``pip install .``, pipx, the Docker image) carries ``knowledge/`` as
    ``bot/knowledge`` (pyproject.toml maps it there); a source checkout or an editable
    install has none, and uses the repository's ``knowledge/`` beside the ``bot`` package.
    """
    package = resources.files("bot")
    if isinstance(package, Path):
        if (package / "knowledge").is_dir():
            return package / "knowledge"
        return package.parent / "knowledge"
    return Path(__file__).resolve().parents[3] / "knowledge"  # pragma: no cover


@contextmanager
def _without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the catalogue is read.

    Reading the YAML allocates tens of thousands of short-lived containers, and the
    collections they set off took about half of the load (measured on the 12 files: about
    100 ms with the collector, 30-60 ms without). Loading leaves no cycles worth collecting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- Files -----------------------------------------------------------------------------------


def _read_yaml(directory: Path, rel: str) -> Any:
    try:
        text = (directory / rel).read_text(encoding="utf-8")
        return yaml.load(text, Loader=YAML_LOADER)
    except FileNotFoundError:
        raise CatalogueError(rel, "file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CatalogueError(rel, f"cannot be read ({err})") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise CatalogueError(rel, f"is not valid YAML{at}") from None


def _section(directory: Path, rel: str, key: str, shape: type, optional: bool = False) -> Any:
    """Return ``doc[key]`` of a file shaped ``{key: <list or mapping>}``.

    An optional file may be missing, or its key empty: that gives an empty list or dict.
    """
    if optional and not (directory / rel).exists():
        return shape()
    doc = _read_yaml(directory, rel)
    value = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(value, shape) and not (optional and isinstance(doc, dict) and value is None):
        kind = "list" if shape is list else "mapping"
        raise CatalogueError(rel, f"must be a mapping with a '{key}' {kind}")
    return value or shape()


def _entries(
    directory: Path, rel: str, key: str, model: type[M], name: str = "id"
) -> list[tuple[str, M]]:
    """Validate the list ``key`` of ``rel``; each entry is named by its ``name`` field."""
    out = []
    for i, raw in enumerate(_section(directory, rel, key, list)):
        label = raw.get(name) if isinstance(raw, dict) else None
        entry = str(label).strip() if isinstance(label, str | int) else ""
        if not entry:
            raise CatalogueError(rel, "is missing", f"#{i + 1}", name)
        out.append((entry, validate(model.model_validate, raw, rel, entry)))
    return out


def _by_id(directory: Path, rel: str, key: str, model: type[M]) -> dict[str, M]:
    out: dict[str, M] = {}
    for eid, entry in _entries(directory, rel, key, model):
        if eid in out:
            raise CatalogueError(rel, "duplicate id", eid, "id")
        out[eid] = entry
    return out


def _per_paper(directory: Path, rel: str, key: str, papers: Iterable[str]) -> dict[str, Any]:
    """The mapping ``key`` of an optional ``{key: {paper_id: ...}}`` file; ids must exist."""
    raw = _section(directory, rel, key, dict, optional=True)
    known = set(papers)
    for pid in raw:
        if str(pid) not in known:
            raise CatalogueError(rel, "unknown paper id", str(pid))
    return {str(pid): value for pid, value in raw.items()}


# --- Required files --------------------------------------------------------------------------


def _load_topics(directory: Path) -> dict[str, Topic]:
    entries = _by_id(directory, "topics.yaml", "topics", TopicIn)
    return {tid: Topic(tid, t.name.build(), tuple(t.aliases)) for tid, t in entries.items()}


def _load_papers(directory: Path, topics: Mapping[str, Topic]) -> dict[str, PaperIn]:
    """Return ``{id: entry}`` over ``papers/*.yaml``, files in name order."""
    files = sorted((directory / "papers").glob("*.yaml"))
    if not files:
        raise CatalogueError("papers/", "holds no *.yaml file")
    out: dict[str, PaperIn] = {}
    for path in files:
        rel = f"papers/{path.name}"
        for pid, paper in _entries(directory, rel, "papers", PaperIn):
            if pid in out:
                raise CatalogueError(rel, "duplicate paper id", pid, "id")
            for topic in paper.topics:
                if topic not in topics:
                    problem = f"unknown topic {topic!r} (see topics.yaml)"
                    raise CatalogueError(rel, problem, pid, "topics")
            out[pid] = paper
    return out


def _category(rel: str, lst: ListIn, index: int) -> Category:
    cat = lst.categories[index]
    for pid in cat.papers:
        if pid not in lst.order:
            raise CatalogueError(
                rel, f"{pid!r} is not on this list", f"{lst.id}/{cat.id}", "papers"
            )
    return Category(cat.id, cat.name.build(), tuple(cat.papers), tuple(cat.aliases))


def _load_lists(directory: Path, papers: Mapping[str, object]) -> dict[str, ReadingList]:
    rel = "lists.yaml"
    lists: dict[str, ReadingList] = {}
    for lid, lst in _by_id(directory, rel, "lists", ListIn).items():
        for pid in lst.order:
            if pid not in papers:
                raise CatalogueError(rel, f"unknown paper id {pid!r}", lid, "order")
        if len(set(lst.order)) != len(lst.order):
            raise CatalogueError(rel, "lists a paper twice", lid, "order")
        categories = tuple(_category(rel, lst, i) for i in range(len(lst.categories)))
        covered = sorted(pid for c in categories for pid in c.paper_ids)
        if categories and covered != sorted(lst.order):
            problem = "categories must hold every paper of the list exactly once"
            raise CatalogueError(rel, problem, lid, "categories")
        about = lst.about.build() if lst.about else None
        lists[lid] = ReadingList(
            lid, lst.name.build(), lst.title, tuple(lst.order), categories, about
        )
    if not lists:
        raise CatalogueError(rel, "defines no list")
    listed = {pid for lst in lists.values() for pid in lst.order}
    for pid in papers:
        if pid not in listed:
            raise CatalogueError(rel, f"paper {pid!r} is on no list")
    return lists


def _load_authors(directory: Path) -> dict[str, tuple[str, ...]]:
    rel = "authors.yaml"
    if not (directory / rel).exists():
        return {}
    return {
        a.name: tuple(a.aliases) for _, a in _entries(directory, rel, "authors", AuthorIn, "name")
    }


def _load_decoys(
    directory: Path,
) -> tuple[tuple[tuple[str, ...], ...], tuple[Bilingual | None, ...]]:
    """``decoys.yaml``: each work's names, and what it is known for (``None`` if not written).

    Returns:
        ``(names, about)``, two tuples of the same length, in file order.
    """
    rel = "decoys.yaml"
    raw = _section(directory, rel, "decoys", list, optional=True)
    entries = [
        validate(DECOY.validate_python, item, rel, f"#{i + 1}") for i, item in enumerate(raw)
    ]
    names = tuple(tuple(e.names) for e in entries)
    about = tuple(e.about.build() if e.about is not None else None for e in entries)
    return names, about


# --- Optional files: relations, contributions, videos ------------------------------------------


def _load_relations(directory: Path, years: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """``relations.yaml``: known ids, no self-link or repeat, never a later paper, no cycle."""
    rel = "relations.yaml"
    links: dict[str, tuple[str, ...]] = {}
    for pid, raw in _per_paper(directory, rel, "builds_on", years).items():
        targets = tuple(validate(IDS.validate_python, raw or [], rel, pid))
        for target in targets:
            if target not in years:
                raise CatalogueError(rel, f"unknown paper id {target!r}", pid, "builds_on")
            if target == pid:
                raise CatalogueError(rel, "a paper cannot build on itself", pid, "builds_on")
            if years[target] > years[pid]:
                problem = f"{target!r} ({years[target]}) is later than this paper ({years[pid]})"
                raise CatalogueError(rel, problem, pid, "builds_on")
        if len(set(targets)) != len(targets):
            raise CatalogueError(rel, "names a paper twice", pid, "builds_on")
        links[pid] = targets
    done: set[str] = set()
    for start in links:
        _no_cycle(rel, start, links, [], done)
    return links


def _no_cycle(
    rel: str, pid: str, links: Mapping[str, tuple[str, ...]], path: list[str], done: set[str]
) -> None:
    """Depth-first walk from ``pid``; ``path`` is the current chain, ``done`` the cleared ids."""
    if pid in done:
        return
    if pid in path:
        cycle = " -> ".join([*path[path.index(pid) :], pid])
        raise CatalogueError(rel, f"cycle: {cycle}", pid, "builds_on")
    path.append(pid)
    for target in links.get(pid, ()):
        _no_cycle(rel, target, links, path, done)
    path.pop()
    done.add(pid)


def _followers(
    links: Mapping[str, tuple[str, ...]], years: Mapping[str, int]
) -> dict[str, tuple[str, ...]]:
    """Reverse ``builds_on``: ``{id: ids that build on it}``, by year, then catalogue order."""
    rank = {pid: (year, i) for i, (pid, year) in enumerate(years.items())}
    out: dict[str, list[str]] = {}
    for pid, targets in links.items():
        for target in targets:
            out.setdefault(target, []).append(pid)
    return {pid: tuple(sorted(ids, key=rank.__getitem__)) for pid, ids in out.items()}


def _load_contributions(directory: Path, papers: Iterable[str]) -> dict[str, BilingualList]:
    rel = "contributions.yaml"
    out = {}
    for pid, raw in _per_paper(directory, rel, "contributions", papers).items():
        entry = validate(ContributionsIn.model_validate, raw, rel, pid)
        out[pid] = BilingualList(tuple(entry.en), tuple(entry.zh))
    return out


def _load_videos(
    directory: Path, lists: Mapping[str, ReadingList], papers: Iterable[str]
) -> dict[str, tuple[Video, ...]]:
    """``videos.yaml``: one :class:`Video` per key (Bilibili URL), shared by its papers.

    The entries of one video must agree on the facts (:data:`VIDEO_FACTS`); ``title_en``
    and ``series`` may be written under one of its papers only, but must not disagree.
    """
    rel = "videos.yaml"
    order = lists[VIDEO_LIST].order if VIDEO_LIST in lists else ()
    first: dict[str, tuple[str, VideoIn]] = {}
    extra: dict[str, dict[str, str]] = {}
    covers: dict[str, list[str]] = {}
    entries: dict[str, list[VideoIn]] = {}
    for pid, raw in _per_paper(directory, rel, "videos", papers).items():
        if pid not in order:
            raise CatalogueError(rel, f"is not on the {VIDEO_LIST} list", pid)
        entries[pid] = validate(VIDEOS.validate_python, raw or [], rel, pid)
        for i, video in enumerate(entries[pid]):
            where = f"#{i + 1}"
            seen_pid, seen = first.setdefault(video.key, (pid, video))
            for name in VIDEO_FACTS:
                if getattr(video, name) != getattr(seen, name):
                    problem = f"differs from the same video under {seen_pid!r}"
                    raise CatalogueError(rel, problem, pid, f"{where}.{name}")
            names = extra.setdefault(video.key, {})
            for name in ("title_en", "series"):
                value = getattr(video, name)
                if value is not None and names.setdefault(name, value) != value:
                    problem = f"differs from the same video elsewhere ({names[name]!r})"
                    raise CatalogueError(rel, problem, pid, f"{where}.{name}")
            if pid in covers.setdefault(video.key, []):
                raise CatalogueError(rel, "lists the same video twice", pid, where)
            covers[video.key].append(pid)
    rank = {pid: i for i, pid in enumerate(order)}
    built = {
        key: video.model_copy(update=extra[key]).build(
            tuple(sorted(covers[key], key=rank.__getitem__))
        )
        for key, (_, video) in first.items()
    }
    return {pid: tuple(built[v.key] for v in videos) for pid, videos in entries.items() if videos}


# --- The catalogue ---------------------------------------------------------------------------


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and validate the whole knowledge base.

    Args:
        directory: the knowledge directory; defaults to :func:`default_knowledge_dir`.

    Returns:
        A frozen :class:`Catalogue`; papers in file order (files in name order).

    Raises:
        CatalogueError: on the first missing file, invalid YAML, or invalid entry, naming
            the file, the entry id and the field.
    """
    directory = directory or default_knowledge_dir()
    if not directory.is_dir():
        raise CatalogueError(str(directory), "knowledge directory not found")
    with _without_gc():
        return _load(directory)


def _load(directory: Path) -> Catalogue:
    topics = _load_topics(directory)
    entries = _load_papers(directory, topics)
    lists = _load_lists(directory, entries)
    years = {pid: paper.year for pid, paper in entries.items()}
    videos = _load_videos(directory, lists, entries)
    builds_on = _load_relations(directory, years)
    followed_by = _followers(builds_on, years)
    contributions = _load_contributions(directory, entries)
    papers = {
        pid: Paper(
            id=pid,
            title=p.title,
            title_zh=p.title_zh,
            authors=tuple(p.authors),
            year=p.year,
            url=p.url,
            arxiv=p.arxiv,
            kind=p.kind,
            venue=p.venue,
            aliases_en=tuple(p.aliases.en),
            aliases_zh=tuple(p.aliases.zh),
            topics=tuple(p.topics),
            summary=p.summary.build(),
            why=p.why.build(),
            contributions=contributions.get(pid, BilingualList()),
            builds_on=builds_on.get(pid, ()),
            followed_by=followed_by.get(pid, ()),
            videos=videos.get(pid, ()),
        )
        for pid, p in entries.items()
    }
    decoys, decoy_about = _load_decoys(directory)
    return Catalogue(
        papers,
        lists,
        topics,
        _load_authors(directory),
        decoys,
        directory,
        decoy_about=decoy_about,
    )


def completeness_problems(catalogue: Catalogue) -> list[str]:
    """Return what the optional content still lacks, one sentence per problem.

    Every paper needs contributions in both languages, and every list an ``about``.
    An empty list means complete. (Not a load error: the content is written in stages.)
    """
    problems = [
        f"contributions.yaml: paper {p.id!r} has no contributions"
        for p in catalogue
        if not (p.contributions.en and p.contributions.zh)
    ]
    problems += [
        f"lists.yaml: list {lst.id!r} has no 'about'"
        for lst in catalogue.lists.values()
        if lst.about is None
    ]
    return problems
