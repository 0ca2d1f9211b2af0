"""Shared fixtures. No test reaches the network: Telegram is a fake, in-process
(:class:`tests.offline.OfflineRequest`) or, for the few tests that need a wire, a fake Bot API
on 127.0.0.1 (:class:`tests.botapi.FakeBotAPI`)."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

# python-telegram-bot 22 warns when RetryAfter.retry_after is read as an int; opt in to the
# timedelta behaviour so filterwarnings=error does not turn that into an exception.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.core.answers import Answerer
from bot.core.catalogue import Catalogue, load_catalogue
from bot.core.matching import Matcher
from bot.features import common
from bot.storage import Store
from tests.botapi import FakeBotAPI
from tests.botmethods import FakeTelegram
from tests.harness import TOKEN, OfflineBot
from tests.offline import OfflineRequest

__all__ = ["TOKEN", "FakeClock"]


class FakeClock:
    """A settable clock: ``clock()`` returns the current fake time (aware UTC)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session", autouse=True)
def shared_answerer(catalogue: Catalogue) -> Iterator[Answerer]:
    """Every bot a test starts builds its services, and with them an answerer over the
    catalogue (about 0.1 s). It only reads the catalogue, so the session's catalogue gets one,
    shared; any other catalogue still gets its own (tests/test_matching.py builds its own)."""
    shared = Answerer(catalogue)

    def answerer(of: Catalogue, matcher: Matcher | None = None) -> Answerer:
        return shared if of is catalogue and matcher is None else Answerer(of, matcher)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(common, "Answerer", answerer)
        yield shared


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "paperbot.sqlite3"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(db_path)
    yield opened
    await opened.close()


@pytest.fixture
def telegram() -> FakeTelegram:
    """A fake Telegram, in-process (see tests/offline.py)."""
    return FakeTelegram()


@pytest.fixture
async def bot(
    telegram: FakeTelegram, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> AsyncIterator[OfflineBot]:
    """The real Application, in-process, answering ``telegram``; no rate limiter (it would
    only add waiting)."""
    async with OfflineBot(telegram, db_path, catalogue, clock) as running:
        yield running


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API server on 127.0.0.1, started and stopped around the test."""
    server = FakeBotAPI(hang_seconds=3.0)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that tries to open a socket to a non-loopback address."""
    real = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "localhost", "::1"}
            and not (host.startswith("127.") or "/" in host)
        ):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield


@pytest.fixture(params=["offline", "http"])
async def fake(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Bot, FakeTelegram]]:
    """A plain ``telegram.Bot`` and the fake Telegram it talks to, in-process or over HTTP."""
    if request.param == "offline":
        telegram = FakeTelegram()
        async with Bot(TOKEN, request=OfflineRequest(telegram)) as bot:
            yield bot, telegram
        return
    api = FakeBotAPI(hang_seconds=1.0)
    await api.start()
    try:
        async with Bot(TOKEN, base_url=api.base_url, request=HTTPXRequest()) as bot:
            yield bot, api
    finally:
        await api.stop()
