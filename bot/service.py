"""The bot's behaviour, shared by the Telegram adapter and the terminal (``chat``).

Each entry point takes the chat id, the input, the asker's Telegram ``language_code`` (or
None) and ``now`` (an aware datetime), and returns :class:`bot.render.Reply` objects. Nothing
here imports ``telegram``; adapters only parse updates and send replies.

Callback data (<= 64 bytes, never trusted: it only ever acts on the pressing chat's own data):

======================  ==========================================================
``r:<id>`` / ``s:<id>``  mark read / skipped;          ``u:<id>`` undo
``c:<id>:<en|zh>``       show the card in a language (edits the message in place)
``p:<list>:<page>``      browse a list (empty list = current), 10 per page
``g:<list>`` / ``g:<list>:<cat>:<page>``   categories / one category's papers
``L:<list>``             make a list current;          ``lang:<code>``  set language
``z`` / ``zp``           snooze 1 h / pause reminders; ``f:yes`` / ``f:no`` forget
``m:<action>``           main-menu buttons;            ``set:<what>[:<value>]`` settings
======================  ==========================================================
"""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.core.answers import Answerer
from bot.core.catalogue import Catalogue, Paper, ReadingList
from bot.core.reading import next_unread, progress, progress_bar, random_unread
from bot.core.schedule import (
    EVERY_DAY,
    WEEKDAYS,
    Schedule,
    ScheduleError,
    first_date,
    next_fire,
    parse_days,
    parse_local_time,
    pause_end,
    resolve_timezone,
    zone,
)
from bot.i18n import base_lang, from_telegram, localise, reply_lang, t
from bot.render import (
    PAGE_SIZE,
    Button,
    Reply,
    answer_reply,
    card,
    card_buttons,
    esc,
)
from bot.storage import Storage

COMMANDS = (
    "start",
    "help",
    "next",
    "progress",
    "list",
    "lists",
    "random",
    "subscribe",
    "unsubscribe",
    "timezone",
    "days",
    "pause",
    "resume",
    "lang",
    "settings",
    "export",
    "forget",
    "privacy",
)
MENU_COMMANDS = (
    "next",
    "progress",
    "list",
    "lists",
    "random",
    "subscribe",
    "unsubscribe",
    "timezone",
    "settings",
    "lang",
    "help",
)
SNOOZE = timedelta(hours=1)
ECHO_LIMIT = 80
SETTINGS_TIMES = ("07:00", "08:00", "09:00", "12:00", "18:00", "21:00")
SETTINGS_ZONES = (
    "Asia/Shanghai",
    "Asia/Taipei",
    "Asia/Tokyo",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
)


