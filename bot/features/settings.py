"""Settings: ``/settings`` (a panel of buttons), ``/lang`` and ``/timezone``."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.parse import ParseError, resolve_timezone, zone_label
from bot.core.schedule import zone
from bot.features import callbacks as cb
from bot.features.common import Request, Services, current_list, list_name
from bot.features.reply import Button, Reply, echo, esc
from bot.i18n import base_lang, t

SETTINGS_TIMES = ("07:00", "08:00", "09:00", "12:00", "18:00", "21:00")
#: The zones /subscribe offers when it does not know the user's zone, by reply language.
SUGGESTED_ZONES = {
    "zh": ("Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "Asia/Singapore"),
    "en": (
        "Europe/London",
        "Europe/Berlin",
        "America/New_York",
        "America/Los_Angeles",
        "Asia/Kolkata",
        "Asia/Shanghai",
    ),
}
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
LANG_NAMES = {
    "en": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
    "zh": "zh",
    "cn": "zh",
    "chinese": "zh",
    "中文": "zh",
    "简体": "zh",
    "简体中文": "zh",
    "zh-hans": "zh",
    "zh-cn": "zh",
    "zh-hant": "zh-hant",
    "zh-tw": "zh-hant",
    "traditional": "zh-hant",
    "繁體": "zh-hant",
    "繁体": "zh-hant",
    "繁體中文": "zh-hant",
    "繁体中文": "zh-hant",
    "zh-hk": "zh-hk",
}


def lang_buttons() -> tuple[tuple[Button, ...], ...]:
    """One row: English, 简体中文, 繁體中文."""
    return (
        (
            Button.action("English", cb.SetLang("en")),
            Button.action("简体中文", cb.SetLang("zh")),
            Button.action("繁體中文", cb.SetLang("zh-hant")),
        ),
    )


def zone_buttons() -> tuple[tuple[Button, ...], ...]:
    """A few common zones, two per row."""
    zones = [Button.action(z, cb.SetZone(z)) for z in SETTINGS_ZONES]
    return tuple(tuple(zones[i : i + 2]) for i in range(0, len(zones), 2))


async def user_zone(services: Services, chat_id: int) -> str:
    """The chat's IANA zone (UTC until it sets one)."""
    user = await services.store.users.get(chat_id)
    return user.timezone if user else "UTC"


def zone_error(lang: str, arg: str, err: ParseError) -> Reply:
    """Explain an unknown zone, with suggestions when some are close."""
    # The zone part as typed ("Mars" of "08:00 Mars"), else everything typed.
    typed = re.search(re.escape(err.text), arg, re.IGNORECASE) if err.text else None
    shown = typed.group(0) if typed else arg
    lines = [t(lang, "bad_timezone", arg=echo(shown))]
    if err.suggestions:
        codes = ", ".join(f"<code>{esc(s)}</code>" for s in err.suggestions)
        lines.append(t(lang, "bad_timezone_suggest", suggestions=codes))
    lines.append(t(lang, "bad_timezone_hint"))
    return Reply("\n".join(lines), lang)


async def settings_reply(
    services: Services, chat_id: int, lang: str, now: datetime, *, edit: bool = False
) -> Reply:
    """The settings panel: language, zone, reminder and list, with a button for each."""
    from bot.features.reminders import status_text  # reminders imports settings

    sub = await services.store.reminders.get(chat_id)
    reminder = t(lang, "settings_reminder_off")
    if sub is not None and sub.schedule.active:
        reminder = status_text(sub.schedule, now, lang)
    lst = await current_list(services, chat_id)
    text = t(
        lang,
        "settings",
        lang=t(lang, "lang_name"),
        tz=esc(zone_label(await user_zone(services, chat_id), base_lang(lang))),
        reminder=reminder,
        list=list_name(lst, lang),
    )
    fields = await services.store.learning.user_fields(chat_id)
    review = t(lang, "state_on" if fields.get("review", 1) else "state_off")
    recap = t(lang, "state_on" if fields.get("recap", 1) else "state_off")
    text += "\n" + t(lang, "settings_learning", review=review, recap=recap)
    rows = (
        (
            Button.action(t(lang, "btn_settings_lang"), cb.Settings("lang")),
            Button.action(t(lang, "btn_settings_tz"), cb.Settings("tz")),
        ),
        (
            Button.action(t(lang, "btn_settings_time"), cb.Settings("time")),
            Button.action(t(lang, "btn_settings_list"), cb.Menu("lists")),
        ),
        (
            Button.action(t(lang, "btn_toggle_review", state=review), cb.Toggle("review")),
            Button.action(t(lang, "btn_toggle_recap", state=recap), cb.Toggle("recap")),
        ),
    )
    return Reply(text, lang, rows, edit=edit)


