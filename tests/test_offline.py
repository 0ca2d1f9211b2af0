"""Both fakes of Telegram refuse what Telegram refuses, in Telegram's words, and
python-telegram-bot turns their answers into its own objects and exceptions.

The same checks run over the in-process :class:`tests.offline.OfflineRequest` and over HTTP
(:class:`tests.botapi.FakeBotAPI`), so a test that passes on either would pass on the other.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from tests.botmethods import FakeTelegram
from tests.botmodel import BOT_ID
from tests.harness import TOKEN
from tests.offline import OfflineRequest

CHAT = 4242


def button(**fields: Any) -> dict[str, Any]:
    return {"text": "A", **fields}


async def send_markup(bot: Bot, markup: Any) -> Any:
    """sendMessage with a raw ``reply_markup`` (python-telegram-bot's classes would refuse
    some of these shapes before sending)."""
    return await bot.send_message(CHAT, "hi", api_kwargs={"reply_markup": markup})


async def test_messages_round_trip_and_are_recorded(fake: tuple[Bot, FakeTelegram]) -> None:
    bot, telegram = fake
    me = await bot.get_me()
    assert me.id == BOT_ID and me.is_bot
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="x" * 64)]])
    sent = await bot.send_message(
        CHAT, "<b>hi</b> &amp; bye", parse_mode="HTML", reply_markup=markup
    )
    assert isinstance(sent, Message) and sent.reply_markup == markup
    edited = await bot.edit_message_text("v2", chat_id=CHAT, message_id=sent.message_id)
    assert isinstance(edited, Message) and edited.text == "v2"
    document = await bot.send_document(CHAT, document=b"{}", filename="x.json", caption="c")
    assert document.document is not None and document.document.file_name == "x.json"
    assert [r.method for r in telegram.sent(CHAT)] == [
        "sendMessage",
        "editMessageText",
        "sendDocument",
    ]
    assert telegram.sent(CHAT)[0].callback_data == ["x" * 64]
    assert telegram.sent(CHAT)[2].params["document"].content == b"{}"


@pytest.mark.parametrize(
    "text, error",
    [
        ("x" * 4097, "message is too long"),
        ("<b>bold", "Can't find end tag"),
        ("<b>bold</i>", "Unmatched end tag"),
        ("a </b>", "Unexpected end tag"),
        ("<script>x</script>", "Unsupported start tag"),
        (" \n", "message text is empty"),
    ],
)
async def test_text_that_telegram_refuses_is_refused(
    fake: tuple[Bot, FakeTelegram], text: str, error: str
) -> None:
    bot, telegram = fake
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await bot.send_message(CHAT, text, parse_mode="HTML")
    assert telegram.sent(CHAT) == [] and not telegram.delivered
    # 4,096 visible characters are fine, tags and entities not counted.
    await bot.send_message(CHAT, "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")


@pytest.mark.parametrize(
    "markup, error",
    [
        ({"inline_keyboard": [button(callback_data="x" * 65)]}, "Array of Arrays"),
        ({"inline_keyboard": [[button(callback_data="x" * 65)]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[button(callback_data="")]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[button(callback_data="é" * 33)]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "A"}]]}, "Text buttons are unallowed"),
        ({"inline_keyboard": [[button(url="https://x.org", callback_data="a")]]}, "one action"),
        ({"inline_keyboard": [[button(text="", callback_data="a")]]}, "Text must be non-empty"),
        ({"inline_keyboard": [[button(url="javascript:alert(1)")]]}, "BUTTON_URL_INVALID"),
        ({"inline_keyboard": [[button(callback_data=str(i)) for i in range(9)]]}, "TOO_LONG"),
        (
            {
                "inline_keyboard": [
                    [button(callback_data=f"{r}:{i}") for i in range(8)] for r in range(13)
                ]
            },
            "TOO_LONG",
        ),
    ],
)
async def test_keyboards_that_telegram_refuses_are_refused(
    fake: tuple[Bot, FakeTelegram], markup: dict[str, Any], error: str
) -> None:
    bot, telegram = fake
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await send_markup(bot, markup)
    assert telegram.sent(CHAT) == []


async def test_toasts_and_inline_results_are_checked(fake: tuple[Bot, FakeTelegram]) -> None:
    bot, _ = fake
    assert await bot.answer_callback_query("1", text="x" * 200)
    with pytest.raises(BadRequest, match=r"(?i)MESSAGE_TOO_LONG"):
        await bot.answer_callback_query("1", text="x" * 201)
    article: dict[str, Any] = {
        "type": "article",
        "id": "a",
        "title": "A",
        "input_message_content": {"message_text": "<b>x</b>", "parse_mode": "HTML"},
    }
    results = {"results": [article]}
    assert await bot.answer_inline_query("1", [], api_kwargs=results)
    for broken, error in (
        ([article, article], "RESULT_ID_DUPLICATE"),
        ([{**article, "id": "x" * 65}], "RESULT_ID_INVALID"),
        ([{**article, "input_message_content": {"message_text": "<b>x"}}], "can't parse"),
    ):
        broken[0]["input_message_content"].setdefault("parse_mode", "HTML")
        with pytest.raises(BadRequest, match=f"(?i){error}"):
            await bot.answer_inline_query("1", [], api_kwargs={"results": broken})


async def test_injected_errors_become_python_telegram_bots_exceptions(
    fake: tuple[Bot, FakeTelegram],
) -> None:
    bot, telegram = fake
    telegram.fail_next("sendMessage", "retry_after:3")
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT, "a")
    telegram.forbidden_chats.add(7)
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(7, "a")
    telegram.bad_request_chats.add(8)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(8, "a")
    assert [r.status for r in telegram.calls("sendMessage")] == [429, 403, 400]


async def test_the_offline_request_opens_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    telegram = FakeTelegram()
    async with Bot(TOKEN, request=OfflineRequest(telegram)) as bot:
        await bot.send_message(CHAT, "hi")
    assert telegram.texts(CHAT) == ["hi"]
    assert telegram.tokens == {TOKEN}
    telegram.fail_next("sendMessage", "timeout")
    async with Bot(TOKEN, request=OfflineRequest(telegram)) as bot:
        with pytest.raises(NetworkError, match="needs a wire"):
            await bot.send_message(CHAT, "hi")
