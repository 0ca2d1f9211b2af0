"""Robustness: hostile text, forged buttons, bad arguments, secrets in logs, group manners.

Property-based parts use Hypothesis. The end-to-end properties start ONE bot (the real
Application against the fake Bot API on loopback) per test function and feed every example
through it, each example in a fresh chat so examples never see each other's state.
"""

from __future__ import annotations

import html
import itertools
import logging
import random
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.catalogue import Catalogue
from bot.i18n import localise, t
from bot.logs import LogfmtFormatter, RedactFilter
from bot.service import COMMANDS, PaperBot
from bot.storage import Storage

try:
    from tests.botapi import _COMMAND_RE, BOT_USERNAME, FakeBotAPI, Request, _check_html
    from tests.conftest import TOKEN
    from tests.harness import RunningBot
except ImportError:  # pragma: no cover - tests/ is not a package
    from botapi import (  # type: ignore[no-redef]
        _COMMAND_RE,
        BOT_USERNAME,
        FakeBotAPI,
        Request,
        _check_html,
    )
    from conftest import TOKEN  # type: ignore[no-redef]
    from harness import RunningBot  # type: ignore[no-redef]

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GROUP = -100_555
PRIVACY = tuple(
    localise(t(lang, "privacy"), lang).split("\n")[0] for lang in ("en", "zh", "zh-hant", "zh-hk")
)
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
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=120)
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
    _check_html(text)  # balanced, known tags (raises the fake's 400 error otherwise)
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


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def core(storage: Storage, catalogue: Catalogue) -> PaperBot:
    return PaperBot(catalogue, storage, rng=random.Random(7))


async def settle(api: FakeBotAPI, chat: int) -> list[Request]:
    """Wait until the bot has handled everything sent to ``chat`` so far (updates are handled
    in order, so a /privacy round trip proves it) and return the replies before that one."""
    api.send_text(chat, "/privacy")
    before = []
    while True:
        reply = await api.next_reply(chat)
        if (reply.text or "").startswith(PRIVACY):
            return before
        before.append(reply)


_CHATS = itertools.count(50_000)


# -- arbitrary text: pure core ----------------------------------------------------------------


@HYPO
@given(text=USER_TEXT, lang=LANG_CODES)
async def test_core_text_never_raises_and_is_valid_html(
    core: PaperBot, text: str, lang: str | None
) -> None:
    reply = await core.text(1, text, tg_lang=lang, now=NOW)
    visible = telegram_html(reply.text)
    for row in reply.buttons:
        for button in row:
            assert button.data is None or len(button.data.encode()) <= 64
    if visible.startswith("I couldn't find a paper"):
        assert cut(text) in visible, "the question is quoted back, escaped"


async def test_filler_and_version_only_queries_get_none(core: PaperBot) -> None:
    """Found by test_core_text_never_raises_and_is_valid_html: a query whose words carry no
    weight once filler is removed used to divide by zero in the matcher."""
    for text in ("paper v2", "papers0", "PAPER0:"):
        reply = await core.text(1, text, tg_lang="en", now=NOW)
        assert "couldn't find a paper" in reply.text


@settings(HYPO, max_examples=150)
@given(cmd=st.sampled_from(COMMANDS), args=USER_TEXT, lang=LANG_CODES)
async def test_core_commands_never_raise_and_are_valid_html(
    core: PaperBot, cmd: str, args: str, lang: str | None
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
            st.sampled_from(
                [
                    "r:",
                    "s:",
                    "u:",
                    "c:",
                    "c:resnet:",
                    "p:",
                    "p:sutskever-30:",
                    "g:",
                    "g:paper-reading:",
                    "g:paper-reading:cv-cnn:",
                    "L:",
                    "lang:",
                    "m:",
                    "f:",
                    "set:",
                    "set:tz:",
                    "set:time:",
                    "z",
                    "zp",
                ]
            ),
            st.text(max_size=40),
        ),
    ),
    lang=LANG_CODES,
)
async def test_core_callbacks_never_raise_and_are_valid_html(
    core: PaperBot, data: str, lang: str | None
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
    api: FakeBotAPI, running: RunningBot, text: str, lang: str | None
) -> None:
    chat = next(_CHATS)
    api.send_text(chat, text, language_code=lang)
    command = _COMMAND_RE.match(text)
    if command and command.group(0).partition("@")[2].lower() not in ("", BOT_USERNAME):
        await api.assert_no_reply(chat)  # /command@other_bot is for another bot
        return
    reply = await api.next_reply(chat)
    assert_fine(api.sent(chat, include_failed=True))
    visible = telegram_html(reply.text or "")
    if visible.startswith("I couldn't find a paper"):
        assert cut(text) in visible, "the question is quoted back, escaped"


