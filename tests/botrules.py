"""What Telegram enforces on what a bot sends, for the fakes of the Bot API.

Both fakes (:class:`tests.botapi.FakeBotAPI` over HTTP and :class:`tests.offline.OfflineRequest`
in-process) answer through :mod:`tests.botmodel`, which checks every call here and answers
``400 Bad Request`` with Telegram's own wording when a rule is broken:

* message text 1-4,096 characters and captions up to 1,024, counted after HTML parsing;
* ``parse_mode=HTML``: only Telegram's tags, properly nested and closed;
* inline keyboards: an array of arrays of buttons, at most 8 a row and 100 in all, each with a
  non-empty text and exactly one action; ``callback_data`` 1-64 bytes;
* ``answerCallbackQuery`` text up to 200 characters; inline results at most 50, ids 1-64 bytes;
* ``sendPoll``: a question of 1-300 characters, 2-10 options of 1-100 characters each, a quiz
  with its correct option among them (``correct_option_id`` or ``correct_option_ids``), an
  explanation of at most 200 characters and 2 line feeds, each text parsed in its parse mode.
"""

from __future__ import annotations

import html
import itertools
import re
from typing import Any

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS_PER_ROW = 8
MAX_BUTTONS = 100
MAX_TOAST_LENGTH = 200
MAX_INLINE_RESULTS = 50
MAX_POLL_QUESTION = 300
MIN_POLL_OPTIONS = 2
#: Telegram has taken up to 12 since Bot API 9.1; the fake keeps the older, stricter 10.
MAX_POLL_OPTIONS = 10
MAX_POLL_OPTION = 100
MAX_POLL_EXPLANATION = 200
MAX_POLL_EXPLANATION_LINE_FEEDS = 2

HTML_TAGS: frozenset[str] = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
HTML_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
#: The fields of an inline keyboard button that make it do something (exactly one is set).
BUTTON_ACTIONS: frozenset[str] = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)


class ApiError(Exception):
    """Raised by a check or a method to answer ``{"ok": false, "error_code": code, ...}``."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def bad_request(description: str) -> ApiError:
    """A 400 answer: ``Bad Request: <description>``."""
    return ApiError(400, f"Bad Request: {description}")


def error_payload(
    code: int, description: str, parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON body of a failed call."""
    payload: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        payload["parameters"] = parameters
    return payload


