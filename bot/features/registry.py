"""The one table of what the bot does: each command and each button action -> its function.

Adding a command is one function in its feature module and one line here; the Telegram
adapter registers a ``CommandHandler`` / ``CallbackQueryHandler(pattern=...)`` per entry, and the
terminal adapter dispatches through the same table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.features import (
    browsing,
    group,
    notes,
    privacy,
    quiz,
    reading,
    reminders,
    settings,
    welcome,
)
from bot.features import callbacks as cb
from bot.features.common import Request, Services
from bot.features.reply import Reply

CommandFn = Callable[[Services, Request], Awaitable[Reply]]
ActionFn = Callable[[Services, Request, Any], Awaitable[Reply | None]]


@dataclass(frozen=True)
class Command:
    """A command: its function, whether it shows in Telegram's command menu, and whether it
    changes what a group shares (its list, reminder, language or data): in a group only the
    administrators may run those (with arguments, for commands that only show without).
    ``asks_admin``: it runs for everyone, but differently for an administrator (/forget)."""

    run: CommandFn
    menu: bool = True
    group_admin: bool = False
    shows_without_args: bool = False
    asks_admin: bool = False

    def needs_admin(self, args: str) -> bool:
        """Whether running it with ``args`` in a group takes an administrator."""
        return self.group_admin and (bool(args.strip()) or not self.shows_without_args)


# Order is the order of /help and of the command menu.
COMMANDS: dict[str, Command] = {
    "start": Command(welcome.start, menu=False),
    "help": Command(welcome.help_),
    "next": Command(reading.next_paper),
    "progress": Command(reading.show_progress),
    "list": Command(browsing.browse, group_admin=True, shows_without_args=True),
    "lists": Command(browsing.show_lists),
    "random": Command(reading.random_paper),
    "subscribe": Command(reminders.subscribe, group_admin=True),
    "unsubscribe": Command(reminders.unsubscribe, group_admin=True),
    "timezone": Command(settings.set_zone, group_admin=True, shows_without_args=True),
    "days": Command(reminders.set_days, menu=False, group_admin=True),
    "pause": Command(reminders.pause, menu=False, group_admin=True),
    "resume": Command(reminders.resume, menu=False, group_admin=True),
    "lang": Command(settings.set_lang, group_admin=True, shows_without_args=True),
    "settings": Command(settings.show_settings),
    "export": Command(privacy.export, menu=False, group_admin=True),
    "note": Command(notes.note, menu=False),
    "notes": Command(notes.list_notes, menu=False),
    "forget": Command(privacy.forget, menu=False, asks_admin=True),
    "privacy": Command(privacy.show_privacy, menu=False),
}

ACTIONS: dict[type[cb.Action], ActionFn] = {
    cb.MarkRead: reading.mark,
    cb.MarkSkipped: reading.mark,
    cb.Undo: reading.undo,
    cb.ShowCard: reading.show_card,
    cb.OpenFromList: browsing.on_open_from_list,
    cb.ListPage: browsing.on_list_page,
    cb.Categories: browsing.on_categories,
    cb.CategoryPage: browsing.on_category_page,
    cb.SwitchList: browsing.on_switch_list,
    cb.SetLang: settings.on_set_lang,
    cb.Snooze: reminders.on_snooze,
    cb.PauseReminders: reminders.on_pause,
    cb.Forget: privacy.on_forget,
    cb.Menu: welcome.on_menu,
    cb.Settings: settings.on_panel,
    cb.SetZone: settings.on_set_zone,
    cb.SetTime: reminders.on_set_time,
    cb.SubscribeIn: reminders.on_subscribe_in,
    cb.ListingOn: browsing.on_listing_on,
    cb.QuizStart: quiz.start,
    cb.QuizAnswer: quiz.on_answer_button,
    cb.NoteStart: notes.on_note_start,
    cb.ReadingNow: notes.on_reading_now,
    cb.MarkMine: group.on_mark_mine,
    cb.ForgetMine: group.on_forget_mine,
    cb.Toggle: settings.on_toggle,
}

#: Button actions that change what a group shares: administrators only, in a group.
ADMIN_ACTIONS: frozenset[type[cb.Action]] = frozenset(
    {
        cb.SwitchList,
        cb.SetLang,
        cb.Snooze,
        cb.PauseReminders,
        cb.Forget,
        cb.SetZone,
        cb.SetTime,
        cb.SubscribeIn,
        cb.Toggle,
    }
)

#: Button actions that are a reader's own (marks, notes, 📌, quizzes): in a group, where a
#: card carries "✅ I read it" instead, an old or forged one of these does nothing.
PRIVATE_ONLY: frozenset[type[cb.Action]] = frozenset(
    {cb.MarkRead, cb.MarkSkipped, cb.Undo, cb.NoteStart, cb.ReadingNow, cb.QuizStart}
)

MENU_COMMANDS = tuple(name for name, command in COMMANDS.items() if command.menu)