@settings(HYPO, max_examples=25)
@given(args=USER_TEXT)
async def test_every_command_with_any_argument_gets_a_valid_reply(
    api: FakeBotAPI, running: RunningBot, args: str
) -> None:
    chat = next(_CHATS)
    for cmd in COMMANDS:
        message = f"/{cmd} {args}"[:4096]
        api.send_text(chat, message)
    replies = await api.replies(chat, len(COMMANDS), timeout=10)
    assert_fine(api.sent(chat, include_failed=True))
    for cmd, reply in zip(COMMANDS, replies, strict=True):
        if cmd == "export":
            assert reply.method.lower() == "senddocument"
        visible = telegram_html(reply.text or "")
        marker, part = ECHOES.get(cmd, ("\0never", None))
        sent_args = f"/{cmd} {args}"[:4096].partition(" ")[2].strip()
        if marker in visible:
            assert cut(part(sent_args)) in visible, (cmd, visible)


async def test_hostile_markup_is_escaped_everywhere(api: FakeBotAPI, running: RunningBot) -> None:
    chat = next(_CHATS)
    nasty = "<b>bold</b> & <script>x</script> *md* _i_ `c` \u202eevil"
    api.send_text(chat, nasty)
    reply = await api.next_reply(chat)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in (reply.text or "")
    for cmd in ("list", "days", "timezone", "subscribe"):
        api.send_text(chat, f"/{cmd} <i>{nasty}")
        got = await api.next_reply(chat)
        assert "&lt;i&gt;" in (got.text or ""), (cmd, got.text)
    api.send_text(chat, "/start", first_name="<b>Eve</b> & co")
    hello = await api.next_reply(chat)
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in (hello.text or "")
    assert_fine(api.sent(chat, include_failed=True))


async def test_any_whitespace_separates_a_command_from_its_arguments(
    api: FakeBotAPI, running: RunningBot
) -> None:
    chat = next(_CHATS)
    core = running.core
    api.send_text(chat, "/list\npaper-reading")
    got = telegram_html((await api.next_reply(chat)).text or "")
    assert "current list is now Li Mu's paper-reading list" in got
    api.send_text(chat, "/subscribe\t08:00   Asia/Tokyo ")
    got = telegram_html((await api.next_reply(chat)).text or "")
    assert "08:00" in got and "Asia/Tokyo" in got
    sub = await core.storage.get_subscription(chat)
    assert sub is not None and sub.schedule.timezone == "Asia/Tokyo"
    api.send_text(chat, "/NEXT")
    assert "Your next paper" in ((await api.next_reply(chat)).text or "")
    api.send_text(chat, "/nosuchcommand arg")
    assert "I don't know that command" in ((await api.next_reply(chat)).text or "")


@settings(HYPO, max_examples=40)
@given(query=st.one_of(ANY_TEXT, MIXED).map(lambda s: s[:256]), lang=LANG_CODES)
async def test_any_inline_query_is_answered_with_valid_cards(
    api: FakeBotAPI, running: RunningBot, query: str, lang: str | None
) -> None:
    user = next(_CHATS)
    update_id = api.inline_query(user, query, language_code=lang)
    answer = await api.answered(update_id)
    assert answer is not None and answer.ok
    results = answer.params["results"]
    assert isinstance(results, list) and len(results) <= 10
    ids = [r["id"] for r in results]
    assert len(set(ids)) == len(ids), "result ids must be unique"
    for result in results:
        assert 1 <= len(result["id"].encode()) <= 64 and result["title"]
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        telegram_html(content["message_text"])
    assert not api.sent(user, include_failed=True), "inline queries never message the user"


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
    api: FakeBotAPI, running: RunningBot
) -> None:
    chat = 4100
    core = running.core
    api.send_text(chat, "resnet")
    card = await api.next_reply(chat)
    api.press(chat, card.message_id, "r:resnet")
    await api.next_reply(chat)
    api.send_text(chat, "/subscribe 08:00 Asia/Shanghai")
    await api.next_reply(chat)
    api.send_text(chat, "/lang zh")
    await api.next_reply(chat)
    before = await core.storage.export(chat)
    assert before["progress"] and before["subscriptions"]

    for data in FORGED:
        update_id = api.press(chat, card.message_id, data, strict=False)
        answer = await api.answered(update_id)
        assert answer is not None and answer.ok, data
        replies = await settle(api, chat)
        assert_fine(replies)
        assert await core.storage.export(chat) == before, f"{data!r} changed stored data"
    assert_fine(api.sent(chat, include_failed=True))

    # A button under an inline-mode message has no chat at all: answered, nothing changes.
    api.inject(
        {
            "callback_query": {
                "id": "inline-press-1",
                "from": {"id": chat, "is_bot": False, "first_name": "Ada", "language_code": "en"},
                "inline_message_id": "AAAinline",
                "chat_instance": "1",
                "data": "r:alexnet",
            }
        }
    )
    answer = await api.wait_for(
        lambda r: (
            r.method.lower() == "answercallbackquery"
            and r.params.get("callback_query_id") == "inline-press-1"
        )
    )
    assert answer.ok
    assert_fine(await settle(api, chat))
    assert await core.storage.export(chat) == before


