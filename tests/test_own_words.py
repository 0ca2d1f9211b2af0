"""Content is ours: no run of 8 English words or 12 Chinese characters in our writing in
``knowledge/`` (summaries, whys, the lists' about, contributions, video titles in English, quiz
questions, decoy descriptions) also appears in the articles about the lists
(``shared/reference/sources/``). Titles of works may be quoted: a run inside a title is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import opencc
import pytest
import yaml

from bot.core.catalogue import Catalogue
from bot.core.knowledge import default_knowledge_dir

SOURCES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "sources"
#: Keys whose strings are our own writing (everything under them is checked).
PROSE = {"summary", "why", "about", "contributions", "title_en", "quiz"}
EN_WORDS = 8
ZH_CHARS = 12
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_T2S = opencc.OpenCC("t2s")


def _strings(node: Any, under: bool = False) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, under or key in PROSE)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, under)
    elif isinstance(node, str) and under:
        yield node


def _byte(ch: str) -> bytes:
    """The byte a character of mis-decoded UTF-8 stood for (cp1252, else Latin-1)."""
    try:
        return ch.encode("cp1252")
    except UnicodeEncodeError:
        return bytes([ord(ch)]) if ord(ch) < 256 else ch.encode("utf-8")


def _source_text(path: Path) -> str:
    """A source's text, and its repair when it was stored as mis-decoded UTF-8 (one is, as
    shared/reference/catalogue-facts.yaml says; the bytes its decoding dropped stay lost, so
    that source is checked only where whole runs survived)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    repaired = b"".join(map(_byte, text)).decode("utf-8", errors="ignore")
    return text + "\n" + repaired


def _en_runs(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + EN_WORDS]) for i in range(len(words) - EN_WORDS + 1)}


def _zh_runs(text: str) -> set[str]:
    runs: set[str] = set()
    for block in _CJK.findall(str(_T2S.convert(text))):
        runs.update(block[i : i + ZH_CHARS] for i in range(len(block) - ZH_CHARS + 1))
    return runs


@pytest.fixture(scope="module")
def sources() -> tuple[set[str], set[str]]:
    files = sorted(SOURCES.glob("*.txt"))
    if not files:
        pytest.skip("shared/reference/sources is not beside this checkout")
    text = "\n".join(_source_text(p) for p in files)
    return _en_runs(text), _zh_runs(text)


def test_no_sentence_of_ours_is_copied_from_the_sources(
    catalogue: Catalogue, sources: tuple[set[str], set[str]]
) -> None:
    en_sources, zh_sources = sources
    titles = " \n ".join(f"{p.title} {p.title_zh}" for p in catalogue.papers.values())
    allowed_en, allowed_zh = _en_runs(titles), _zh_runs(titles)
    copied = []
    for path in sorted(default_knowledge_dir().rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for text in _strings(data):
            for run in (_en_runs(text) & en_sources) - allowed_en:
                copied.append(f"{path.name}: {run!r}")
            for run in (_zh_runs(text) & zh_sources) - allowed_zh:
                copied.append(f"{path.name}: {run!r}")
    assert not copied, copied[:20]
