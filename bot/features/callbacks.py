"""Callback data: one frozen type per button action, with its codec and its pattern.

Every inline button's ``callback_data`` is built by :meth:`Action.encode` and read back by
:func:`decode`; no callback string is spelled out anywhere else. Telegram caps callback data at
64 bytes (:data:`MAX_BYTES`); :meth:`Action.encode` refuses longer data. Data is never trusted:
it only ever acts on the pressing chat's own data, and anything that does not decode (forged,
or from an older version of the bot) gets the "expired" answer.

==================  ===================================  ===============================
type                data                                 what it does
==================  ===================================  ===============================
``MarkRead``        ``r:<paper>``                        mark read (``MarkSkipped``: ``s:``)
``Undo``            ``u:<paper>``                        undo read/skip
``ShowCard``        ``c:<paper>:<en|zh>``                a card in a language
``OpenFromList``    ``o:<paper>:<list>:<page>``          a card with Back to the list page
``ListPage``        ``p:<list>:<page>``                  a page of a list (empty = current)
``Categories``      ``g:<list>``                         a list's categories
``CategoryPage``    ``g:<list>:<category>:<page>``       one category's papers
``SwitchList``      ``L:<list>``                         make a list current
``SetLang``         ``lang:<code>``                      set the reply language
``Snooze``          ``z``                                snooze the reminder 1 h
``PauseReminders``  ``zp``                               pause reminders
``Forget``          ``f:<yes|no>``                       confirm or cancel /forget
``Menu``            ``m:<next|lists|help>``              main-menu buttons
``Settings``        ``set:<lang|tz|time>``               a settings panel
``SetZone``         ``set:tz:<zone>``                    set the time zone
``SetTime``         ``set:time:<HH:MM|off>``             set or stop the reminder
``SubscribeIn``     ``sz:<HH:MM>:<zone>``                subscribe in a zone
``ListingOn``       ``lo:<list>:<kind>:<subject>``       an author's/topic's papers on a list
``QuizStart``       ``q:<paper>``                        check-yourself questions
``QuizAnswer``      ``qa:<paper>#<n>:<option>:<0|1>``    a quiz option (the terminal)
``NoteStart``       ``n:<paper>``                        write a note (next message)
``ReadingNow``      ``rn:<paper>``                       📌 reading it now
``MarkMine``        ``mm:<paper>``                       in a group: I read it
``ForgetMine``      ``fm:<yes|no>:<user>``               in a group: delete my marks
``Toggle``          ``tg:<review|recap>``                turn a setting on or off
==================  ===================================  ===============================
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import ClassVar, Self

MAX_BYTES = 64
_ID = r"[a-z0-9][a-z0-9-]*"


class Action:
    """Base of every button action: ``prefix`` plus the dataclass fields, joined by ``:``.

    Subclasses are frozen dataclasses and set :attr:`prefix` and :attr:`fields_re` (one regex
    group per field, in order). ``int`` fields are converted back on decode.
    """

    prefix: ClassVar[str]
    fields_re: ClassVar[str] = ""

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        """The regex that matches exactly this action's data (for ``CallbackQueryHandler``)."""
        tail = f":{cls.fields_re}" if cls.fields_re else ""
        return re.compile(f"^{re.escape(cls.prefix)}{tail}$")

    def encode(self) -> str:
        """Return the callback data.

        Raises:
            ValueError: the data would exceed Telegram's 64 bytes, or would not decode back.
        """
        values = [str(getattr(self, f.name)) for f in dataclasses.fields(self)]  # type: ignore[arg-type]
        data = ":".join([self.prefix, *values])
        if len(data.encode("utf-8")) > MAX_BYTES or type(self).decode(data) != self:
            raise ValueError(f"cannot encode {self!r} as callback data")
        return data

    @classmethod
    def decode(cls, data: str) -> Self | None:
        """Return the action ``data`` encodes, or None when it is not this action's data."""
        m = cls.pattern().match(data)
        if m is None:
            return None
        kwargs = {}
        for f, value in zip(dataclasses.fields(cls), m.groups(), strict=True):  # type: ignore[arg-type]
            kwargs[f.name] = int(value) if f.type in {"int", int} else (value or "")
        return cls(**kwargs)


