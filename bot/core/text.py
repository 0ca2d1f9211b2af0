"""Text normalisation shared by matching and question parsing (pure, no I/O).

The pipeline, in order:

1. Unicode NFKC (full-width letters and digits become ASCII, compatibility forms fold).
2. Traditional to Simplified Chinese with OpenCC's ``tw2sp`` profile (characters *and* Taiwan
   phrasing: ``分散式`` -> ``分布式``, ``模組`` -> ``模块``).
3. Case folding, and Latin diacritics dropped (``Grünwald`` = ``Grunwald``).
4. Chinese and Latin runs are split apart (so ``llama3讲了什么`` still ends a word after ``3``),
   and English possessives go (``Hinton's`` -> ``hinton``).
5. Version spellings become one form, ``v<N>``: ``YOLOv2``, ``yolo 2``, ``StyleGAN2``,
   ``GPT-3``, ``Deep Speech II``, ``二代``, ``第二版`` and ``version 2`` all end in ``v2``.
6. Punctuation, hyphens and underscores become spaces.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
_HAS_CJK = re.compile(f"[{_CJK}]")
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_EN_DIGITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_ROMAN = {"ii": 2, "iii": 3, "iv": 4}


@lru_cache(maxsize=2)
def _opencc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified with OpenCC (``tw2sp``: characters and Taiwan
    phrasing); other text is kept."""
    if not _HAS_CJK.search(text):
        return text
    return str(_opencc("tw2sp").convert(text))


def is_traditional(text: str) -> bool:
    """Return True if ``text`` holds Traditional Chinese characters: ones OpenCC's ``t2s``
    (characters only) would change. Text in characters common to both scripts is not."""
    return bool(_HAS_CJK.search(text)) and str(_opencc("t2s").convert(text)) != text


def has_cjk(text: str) -> bool:
    """Return True if ``text`` holds at least one CJK ideograph."""
    return _HAS_CJK.search(text) is not None


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def fold(text: str) -> str:
    """NFKC, Traditional -> Simplified, case folding and Latin accents dropped; punctuation
    is kept."""
    return _strip_accents(to_simplified(unicodedata.normalize("NFKC", text)).casefold())


def _zh_version(m: re.Match[str]) -> str:
    d = m.group(1)
    return f" v{_ZH_DIGITS.get(d, d)} "


_VERSION_RULES: list[tuple[re.Pattern[str], object]] = [
    # 二代 / 第二版 / 第2代 / 2代
    (re.compile(r"第?([一二三四五六七八九1-9])\s*(?:代|版)"), _zh_version),
    # "gpt three", "yolo two": number words after a name
    (
        re.compile(r"\b([a-z]{2,})\s+(one|two|three|four|five)\b"),
        lambda m: f"{m.group(1)} v{_EN_DIGITS[m.group(2)]}",
    ),
    # "version 2", "ver. 2", "ver2"
    (re.compile(r"\b(?:version|ver)\.?\s*(\d{1,2})\b"), r" v\1 "),
    # "v 2" -> "v2"; "yolov2" / "mocov3" -> "yolo v2" / "moco v3"
    (re.compile(r"\bv\s+(\d{1,2})\b"), r"v\1"),
    (re.compile(r"([a-z])v(\d{1,2})\b"), r"\1 v\2"),
    # "stylegan2", "gpt-3", "alphafold 2", "deep speech ii" -> "... v2"
    (re.compile(r"\b([a-z]{2,})[\s\-]?(\d)\b(?![.,]\d)"), r"\1 v\2"),
    (re.compile(r"\b([a-z]{2,}[\s\-.][a-z])[\s\-](\d)\b(?![.,]\d)"), r"\1 v\2"),
    (
        re.compile(r"\b([a-z]{2,})\s+(ii|iii|iv)\b"),
        lambda m: f"{m.group(1)} v{_ROMAN[m.group(2)]}",
    ),
]

_SEPARATORS = re.compile(
    r"[\s\-_‐‑‒–—―/\\|·・.,;:!?¿¡'\"`“”‘’()\[\]{}<>«»@#$%^&*+=~，。、；：！？（）【】《》〈〉「」『』…]+"
)
_POSSESSIVE = re.compile(r"(?<=[a-z])['’]s\b|(?<=[a-z]s)['’](?=\s|$)")
_CJK_LATIN_EDGE = re.compile(f"(?<=[{_CJK}])(?=[a-z0-9])|(?<=[a-z0-9])(?=[{_CJK}])")


# Every rule above needs a digit, a Chinese numeral, a number word or a Roman numeral.
_VERSION_HINT = re.compile(r"[0-9一二三四五六七八九]|\b(?:one|two|three|four|five|ii|iii|iv)\b")


def canonical_versions(text: str) -> str:
    """Rewrite every version spelling in folded ``text`` as `` v<N> ``."""
    if not _VERSION_HINT.search(text):
        return text  # nothing to rewrite (most titles): skip the eight substitutions
    for pattern, repl in _VERSION_RULES:
        text = pattern.sub(repl, text)  # type: ignore[call-overload]
    return text


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Return the normal form used for matching: folded, versions canonical, words spaced.

    Example: ``"YOLOv2: Better, Faster"`` -> ``"yolo v2 better faster"``;
    ``"指針網絡"`` -> ``"指针网络"``; ``"R-CNN"`` -> ``"r cnn"`` (compact form ``"rcnn"``).
    """
    text = _CJK_LATIN_EDGE.sub(" ", fold(text).replace("+", " plus "))
    text = _POSSESSIVE.sub("", text)
    text = canonical_versions(text)
    text = _SEPARATORS.sub(" ", text)
    return " ".join(text.split())


def versions(normal: str) -> frozenset[int]:
    """Return the version numbers (``v<N>`` tokens) in a normalised string."""
    return frozenset(int(m) for m in re.findall(r"\bv(\d{1,2})\b", normal))