async def test_a_press_only_ever_changes_the_pressers_own_data(
    api: FakeBotAPI, running: RunningBot
) -> None:
    alice, bob = 4201, 4202
    core = running.core
    api.send_text(bob, "resnet")
    bobs_card = await api.next_reply(bob)
    api.send_text(alice, "/start")
    alices_msg = await api.next_reply(alice)

    # Alice copies the data of Bob's button into a press in her own chat: it acts on her.
    update_id = api.press(alice, alices_msg.message_id, "r:resnet", strict=False)
    await api.answered(update_id)
    await settle(api, alice)
    assert await core.storage.progress(alice) == {"resnet": "read"}
    assert await core.storage.progress(bob) == {}

    # A press on Bob's private message by anybody but Bob changes nobody's data.
    await settle(api, bob)  # (/privacy creates Bob's user row: before the snapshot)
    bob_before = await core.storage.export(bob)
    alice_before = await core.storage.export(alice)
    for data in ("s:resnet", "u:resnet", "L:paper-reading", "lang:zh", "f:yes", "set:time:07:00"):
        update_id = api.press(bob, bobs_card.message_id, data, user_id=alice, strict=False)
        answer = await api.answered(update_id)
        assert answer is not None and answer.ok
        assert answer.params.get("text") == t("en", "stale_button")
        await settle(api, alice)
        await settle(api, bob)
        assert await core.storage.export(bob) == bob_before, data
        assert await core.storage.export(alice) == alice_before, data
    assert_fine(api.sent(alice, include_failed=True) + api.sent(bob, include_failed=True))

    # Bob's own press still works.
    update_id = api.press(bob, bobs_card.message_id, "r:resnet")
    await api.answered(update_id)
    await settle(api, bob)
    assert await core.storage.progress(bob) == {"resnet": "read"}


# -- bad arguments get usage help -------------------------------------------------------------


async def test_bad_arguments_get_usage_help_and_change_nothing(
    api: FakeBotAPI, running: RunningBot
) -> None:
    chat = 4300
    core = running.core

    async def ask(text: str) -> str:
        api.send_text(chat, text)
        reply = await api.next_reply(chat)
        return telegram_html(reply.text or "")

    got = await ask("/subscribe 25:99")
    assert "25:99" in got and "is not a time of day" in got and "Usage: /subscribe" in got
    assert "Usage: /subscribe HH:MM" in await ask("/subscribe")
    assert await core.storage.get_subscription(chat) is None

    got = await ask("/timezone Mars/Olympus")
    assert "Mars/Olympus" in got and "I don't know the time zone" in got
    assert "IANA name" in got or "Did you mean" in got
    got = await ask("/timezone Asia/Shangha")
    assert "Did you mean" in got and "Asia/Shanghai" in got
    assert (await core.storage.get_user(chat)).timezone == "UTC"  # type: ignore[union-attr]

    got = await ask("/days someday")
    assert "someday" in got and "daily, weekdays, weekends" in got
    got = await ask("/list nope")
    assert "There is no list called nope" in got and "sutskever-30" in got
    assert "paper-reading" in got

    api.send_text(chat, "/lang xx")
    reply = await api.next_reply(chat)
    assert "Choose the reply language" in (reply.text or "")
    assert {"lang:en", "lang:zh", "lang:zh-hant"} <= set(reply.callback_data)
    assert (await core.storage.get_user(chat)).lang is None  # type: ignore[union-attr]

    assert "/subscribe" in await ask("/pause abc")  # not subscribed yet: says how to
    await ask("/subscribe 08:00 Europe/Berlin")
    before = await core.storage.export(chat)
    for bad in ("/pause abc", "/pause 0", "/pause 9999", "/pause -3"):
        assert "Usage: /pause [days]" in await ask(bad), bad
    got = await ask("/days someday")
    assert "is not a list of days" in got
    got = await ask("/subscribe 7pm-ish Asia/Shanghai")
    assert "is not a time of day" in got
    got = await ask("/subscribe 09:00 Mars/Olympus")
    assert "I don't know the time zone" in got
    assert await core.storage.export(chat) == before
    assert_fine(api.sent(chat, include_failed=True))


