"""Shared fixtures. No test reaches the network: Telegram is a fake Bot API on 127.0.0.1."""

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

from bot.core.catalogue import Catalogue, load_catalogue
from bot.storage import Storage

try:
    from tests.botapi import FakeBotAPI
    from tests.harness import RunningBot
except ImportError:  # tests/ is on sys.path when it is not a package
    from botapi import FakeBotAPI  # type: ignore[no-redef]
    from harness import RunningBot  # type: ignore[no-redef]

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmn"


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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "paperbot.sqlite3"


@pytest.fixture
async def storage(db_path: Path) -> AsyncIterator[Storage]:
    store = await Storage.open(db_path)
    yield store
    await store.close()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API server on 127.0.0.1, started and stopped around the test."""
    server = FakeBotAPI(hang_seconds=3.0)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def running(
    api: FakeBotAPI, db_path: Path, catalogue: Catalogue, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    """The real Application polling ``api``. No rate limiter: the tests that use this send
    hundreds of messages, and it would only add waiting."""
    async with RunningBot(api, db_path, catalogue, TOKEN, clock, rate_limiter=False) as bot:
        yield bot


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
