"""Prove that the fake Bot API server in ``tests/botapi.py`` works with PTB's real HTTP layer
(what Telegram enforces is checked for both fakes in ``tests/test_offline.py``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)
from telegram.request import HTTPXRequest

from tests.botapi import BOT_ID, BOT_USERNAME, FakeBotAPI

TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
CHAT = 4242


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    server = FakeBotAPI(hang_seconds=5.0)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def make_bot(api: FakeBotAPI, read_timeout: float = 5.0) -> Bot:
    return Bot(
        TOKEN,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        request=HTTPXRequest(read_timeout=read_timeout, connect_timeout=2.0),
        get_updates_request=HTTPXRequest(read_timeout=read_timeout, connect_timeout=2.0),
    )


async def test_get_me(api: FakeBotAPI) -> None:
    async with make_bot(api) as bot:
        me = await bot.get_me()
    assert me.id == BOT_ID
    assert me.username == BOT_USERNAME
    assert me.is_bot and me.can_join_groups and me.supports_inline_queries
    assert api.tokens == {TOKEN}
    assert api.calls("getMe")
    assert api.base_url.startswith("http://127.0.0.1:")


async def test_send_message_and_reply_markup_round_trip(api: FakeBotAPI) -> None:
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Next", callback_data="next:1")],
            [InlineKeyboardButton("Docs", url="https://example.org")],
        ]
    )
    async with make_bot(api) as bot:
        first = await bot.send_message(CHAT, "hello")
        second = await bot.send_message(CHAT, "pick one", reply_markup=markup)
    assert isinstance(first, Message)
    assert first.text == "hello"
    assert first.chat_id == CHAT and first.chat.type == "private"
    assert first.from_user is not None and first.from_user.id == BOT_ID
    assert second.message_id == first.message_id + 1
    assert second.reply_markup == markup
    sent = api.sent(CHAT)
    assert [r.text for r in sent] == ["hello", "pick one"]
    assert sent[1].params["chat_id"] == CHAT
    assert sent[1].params["reply_markup"] == markup.to_dict()
    assert sent[1].callback_data == ["next:1"]
    assert (await api.next_reply(CHAT)).text == "hello"
    assert (await api.next_reply(CHAT)).text == "pick one"
    assert api.delivered == [(CHAT, "hello"), (CHAT, "pick one")]


async def test_get_updates_text_and_callback(api: FakeBotAPI) -> None:
    async with make_bot(api) as bot:
        sent = await bot.send_message(
            CHAT,
            "menu",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]]),
        )
        uid = api.send_text(CHAT, "/start now", first_name="Ada")
        updates = await bot.get_updates(timeout=1)
        assert [u.update_id for u in updates] == [uid]
        msg = updates[0].message
        assert msg is not None and msg.text == "/start now"
        assert msg.from_user is not None and msg.from_user.id == CHAT
        assert msg.from_user.language_code == "en"
        assert msg.entities[0].type == "bot_command" and msg.entities[0].length == len("/start")

        # long poll: an update injected while the request waits is delivered promptly
        async def inject_later() -> int:
            await api.wait_for(
                lambda r: r.method == "getUpdates" and r.params.get("offset") == uid + 1
            )
            return api.press(CHAT, sent.message_id, "go")

        task = asyncio.create_task(inject_later())
        updates = await bot.get_updates(offset=uid + 1, timeout=3)
        cb_uid = await task
        assert [u.update_id for u in updates] == [cb_uid]
        query = updates[0].callback_query
        assert query is not None and query.data == "go"
        assert isinstance(query.message, Message) and query.message.text == "menu"
        assert query.message.reply_markup == sent.reply_markup
        await query.answer("ok")
        answer = await api.answered(cb_uid)
        assert answer is not None and answer.params["text"] == "ok"

        # confirmed updates are dropped; an empty queue times out with []
        assert await bot.get_updates(offset=cb_uid + 1, timeout=1) == ()
        assert api.pending_updates == []


async def test_forbidden_and_bad_request(api: FakeBotAPI) -> None:
    api.forbidden_chats.add(7)
    api.bad_request_chats.add(8)
    async with make_bot(api) as bot:
        with pytest.raises(Forbidden, match=r"(?i)blocked"):
            await bot.send_message(7, "hi")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(8, "hi")
    assert api.sent() == []
    assert [r.status for r in api.sent(include_failed=True)] == [403, 400]


async def test_injected_faults(api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    # Building a RetryAfter reads its int-typed retry_after, which emits a
    # PTBDeprecationWarning (an error under filterwarnings=error) unless PTB_TIMEDELTA is set.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    api.fail_next("sendMessage", "retry_after:7")
    api.fail_next("sendMessage", "500")
    api.fail_next("sendMessage", "disconnect")
    api.fail_next("sendMessage", "timeout")
    async with make_bot(api, read_timeout=0.5) as bot:
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(CHAT, "a")
        assert info.value.retry_after == dt.timedelta(seconds=7)
        with pytest.raises(NetworkError):
            await bot.send_message(CHAT, "b")
        with pytest.raises(NetworkError):
            await bot.send_message(CHAT, "c")
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "d")
        ok = await bot.send_message(CHAT, "e")
    assert ok.text == "e"
    assert [r.status for r in api.calls("sendMessage")] == [429, 500, 0, 0, 200]


async def test_enforce_limits(api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    api.enforce_limits(global_per_second=30, per_chat_per_second=1)
    async with make_bot(api) as bot:
        results = await asyncio.gather(
            *(bot.send_message(CHAT, f"m{i}") for i in range(3)), return_exceptions=True
        )
    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 2
    assert all(isinstance(e, RetryAfter) for e in errors), errors
    assert all(
        e.retry_after == dt.timedelta(seconds=1) for e in errors if isinstance(e, RetryAfter)
    )
    assert api.too_many == 2
    assert len(api.delivered) == 1
    assert [r.status for r in api.calls("sendMessage")].count(429) == 2


async def test_send_document_in_memory(api: FakeBotAPI) -> None:
    payload = b"%PDF-1.4 fake pdf bytes"
    async with make_bot(api) as bot:
        msg = await bot.send_document(
            CHAT, document=io.BytesIO(payload), filename="paper.pdf", caption="your paper"
        )
        assert msg.document is not None
        assert msg.document.file_name == "paper.pdf"
        assert msg.document.file_size == len(payload)
        assert msg.caption == "your paper"
        tg_file = await bot.get_file(msg.document.file_id)
        assert bytes(await tg_file.download_as_bytearray()) == payload
    req = await api.next_reply(CHAT)
    assert req.method == "sendDocument"
    assert req.params["document"].content == payload
    assert req.params["chat_id"] == CHAT


async def test_edit_message_and_unknown_method(api: FakeBotAPI) -> None:
    async with make_bot(api) as bot:
        msg = await bot.send_message(CHAT, "v1")
        edited = await bot.edit_message_text("v2", chat_id=CHAT, message_id=msg.message_id)
        assert isinstance(edited, Message) and edited.text == "v2"
        with pytest.raises(BadRequest, match=r"(?i)not modified"):
            await bot.edit_message_text("v2", chat_id=CHAT, message_id=msg.message_id)
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(CHAT, "<b>bold", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)too long"):
            await bot.send_message(CHAT, "x" * 4097)
        # PTB maps a 404 for an unknown method to EndPointNotFound
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("noSuchMethod")
    assert api.texts(CHAT) == ["v1", "v2"]
    unknown = api.calls("noSuchMethod")[0]
    assert unknown.status == 404 and unknown.error == "Not Found: method not found"


async def test_application_polling_round_trip(api: FakeBotAPI) -> None:
    """A polling Application answers a command and a button press through the fake."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
        await update.effective_message.reply_text("hi", reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and isinstance(query.message, Message)
        await query.answer()
        await query.edit_message_text(f"{query.message.text} -> {query.data}")

    builder = ApplicationBuilder().token(TOKEN).base_url(api.base_url)
    app = builder.base_file_url(api.base_file_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=10)
        try:
            api.send_text(CHAT, "/start")
            reply = await api.next_reply(CHAT)
            assert reply.text == "hi" and reply.callback_data == ["a"]
            assert reply.message_id is not None
            await api.answered(api.press(CHAT, reply.message_id, "a"))
            edit = await api.next_reply(CHAT)
            assert edit.method == "editMessageText" and edit.text == "hi -> a"
        finally:
            await app.updater.stop()
            await app.stop()