# -- secrets ----------------------------------------------------------------------------------


async def test_token_never_in_logs_or_messages_and_errors_get_a_short_apology(
    api: FakeBotAPI,
    running: RunningBot,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = 4400
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram", "paperbot"):  # whatever earlier tests set
        caplog.set_level(logging.DEBUG, logger=name)
    api.send_text(chat, "/start")
    await api.next_reply(chat)
    api.send_text(chat, "what is resnet")
    card = await api.next_reply(chat)
    api.press(chat, card.message_id, "r:resnet")
    await api.next_reply(chat)
    api.inline_query(chat, "resnet")
    await api.wait_for("answerInlineQuery")

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"database exploded while using {TOKEN}")

    monkeypatch.setattr(PaperBot, "text", broken)
    api.send_text(chat, "what is alexnet")
    apology = await api.next_reply(chat)
    assert apology.text == t("en", "error_apology")
    api.send_text(chat, "/progress")  # the bot keeps working after the error
    assert "1/27" in (await api.next_reply(chat)).text  # type: ignore[operator]

    records = list(caplog.records)
    assert any(r.levelno >= logging.ERROR and r.exc_info for r in records), "error was logged"
    assert any(TOKEN in r.getMessage() for r in records), "the test did see the token go by"
    formatter, redactor = LogfmtFormatter(), RedactFilter()
    for record in records:
        copy = logging.makeLogRecord(dict(record.__dict__))
        assert redactor.filter(copy)
        line = formatter.format(copy)
        assert TOKEN not in line, line
        assert TOKEN.split(":")[1] not in line, line
    for req in api.sent(chat, include_failed=True):
        text = req.text or ""
        assert TOKEN.split(":")[1] not in text
        assert "Traceback" not in text and "RuntimeError" not in text and "exploded" not in text


# -- groups -----------------------------------------------------------------------------------


async def test_in_groups_the_bot_ignores_chatter_but_answers_commands_mentions_and_replies(
    api: FakeBotAPI, running: RunningBot
) -> None:
    for chatter in ("lunch anyone?", "what is resnet", "resnet", "/", "@someone_else hi"):
        api.send_text(GROUP, chatter, chat_type="group", user_id=5)
    await api.assert_no_reply(GROUP, within=0.6)

    api.send_text(GROUP, "/next@paperbot_test_bot", chat_type="group", user_id=5)
    nxt = await api.next_reply(GROUP)
    assert "The Annotated Transformer" in (nxt.text or "")
    api.send_text(GROUP, "/progress", chat_type="group", user_id=6)
    assert "0/27" in ((await api.next_reply(GROUP)).text or "")
    # A command for another bot in the same group is not ours.
    api.send_text(GROUP, "/next@some_other_bot", chat_type="group", user_id=5)
    await api.assert_no_reply(GROUP, within=0.6)

    api.send_text(GROUP, "@paperbot_test_bot what is alexnet", chat_type="group", user_id=5)
    assert "ImageNet Classification" in ((await api.next_reply(GROUP)).text or "")
    api.send_text(GROUP, "who wrote resnet", chat_type="group", user_id=7, reply_to_bot=True)
    assert "Kaiming He" in ((await api.next_reply(GROUP)).text or "")
    api.send_text(GROUP, "I don't know", chat_type="supergroup", user_id=7)
    api.send_text(GROUP, "what is gpipe?", chat_type="supergroup", user_id=8)
    others = max(mid for (c, mid) in api.messages if c == GROUP)
    api.send_text(
        GROUP, "no idea, what is vgg?", chat_type="supergroup", user_id=7, reply_to=others
    )  # a reply to another member, not to the bot
    await api.assert_no_reply(GROUP, within=0.6)
    for req in api.sent(GROUP, include_failed=True):
        assert req.ok
        assert "couldn't find" not in (req.text or "")
