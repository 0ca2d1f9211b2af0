"""Robustness: hostile text, forged buttons, bad arguments, secrets in logs, group manners.

Property-based parts use Hypothesis. The features are driven through the dispatcher; the
end-to-end properties start ONE bot (the real Application, in-process, answering a fake
Telegram that enforces Telegram's rules) per test function and feed every example through it,
each example in a fresh chat so examples never see each other's state.
"""

from __future__ import annotations

import html
import itertools
import logging
import random
import re
from datetime import UTC, datetime
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.catalogue import Catalogue
from bot.features import callbacks as cb
from bot.features.common import Services
from bot.features.dispatch import Dispatcher
from bot.features.registry import COMMANDS as REGISTRY
from bot.i18n import localise, t
from bot.logs import LogfmtFormatter, RedactFilter
from bot.storage import Store
from tests.botmethods import FakeTelegram
from tests.botmodel import BOT_USERNAME, COMMAND_RE, Request
from tests.botrules import check_html
from tests.harness import TOKEN, OfflineBot

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GROUP = -100_555
COMMANDS = tuple(REGISTRY)
APOLOGIES = {localise(t(lang, "error_apology"), lang) for lang in ("en", "zh", "zh-hant", "zh-hk")}

# -- strategies -------------------------------------------------------------------------------

SPECIALS = (
    "<b>",
    "</b>",
    "</i>",
    "<i>",
    '<a href="https://x.org">',
    "</a>",
    "<pre>",
    "<code>",
    "<script>",
    "<zz>",
    "&",
    "&amp;",
    "&lt;",
    "&#128;",
    "&nbsp;",
    "*",
    "**",
    "_",
    "__",
    "`",
    "```",
    "[",
    "](",
    ")",
    "~",
    "|",
    "\\",
    "<",
    ">",
    '"',
    "'",
    "\u202e",
    "\u200f",
    "\u200e",
    "\u2066",
    "\u200b",
    "\ufeff",  # bidi/zero-width marks
    "\x00",
    "\x07",
    "\x1b",
    "\r",
    "\n",
    "\t",
    "\x7f",
    "\u0085",
    "\u2028",  # controls
    "👍🏽",
    "👨‍👩‍👧",
    "🇨🇳",
    "𝕏",
    "ﷺ",
    "é",
    "ñ",
    "残差",
    "論文",
    "指针网络",
    "resnet",
    "paper 7",
    "/",
    "@",
    "@paperbot_test_bot",
    "#",
)
#: Any Unicode except surrogates (they cannot travel in JSON).
SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=SURROGATES), min_size=1, max_size=120)
MIXED = st.lists(
    st.one_of(st.sampled_from(SPECIALS), st.text(max_size=6)), min_size=1, max_size=30
).map("".join)
#: 4,096-character strings (Telegram's maximum), built by repeating a short piece.
LONG = st.one_of(st.text(min_size=1, max_size=10), st.sampled_from(SPECIALS)).map(
    lambda s: (s * 4096)[:4096]
)
USER_TEXT = st.one_of(ANY_TEXT, MIXED, LONG).filter(lambda s: s.strip() != "")
LANG_CODES = st.sampled_from(["en", "zh-hans", "zh-TW", "zh-HK", None])

HYPO = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# -- checks -----------------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_BARE_AMP = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9A-Fa-f]+);)")
ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a"}


def telegram_html(text: str) -> str:
    """Check ``text`` is Telegram HTML the bot may send; return the visible text.

    Stricter than the fake server: only b/i/u/s/code/pre/a, balanced; every ``<`` starts a
    tag and every ``&`` an entity Telegram knows; the visible text fits 4,096 characters.
    """
    check_html(text)  # balanced, known tags (raises the fake's 400 error otherwise)
    for match in _TAG.finditer(text):
        name, attrs = match.group(2).lower(), match.group(3).strip()
        assert name in ALLOWED_TAGS, f"tag <{name}> in {text!r}"
        if match.group(1) or name != "a":
            assert not attrs, f"attributes on <{name}> in {text!r}"
        else:
            assert re.fullmatch(r'href="[^"<>]*"', attrs), f"bad <a> in {text!r}"
    rest = _TAG.sub("", text)
    assert "<" not in rest, f"unescaped < in {text!r}"
    assert not _BARE_AMP.search(rest), f"unescaped & in {text!r}"
    visible = html.unescape(rest)
    assert len(visible) <= 4096, f"reply is {len(visible)} characters"
    return visible


