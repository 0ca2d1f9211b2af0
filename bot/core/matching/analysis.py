"""Text analysis shared by the index and the queries: units, tokens and compact forms.

A normalised string (:func:`bot.core.text.normalise`) becomes *units*: its Latin words, lightly
stemmed and without stop words, and its Chinese runs. Units become *tokens* for the token
scorer: Latin words as they are, Chinese runs as character bigrams (word-based scorers need
spaces, which Chinese does not have). The *compact* form runs the units together for the exact
and edit scorers, so ``R-CNN`` = ``rcnn``.

Queries lose more than candidate strings do: the English filler words and Chinese phrases people
wrap around a name ("paper", "what is", "讲了什么", "提出", "那本书").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.matching.params import CJK_RUN_WORDS
from bot.core.text import CJK_RUN


def _words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of ``text``, in order (to write word lists as text)."""
    return tuple(text.split())


# Words that carry no identity, removed from candidates and queries alike.
STOPWORDS = frozenset(
    _words("""
    a an the of for to in on and with by is are via using from at as its it into be
    的 之 和 与 及
    """)
)
# Words people add around a paper's name; removed from queries only.
FILLER_EN = frozenset(
    _words("""
    paper papers article blog post the this that what whats what's which is are was tell me
    about explain explained summary summarize summarise please pls plz show give find read
    reading called named known as do you know anything can could i want to learn more on
    describe introduce introduction overview idea ideas key main original famous classic one
    thing stuff item entry list again info information details detail good is it book
    proposed proposes propose introduced introduces itself actual
    """)
)
# Chinese phrases people add around a paper's name; removed from queries only (the longest
# phrase that fits wins).
FILLER_ZH = _words(
    """
    请问 请 告诉我 我想了解 想了解 了解一下 了解 介绍一下 介绍下 介绍 讲讲 讲一下 讲了什么
    讲的是什么 讲的什么 讲什么 说说 说一下 是什么 是啥 什么是 啥是 这篇 那篇 一篇 论文 文章
    博客 一下 有关 关于 吗 呢 啊 呀 吧 么 篇 内容 主要 的 这个 那个 讲了啥 讲啥 说了什么
    说的是什么 是哪篇 哪一篇 哪篇 提出的 提出 最早 最初 原始 原版 原论文 那本书 这本书 本书
    那本 这本 书
    """
)
# A lone connective, or the "年" of "2017 年", is no content of its own.
_CJK_LONE = frozenset(["之", "和", "与", "及", "或", "年", "用"])
_FILLER_ZH_RE = re.compile("|".join(sorted(map(re.escape, FILLER_ZH), key=len, reverse=True)))
VERSION_UNIT = re.compile(r"v\d{1,2}")
YEAR = re.compile(r"(?:19|20)\d\d")


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def units(normal: str, *, query: bool = False) -> list[str]:
    """Split a normalised string into content units, in order.

    Latin words are lightly stemmed (plural ``s``) and stop words dropped; a Chinese run stays
    whole (minus the words people wrap around a name, when ``query`` is set). With
    ``query=True`` English filler words ("paper", "what", ...) are dropped too.
    """
    out: list[str] = []
    for word in normal.split():
        if CJK_RUN.fullmatch(word):
            run = _FILLER_ZH_RE.sub(" ", word) if query else word
            out.extend(p for p in run.replace("的", " ").split() if p not in _CJK_LONE)
        elif word not in STOPWORDS and not (query and word in FILLER_EN):
            out.append(_stem(word))
    return out


def tokens(unit_list: Iterable[str]) -> list[str]:
    """Return match tokens for units: Latin words as they are, Chinese runs as character
    bigrams (a one-character run stays a unigram). Order kept, duplicates dropped."""
    return list(weighted_tokens(unit_list))


def weighted_tokens(unit_list: Iterable[str]) -> dict[str, float]:
    """Return ``{token: share}``: how much of a word each token is.

    A Latin word is one token (share 1). A Chinese run of k bigrams spreads
    ``CJK_RUN_WORDS`` words over its bigrams, so a long Chinese phrase weighs like a couple of
    words rather than like k of them. Version units (``v2``) are left to the version rule.
    """
    out: dict[str, float] = {}
    for unit in unit_list:
        if VERSION_UNIT.fullmatch(unit):
            continue
        if CJK_RUN.fullmatch(unit) and len(unit) > 1:
            grams = [unit[i : i + 2] for i in range(len(unit) - 1)]
            share = min(1.0, CJK_RUN_WORDS / len(grams))
            for g in grams:
                out[g] = max(out.get(g, 0.0), share)
        else:
            out[unit] = 1.0
    return out


def compact(unit_list: Iterable[str], *, bare: bool = False) -> str:
    """The units run together; with ``bare`` versions lose their ``v``, so that
    ``clip 4 clip`` (normalised ``clip v4 clip``) can equal ``CLIP4Clip``."""
    return "".join(u[1:] if bare and VERSION_UNIT.fullmatch(u) else u for u in unit_list)


def deletions(word: str, depth: int) -> set[str]:
    """``word`` and every string made by deleting up to ``depth`` of its letters."""
    out = {word}
    layer = {word}
    for _ in range(depth):
        layer = {w[:i] + w[i + 1 :] for w in layer for i in range(len(w))}
        out |= layer
    return out
