"""The pydantic schema of ``knowledge/*.yaml`` entries, and errors that name file, entry, field.

One model per kind of entry (a paper, a list, a topic, a video...). Every model forbids
unknown fields, so a misspelt key is an error instead of being silently dropped. Models are
only the shape of the YAML: :mod:`bot.core.knowledge.loader` checks the files against each
other and builds the frozen objects of :mod:`bot.core.catalogue`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from bot.core.catalogue import KINDS, Bilingual, CatalogueError, Kind, Video

CONTRIBUTIONS = (2, 6)  # phrases per language, inclusive

T = TypeVar("T")


def _text(value: object) -> object:
    """Numbers become strings (an alias ``2`` or a venue ``1984``); strings are stripped."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else value


def _http(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise ValueError("must be an http(s) URL")
    return url


def _site(*hosts: str) -> Callable[[str], str]:
    def check(url: str) -> str:
        if url.split("://", 1)[-1].split("/", 1)[0] not in hosts:
            raise ValueError(f"must be a link to {' or '.join(hosts)}")
        return url

    return check


_DURATION = re.compile(r"(?:(\d+):([0-5]\d)|([0-5]?\d)):([0-5]\d)")


def _seconds(value: object) -> int:
    """``'H:MM:SS'`` or ``'MM:SS'`` -> seconds. Unquoted, YAML reads ``19:59`` as base-60
    integer 1199: refused, so that the file stays comparable with the reference."""
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError("must be a quoted 'H:MM:SS' or 'MM:SS' string")
    hours, minutes, short_minutes, seconds = match.groups()
    total = int(hours or 0) * 3600 + int(minutes or short_minutes) * 60 + int(seconds)
    if total == 0:
        raise ValueError("must be longer than zero")
    return total


def _date(value: object) -> datetime.date:
    """A ``'YYYY-MM-DD'`` string (or the date YAML makes of an unquoted one), 2000-2100."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a calendar date") from None
    if type(value) is not datetime.date or not 2000 <= value.year <= 2100:
        raise ValueError("must be a date written 'YYYY-MM-DD' (2000-2100)")
    return value


Text = Annotated[str, BeforeValidator(_text), StringConstraints(min_length=1)]
Url = Annotated[Text, AfterValidator(_http)]
Texts = Annotated[list[Text], Field(min_length=1)]
Year = Annotated[int, Field(strict=True, ge=1900, le=2100)]
Phrases = Annotated[list[Text], Field(min_length=CONTRIBUTIONS[0], max_length=CONTRIBUTIONS[1])]
Bilibili = Annotated[Url, AfterValidator(_site("www.bilibili.com"))]
YouTube = Annotated[Url, AfterValidator(_site("www.youtube.com", "youtu.be"))]
Zhihu = Annotated[Url, AfterValidator(_site("www.zhihu.com", "zhuanlan.zhihu.com"))]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BilingualIn(_Model):
    """``{en: ..., zh: ...}``, both non-empty."""

    en: Text
    zh: Text

    def build(self) -> Bilingual:
        """Return the frozen :class:`Bilingual`."""
        return Bilingual(self.en, self.zh)


class AliasesIn(_Model):
    """A paper's other names; both keys required, either may be an empty list."""

    en: list[Text]
    zh: list[Text]


class PaperIn(_Model):
    """An entry of ``papers/*.yaml``."""

    id: Text
    title: Text
    title_zh: Text
    authors: Texts
    year: Year
    url: Url
    arxiv: Text | None = None
    kind: Kind
    venue: Text | None = None
    aliases: AliasesIn
    topics: Texts
    summary: BilingualIn
    why: BilingualIn


class CategoryIn(_Model):
    """A category of a list (``lists.yaml``, ``categories``)."""

    id: Text
    name: BilingualIn
    papers: Texts
    aliases: list[Text] = []


class ListIn(_Model):
    """An entry of ``lists.yaml``."""

    id: Text
    name: BilingualIn
    title: Text
    order: Texts
    categories: list[CategoryIn] = []
    about: BilingualIn | None = None


class TopicIn(_Model):
    """An entry of ``topics.yaml``."""

    id: Text
    name: BilingualIn
    aliases: list[Text] = []


class AuthorIn(_Model):
    """An entry of ``authors.yaml``."""

    name: Text
    aliases: Texts


class ContributionsIn(_Model):
    """A value of ``contributions.yaml``: 2-6 phrases in each language."""

    en: Phrases
    zh: Phrases


class VideoIn(_Model):
    """An item of ``videos.yaml``; ``duration`` is read into seconds."""

    title: Text
    title_en: Text | None = None
    date: Annotated[datetime.date, BeforeValidator(_date)]
    duration: Annotated[int, BeforeValidator(_seconds)]
    bilibili: Bilibili | None = None
    youtube: YouTube | None = None
    zhihu: Zhihu | None = None
    series: Text | None = None

    @property
    def key(self) -> str:
        """The same identity as :attr:`bot.core.catalogue.Video.key`."""
        return self.bilibili or f"{self.title}@{self.date.isoformat()}"

    def build(self, covers: tuple[str, ...]) -> Video:
        """Return the frozen :class:`Video`, listed under the papers ``covers``."""
        return Video(
            title=self.title,
            date=self.date,
            duration_seconds=self.duration,
            bilibili=self.bilibili,
            youtube=self.youtube,
            zhihu=self.zhihu,
            title_en=self.title_en,
            series=self.series,
            covers=covers,
        )


def _names_only(value: object) -> object:
    """A bare list of names is the short form of ``{names: [...]}``."""
    return {"names": value} if isinstance(value, list) else value


class DecoyIn(_Model):
    """An entry of ``decoys.yaml``: a famous work on neither list.

    Either a list of names (the short form) or ``{names: [...], about: {en, zh}}``; ``about``
    says what the work is known for, in one or two sentences.
    """

    names: Texts
    about: BilingualIn | None = None


NAMES: TypeAdapter[list[str]] = TypeAdapter(Texts)
DECOY: TypeAdapter[DecoyIn] = TypeAdapter(Annotated[DecoyIn, BeforeValidator(_names_only)])
IDS: TypeAdapter[list[str]] = TypeAdapter(list[Text])
VIDEOS: TypeAdapter[list[VideoIn]] = TypeAdapter(list[VideoIn])


def _problem(error: Mapping[str, Any]) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "missing" or (value is None and kind.endswith("_type")):
        return "is missing"
    if kind == "extra_forbidden":
        return "is not a known field (misspelt?)"
    if kind in {"string_too_short", "too_short"} and isinstance(value, str):
        return "must be a non-empty string"
    if kind == "literal_error":
        return f"must be one of {', '.join(KINDS)} (got {value!r})"
    if kind in {"too_short", "too_long"} and isinstance(value, list):
        ctx = error.get("ctx", {})
        if kind == "too_short":
            return f"has {len(value)} item(s), needs at least {ctx.get('min_length')}"
        return f"has {len(value)} items, at most {ctx.get('max_length')} allowed"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _field(loc: Iterable[int | str]) -> str | None:
    return ".".join(f"#{p + 1}" if isinstance(p, int) else str(p) for p in loc) or None


def validate(check: Callable[[Any], T], raw: Any, rel: str, entry: str | None) -> T:
    """Run a pydantic validator (``Model.model_validate``, ``adapter.validate_python``).

    Args:
        check: the validator.
        raw: what YAML gave.
        rel: the file, relative to the knowledge directory.
        entry: the entry being validated (an id), for the error.

    Raises:
        CatalogueError: for the first problem: file, entry and dotted field (list items
            as ``#n``, 1-based), and what is wrong in words.
    """
    try:
        return check(raw)
    except ValidationError as err:
        first = err.errors()[0]
        raise CatalogueError(rel, _problem(first), entry, _field(first["loc"])) from None