async def on_toggle(services: Services, request: Request, action: cb.Toggle) -> Reply:
    """Turn review questions or the weekly recap on or off; show the settings again."""
    fields = await services.store.learning.user_fields(request.chat_id)
    on = not fields.get(action.setting, 1)
    await services.store.learning.set_user_field(
        request.chat_id, action.setting, int(on), request.now
    )
    return await settings_reply(services, request.chat_id, request.lang, request.now, edit=True)


async def show_settings(services: Services, request: Request) -> Reply:
    """Show the settings panel."""
    return await settings_reply(services, request.chat_id, request.lang, request.now)


async def set_lang(services: Services, request: Request) -> Reply:
    """Set the reply language from the argument, or offer the choices."""
    choice = LANG_NAMES.get(request.args.strip().lower())
    if choice is None:
        return Reply(t(request.lang, "lang_usage"), request.lang, lang_buttons())
    await services.store.users.set_lang(request.chat_id, choice, request.now)
    return Reply(t(choice, _lang_set_key(choice)), choice)


async def set_zone(services: Services, request: Request) -> Reply:
    """Set the time zone from the argument, or show the current one with choices."""
    lang, chat_id = request.lang, request.chat_id
    if not request.args:
        current = zone_label(await user_zone(services, chat_id), request.base)
        return Reply(t(lang, "timezone_current", tz=esc(current)), lang, zone_buttons())
    try:
        tz = resolve_timezone(request.args, request.base)
    except ParseError as err:
        return zone_error(lang, request.args, err)
    await services.store.users.set_timezone(chat_id, tz, request.now)
    local_now = request.now.astimezone(zone(tz)).strftime("%H:%M")
    label = esc(zone_label(tz, request.base))
    text = t(lang, "timezone_set", tz=label, now=local_now)
    sub = await services.store.reminders.get(chat_id)
    if sub is not None and sub.schedule.active:  # the reminder keeps its hour, in the new zone
        from bot.features.reminders import schedule_text  # reminders imports this module

        text += "\n" + t(
            lang, "timezone_moves_reminder", schedule=schedule_text(sub.schedule, lang)
        )
    return Reply(text, lang)


async def on_set_lang(services: Services, request: Request, action: cb.SetLang) -> Reply:
    """The language button: set it and confirm in the new language."""
    await services.store.users.set_lang(request.chat_id, action.lang, request.now)
    return Reply(t(action.lang, _lang_set_key(action.lang)), action.lang, edit=True)


def _lang_set_key(lang: str) -> str:
    """ "I'll reply in Chinese", saying which script for Traditional."""
    return "lang_set_hant" if lang in {"zh-hant", "zh-hk"} else "lang_set"


async def on_panel(services: Services, request: Request, action: cb.Settings) -> Reply:
    """Open one settings panel: language, zone or reminder time."""
    lang = request.lang
    if action.panel == "lang":
        return Reply(t(lang, "lang_usage"), lang, lang_buttons())
    if action.panel == "tz":
        return Reply(t(lang, "settings_pick_tz"), lang, zone_buttons())
    tz = zone_label(await user_zone(services, request.chat_id), request.base)
    times = [Button.action(x, cb.SetTime(x)) for x in SETTINGS_TIMES]
    rows = tuple(tuple(times[i : i + 3]) for i in range(0, len(times), 3))
    rows += (
        (
            Button.action(t(lang, "btn_off"), cb.SetTime("off")),
            Button.action(t(lang, "btn_settings_tz"), cb.Settings("tz")),
        ),
    )
    return Reply(t(lang, "settings_pick_time", tz=esc(tz)), lang, rows)


async def on_set_zone(services: Services, request: Request, action: cb.SetZone) -> Reply | None:
    """A zone button: set the zone and confirm it in place of the zone choices."""
    try:
        tz = resolve_timezone(action.zone)
    except ParseError:
        return None
    await services.store.users.set_timezone(request.chat_id, tz, request.now)
    local_now = request.now.astimezone(zone(tz)).strftime("%H:%M")
    text = t(request.lang, "timezone_set", tz=esc(zone_label(tz, request.base)), now=local_now)
    return Reply(text, request.lang, edit=True)