def cut(value: str, limit: int = 80) -> str:
    """How a reply quotes user input back: stripped and cut to ``limit`` characters."""
    value = value.strip()
    return value if len(value) <= limit else value[:limit] + "…"


#: English replies that quote the user's input, and which part of the input they quote.
ECHOES: dict[str, tuple[str, Any]] = {
    "list": ("There is no list called", lambda a: a),
    "days": ("is not a list of days", lambda a: a),
    "timezone": ("I don't know the time zone", lambda a: a),
    "subscribe": ("is not a time of day", lambda a: a.partition(" ")[0]),
}


def assert_fine(requests: list[Request]) -> None:
    """Every call to the chat succeeded, is valid HTML, and none is the apology."""
    for req in requests:
        assert req.ok, f"Bot API refused a reply: {req}"
        if req.text is not None:
            assert req.params.get("parse_mode") == "HTML", req
            telegram_html(req.text)
            assert req.text not in APOLOGIES, f"the bot failed: {req}"


#: The documents /export sends, in order (its reply is the first, with the caption).
EXPORT_PARTS = {"export": ("paperbot-export.json", "paperbot-reading-log.md")}

# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def core(store: Store, catalogue: Catalogue) -> Dispatcher:
    return Dispatcher(Services(catalogue, store, rng=random.Random(7)))


async def settle(bot: OfflineBot, chat: int) -> list[Request]:
    """Wait until the bot has handled everything sent so far; return the replies to ``chat``
    not read yet."""
    await bot.idle()
    return bot.telegram.unread(chat)


_CHATS = itertools.count(50_000)


#: The start of every kind of callback data (from the codec), and of some valid data.
PREFIXES = sorted(
    {f"{kind.prefix}:" if kind.fields_re else kind.prefix for kind in cb.ACTIONS}
    | {
        cb.ShowCard("resnet", "en").encode()[:-2],
        cb.ListPage("sutskever-30", 0).encode()[:-1],
        cb.Categories("paper-reading").encode() + ":",
        cb.CategoryPage("paper-reading", "cv-cnn", 0).encode()[:-1],
        cb.OpenFromList("resnet", "sutskever-30", 0).encode()[:-1],
    }
)

# -- arbitrary text: the features -------------------------------------------------------------


@HYPO
@given(text=USER_TEXT, lang=LANG_CODES)
async def test_core_text_never_raises_and_is_valid_html(
    core: Dispatcher, text: str, lang: str | None
) -> None:
    reply = await core.text(1, text, tg_lang=lang, now=NOW)
    visible = telegram_html(reply.text)
    for row in reply.buttons:
        for button in row:
            assert button.data is None or len(button.data.encode()) <= 64
    if visible.startswith("I couldn't find a paper"):
        assert cut(text) in visible, "the question is quoted back, escaped"


async def test_filler_and_version_only_queries_get_none(core: Dispatcher) -> None:
    """Found by test_core_text_never_raises_and_is_valid_html: a query whose words carry no
    weight once filler is removed used to divide by zero in the matcher."""
    for text in ("paper v2", "papers0", "PAPER0:"):
        reply = await core.text(1, text, tg_lang="en", now=NOW)
        assert "couldn't find a paper" in reply.text