@dataclass(frozen=True)
class MarkRead(Action):
    """Mark ``paper_id`` read."""

    prefix: ClassVar[str] = "r"
    fields_re: ClassVar[str] = f"({_ID})"
    paper_id: str


@dataclass(frozen=True)
class MarkSkipped(Action):
    """Mark ``paper_id`` skipped."""

    prefix: ClassVar[str] = "s"
    fields_re: ClassVar[str] = f"({_ID})"
    paper_id: str


@dataclass(frozen=True)
class Undo(Action):
    """Undo the read/skip mark of ``paper_id``."""

    prefix: ClassVar[str] = "u"
    fields_re: ClassVar[str] = f"({_ID})"
    paper_id: str


@dataclass(frozen=True)
class ShowCard(Action):
    """Show ``paper_id``'s card in ``lang`` (``en``/``zh``), in place of the pressed message."""

    prefix: ClassVar[str] = "c"
    fields_re: ClassVar[str] = f"({_ID}):(en|zh)"
    paper_id: str
    lang: str


@dataclass(frozen=True)
class OpenFromList(Action):
    """Open ``paper_id``'s card from page ``page`` of list ``list_id``; the card gets a Back
    button to that page."""

    prefix: ClassVar[str] = "o"
    fields_re: ClassVar[str] = f"({_ID}):({_ID}):(\\d{{1,3}})"
    paper_id: str
    list_id: str
    page: int


@dataclass(frozen=True)
class ListPage(Action):
    """Page ``page`` (0-based) of list ``list_id`` (empty: the chat's current list)."""

    prefix: ClassVar[str] = "p"
    fields_re: ClassVar[str] = f"({_ID})?:(\\d{{1,3}})"
    list_id: str
    page: int


@dataclass(frozen=True)
class Categories(Action):
    """The categories of list ``list_id``."""

    prefix: ClassVar[str] = "g"
    fields_re: ClassVar[str] = f"({_ID})"
    list_id: str


@dataclass(frozen=True)
class CategoryPage(Action):
    """Page ``page`` of category ``category_id`` of list ``list_id``."""

    prefix: ClassVar[str] = "g"
    fields_re: ClassVar[str] = f"({_ID}):({_ID}):(\\d{{1,3}})"
    list_id: str
    category_id: str
    page: int


@dataclass(frozen=True)
class SwitchList(Action):
    """Make ``list_id`` the chat's current list."""

    prefix: ClassVar[str] = "L"
    fields_re: ClassVar[str] = f"({_ID})"
    list_id: str


@dataclass(frozen=True)
class SetLang(Action):
    """Set the chat's reply language."""

    prefix: ClassVar[str] = "lang"
    fields_re: ClassVar[str] = "(en|zh|zh-hant|zh-hk)"
    lang: str


@dataclass(frozen=True)
class Snooze(Action):
    """Send the reminder again in an hour."""

    prefix: ClassVar[str] = "z"


@dataclass(frozen=True)
class PauseReminders(Action):
    """Pause reminders until /resume."""

    prefix: ClassVar[str] = "zp"


@dataclass(frozen=True)
class Forget(Action):
    """Confirm (``yes``) or cancel (``no``) deleting the chat's data."""

    prefix: ClassVar[str] = "f"
    fields_re: ClassVar[str] = "(yes|no)"
    answer: str


@dataclass(frozen=True)
class Menu(Action):
    """A main-menu button: ``next``, ``lists``, ``progress``, ``browse`` or ``help``."""

    prefix: ClassVar[str] = "m"
    fields_re: ClassVar[str] = "(next|unread|lists|help|progress|browse)"
    item: str


@dataclass(frozen=True)
class Settings(Action):
    """Open a settings panel: ``lang``, ``tz`` or ``time``."""

    prefix: ClassVar[str] = "set"
    fields_re: ClassVar[str] = "(lang|tz|time)"
    panel: str


@dataclass(frozen=True)
class SetZone(Action):
    """Set the chat's time zone to an IANA ``zone``."""

    prefix: ClassVar[str] = "set:tz"
    fields_re: ClassVar[str] = r"([A-Za-z0-9_+\-/]{1,50})"
    zone: str


