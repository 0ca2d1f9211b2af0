"""python-telegram-bot without a network: :class:`OfflineRequest` answers like the Bot API.

As python-telegram-bot's own test suite does (``tests/auxil/networking.py``), the bot gets a
:class:`telegram.request.BaseRequest` subclass instead of its HTTP client. Ours does not only
refuse the network: it hands every call to a :class:`tests.botmethods.FakeTelegram`, which
records it and answers as Telegram would, with Telegram's checks (4,096 characters, HTML that
parses, callback data of at most 64 bytes, the shape of inline keyboards). python-telegram-bot
then turns the answer into its own objects and exceptions (``BadRequest``, ``Forbidden``,
``RetryAfter``) exactly as it does for real answers.
"""

from __future__ import annotations

import json
import time
from typing import Any

from telegram.request import BaseRequest, RequestData

from tests.botmethods import FakeTelegram
from tests.botmodel import Request, UploadedFile


class OfflineRequest(BaseRequest):
    """A request class that calls ``telegram`` in-process and never opens a socket.

    Args:
        telegram: the fake Telegram that answers.

    ``getUpdates`` is answered with no updates: in-process, updates are handed to the
    application's update queue directly (:class:`tests.harness.OfflineBot`). Faults that need a
    wire (``timeout``, ``disconnect``) are refused: use :class:`tests.botapi.FakeBotAPI`.
    """

    def __init__(self, telegram: FakeTelegram) -> None:
        self.telegram = telegram

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (python-telegram-bot reads it for ``getUpdates``)."""
        return 5.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call: ``(HTTP status, JSON body)``."""
        base, _, api_method = url.rpartition("/")
        token = base.rpartition("/")[2].removeprefix("bot")
        req = Request(api_method, parameters(request_data), time.monotonic(), token)
        fault = self.telegram.take_fault(api_method)
        if fault is not None and fault.kind in ("timeout", "disconnect"):
            raise AssertionError(f"a {fault.kind} needs a wire: use tests.botapi.FakeBotAPI")
        if api_method.lower() == "getupdates" and fault is None:
            req.status, req.result = 200, []
            self.telegram.requests.append(req)
            return 200, json.dumps({"ok": True, "result": []}).encode()
        status, payload = self.telegram.call(req, fault)
        return status, json.dumps(payload).encode()


def parameters(request_data: RequestData | None) -> dict[str, Any]:
    """The call's parameters as the Bot API would decode them (JSON values, uploads as
    :class:`~tests.botmodel.UploadedFile`)."""
    if request_data is None:
        return {}
    params: dict[str, Any] = json.loads(json.dumps(request_data.parameters))
    if request_data.contains_files:
        for name, (filename, content, mime) in request_data.multipart_data.items():
            blob = content if isinstance(content, bytes) else content.read()
            params[name] = UploadedFile(name, filename, mime, blob)
        for key, ref in list(params.items()):
            if isinstance(ref, str) and ref.startswith("attach://"):
                part_name = ref.removeprefix("attach://")
                if isinstance(params.get(part_name), UploadedFile):
                    params[key] = params[part_name]
    return params