def echo(value: str) -> str:
    """Escape user input quoted back in a reply, cut to :data:`ECHO_LIMIT` characters, so a
    4,096-character argument cannot push the reply over Telegram's message limit."""
    value = value.strip()
    return esc(value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…")


@dataclass(frozen=True)
class Due:
    """A reminder to send: the chat, the local date it is for, and whether it is a snooze."""

    chat_id: int
    local_date: date | None
    snooze: bool = False


class PaperBot:
    """The core bot over one catalogue and one storage.

    Args:
        catalogue: the loaded knowledge base.
        storage: an open :class:`Storage`.
        answerer: optional pre-built answerer (built from the catalogue if omitted).
        rng: random source for ``/random`` (seed it in tests).
    """

    def __init__(
        self,
        catalogue: Catalogue,
        storage: Storage,
        answerer: Answerer | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.storage = storage
        self.answerer = answerer or Answerer(catalogue)
        self.rng = rng or random.Random()

    # -- helpers --------------------------------------------------------------------------

    async def lang_of(self, chat_id: int, tg_lang: str | None) -> str:
        """The chat's reply language: its /lang choice, else its Telegram language."""
        user = await self.storage.get_user(chat_id)
        if user is not None and user.lang:
            return user.lang
        return from_telegram(tg_lang)

    async def current_list(self, chat_id: int) -> ReadingList:
        """The chat's current list (the first list until it picks another)."""
        user = await self.storage.get_user(chat_id)
        if user is not None and user.current_list is not None:
            lst = self.catalogue.lists.get(user.current_list)
            if lst is not None:
                return lst
        return self.catalogue.default_list

    def _out(self, reply: Reply) -> Reply:
        """Apply the Traditional-Chinese conversion to a finished reply."""
        if reply.lang not in {"zh-hant", "zh-hk"}:
            return reply
        rows = tuple(
            tuple(
                Button(localise(b.text, reply.lang), b.data, b.url, b.switch_inline) for b in row
            )
            for row in reply.buttons
        )
        return Reply(
            localise(reply.text, reply.lang),
            reply.lang,
            rows,
            reply.edit,
            reply.document,
            reply.toast and localise(reply.toast, reply.lang),
        )

    def _title(self, paper_id: str, lang: str) -> str:
        return self.catalogue.papers[paper_id].display_title(base_lang(lang))

    def _name(self, lst: ReadingList, lang: str) -> str:
        return esc(lst.name.get(base_lang(lang)))

    # -- text -----------------------------------------------------------------------------

    async def text(
        self, chat_id: int, text: str, *, tg_lang: str | None = None, now: datetime
    ) -> Reply:
        """Answer free text as a question about the lists."""
        user_lang = await self.lang_of(chat_id, tg_lang)
        lst = await self.current_list(chat_id)
        answer = self.answerer.answer(text, current_list=lst.id)
        lang = reply_lang(answer.lang == "zh", user_lang)
        return self._out(answer_reply(self.catalogue, answer, lang))

    # -- commands -------------------------------------------------------------------------

    async def command(
        self,
        chat_id: int,
        name: str,
        args: str = "",
        *,
        tg_lang: str | None = None,
        first_name: str = "",
        now: datetime,
    ) -> Reply:
        """Run ``/name args`` for the chat. Unknown commands get a pointer to /help."""
        await self.storage.ensure_user(chat_id, now)
        lang = await self.lang_of(chat_id, tg_lang)
        name = name.lower()
        handler = getattr(self, f"_cmd_{name}", None)
        if name not in COMMANDS or handler is None:
            return self._out(Reply(t(lang, "unknown_command"), lang))
        reply: Reply = await handler(chat_id, args.strip(), lang, now, first_name)
        return self._out(reply)

    def commands_help(self, lang: str) -> str:
        """One line per command: ``/next: Your next paper to read``."""
        return "\n  ".join(f"/{c}: {esc(t(lang, f'cmd_{c}'))}" for c in COMMANDS)

    def main_menu(self, lang: str) -> tuple[tuple[Button, ...], ...]:
        """The /start buttons: next paper, browse, daily reminder, language, lists."""
        return (
            (Button(t(lang, "btn_next"), data="m:next"), Button(t(lang, "btn_list"), data="p::0")),
            (
                Button(t(lang, "btn_reminder"), data="set:time"),
                Button(t(lang, "btn_language"), data="set:lang"),
            ),
            (Button(t(lang, "btn_lists"), data="m:lists"),),
        )

    async def _cmd_start(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        m = re.fullmatch(r"paper-([a-z0-9-]+)", args)
        if m and m.group(1) in self.catalogue.papers:
            paper = self.catalogue.papers[m.group(1)]
            return Reply(card(self.catalogue, paper, lang), lang, card_buttons(paper, lang))
        lst = await self.current_list(chat_id)
        name = first_name or ("there" if base_lang(lang) == "en" else "朋友")
        text = t(lang, "start", name=esc(name), list_name=self._name(lst, lang), total=len(lst))
        return Reply(text, lang, self.main_menu(lang))

    async def _cmd_help(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        return Reply(t(lang, "help", commands=self.commands_help(lang)), lang)

    async def _cmd_privacy(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        return Reply(t(lang, "privacy"), lang)

    # -- reading --------------------------------------------------------------------------

    async def next_reply(
        self, chat_id: int, lang: str, *, header_key: str = "next_paper"
    ) -> Reply:
        """The next unread paper of the current list as a card, or a congratulation."""
        lst = await self.current_list(chat_id)
        states = await self.storage.progress(chat_id)
        pid = next_unread(lst, states)
        prog = progress(lst, states)
        if pid is None:
            return Reply(
                t(
                    lang,
                    "list_finished",
                    list=self._name(lst, lang),
                    read=prog.read,
                    skipped=prog.skipped,
                ),
                lang,
                ((Button(t(lang, "btn_lists"), data="m:lists"),),),
            )
        paper = self.catalogue.papers[pid]
        head = t(lang, header_key, list=self._name(lst, lang), done=prog.done, total=prog.total)
        return Reply(
            head + "\n\n" + card(self.catalogue, paper, lang), lang, card_buttons(paper, lang)
        )

    async def _cmd_next(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        return await self.next_reply(chat_id, lang)

    async def _cmd_random(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        lst = await self.current_list(chat_id)
        pid = random_unread(lst, await self.storage.progress(chat_id), self.rng)
        if pid is None:
            return await self.next_reply(chat_id, lang)
        paper = self.catalogue.papers[pid]
        return Reply(card(self.catalogue, paper, lang), lang, card_buttons(paper, lang))

    async def progress_text(self, chat_id: int, lang: str) -> str:
        """The /progress text: bar, read/total, skipped, and the next paper."""
        lst = await self.current_list(chat_id)
        states = await self.storage.progress(chat_id)
        prog = progress(lst, states)
        skipped = t(lang, "progress_skipped", skipped=prog.skipped) if prog.skipped else ""
        lines = [
            t(
                lang,
                "progress",
                list=self._name(lst, lang),
                bar=progress_bar(prog.fraction),
                read=prog.read,
                total=prog.total,
                skipped_note=skipped,
            )
        ]
        pid = next_unread(lst, states)
        if pid is None:
            lines.append(t(lang, "progress_done"))
        else:
            title = self.catalogue.papers[pid].display_title(base_lang(lang))
            lines.append(t(lang, "progress_next", title=esc(title)))
        return "\n".join(lines)

    async def _cmd_progress(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        return Reply(
            await self.progress_text(chat_id, lang),
            lang,
            ((Button(t(lang, "btn_next"), data="m:next"),),),
        )

    # -- lists ----------------------------------------------------------------------------

    async def lists_reply(self, chat_id: int, lang: str, *, edit: bool = False) -> Reply:
        """Both lists with the chat's progress in each, and a button to switch."""
        current = await self.current_list(chat_id)
        states = await self.storage.progress(chat_id)
        lines = [t(lang, "lists_header")]
        rows = []
        for lst in self.catalogue.lists.values():
            prog = progress(lst, states)
            mark = "✓" if lst.id == current.id else "·"
            lines.append(
                t(
                    lang,
                    "lists_item",
                    mark=mark,
                    name=self._name(lst, lang),
                    read=prog.read,
                    total=prog.total,
                )
            )
            rows.append((Button(f"{mark} {lst.name.get(base_lang(lang))}", data=f"L:{lst.id}"),))
        return Reply("\n".join(lines), lang, tuple(rows), edit=edit)

    async def _cmd_lists(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        return await self.lists_reply(chat_id, lang)

    def _find_list(self, arg: str) -> ReadingList | None:
        key = arg.strip().lower()
        for lst in self.catalogue.lists.values():
            names = {lst.id, lst.name.en.lower(), lst.name.zh.lower()}
            if key in names:
                return lst
        aliases = {
            "ilya": "sutskever-30",
            "sutskever": "sutskever-30",
            "30": "sutskever-30",
            "limu": "paper-reading",
            "li mu": "paper-reading",
            "mu li": "paper-reading",
            "李沐": "paper-reading",
            "精读": "paper-reading",
            "论文精读": "paper-reading",
        }
        lid = aliases.get(key)
        return self.catalogue.lists.get(lid) if lid else None

    async def _cmd_list(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        if not args:
            return self.page_reply(await self.current_list(chat_id), 0, lang)
        lst = self._find_list(args)
        if lst is None:
            return Reply(
                t(lang, "list_unknown", arg=echo(args), ids=", ".join(self.catalogue.lists)), lang
            )
        await self.storage.set_current_list(chat_id, lst.id, now)
        switched = t(lang, "list_switched", name=self._name(lst, lang), total=len(lst))
        page = self.page_reply(lst, 0, lang)
        return Reply(switched + "\n\n" + page.text, lang, page.buttons)

    def page_reply(self, lst: ReadingList, page: int, lang: str, *, edit: bool = False) -> Reply:
        """One page (10 papers) of a list, with prev/next and a button per paper."""
        pages = max(1, -(-len(lst) // PAGE_SIZE))
        page = min(max(0, page), pages - 1)
        first = page * PAGE_SIZE
        ids = lst.order[first : first + PAGE_SIZE]
        text = t(
            lang,
            "list_page",
            name=self._name(lst, lang),
            first=first + 1,
            last=first + len(ids),
            total=len(lst),
        )
        rows: list[tuple[Button, ...]] = [
            (
                Button(
                    f"{first + i + 1}. {self._title(pid, lang)}"[:60],
                    data=f"c:{pid}:{base_lang(lang)}",
                ),
            )
            for i, pid in enumerate(ids)
        ]
        nav = []
        if page > 0:
            nav.append(Button(t(lang, "btn_prev_page"), data=f"p:{lst.id}:{page - 1}"))
        if page < pages - 1:
            nav.append(Button(t(lang, "btn_next_page"), data=f"p:{lst.id}:{page + 1}"))
        if nav:
            rows.append(tuple(nav))
        if lst.categories:
            rows.append((Button(t(lang, "btn_categories"), data=f"g:{lst.id}"),))
        return Reply(text, lang, tuple(rows), edit=edit)

    def categories_reply(self, lst: ReadingList, lang: str, *, edit: bool = False) -> Reply:
        """The categories of a list, one button each."""
        rows = (
            *(
                (
                    Button(
                        f"{c.name.get(base_lang(lang))} ({len(c.paper_ids)})",
                        data=f"g:{lst.id}:{c.id}:0",
                    ),
                )
                for c in lst.categories
            ),
            (Button(t(lang, "btn_all_papers"), data=f"p:{lst.id}:0"),),
        )
        return Reply(t(lang, "list_categories", name=self._name(lst, lang)), lang, rows, edit=edit)

    def category_page(self, lst: ReadingList, cat_id: str, page: int, lang: str) -> Reply | None:
        """One page of one category's papers."""
        cat = next((c for c in lst.categories if c.id == cat_id), None)
        if cat is None:
            return None
        pages = max(1, -(-len(cat.paper_ids) // PAGE_SIZE))
        page = min(max(0, page), pages - 1)
        first = page * PAGE_SIZE
        ids = cat.paper_ids[first : first + PAGE_SIZE]
        text = t(
            lang,
            "list_category_page",
            category=esc(cat.name.get(base_lang(lang))),
            total=len(cat.paper_ids),
            first=first + 1,
            last=first + len(ids),
        )
        rows: list[tuple[Button, ...]] = [
            (
                Button(
                    f"{lst.position(pid)}. {self._title(pid, lang)}"[:60],
                    data=f"c:{pid}:{base_lang(lang)}",
                ),
            )
            for pid in ids
        ]
        nav = []
        if page > 0:
            nav.append(Button(t(lang, "btn_prev_page"), data=f"g:{lst.id}:{cat.id}:{page - 1}"))
        if page < pages - 1:
            nav.append(Button(t(lang, "btn_next_page"), data=f"g:{lst.id}:{cat.id}:{page + 1}"))
        nav.append(Button(t(lang, "btn_categories"), data=f"g:{lst.id}"))
        rows.append(tuple(nav))
        return Reply(text, lang, tuple(rows), edit=True)

    # -- language -------------------------------------------------------------------------

    def lang_buttons(self) -> tuple[tuple[Button, ...], ...]:
        return (
            (
                Button("English", data="lang:en"),
                Button("简体中文", data="lang:zh"),
                Button("繁體中文", data="lang:zh-hant"),
            ),
        )

    async def _cmd_lang(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        choice = {
            "en": "en",
            "english": "en",
            "zh": "zh",
            "cn": "zh",
            "中文": "zh",
            "简体": "zh",
            "zh-hans": "zh",
            "zh-hant": "zh-hant",
            "zh-tw": "zh-hant",
            "繁體": "zh-hant",
            "繁体": "zh-hant",
            "zh-hk": "zh-hk",
        }.get(args.lower())
        if choice is None:
            return Reply(t(lang, "lang_usage"), lang, self.lang_buttons())
        await self.storage.set_lang(chat_id, choice, now)
        return Reply(t(choice, "lang_set"), choice)

    # -- reminders ------------------------------------------------------------------------

    async def _user_tz(self, chat_id: int) -> str:
        user = await self.storage.get_user(chat_id)
        return user.timezone if user else "UTC"

    def _tz_error(self, lang: str, arg: str, err: ScheduleError) -> Reply:
        lines = [t(lang, "bad_timezone", arg=echo(arg))]
        if err.suggestions:
            lines.append(
                t(
                    lang,
                    "bad_timezone_suggest",
                    suggestions=", ".join(f"<code>{esc(s)}</code>" for s in err.suggestions),
                )
            )
        lines.append(t(lang, "bad_timezone_hint"))
        return Reply("\n".join(lines), lang)

    async def _cmd_subscribe(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        if not args:
            return Reply(t(lang, "subscribe_usage"), lang)
        time_arg, _, tz_arg = args.partition(" ")
        try:
            at = parse_local_time(time_arg)
        except ScheduleError:
            return Reply(
                t(lang, "bad_time", arg=echo(time_arg)) + "\n" + t(lang, "subscribe_usage"), lang
            )
        tz = await self._user_tz(chat_id)
        if tz_arg.strip():
            try:
                tz = resolve_timezone(tz_arg)
            except ScheduleError as err:
                return self._tz_error(lang, tz_arg.strip(), err)
            await self.storage.set_timezone(chat_id, tz, now)
        return await self.subscribe(chat_id, at.strftime("%H:%M"), tz, lang, now)

    async def subscribe(self, chat_id: int, hhmm: str, tz: str, lang: str, now: datetime) -> Reply:
        """Create or move the daily reminder to ``hhmm`` local time in ``tz``."""
        at = parse_local_time(hhmm)
        start = first_date(at, tz, now)
        await self.storage.subscribe(chat_id, at, tz, start, now)
        sub = await self.storage.get_subscription(chat_id)
        assert sub is not None
        when = next_fire(sub.schedule, now)
        first = when.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M") if when else "-"
        return Reply(
            t(lang, "subscribed", time=at.strftime("%H:%M"), tz=esc(tz), first=first), lang
        )

    async def _cmd_unsubscribe(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        if await self.storage.unsubscribe(chat_id):
            return Reply(t(lang, "unsubscribed"), lang)
        return Reply(t(lang, "not_subscribed"), lang)

    async def _cmd_timezone(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        if not args:
            return Reply(
                t(lang, "timezone_current", tz=esc(await self._user_tz(chat_id))),
                lang,
                self.zone_buttons(),
            )
        try:
            tz = resolve_timezone(args)
        except ScheduleError as err:
            return self._tz_error(lang, args, err)
        await self.storage.set_timezone(chat_id, tz, now)
        local_now = now.astimezone(zone(tz)).strftime("%H:%M")
        return Reply(t(lang, "timezone_set", tz=esc(tz), now=local_now), lang)

    def zone_buttons(self) -> tuple[tuple[Button, ...], ...]:
        zones = [Button(z, data=f"set:tz:{z}") for z in SETTINGS_ZONES]
        return tuple(tuple(zones[i : i + 2]) for i in range(0, len(zones), 2))

    def _days_text(self, days: frozenset[int], lang: str) -> str:
        if days == EVERY_DAY:
            return t(lang, "days_every")
        if days == WEEKDAYS:
            return t(lang, "days_weekdays")
        if days == frozenset({5, 6}):
            return t(lang, "days_weekends")
        names = (
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            if base_lang(lang) == "en"
            else ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        )
        return ", ".join(names[d] for d in sorted(days))

    async def _cmd_days(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        if not args:
            return Reply(t(lang, "days_usage"), lang)
        try:
            days = parse_days(args)
        except ScheduleError:
            return Reply(t(lang, "bad_days", arg=echo(args)), lang)
        if not await self.storage.set_days(chat_id, days):
            return Reply(t(lang, "not_subscribed"), lang)
        return Reply(t(lang, "days_set", days=self._days_text(days, lang)), lang)

    async def _cmd_pause(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        sub = await self.storage.get_subscription(chat_id)
        if sub is None or not sub.schedule.active:
            return Reply(t(lang, "not_subscribed"), lang)
        if not args:
            await self.storage.pause(chat_id, None)
            return Reply(t(lang, "paused"), lang)
        if not args.isdigit() or not 1 <= int(args) <= 365:
            return Reply(t(lang, "pause_usage"), lang)
        until = pause_end(sub.schedule, int(args), now)
        await self.storage.pause(chat_id, until)
        return Reply(t(lang, "paused_until", days=int(args), date=until.isoformat()), lang)

    async def _cmd_resume(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        sub = await self.storage.get_subscription(chat_id)
        if sub is None or not await self.storage.resume(chat_id):
            return Reply(t(lang, "not_subscribed"), lang)
        return Reply(
            t(
                lang,
                "resumed",
                time=sub.schedule.local_time.strftime("%H:%M"),
                tz=esc(sub.schedule.timezone),
            ),
            lang,
        )

    # -- settings and privacy -------------------------------------------------------------

    async def settings_reply(self, chat_id: int, lang: str, *, edit: bool = False) -> Reply:
        user = await self.storage.get_user(chat_id)
        sub = await self.storage.get_subscription(chat_id)
        reminder = t(lang, "settings_reminder_off")
        if sub is not None and sub.schedule.active:
            reminder = (
                f"{sub.schedule.local_time.strftime('%H:%M')} ({esc(sub.schedule.timezone)})"
            )
        lst = await self.current_list(chat_id)
        text = t(
            lang,
            "settings",
            lang=t(lang, "lang_name"),
            tz=esc(user.timezone if user else "UTC"),
            reminder=reminder,
            list=self._name(lst, lang),
        )
        rows = (
            (
                Button(t(lang, "btn_settings_lang"), data="set:lang"),
                Button(t(lang, "btn_settings_tz"), data="set:tz"),
            ),
            (
                Button(t(lang, "btn_settings_time"), data="set:time"),
                Button(t(lang, "btn_settings_list"), data="m:lists"),
            ),
        )
        return Reply(text, lang, rows, edit=edit)

    async def _cmd_settings(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        return await self.settings_reply(chat_id, lang)

    async def _cmd_export(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        data = await self.storage.export(chat_id)
        blob = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        return Reply(t(lang, "export_caption"), lang, document=("paperbot-export.json", blob))

    async def _cmd_forget(
        self, chat_id: int, args: str, lang: str, now: datetime, first_name: str
    ) -> Reply:
        return Reply(
            t(lang, "forget_confirm"),
            lang,
            (
                (
                    Button(t(lang, "btn_confirm_forget"), data="f:yes"),
                    Button(t(lang, "btn_cancel"), data="f:no"),
                ),
            ),
        )

    # -- callback queries -----------------------------------------------------------------

    async def callback(
        self, chat_id: int, data: str, *, tg_lang: str | None = None, now: datetime
    ) -> Reply:
        """Handle a button press by this chat. Unknown or stale data gets a short notice."""
        lang = await self.lang_of(chat_id, tg_lang)
        reply = await self._callback(chat_id, data or "", lang, now)
        return self._out(
            reply or Reply(t(lang, "stale_button"), lang, toast=t(lang, "stale_button"))
        )

    async def _callback(self, chat_id: int, data: str, lang: str, now: datetime) -> Reply | None:
        kind, _, rest = data.partition(":")
        papers = self.catalogue.papers
        if kind in {"r", "s"} and rest in papers:
            await self.storage.mark(chat_id, rest, "read" if kind == "r" else "skipped", now)
            lst = await self.current_list(chat_id)
            prog = progress(lst, await self.storage.progress(chat_id))
            title = esc(papers[rest].display_title(base_lang(lang)))
            key = "marked_read" if kind == "r" else "marked_skipped"
            text = t(
                lang,
                key,
                title=title,
                done=prog.done,
                total=prog.total,
                list=self._name(lst, lang),
            )
            return Reply(
                text,
                lang,
                (
                    (
                        Button(t(lang, "btn_next"), data="m:next"),
                        Button(t(lang, "btn_undo"), data=f"u:{rest}"),
                    ),
                ),
                edit=True,
                toast=html.unescape(re.sub(r"<[^>]*>", "", text)).strip() or None,
            )
        if kind == "u" and rest in papers:
            await self.storage.unmark(chat_id, rest)
            title = esc(papers[rest].display_title(base_lang(lang)))
            return Reply(
                t(lang, "undone", title=title), lang, card_buttons(papers[rest], lang), edit=True
            )
        if kind == "c":
            pid, _, card_lang = rest.partition(":")
            if pid not in papers:
                return None
            if card_lang in {"en", "zh"}:
                card_lang = lang if base_lang(lang) == card_lang else card_lang
            else:
                card_lang = lang
            paper = papers[pid]
            return Reply(
                card(self.catalogue, paper, card_lang),
                card_lang,
                card_buttons(paper, card_lang),
                edit=True,
            )
        if kind == "p":
            lid, _, page = rest.partition(":")
            browse = self.catalogue.lists.get(lid) if lid else await self.current_list(chat_id)
            if browse is None or not page.isdigit():
                return None
            return self.page_reply(browse, int(page), lang, edit=True)
        if kind == "g":
            parts = rest.split(":")
            grouped = self.catalogue.lists.get(parts[0])
            if grouped is None or not grouped.categories:
                return None
            if len(parts) == 1:
                return self.categories_reply(grouped, lang, edit=True)
            if len(parts) == 3 and parts[2].isdigit():
                return self.category_page(grouped, parts[1], int(parts[2]), lang)
            return None
        if kind == "L" and rest in self.catalogue.lists:
            await self.storage.set_current_list(chat_id, rest, now)
            lst = self.catalogue.lists[rest]
            reply = await self.lists_reply(chat_id, lang, edit=True)
            head = t(lang, "list_switched", name=self._name(lst, lang), total=len(lst))
            return Reply(head + "\n\n" + reply.text, lang, reply.buttons, edit=True)
        if kind == "lang" and rest in {"en", "zh", "zh-hant", "zh-hk"}:
            await self.storage.set_lang(chat_id, rest, now)
            return Reply(t(rest, "lang_set"), rest, edit=True)
        if kind == "m":
            if rest == "next":
                return await self.next_reply(chat_id, lang)
            if rest == "lists":
                return await self.lists_reply(chat_id, lang)
            return None
        if kind == "z":
            sub = await self.storage.get_subscription(chat_id)
            if sub is None:
                return Reply(t(lang, "not_subscribed"), lang)
            await self.storage.snooze(chat_id, now + SNOOZE)
            return Reply(t(lang, "snoozed", time=sub.schedule.local_time.strftime("%H:%M")), lang)
        if kind == "zp":
            if not await self.storage.pause(chat_id, None):
                return Reply(t(lang, "not_subscribed"), lang)
            return Reply(t(lang, "paused"), lang)
        if kind == "f":
            if rest == "yes":
                await self.storage.forget(chat_id)
                return Reply(t(lang, "forgotten"), lang, edit=True)
            if rest == "no":
                return Reply(t(lang, "forget_cancelled"), lang, edit=True)
            return None
        if kind == "set":
            return await self._settings_callback(chat_id, rest, lang, now)
        return None

    async def _settings_callback(
        self, chat_id: int, rest: str, lang: str, now: datetime
    ) -> Reply | None:
        what, _, value = rest.partition(":")
        if what == "lang":
            return Reply(t(lang, "lang_usage"), lang, self.lang_buttons())
        if what == "tz" and not value:
            return Reply(t(lang, "settings_pick_tz"), lang, self.zone_buttons())
        if what == "tz":
            try:
                tz = resolve_timezone(value)
            except ScheduleError:
                return None
            await self.storage.set_timezone(chat_id, tz, now)
            return await self.settings_reply(chat_id, lang, edit=True)
        if what == "time" and not value:
            tz = await self._user_tz(chat_id)
            times = [Button(x, data=f"set:time:{x}") for x in SETTINGS_TIMES]
            rows = tuple(tuple(times[i : i + 3]) for i in range(0, len(times), 3))
            rows += (
                (
                    Button(t(lang, "btn_off"), data="set:time:off"),
                    Button(t(lang, "btn_settings_tz"), data="set:tz"),
                ),
            )
            return Reply(t(lang, "settings_pick_time", tz=esc(tz)), lang, rows)
        if what == "time" and value == "off":
            await self.storage.unsubscribe(chat_id)
            return Reply(t(lang, "unsubscribed"), lang, edit=True)
        if what == "time" and value in SETTINGS_TIMES:
            return await self.subscribe(chat_id, value, await self._user_tz(chat_id), lang, now)
        return None

    # -- reminder delivery ----------------------------------------------------------------

    async def due(self, now: datetime) -> list[Due]:
        """Return the reminders due at ``now``: daily ones (not yet claimed) and snoozes.

        Snoozes are claimed here (taken from the table); daily reminders are claimed one by
        one by :meth:`claim` just before sending.
        """
        out = [Due(chat_id, day) for chat_id, day in await self.storage.due_subscriptions(now)]
        out.extend(
            Due(chat_id, None, snooze=True) for chat_id in await self.storage.claim_snoozes(now)
        )
        return out

    async def claim(self, due: Due, now: datetime) -> bool:
        """Commit the claim of a daily reminder before it is sent (see ``Storage``)."""
        if due.snooze or due.local_date is None:
            return True
        return await self.storage.claim_reminder(due.chat_id, due.local_date, now)

    async def claim_many(self, dues: Sequence[Due], now: datetime) -> list[bool]:
        """:meth:`claim` for many reminders in one transaction; one bool per item, in order."""
        daily = [(d.chat_id, d.local_date) for d in dues if not d.snooze and d.local_date]
        won = iter(await self.storage.claim_reminders(daily, now))
        return [True if d.snooze or d.local_date is None else next(won) for d in dues]

    async def reminder_reply(self, chat_id: int, now: datetime) -> Reply:
        """The reminder message: the next paper with Read / Snooze / Skip / Pause buttons, or a
        congratulation (and a pause) when the current list is finished."""
        lang = await self.lang_of(chat_id, None)
        lst = await self.current_list(chat_id)
        states = await self.storage.progress(chat_id)
        pid = next_unread(lst, states)
        if pid is None:
            await self.storage.pause(chat_id, None)
            return self._out(
                Reply(
                    t(lang, "reminder_finished", list=self._name(lst, lang)),
                    lang,
                    ((Button(t(lang, "btn_lists"), data="m:lists"),),),
                )
            )
        paper: Paper = self.catalogue.papers[pid]
        prog = progress(lst, states)
        head = t(lang, "reminder", list=self._name(lst, lang), done=prog.done, total=prog.total)
        rows = (
            (
                Button(t(lang, "btn_read"), data=f"r:{pid}"),
                Button(t(lang, "btn_snooze"), data="z"),
            ),
            (
                Button(t(lang, "btn_skip"), data=f"s:{pid}"),
                Button(t(lang, "btn_pause"), data="zp"),
            ),
            (Button(t(lang, "btn_open"), url=paper.url),),
        )
        return self._out(Reply(head + "\n\n" + card(self.catalogue, paper, lang), lang, rows))

    async def subscription_schedule(self, chat_id: int) -> Schedule | None:
        """The chat's schedule, or None."""
        sub = await self.storage.get_subscription(chat_id)
        return sub.schedule if sub else None