@dataclass(frozen=True)
class SetTime(Action):
    """Set the reminder to ``HH:MM`` local time, or stop it (``off``)."""

    prefix: ClassVar[str] = "set:time"
    fields_re: ClassVar[str] = r"(off|(?:[01]\d|2[0-3]):[0-5]\d)"
    value: str


@dataclass(frozen=True)
class SubscribeIn(Action):
    """Subscribe at ``time`` (``HH:MM``) in ``zone``: the zone buttons /subscribe offers when
    it does not know the user's zone yet."""

    prefix: ClassVar[str] = "sz"
    fields_re: ClassVar[str] = r"(\d{2}:\d{2}):([A-Za-z0-9_+\-/]{1,40})"
    time: str
    zone: str


@dataclass(frozen=True)
class ListingOn(Action):
    """The papers of list ``list_id`` by an author, about a topic or from a year (``kind``,
    ``subject``): the "3 more on Li Mu's list" button."""

    prefix: ClassVar[str] = "lo"
    fields_re: ClassVar[str] = f"({_ID}):(topic|author|year|category|video):([^:]{{1,40}})"
    list_id: str
    kind: str
    subject: str


@dataclass(frozen=True)
class QuizStart(Action):
    """Start the check-yourself questions of ``paper_id``."""

    prefix: ClassVar[str] = "q"
    fields_re: ClassVar[str] = f"({_ID})"
    paper_id: str


@dataclass(frozen=True)
class QuizAnswer(Action):
    """Answer quiz question ``question_id`` (``<paper>#<n>``) with ``option``; ``review`` is
    1 for a review question (the terminal's numbered options)."""

    prefix: ClassVar[str] = "qa"
    fields_re: ClassVar[str] = f"({_ID}#\\d{{1,2}}):(\\d):([01])"
    question_id: str
    option: int
    review: int


@dataclass(frozen=True)
class NoteStart(Action):
    """Ask for a note on ``paper_id`` (the next message is the note)."""

    prefix: ClassVar[str] = "n"
    fields_re: ClassVar[str] = f"({_ID})"
    paper_id: str


@dataclass(frozen=True)
class ReadingNow(Action):
    """Mark ``paper_id`` as the paper being read now (📌)."""

    prefix: ClassVar[str] = "rn"
    fields_re: ClassVar[str] = f"({_ID})"
    paper_id: str


@dataclass(frozen=True)
class MarkMine(Action):
    """In a group: the presser read ``paper_id`` (their own mark)."""

    prefix: ClassVar[str] = "mm"
    fields_re: ClassVar[str] = f"({_ID})"
    paper_id: str


@dataclass(frozen=True)
class ForgetMine(Action):
    """In a group: delete member ``user_id``'s own marks (``yes``) or cancel (``no``); only
    that member's press counts."""

    prefix: ClassVar[str] = "fm"
    fields_re: ClassVar[str] = "(yes|no):(\\d{1,15})"
    answer: str
    user_id: int


@dataclass(frozen=True)
class Toggle(Action):
    """Turn a setting on or off: ``review`` (review questions) or ``recap`` (weekly recap)."""

    prefix: ClassVar[str] = "tg"
    fields_re: ClassVar[str] = "(review|recap)"
    setting: str


ACTIONS: tuple[type[Action], ...] = (
    MarkRead,
    MarkSkipped,
    Undo,
    ShowCard,
    OpenFromList,
    ListPage,
    Categories,
    CategoryPage,
    SwitchList,
    SetLang,
    Snooze,
    PauseReminders,
    Forget,
    Menu,
    Settings,
    SetZone,
    SetTime,
    SubscribeIn,
    ListingOn,
    QuizStart,
    QuizAnswer,
    NoteStart,
    ReadingNow,
    MarkMine,
    ForgetMine,
    Toggle,
)


def decode(data: str) -> Action | None:
    """Return the action ``data`` encodes, or None (forged, stale or unknown data)."""
    for cls in ACTIONS:
        action = cls.decode(data)
        if action is not None:
            return action
    return None