@settings(HYPO, max_examples=150)
@given(cmd=st.sampled_from(COMMANDS), args=USER_TEXT, lang=LANG_CODES)
async def test_core_commands_never_raise_and_are_valid_html(
    core: Dispatcher, cmd: str, args: str, lang: str | None
) -> None:
    chat = next(_CHATS)
    reply = await core.command(chat, cmd, args, tg_lang=lang, first_name=args[:64], now=NOW)
    visible = telegram_html(reply.text)
    marker, part = ECHOES.get(cmd, ("\0never", None))
    if marker in visible:
        assert cut(part(args.strip())) in visible


@settings(HYPO, max_examples=150)
@given(
    data=st.one_of(
        st.text(max_size=64),
        st.builds(
            "{}{}".format,
            st.sampled_from(PREFIXES),
            st.text(max_size=40),
        ),
    ),
    lang=LANG_CODES,
)
async def test_core_callbacks_never_raise_and_are_valid_html(
    core: Dispatcher, data: str, lang: str | None
) -> None:
    reply = await core.callback(2, data, tg_lang=lang, now=NOW)
    telegram_html(reply.text)
    for row in reply.buttons:
        for button in row:
            assert button.data is None or len(button.data.encode()) <= 64


# -- arbitrary text: end to end ---------------------------------------------------------------


@HYPO
@given(text=USER_TEXT, lang=LANG_CODES)
async def test_any_text_gets_a_valid_escaped_reply(
    bot: OfflineBot, telegram: FakeTelegram, text: str, lang: str | None
) -> None:
    chat = next(_CHATS)
    telegram.send_text(chat, text, language_code=lang)
    await bot.idle()
    assert_fine(telegram.sent(chat, include_failed=True))
    command = COMMAND_RE.match(text)
    if command and command.group(0).partition("@")[2].lower() not in ("", BOT_USERNAME):
        telegram.check_no_reply(chat)  # /command@other_bot is for another bot
        return
    reply = telegram.take_reply(chat)
    visible = telegram_html(reply.text or "")
    if visible.startswith("I couldn't find a paper"):
        assert cut(text) in visible, "the question is quoted back, escaped"


@settings(HYPO, max_examples=25)
@given(args=USER_TEXT)
async def test_every_command_with_any_argument_gets_a_valid_reply(
    bot: OfflineBot, telegram: FakeTelegram, args: str
) -> None:
    chat = next(_CHATS)
    for cmd in COMMANDS:
        telegram.send_text(chat, f"/{cmd} {args}"[:4096])
    replies = await settle(bot, chat)
    assert_fine(telegram.sent(chat, include_failed=True))
    # One reply per command; /export's is two documents (the data, then the reading log).
    expected = [part for cmd in COMMANDS for part in EXPORT_PARTS.get(cmd, (cmd,))]
    assert len(replies) == len(expected), [r.text for r in replies]
    for cmd, reply in zip(expected, replies, strict=True):
        if cmd.startswith("paperbot-"):
            assert reply.method.lower() == "senddocument", reply
            assert reply.params["document"].filename == cmd
            caption = t("en", "export_caption") if cmd.endswith(".json") else None
            assert reply.text == caption, reply
            continue
        visible = telegram_html(reply.text or "")
        marker, part = ECHOES.get(cmd, ("\0never", None))
        sent_args = f"/{cmd} {args}"[:4096].partition(" ")[2].strip()
        if marker in visible:
            assert cut(part(sent_args)) in visible, (cmd, visible)