def check_html(text: str) -> str:
    """Validate Telegram-HTML markup; return the visible text.

    Raises:
        ApiError: an unknown tag, an end tag without its start, or a tag left open.
    """
    stack: list[str] = []
    for match in HTML_TAG_RE.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        offset = len(text[: match.start()].encode("utf-8"))
        if name not in HTML_TAGS:
            kind = "end" if closing else "start"
            raise bad_request(
                f'can\'t parse entities: Unsupported {kind} tag "{name}" at byte offset {offset}'
            )
        if not closing:
            stack.append(name)
            continue
        if not stack:
            raise bad_request(f"can't parse entities: Unexpected end tag at byte offset {offset}")
        expected = stack.pop()
        if expected != name:
            raise bad_request(
                f"can't parse entities: Unmatched end tag at byte offset {offset}, "
                f'expected "</{expected}>", found "</{name}>"'
            )
    if stack:
        raise bad_request(
            f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return html.unescape(HTML_TAG_RE.sub("", text))


def check_text(
    params: dict[str, Any], key: str, limit: int, *, empty_ok: bool, validate_html: bool = True
) -> str:
    """Check ``params[key]`` (text or caption) as Telegram does; return it as sent.

    Raises:
        ApiError: bad HTML, empty text (unless ``empty_ok``), or over ``limit`` characters.
    """
    raw = params.get(key)
    text = "" if raw is None else str(raw)
    visible = text
    if validate_html and str(params.get("parse_mode") or "").lower() == "html":
        visible = check_html(text)
    if not visible.strip() and not empty_ok:
        raise bad_request("message text is empty")
    if len(visible) > limit:
        raise bad_request(f"{'message caption' if key == 'caption' else 'message'} is too long")
    return text


def check_button(button: Any) -> None:
    """One inline keyboard button: a non-empty text and exactly one action.

    Raises:
        ApiError: as Telegram answers.
    """
    bad_button = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(bad_button + "InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request(bad_button + "Text must be non-empty")
    actions = [k for k in button if k in BUTTON_ACTIONS]
    if not actions:
        raise bad_request(bad_button + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(bad_button + "a button must have exactly one action")
    data = button.get("callback_data")
    if "callback_data" in button and (
        not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if "url" in button and (not isinstance(url, str) or not re.match(r"(https?|tg)://\S+$", url)):
        raise bad_request("BUTTON_URL_INVALID")


def check_markup(markup: Any) -> None:
    """An inline keyboard's shape: rows of buttons, at most 8 a row and 100 in all.

    Anything but an ``inline_keyboard`` (reply keyboards, ``remove_keyboard``) is not checked.

    Raises:
        ApiError: as Telegram answers.
    """
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    if any(len(row) > MAX_BUTTONS_PER_ROW for row in rows) or sum(map(len, rows)) > MAX_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    for row in rows:
        for button in row:
            check_button(button)


def check_callback_answer(params: dict[str, Any]) -> None:
    """``answerCallbackQuery``: the toast is at most 200 characters.

    Raises:
        ApiError: as Telegram answers.
    """
    text = params.get("text")
    if text is not None and len(str(text)) > MAX_TOAST_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")


def check_inline_results(params: dict[str, Any], *, validate_html: bool = True) -> None:
    """``answerInlineQuery``: at most 50 results with unique ids of 1-64 bytes, each message
    text and keyboard valid.

    Raises:
        ApiError: as Telegram answers.
    """
    results = params.get("results")
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    ids = [str(r.get("id", "")) for r in results if isinstance(r, dict)]
    if len(ids) != len(results) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
        raise bad_request("RESULT_ID_INVALID")
    if len(set(ids)) != len(ids):
        raise bad_request("RESULT_ID_DUPLICATE")
    for result in results:
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            check_text(
                content,
                "message_text",
                MAX_TEXT_LENGTH,
                empty_ok=False,
                validate_html=validate_html,
            )
        check_markup(result.get("reply_markup"))


def parsed(text: str, parse_mode: object, *, validate_html: bool = True) -> str:
    """``text`` as Telegram shows it after parsing it in ``parse_mode`` (only HTML is parsed
    here; any other mode leaves it as sent).

    Raises:
        ApiError: ``parse_mode`` is HTML and the markup does not parse.
    """
    if validate_html and str(parse_mode or "").lower() == "html":
        return check_html(text)
    return text


def poll_options(params: dict[str, Any], *, validate_html: bool = True) -> list[str]:
    """The options of a ``sendPoll`` as Telegram shows them: each a string or an
    ``InputPollOption`` object (``text`` and its ``text_parse_mode``).

    Raises:
        ApiError: as Telegram answers.
    """
    raw = params.get("options")
    if not isinstance(raw, list):
        raise bad_request("can't parse options JSON object")
    texts = []
    for option in raw:
        if isinstance(option, str):
            text, mode = option, None
        elif isinstance(option, dict) and isinstance(option.get("text"), str):
            text, mode = option["text"], option.get("text_parse_mode")
        else:
            raise bad_request(
                "can't parse InputPollOption: Expected InputPollOption to be an Object"
            )
        texts.append(parsed(text, mode, validate_html=validate_html).strip())
    if len(texts) < MIN_POLL_OPTIONS:
        raise bad_request(f"poll must have at least {MIN_POLL_OPTIONS} option")
    if len(texts) > MAX_POLL_OPTIONS:
        raise bad_request(f"poll can't have more than {MAX_POLL_OPTIONS} options")
    for text in texts:
        if not text:
            raise bad_request("poll options must be non-empty")
        if len(text) > MAX_POLL_OPTION:
            raise bad_request(f"poll options length must not exceed {MAX_POLL_OPTION}")
    return texts


def correct_options(params: dict[str, Any], count: int) -> list[int]:
    """A quiz's correct options (``correct_option_ids``, or ``correct_option_id``, which Bot
    API 9.6 deprecated but still takes), each one of the ``count`` options.

    Raises:
        ApiError: none given, not increasing, or one the poll lacks.
    """
    ids = params.get("correct_option_ids")
    if ids is None and params.get("correct_option_id") is not None:
        ids = [params["correct_option_id"]]
    if not isinstance(ids, list) or not ids:
        raise bad_request("correct quiz option list must be non-empty")
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise bad_request("correct option identifier must be of type Number")
    if any(b <= a for a, b in itertools.pairwise(ids)):
        raise bad_request("correct quiz option list must be increasing")
    if any(not 0 <= i < count for i in ids):
        raise bad_request("wrong quiz correct_option_id")
    if len(ids) > 1 and not params.get("allows_multiple_answers"):
        raise bad_request("wrong quiz correct_option_id")
    return list(ids)


def check_poll(params: dict[str, Any], *, validate_html: bool = True) -> dict[str, Any]:
    """``sendPoll``'s poll as Telegram checks it; return what the sent ``Poll`` shows (without
    its id): question, options, type, correct options and explanation as parsed.

    Raises:
        ApiError: as Telegram answers (see the module docstring).
    """
    question = parsed(
        str(params.get("question") or ""),
        params.get("question_parse_mode"),
        validate_html=validate_html,
    ).strip()
    if not question:
        raise bad_request("poll question must be non-empty")
    if len(question) > MAX_POLL_QUESTION:
        raise bad_request(f"poll question length must not exceed {MAX_POLL_QUESTION}")
    options = poll_options(params, validate_html=validate_html)
    kind = str(params.get("type") or "regular")
    if kind not in ("regular", "quiz"):
        raise bad_request("wrong poll type specified")
    anonymous = params.get("is_anonymous")
    poll: dict[str, Any] = {
        "question": question,
        "options": [
            {"text": text, "voter_count": 0, "persistent_id": str(i)}
            for i, text in enumerate(options)
        ],
        "total_voter_count": 0,
        "is_closed": bool(params.get("is_closed")),
        "is_anonymous": True if anonymous is None else bool(anonymous),
        "type": kind,
        "allows_multiple_answers": bool(params.get("allows_multiple_answers")),
        "allows_revoting": kind != "quiz",
        "members_only": bool(params.get("members_only")),
    }
    if kind != "quiz":
        return poll
    correct = correct_options(params, len(options))
    poll["correct_option_ids"] = correct  # Bot API 9.6 dropped the Poll's correct_option_id
    raw = params.get("explanation")
    if raw is not None:
        explanation = parsed(
            str(raw), params.get("explanation_parse_mode"), validate_html=validate_html
        )
        if len(explanation) > MAX_POLL_EXPLANATION:
            raise bad_request(
                f"quiz explanation must have at most {MAX_POLL_EXPLANATION} characters"
            )
        if explanation.count("\n") > MAX_POLL_EXPLANATION_LINE_FEEDS:
            raise bad_request(
                f"quiz explanation must have at most {MAX_POLL_EXPLANATION_LINE_FEEDS} line feeds"
            )
        if explanation:
            poll["explanation"] = explanation
    return poll
