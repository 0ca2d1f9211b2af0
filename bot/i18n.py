"""Message catalogues (``bot/locales/en.yaml``, ``zh.yaml``) and language selection.

Languages: ``en``, ``zh`` (Simplified), ``zh-hant`` (Traditional, Taiwan usage) and
``zh-hk`` (Traditional, Hong Kong). Traditional text is rendered from our Simplified text by
OpenCC (``s2twp`` / ``s2hk``) at the very end, so there is one Chinese catalogue to maintain.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import opencc
import yaml

LOCALES = Path(__file__).with_name("locales")
LANGS = ("en", "zh", "zh-hant", "zh-hk")
_OPENCC = {"zh-hant": "s2twp", "zh-hk": "s2hk"}
# libyaml's safe loader when available (same result as yaml.safe_load, several times faster).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=2)
def catalogue(base: str) -> dict[str, str]:
    """Return the message catalogue for ``en`` or ``zh`` (loaded once)."""
    data = yaml.load((LOCALES / f"{base}.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    return {str(k): str(v) for k, v in data.items()}


def placeholders(template: str) -> set[str]:
    """Return the named ``{placeholders}`` of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def base_lang(lang: str) -> str:
    """Return the catalogue a language uses: ``zh`` for every Chinese variant, else ``en``."""
    return "zh" if lang.startswith("zh") else "en"


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def localise(text: str, lang: str) -> str:
    """Convert finished Simplified-Chinese text to the Traditional variant ``lang`` asks for.

    OpenCC stops at a NUL character (C strings), so the text is converted piece by piece
    around any NUL a user sent, instead of being cut short (and its HTML left unbalanced).
    """
    config = _OPENCC.get(lang)
    if not config:
        return text
    converter = _converter(config)
    return "\x00".join(str(converter.convert(part)) for part in text.split("\x00"))


def t(lang: str, key: str, /, **params: Any) -> str:
    """Return message ``key`` in ``lang`` with ``params`` filled in (no script conversion).

    Raises:
        KeyError: for an unknown key or a missing placeholder value (a bug, caught by tests).
    """
    return catalogue(base_lang(lang))[key].format(**params)


def from_telegram(language_code: str | None) -> str:
    """Map a Telegram ``language_code`` (IETF tag) to one of :data:`LANGS`.

    ``zh-hans``/``zh-cn``/``zh-sg``/``zh`` -> ``zh``; ``zh-hant``/``zh-tw`` -> ``zh-hant``;
    ``zh-hk``/``zh-mo`` -> ``zh-hk``; anything else (or None) -> ``en``.
    """
    code = (language_code or "").lower().replace("_", "-")
    if not code.startswith("zh"):
        return "en"
    if code in {"zh-hk", "zh-mo"}:
        return "zh-hk"
    if code in {"zh-hant", "zh-tw"} or code.startswith("zh-hant"):
        return "zh-hant"
    return "zh"


def reply_lang(question_is_chinese: bool, user_lang: str) -> str:
    """Choose the reply language: a Chinese question gets Chinese (in the user's Chinese
    variant, Simplified by default); otherwise the user's language."""
    if question_is_chinese:
        return user_lang if user_lang.startswith("zh") else "zh"
    return user_lang