async def test_hostile_markup_is_escaped_everywhere(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    chat = next(_CHATS)
    nasty = "<b>bold</b> & <script>x</script> *md* _i_ `c` \u202eevil"
    reply = await bot.say(chat, nasty)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in (reply.text or "")
    for cmd in ("list", "days", "timezone", "subscribe"):
        got = await bot.say(chat, f"/{cmd} <i>{nasty}")
        assert "&lt;i&gt;" in (got.text or ""), (cmd, got.text)
    hello = await bot.say(chat, "/start", first_name="<b>Eve</b> & co")
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in (hello.text or "")
    assert_fine(telegram.sent(chat, include_failed=True))


async def test_any_whitespace_separates_a_command_from_its_arguments(bot: OfflineBot) -> None:
    chat = next(_CHATS)
    got = telegram_html((await bot.say(chat, "/list\npaper-reading")).text or "")
    assert "current list is now Li Mu's paper-reading list" in got
    got = telegram_html((await bot.say(chat, "/subscribe\t08:00   Asia/Tokyo ")).text or "")
    assert "08:00" in got and "Asia/Tokyo" in got
    sub = await bot.store.reminders.get(chat)
    assert sub is not None and sub.schedule.timezone == "Asia/Tokyo"
    assert "Your next paper" in ((await bot.say(chat, "/NEXT")).text or "")
    assert "I don't know that command" in ((await bot.say(chat, "/nosuchcommand arg")).text or "")


@settings(HYPO, max_examples=40)
@given(query=st.one_of(ANY_TEXT, MIXED).map(lambda s: s[:256]), lang=LANG_CODES)
async def test_any_inline_query_is_answered_with_valid_cards(
    bot: OfflineBot, telegram: FakeTelegram, query: str, lang: str | None
) -> None:
    user = next(_CHATS)
    answer = await bot.inline(user, query, language_code=lang)
    assert answer.ok, answer
    results = answer.params["results"]
    assert isinstance(results, list) and len(results) <= 10
    ids = [r["id"] for r in results]
    assert len(set(ids)) == len(ids), "result ids must be unique"
    for result in results:
        assert 1 <= len(result["id"].encode()) <= 64 and result["title"]
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        telegram_html(content["message_text"])
    assert not telegram.sent(user, include_failed=True), "inline queries never message the user"


# -- forged or stale buttons ------------------------------------------------------------------

FORGED = (
    "r:not-a-paper",
    "r:../../etc",
    "s:RESNET",
    "u:",
    "L:nope",
    "L:",
    "p:x:y",
    "p:sutskever-30:-1",
    "p:sutskever-30:abc",
    "g:paper-reading:zzz:0",
    "g:sutskever-30",
    "g:paper-reading:cv-cnn",
    "o:resnet:nope:0",
    "o:nope:sutskever-30:0",
    "o:resnet:sutskever-30:-1",
    "f:maybe",
    "f:",
    "set:tz:Mars/Phobos",
    "set:time:25:00",
    "set:time:",
    "set:nope",
    "lang:xx",
    "m:nope",
    "c:resnet:fr",
    "c:nope:en",
    "r:resnet:extra",
    "".join(random.Random(64).choices("abcdefghijklmnopqrstuvwxyz:/-_.0123456789", k=64)),
    "",
)


async def test_forged_and_stale_callback_data_never_changes_anything(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    chat = 4100
    card = await bot.say(chat, "resnet")
    await bot.press(chat, card, cb.MarkRead("resnet"))
    await bot.say(chat, "/subscribe 08:00 Asia/Shanghai")
    await bot.say(chat, "/lang zh")
    before = await bot.store.privacy.export(chat)
    assert before["progress"] and before["subscription"]

    for data in FORGED:
        answer = await bot.tap(chat, card, data, strict=False)
        assert answer.ok, data
        assert_fine(await settle(bot, chat))
        assert await bot.store.privacy.export(chat) == before, f"{data!r} changed stored data"
    assert_fine(telegram.sent(chat, include_failed=True))

    # A button under an inline-mode message has no chat at all: answered, nothing changes.
    update_id = telegram.inject(
        {
            "callback_query": {
                "id": "inline-press-1",
                "from": {"id": chat, "is_bot": False, "first_name": "Ada", "language_code": "en"},
                "inline_message_id": "AAAinline",
                "chat_instance": "1",
                "data": cb.MarkRead("alexnet").encode(),
            }
        }
    )
    await bot.idle()
    (answer,) = [
        r
        for r in telegram.calls("answerCallbackQuery")
        if r.params.get("callback_query_id") == "inline-press-1"
    ]
    assert answer.ok and update_id
    assert_fine(await settle(bot, chat))
    assert await bot.store.privacy.export(chat) == before


async def test_a_press_only_ever_changes_the_pressers_own_data(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    alice, bob = 4201, 4202
    store = bot.store
    read_resnet = cb.MarkRead("resnet").encode()
    bobs_card = await bot.say(bob, "resnet")
    alices_msg = await bot.say(alice, "/start")

    # Alice copies the data of Bob's button into a press in her own chat: it acts on her.
    await bot.tap(alice, alices_msg, read_resnet, strict=False)
    await settle(bot, alice)
    assert await store.progress.states(alice) == {"resnet": "read"}
    assert await store.progress.states(bob) == {}

    # A press on Bob's private message by anybody but Bob changes nobody's data.
    await settle(bot, bob)
    bob_before = await store.privacy.export(bob)
    alice_before = await store.privacy.export(alice)
    presses = (
        cb.MarkSkipped("resnet"),
        cb.Undo("resnet"),
        cb.SwitchList("paper-reading"),
        cb.SetLang("zh"),
        cb.Forget("yes"),
        cb.SetTime("07:00"),
    )
    for action in presses:
        answer = await bot.tap(bob, bobs_card, action.encode(), user_id=alice, strict=False)
        assert answer.ok
        assert answer.params.get("text") == t("en", "stale_button")
        await settle(bot, alice)
        await settle(bot, bob)
        assert await store.privacy.export(bob) == bob_before, action
        assert await store.privacy.export(alice) == alice_before, action
    for chat in (alice, bob):
        assert_fine(telegram.sent(chat, include_failed=True))

    # Bob's own press still works.
    await bot.tap(bob, bobs_card, read_resnet)
    await settle(bot, bob)
    assert await store.progress.states(bob) == {"resnet": "read"}


# -- bad arguments get usage help -------------------------------------------------------------


async def test_bad_arguments_get_usage_help_and_change_nothing(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    chat = 4300
    store = bot.store

    async def ask(text: str) -> str:
        return telegram_html((await bot.say(chat, text)).text or "")

    got = await ask("/subscribe 25:99")
    assert "25:99" in got and "is not a time of day" in got and "Usage: /subscribe" in got
    assert "Usage: /subscribe HH:MM" in await ask("/subscribe")
    assert await store.reminders.get(chat) is None

    got = await ask("/timezone Mars/Olympus")
    assert "Mars/Olympus" in got and "I don't know the time zone" in got
    assert "IANA name" in got or "Did you mean" in got
    got = await ask("/timezone Asia/Shangha")
    assert "Did you mean" in got and "Asia/Shanghai" in got
    assert (await store.users.get(chat)).timezone == "UTC"  # type: ignore[union-attr]

    got = await ask("/days someday")
    assert "someday" in got and "daily, weekdays, weekends" in got
    got = await ask("/list nope")
    assert "There is no list called nope" in got and "Ilya Sutskever's ~30 papers" in got
    assert "paper-reading" in got

    reply = await bot.say(chat, "/lang xx")
    assert "Choose the reply language" in (reply.text or "")
    assert {cb.SetLang(x).encode() for x in ("en", "zh", "zh-hant")} <= set(reply.callback_data)
    assert (await store.users.get(chat)).lang is None  # type: ignore[union-attr]

    assert "/subscribe" in await ask("/pause abc")  # not subscribed yet: says how to
    await ask("/subscribe 08:00 Europe/Berlin")
    before = await store.privacy.export(chat)
    for bad in ("/pause abc", "/pause 0", "/pause 9999", "/pause -3"):
        assert "Usage: /pause [days]" in await ask(bad), bad
    got = await ask("/days someday")
    assert "is not a list of days" in got
    got = await ask("/subscribe 7pm-ish Asia/Shanghai")
    assert "is not a time of day" in got
    got = await ask("/subscribe 09:00 Mars/Olympus")
    assert "I don't know the time zone Mars/Olympus." in got  # the zone as typed, not the time
    assert "Did you mean" not in got  # nothing on Earth is close
    assert await store.privacy.export(chat) == before
    assert_fine(telegram.sent(chat, include_failed=True))


# -- secrets ----------------------------------------------------------------------------------


async def test_token_never_in_logs_or_messages_and_errors_get_a_short_apology(
    bot: OfflineBot,
    telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = 4400
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram", "paperbot"):  # whatever earlier tests set
        caplog.set_level(logging.DEBUG, logger=name)
    await bot.say(chat, "/start")
    card = await bot.say(chat, "what is resnet")
    await bot.press(chat, card, cb.MarkRead("resnet"))
    await bot.inline(chat, "resnet")

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"database exploded while using {TOKEN}")

    monkeypatch.setattr(Dispatcher, "text", broken)
    apology = await bot.say(chat, "what is alexnet")
    assert apology.text == t("en", "error_apology")
    # The bot keeps working after the error.
    assert "1/27" in ((await bot.say(chat, "/progress")).text or "")

    records = list(caplog.records)
    assert any(r.levelno >= logging.ERROR and r.exc_info for r in records), "error was logged"
    # In-process there is no HTTP log line with the token in its URL (tests/test_run_process.py
    # checks those): the token goes by in the exception.
    plain_format = logging.Formatter()
    assert any(TOKEN in plain_format.format(r) for r in records), "the test saw the token go by"
    formatter, redactor = LogfmtFormatter(), RedactFilter()
    for record in records:
        copy = logging.makeLogRecord(dict(record.__dict__))
        assert redactor.filter(copy)
        line = formatter.format(copy)
        assert TOKEN not in line, line
        assert TOKEN.split(":")[1] not in line, line
    for req in telegram.sent(chat, include_failed=True):
        text = req.text or ""
        assert TOKEN.split(":")[1] not in text
        assert "Traceback" not in text and "RuntimeError" not in text and "exploded" not in text


# -- groups -----------------------------------------------------------------------------------


async def test_in_groups_the_bot_ignores_chatter_but_answers_commands_mentions_and_replies(
    bot: OfflineBot, telegram: FakeTelegram
) -> None:
    async def silent(*texts: str, **kwargs: Any) -> None:
        for text in texts:
            telegram.send_text(GROUP, text, **kwargs)
        await bot.idle()
        telegram.check_no_reply(GROUP)

    group = {"chat_type": "group", "user_id": 5}
    await silent("lunch anyone?", "what is resnet", "resnet", "/", "@someone_else hi", **group)
    nxt = await bot.say(GROUP, "/next@paperbot_test_bot", **group)
    assert "The Annotated Transformer" in (nxt.text or "")
    progress = await bot.say(GROUP, "/progress", chat_type="group", user_id=6)
    assert "0/27" in (progress.text or "")
    # A command for another bot in the same group is not ours.
    await silent("/next@some_other_bot", **group)

    reply = await bot.say(GROUP, "@paperbot_test_bot what is alexnet", **group)
    assert "ImageNet Classification" in (reply.text or "")
    who = await bot.say(GROUP, "who wrote resnet", chat_type="group", user_id=7, reply_to_bot=True)
    assert "Kaiming He" in (who.text or "")
    await silent("I don't know", chat_type="supergroup", user_id=7)
    await silent("what is gpipe?", chat_type="supergroup", user_id=8)
    others = max(mid for (c, mid) in telegram.messages if c == GROUP)
    # A reply to another member, not to the bot.
    await silent("no idea, what is vgg?", chat_type="supergroup", user_id=7, reply_to=others)
    for req in telegram.sent(GROUP, include_failed=True):
        assert req.ok
        assert "couldn't find" not in (req.text or "")
