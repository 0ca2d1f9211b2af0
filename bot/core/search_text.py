"""Text for the describe-the-idea search (:mod:`bot.core.search`): tokens, names, phrasing.

Pure functions and one small class; OpenCC and PyStemmer load on first use.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from bot.core.catalogue import Catalogue
from bot.core.text import canonical_versions, has_cjk, to_simplified

DECOY_PREFIX = "decoy:"


_STOPWORDS = """a an the of in on at to for from by with without and or but not no nor is are
    was were
    be been being it its this that these those there their them they he she his her we our
    you your i me my as into onto than then so such can could would should will may might must
    do does did done have has had about after before while when where which who whom whose
    what why how all any each both some other only own same very just also too up out off
    again here s t via per vs paper papers one ones work article publication introduced
    introduce introduces introducing proposed propose proposes proposing describe described
    describes presented present presents famous known called named remember recall guess
    think looking find whats idea approach method thing things something more next another"""
_EN_STOP = frozenset(_STOPWORDS.split())
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Describe-the-question phrasing in Chinese (Simplified: queries are converted first).
_ZH_FILLER = (
    "是哪一篇论文", "是哪篇论文", "是哪一篇", "是哪篇", "哪一篇论文", "哪篇论文", "哪一篇", "哪篇",
    "的那篇论文", "的那篇文章", "的那篇博客", "那篇论文", "那篇文章", "的那篇", "那篇", "这篇",
    "的那个", "那一篇", "是什么", "是哪个", "哪个", "什么", "论文", "文章", "提出了", "提出",
    "介绍了", "引入了", "请问", "有没有", "一篇", "讲的是", "我记得", "好像", "一个", "的",
)  # fmt: skip
_ZH_FILLER_RE = re.compile("|".join(map(re.escape, sorted(_ZH_FILLER, key=len, reverse=True))))
# Taiwan and Hong Kong terms that neither OpenCC profile turns into the mainland ones our
# Chinese text uses (after ``t2s``).
_TW_TERMS = {
    "正规化": "归一化", "批次": "批量", "侦测": "检测", "物件": "物体", "影片": "视频",
    "资料": "数据", "记忆体": "内存", "程式": "程序", "演算法": "算法", "最佳化": "优化",
    "递回": "循环", "模组": "模块", "影像": "图像", "自我监督": "自监督", "解析度": "分辨率",
    "平行": "并行", "管线": "流水线", "网路": "网络", "文字": "文本", "显示卡": "显卡",
    "运算": "计算", "类神经": "神经", "硬体": "硬件", "软体": "软件", "跳接": "跳跃连接",
}  # fmt: skip
_TW_TERMS_RE = re.compile("|".join(map(re.escape, sorted(_TW_TERMS, key=len, reverse=True))))


class _Lazy:
    """OpenCC's ``t2s`` converter and PyStemmer's English stemmer, loaded on first use."""

    t2s: Any = None
    stemmer: Any = None

    @classmethod
    def simplified(cls, text: str) -> str:
        if cls.t2s is None:
            import opencc

            cls.t2s = opencc.OpenCC("t2s")
        return str(cls.t2s.convert(text))

    @classmethod
    def stem(cls, word: str) -> str:
        if cls.stemmer is None:
            import Stemmer

            cls.stemmer = Stemmer.Stemmer("english")
        return str(cls.stemmer.stemWord(word))


def simplified_forms(text: str) -> list[str]:
    """Return ``text`` (NFKC) in Simplified Chinese, one to three ways; other scripts kept.

    OpenCC ``t2s`` converts characters only (``網路`` -> ``网路``); ``tw2sp`` also rewrites
    Taiwan phrasing (``網路`` -> ``网络``, ``程式碼`` -> ``代码``) but sometimes wrongly for us
    (``序列`` -> ``串行``, ``正規化`` -> ``范式``). Traditional text gets both, plus ``t2s`` with
    ``_TW_TERMS`` replaced when one occurs; Simplified text and other scripts come back alone.
    """
    text = unicodedata.normalize("NFKC", text)
    if not has_cjk(text):
        return [text]
    chars = _Lazy.simplified(text)
    if chars == text:
        return [text]
    forms = dict.fromkeys([chars, to_simplified(text)])
    forms[_TW_TERMS_RE.sub(lambda m: _TW_TERMS[m.group(0)], chars)] = None
    return list(forms)


_SEPARATOR = re.compile(f"[^a-z0-9{_CJK}]+")
_CJK_LATIN_EDGE = re.compile(f"(?<=[{_CJK}])(?=[a-z0-9])|(?<=[a-z0-9])(?=[{_CJK}])")
_POSSESSIVE = re.compile(r"(?<=[a-z])['’]s\b")


def _words(form: str) -> list[str]:
    text = canonical_versions(_POSSESSIVE.sub("", form.casefold()))
    return _SEPARATOR.sub(" ", _CJK_LATIN_EDGE.sub(" ", text)).split()


def tokens(text: str, *, query: bool = False) -> list[str]:
    """Split ``text`` (any language, any script) into search tokens.

    English words: lower-case, stopwords dropped, stemmed (``"connections"`` -> ``"connect"``).
    Chinese runs: filler cut (``"哪篇论文"``), then character bigrams (``"残差连接"`` ->
    ``残差 差连 连接``; a lone character stays). A ``query`` in Traditional Chinese is read in
    each of its :func:`simplified_forms`, and its tokens are unique; documents (Simplified
    already) keep repeated tokens, for term frequency.

    Returns:
        The tokens in order; may be empty.
    """
    out: list[str] = []
    forms = simplified_forms(text) if query else [unicodedata.normalize("NFKC", text)]
    for form in forms:
        for word in _words(form):
            if has_cjk(word):
                for run in _ZH_FILLER_RE.split(word):
                    out.extend(
                        [run] if len(run) == 1 else (run[i : i + 2] for i in range(len(run) - 1))
                    )
            elif word not in _EN_STOP and (len(word) > 1 or word.isdigit()):
                out.append(_Lazy.stem(word))
    return list(dict.fromkeys(out)) if query else out


def phrase(text: str) -> str:
    """The form names are matched in: Simplified, lower-case, versions as ``v<N>``, words
    single-spaced (``"YOLOv4"`` -> ``"yolo v4"``)."""
    return " ".join(_words(simplified_forms(text)[0]))


# ---------------------------------------------------------------------------------------------
# Describe-the-idea phrasing, years, follow-ups

_THING = (
    r"(?:paper|one|work|article|blog\s+post|post|model|network|method|system|detector|book"
    r"|report|study|explainer|approach|trick|architecture)"
)
_DESCRIBE_EN = re.compile(
    rf"\b(?:which|what)\s+(?:\w+\s+)?{_THING}\b"
    rf"|\b{_THING}\s+(?:that|where|which|with|in\s+which|who|whose|about|on|showing|using"
    r"|proposing|introducing)\b"
    r"|\b(?:introduced|proposed|invented|came\s+up\s+with|first\s+(?:to|paper))\b",
    re.IGNORECASE,
)
_DESCRIBE_ZH = re.compile(
    r"哪一?篇|那一?篇|这篇|提出|是哪|哪个|的论文|论文$|的那个|最早|开山之作|的方法$|的模型$|的网络$"
    r"|的系统$|的检测器$|的书$"
)
YEAR = re.compile(r"(?<![0-9])(19[4-9][0-9]|20[0-4][0-9])(?![0-9])")
FOLLOW_UP = re.compile(
    r"\bfollow[\s-]?up\b|\bsuccessor\b|\bsequel\b|\bimproved\s+version\b|后续|续作|改进版"
)


def looks_like_description(query: str) -> bool:
    """Return True when ``query`` is phrased as a description of a paper, not a name.

    Recognises "which paper introduced ...", "the paper that/where ...", "the one where ...",
    "... proposed ..." in English and "提出…的论文", "哪篇论文…", "…是哪篇", "…的那篇" in Chinese
    (Simplified or Traditional). A query that does not look like one may still be one: the
    search is safe on any query.
    """
    if has_cjk(query):
        return any(_DESCRIBE_ZH.search(f.replace(" ", "")) for f in simplified_forms(query))
    return _DESCRIBE_EN.search(query) is not None


# ---------------------------------------------------------------------------------------------
# Names said outright


class Names:
    """Finds the papers and decoys that a query names outright (titles, aliases, decoys).

    Where two names overlap, the longer wins ("seq2seq for sets" is Order Matters, not the
    seq2seq decoy). Latin names must stand as whole words, and a name without a version does
    not match when a version follows it ("dall e v2" is not DALL-E).
    """

    def __init__(self, catalogue: Catalogue) -> None:
        owners: dict[str, str] = {}
        for paper in catalogue:
            for name in (paper.title, paper.title_zh, *paper.aliases_en, *paper.aliases_zh):
                owners.setdefault(phrase(name), paper.id)
        for i, names in enumerate(catalogue.decoys):
            for name in names:
                owners.setdefault(phrase(name), f"{DECOY_PREFIX}{i}")
        self._owners = {k: v for k, v in owners.items() if len(k) >= 2}
        self._latin: dict[str, list[str]] = {}  # first word -> names
        self._cjk: list[str] = []  # names that start with a Chinese character
        for name in self._owners:
            if has_cjk(name[0]):
                self._cjk.append(name)
            else:
                self._latin.setdefault(name.split(" ", 1)[0], []).append(name)

    def find(self, query: str) -> set[str]:
        """Return the ids (papers, ``"decoy:<n>"``) named in ``query``."""
        found: set[str] = set()
        for form in simplified_forms(query):
            spans = self._spans(" ".join(_words(form)))
            for start, end, name in spans:
                if not any(s <= start and end <= e and e - s > end - start for s, e, _ in spans):
                    found.add(self._owners[name])
        return found

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        offset = 0
        for word in text.split(" "):
            for name in self._latin.get(word, ()):
                if text.startswith(name, offset) and _ends_well(text, offset + len(name), name):
                    spans.append((offset, offset + len(name), name))
            offset += len(word) + 1
        if has_cjk(text):
            for name in self._cjk:
                at = text.find(name)
                while at >= 0:
                    if _ends_well(text, at + len(name), name):
                        spans.append((at, at + len(name), name))
                    at = text.find(name, at + 1)
        return spans


_VERSION_NEXT = re.compile(r" v\d")
_VERSION_END = re.compile(r"\bv\d+$")


def _ends_well(text: str, end: int, name: str) -> bool:
    """A name ending in a Latin letter or digit ends at a word boundary, and a name without a
    version is not followed by one."""
    if end < len(text) and not has_cjk(name[-1]) and text[end] != " ":
        return False
    return _VERSION_END.search(name) is not None or not _VERSION_NEXT.match(text, end)
